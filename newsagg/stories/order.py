"""The one order in which articles are clustered into stories.

Originals before their copies (a copy joins its original's story, so the original must have one first),
then earliest published first (a story is founded by its earliest article, and story ids do not depend on
download order), undated last, then by id (a total order: the same batch always clusters the same way).
"""

from __future__ import annotations

from collections.abc import Iterable

from newsagg.storage.base import Article


def clustering_key(article: Article) -> tuple[bool, float, str]:
    published = article.get("published_utc")
    return article.get("duplicate_of") is not None, published or float("inf"), str(article["id"])


def in_stories(article: Article) -> bool:
    """Only articles make stories: a listing or another page kept for its text is searchable with ``--kind``
    but joins no story (an article stored before page kinds existed has no kind, and counts)."""
    return article.get("kind") in (None, "article")


def clustering_order(articles: Iterable[Article]) -> list[Article]:
    """The articles of ``articles`` that make stories (:func:`in_stories`), in the order story clustering must
    see them. Every clustering path goes through here, so none can cluster a listing."""
    return sorted((a for a in articles if in_stories(a)), key=clustering_key)
