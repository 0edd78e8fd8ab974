"""Query parameters shared by the pages and the API, with their limits (documented in the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from newsagg.serve.config import MAX_PAGE_SIZE, MAX_QUERY_CHARS
from newsagg.serve.views import SearchParams, StoriesParams

Text = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Full-text query (the store's syntax).")]
Code = Annotated[str | None, Query(max_length=16)]
Name = Annotated[str | None, Query(max_length=200)]
Day = Annotated[
    str | None, Query(max_length=40, description="YYYY-MM-DD or an ISO datetime (UTC unless it has an offset).")
]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
StoryId = Annotated[str, Path(max_length=200)]
ArticleId = Annotated[str, Path(max_length=200)]


def search_params(
    q: Text = "",
    country: Code = None,
    language: Code = None,
    outlet: Name = None,
    story: Name = None,
    since: Day = None,
    until: Day = None,
    sort: Literal["relevance", "date"] = "relevance",
    kind: Literal["article", "listing", "other", "all"] = "article",
    page: PageNumber = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> SearchParams:
    return SearchParams(
        q=q,
        country=country,
        language=language,
        outlet=outlet,
        story=story,
        since=since,
        until=until,
        sort=sort,
        kind=kind,
        page=page,
        size=size,
    )


def stories_params(
    q: Text = "",
    country: Code = None,
    language: Code = None,
    since: Day = None,
    until: Day = None,
    min_articles: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page: PageNumber = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> StoriesParams:
    return StoriesParams(
        q=q,
        country=country,
        language=language,
        since=since,
        until=until,
        min_articles=min_articles,
        page=page,
        size=size,
    )
