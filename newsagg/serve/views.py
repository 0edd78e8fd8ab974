"""What each page and API endpoint shows, computed from the read-only store: plain JSON-ready dicts.

The HTML pages and the JSON API render the same dicts, and the story document is the one of
:func:`newsagg.coverage.story_document` (the CLI's ``stories show --format json`` and the exports), so a
field has one name everywhere.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from newsagg.coverage import hit_row, story_document, story_row
from newsagg.secrets import redact_value
from newsagg.serve.config import MAX_RESULT_WINDOW
from newsagg.serve.gateway import ReadOnlyStore
from newsagg.storage import ArticleFilter

#: Stories looked at by the stories list (largest first) and search hits read to find stories matching a query.
STORY_SCAN = 1000
STORY_SEARCH_HITS = 500
GROWTH_WINDOW = 24 * 3600
PAGE_KINDS = ("article", "listing", "other", "all")


class BadRequest(ValueError):
    """A parameter the page cannot use (unreadable date, page beyond the last one...): HTTP 400."""


def parse_day(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """A filter date: YYYY-MM-DD (what a date input sends) or an ISO datetime; UTC unless it has an offset.

    Relative forms ("3 days ago", as ``--since`` reads them) are not taken here: dateparser needs seconds to
    load, which a page must not spend.
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"cannot read date {value!r}: use YYYY-MM-DD or an ISO datetime") from None
    if len(value) <= 10 and end_of_day:
        parsed = parsed.replace(hour=23, minute=59, second=59)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class QueryParams:
    """A page's query as a frozen dataclass whose every field has a default: the whole query lives in the URL."""

    def as_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] = asdict(self)  # type: ignore[call-overload]  # subclasses are dataclasses
        return fields

    def url(self, **changes: Any) -> str:
        """The query string of this query with ``changes``, leaving out what is empty or at its default."""
        values = {**self.as_dict(), **changes}
        defaults = type(self)().as_dict()
        return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "") and v != defaults.get(k)})


