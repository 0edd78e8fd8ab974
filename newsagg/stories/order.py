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


def clustering_order(articles: Iterable[Article]) -> list[Article]:
    """``articles`` sorted in the order story clustering must see them."""
    return sorted(articles, key=clustering_key)
