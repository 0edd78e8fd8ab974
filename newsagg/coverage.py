"""Story documents: a story with its articles, duplicate links, coverage table and revisions (the export unit).

``revisions`` lists the articles that changed after they were first stored (headline changed, correction
appended, date moved...), each with its previous versions minus their full texts (those stay in
``articles[].versions``), newest change first.

``first_reports`` says who ran the story first in each country and how long after the story's first report;
``wire_share`` how much of each country's coverage was copies (``duplicate_of`` set) against original
reporting; ``angles`` the terms that set each country's coverage apart (:mod:`newsagg.stories.angles`).
The same document is the CLI's ``stories show --format json``, the exports' unit and the web API's answer
(``newsagg serve``), so field names are shared by all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from newsagg.storage.base import ArticleFilter, ArticleStore, SearchHit, Story
from newsagg.stories.angles import regional_angles

COVERAGE_COLUMNS = ("outlet_name", "country", "language", "published_at", "title", "duplicate_of_outlet", "url")


def _day(article: dict[str, Any]) -> str | None:
    stamp = article.get("published_utc") or article.get("discovered_utc")
    return datetime.fromtimestamp(stamp, UTC).date().isoformat() if stamp else None


def last_change(article: dict[str, Any]) -> str | None:
    """The change summary of an article's latest revision ("headline changed; correction appended"), if any."""
    versions = article.get("versions") or []
    return "; ".join(versions[-1].get("changes") or []) if versions else None


def revisions(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Articles with previous versions, most recently changed first; version texts left out (see module doc)."""
    revised = []
    for article in articles:
        versions = article.get("versions") or []
        if not versions:
            continue
        revised.append(
            {
                "article_id": article["id"],
                "outlet_name": article.get("outlet_name"),
                "title": article.get("title"),
                "url": article.get("url"),
                "versions": [
                    {
                        key: v.get(key)
                        for key in (
                            "fetched_at",
                            "replaced_at",
                            "title",
                            "published_at",
                            "modified_at",
                            "text_hash",
                            "changes",
                        )
                    }
                    for v in reversed(versions)
                ],
            }
        )
    return sorted(revised, key=lambda r: r["versions"][0].get("replaced_at") or "", reverse=True)


def _stamp(article: dict[str, Any]) -> float | None:
    return article.get("published_utc") or article.get("discovered_utc")


def first_reports(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per country, its earliest article and the lag behind the story's first report (seconds), earliest first.

    Undated articles (neither published nor discovered time) cannot be placed and are left out.
    """
    dated = [a for a in articles if _stamp(a) is not None]
    if not dated:
        return []
    first_overall = min(_stamp(a) for a in dated)  # type: ignore[type-var]
    earliest: dict[str, dict[str, Any]] = {}
    for article in sorted(dated, key=lambda a: (_stamp(a), a["id"])):
        earliest.setdefault(article.get("country") or "?", article)
    return [
        {
            "country": country,
            "article_id": article["id"],
            "outlet_name": article.get("outlet_name"),
            "published_at": article.get("published_at"),
            "published_source": article.get("published_source"),
            "is_copy": bool(article.get("duplicate_of")),
            "lag_seconds": round(_stamp(article) - first_overall),  # type: ignore[operator]
        }
        for country, article in earliest.items()
    ]


def wire_share(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per country: articles, copies of another article (wire reprints, near-verbatim) and originals."""
    totals: Counter[str] = Counter()
    copies: Counter[str] = Counter()
    for article in articles:
        country = article.get("country") or "?"
        totals[country] += 1
        copies[country] += bool(article.get("duplicate_of"))
    return [
        {
            "country": country,
            "articles": total,
            "copies": copies[country],
            "originals": total - copies[country],
            "copy_share": round(copies[country] / total, 3),
        }
        for country, total in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def hit_row(hit: SearchHit) -> dict[str, Any]:
    """One search hit, JSON-ready: the fields of ``newsagg search --format json`` and ``/api/search``."""
    article = hit.article
    return {
        "score": round(hit.score, 3),
        "published_at": article.get("published_at"),
        "outlet": article.get("outlet_name"),
        "country": article.get("country"),
        "language": article.get("language"),
        "title": article.get("title"),
        "story_id": article.get("story_id"),
        "kind": article.get("kind") or "article",
        "snippet": hit.snippet,
        "url": article.get("url"),
        "id": article.get("id"),
    }


def story_document(store: ArticleStore, story: Story) -> dict[str, Any]:
    """Everything a reader needs about one story, JSON-ready."""
    articles = list(store.iter_articles(ArticleFilter(story_id=story["id"])))
    revised = revisions(articles)
    by_id = {a["id"]: a for a in articles}
    duplicates = []
    coverage = []
    for article in articles:
        original = by_id.get(article.get("duplicate_of") or "") or (
            store.get_article(article["duplicate_of"]) if article.get("duplicate_of") else None
        )
        if original:
            duplicates.append(
                {
                    "copy": article["id"],
                    "copy_outlet": article.get("outlet_name"),
                    "original": original["id"],
                    "original_outlet": original.get("outlet_name"),
                    "kind": article.get("duplicate_kind"),
                    "similarity": article.get("similarity"),
                }
            )
        coverage.append(
            {
                "article_id": article["id"],
                "outlet_id": article.get("outlet_id"),
                "outlet_name": article.get("outlet_name"),
                "country": article.get("country"),
                "language": article.get("language"),
                "published_at": article.get("published_at"),
                "published_source": article.get("published_source"),
                "title": article.get("title"),
                "duplicate_of": article.get("duplicate_of"),
                "duplicate_of_outlet": original.get("outlet_name") if original else None,
                "url": article.get("url"),
                "versions": len(article.get("versions") or []),
                "last_change": last_change(article),
            }
        )
    return {
        "story": story,
        "summary": {
            "articles": len(articles),
            "outlets": sorted({a.get("outlet_name") or "?" for a in articles}),
            "countries": dict(Counter(a.get("country") or "?" for a in articles)),
            "languages": dict(Counter(a.get("language") or "?" for a in articles)),
            "by_day": dict(sorted(Counter(d for a in articles if (d := _day(a))).items())),
            "duplicates": len(duplicates),
            "revised": len(revised),
        },
        "coverage": coverage,
        "duplicates": duplicates,
        "revisions": revised,
        "first_reports": first_reports(articles),
        "wire_share": wire_share(articles),
        "angles": regional_angles(articles),
        "articles": articles,
    }


def story_row(document: dict[str, Any]) -> dict[str, Any]:
    """One line of a story listing, from its document (``story list``, the demo's table)."""
    story, summary = document["story"], document["summary"]
    first = story.get("first_published_utc")
    return {
        "id": story["id"],
        "articles": summary["articles"],
        "outlets": len(summary["outlets"]),
        "countries": sorted(summary["countries"]),
        "languages": sorted(summary["languages"]),
        "duplicates": summary["duplicates"],
        "first_published": datetime.fromtimestamp(first, UTC).isoformat(timespec="minutes") if first else None,
        "label": story.get("label"),
        "keywords": story.get("keywords"),
    }


def iter_story_documents(
    store: ArticleStore, *, story_id: str | None = None, min_articles: int = 1, limit: int = 1000
) -> Iterator[dict[str, Any]]:
    if story_id:
        story = store.get_story(story_id)
        if story is None:
            raise KeyError(story_id)
        yield story_document(store, story)
        return
    for story in store.list_stories(min_articles=min_articles, limit=limit):
        yield story_document(store, story)