@dataclass(frozen=True)
class SearchParams(QueryParams):
    q: str = ""
    country: str | None = None
    language: str | None = None
    outlet: str | None = None
    story: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    #: page kind, as ``newsagg search --kind``: article (default), listing, other, or all
    kind: str = "article"
    page: int = 1
    size: int = 20

    def __post_init__(self) -> None:
        for name in ("country", "language", "outlet", "story", "since", "until"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        object.__setattr__(self, "q", (self.q or "").strip())
        if self.country:
            object.__setattr__(self, "country", self.country.upper())
        if self.language:
            object.__setattr__(self, "language", self.language.lower())
        if self.sort not in ("relevance", "date"):
            raise BadRequest("sort must be 'relevance' or 'date'")
        if self.kind not in PAGE_KINDS:
            raise BadRequest(f"kind must be one of {', '.join(PAGE_KINDS)}")
        if self.page * self.size > MAX_RESULT_WINDOW:
            raise BadRequest(f"results beyond the first {MAX_RESULT_WINDOW} cannot be paged to; narrow the search")
        self.article_filter()  # an unreadable date is a 400 before the store is asked anything

    def article_filter(self) -> ArticleFilter:
        return ArticleFilter(
            language=self.language,
            country=self.country,
            outlet=self.outlet,
            story_id=self.story,
            since=parse_day(self.since),
            until=parse_day(self.until, end_of_day=True),
            kind=None if self.kind == "all" else self.kind,
        )


def search_results(store: ReadOnlyStore, params: SearchParams) -> dict[str, Any]:
    """A page of hits (``hit_row`` fields, as ``newsagg search --format json``), with paging figures."""
    result: dict[str, Any] = {"query": params.as_dict(), "total": 0, "total_relation": "eq", "hits": [], "pages": 0}
    if not params.q:
        return result
    flt = params.article_filter()
    offset = (params.page - 1) * params.size
    page = store.search(params.q, flt, limit=params.size, offset=offset, sort=params.sort)
    hits = page.hits
    reachable = min(page.total, MAX_RESULT_WINDOW)
    result.update(
        total=page.total,
        total_relation=page.total_relation,
        hits=[hit_row(hit) for hit in hits],
        pages=max(1, -(-reachable // params.size)),
    )
    return result


# --- stories -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoriesParams(QueryParams):
    q: str = ""
    country: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    min_articles: int = 1
    page: int = 1
    size: int = 50

    def __post_init__(self) -> None:
        for name in ("country", "language", "since", "until"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        object.__setattr__(self, "q", (self.q or "").strip())
        if self.country:
            object.__setattr__(self, "country", self.country.upper())
        if self.language:
            object.__setattr__(self, "language", self.language.lower())
        parse_day(self.since)
        parse_day(self.until)


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="minutes") if stamp else None


def listing_row(store: ReadOnlyStore, story: dict[str, Any], now: float) -> dict[str, Any]:
    """``story_row``'s fields (as ``newsagg stories list --format json``) plus last_published and growth_24h.

    ``growth_24h`` counts the story's articles newsagg found in the last 24 hours (discovery time, else
    publication time): how much the story grew since yesterday, in the crawl's own clock.
    """
    key = (story["id"], story.get("article_count"), story.get("updated_at"))
    cached = store.rows.get(key)
    if cached is None:
        articles = list(store.iter_articles(ArticleFilter(story_id=story["id"])))
        summary = {
            "articles": len(articles),
            "outlets": sorted({a.get("outlet_name") or "?" for a in articles}),
            "countries": dict(Counter(a.get("country") or "?" for a in articles)),
            "languages": dict(Counter(a.get("language") or "?" for a in articles)),
            "duplicates": sum(1 for a in articles if a.get("duplicate_of")),
        }
        row = story_row({"story": story, "summary": summary})
        row["last_published"] = _iso(story.get("last_published_utc"))
        stamps = [s for a in articles if (s := a.get("discovered_utc") or a.get("published_utc"))]
        cached = (row, stamps)
        store.rows.put(key, cached)
    row, stamps = cached
    return {**row, "growth_24h": sum(1 for s in stamps if s >= now - GROWTH_WINDOW)}


def story_list(store: ReadOnlyStore, params: StoriesParams, *, now: float | None = None) -> dict[str, Any]:
    """Stories largest first, filtered; ``has_next`` instead of a total (filters are applied while reading)."""
    now = time.time() if now is None else now
    since = parse_day(params.since)
    until = parse_day(params.until, end_of_day=True)
    wanted: set[str] | None = None
    if params.q:
        hits = store.search(params.q, ArticleFilter(), limit=STORY_SEARCH_HITS).hits
        wanted = {h.article["story_id"] for h in hits if h.article.get("story_id")}
    skip = (params.page - 1) * params.size
    rows: list[dict[str, Any]] = []
    has_next = False
    for story in store.list_stories(min_articles=params.min_articles, limit=STORY_SCAN):
        if wanted is not None and story["id"] not in wanted:
            continue
        if since and (story.get("last_published_utc") or 0) < since.timestamp():
            continue
        if until and (story.get("first_published_utc") or float("inf")) > until.timestamp():
            continue
        row = listing_row(store, story, now)
        if params.country and params.country not in row["countries"]:
            continue
        if params.language and params.language not in row["languages"]:
            continue
        if skip:
            skip -= 1
            continue
        if len(rows) == params.size:
            has_next = True
            break
        rows.append(row)
    return {"query": params.as_dict(), "stories": rows, "has_next": has_next}


# --- one story ---------------------------------------------------------------------------------------------
def story_view(store: ReadOnlyStore, story_id: str) -> dict[str, Any] | None:
    """The story document (as ``newsagg stories show ID --format json``), secrets masked; recent ones come from
    a cache (masked once: masking every text of a large story costs as much as drawing its page)."""
    story = store.get_story(story_id)
    if story is None:
        return None
    key = (story["id"], story.get("article_count"), story.get("updated_at"))
    document = store.documents.get(key)
    if document is None:
        document = redact_value(story_document(store, story))  # type: ignore[arg-type]
        store.documents.put(key, document)
    return document


# --- one article -------------------------------------------------------------------------------------------
def _brief(article: dict[str, Any]) -> dict[str, Any]:
    return {
        key: article.get(key)
        for key in ("id", "outlet_name", "country", "language", "title", "published_at", "url", "duplicate_kind")
    } | {"similarity": article.get("similarity")}


def provenance(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Each date of the article with where it was read (json-ld, meta, feed, sitemap, url, text...)."""
    return [
        {
            "date": "published",
            "value": article.get("published_at"),
            "source": article.get("published_source"),
            "precision": article.get("published_precision"),
            "confidence": article.get("published_confidence"),
        },
        {"date": "modified", "value": article.get("modified_at"), "source": article.get("modified_source")},
        {"date": "discovered", "value": article.get("discovered_at"), "source": article.get("discovered_via")},
    ]


def article_view(store: ReadOnlyStore, article_id: str) -> dict[str, Any] | None:
    """An article with its date provenance, the original it copies, its copies and its story."""
    article = store.get_article(article_id)
    if article is None:
        return None
    original = store.get_article(article["duplicate_of"]) if article.get("duplicate_of") else None
    copies: list[dict[str, Any]] = []
    story = None
    if article.get("story_id"):
        story = store.get_story(article["story_id"])
        siblings = store.iter_articles(ArticleFilter(story_id=article["story_id"]))
        copies = [_brief(a) for a in siblings if a.get("duplicate_of") == article_id]
    return {
        "article": article,
        "provenance": provenance(article),
        "original": _brief(original) if original else None,
        "copies": copies,
        "story": {"id": story["id"], "label": story.get("label")} if story else None,
    }


# --- sources -----------------------------------------------------------------------------------------------
def health_policy(settings: Any) -> Any:
    """The health thresholds of the configuration (``NEWSAGG_HEALTH_*``), as ``newsagg sources health`` reads
    them (defaults without one)."""
    from newsagg.state.health import HealthPolicy

    return HealthPolicy.from_config(settings) if settings is not None else HealthPolicy()


def health_view(log: Any, settings: Any = None) -> dict[str, Any]:
    """The report of ``newsagg sources health --format json``."""
    from newsagg.state.health import health_payload, source_health

    return health_payload(source_health(log, health_policy(settings)))


def sources_view(log: Any, settings: Any = None, *, runs: int = 20) -> dict[str, Any]:
    """The health report of ``newsagg sources health`` and the recent runs of ``newsagg runs list``."""
    from newsagg.state.runs import summarize

    return {"health": health_view(log, settings), "runs": summarize(log.list(limit=runs))}


EMPTY_SOURCES: dict[str, Any] = {"health": {"outlets": [], "warnings": []}, "runs": []}
