"""``newsagg search``: full-text search of the stored articles."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from newsagg.cli.options import (
    CountryOption,
    FormatOption,
    HomeOption,
    KindOption,
    LanguageOption,
    OutletOption,
    PageKind,
    SinceOption,
    StoryIdOption,
    UntilOption,
    article_filter,
    open_home_store,
)
from newsagg.cli.output import ListFormat, emit
from newsagg.coverage import hit_row


class SearchSort(StrEnum):
    relevance = "relevance"
    date = "date"


def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match; 'a OR b' for either).")],
    language: LanguageOption = None,
    country: CountryOption = None,
    outlet: OutletOption = None,
    story: StoryIdOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = PageKind.article,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    sort: Annotated[
        SearchSort, typer.Option(help="relevance (best match first) or date (newest first, undated last).")
    ] = SearchSort.relevance,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Full-text search of stored articles (BM25), with highlighted snippets."""
    flt = article_filter(language, country, outlet, story, since, until, kind)
    with open_home_store(home) as store:
        page = store.search(query, flt, limit=limit, offset=offset, sort=sort.value)
    rows = [hit_row(hit) for hit in page.hits]
    columns = ["score", "published_at", "outlet", "country", "language", "title", "snippet"]
    if fmt != ListFormat.table:
        columns = list(rows[0]) if rows else columns
    emit(
        rows,
        columns,
        fmt,
        title=f"{page.total}{'+' if page.total_relation == 'gte' else ''} articles match {query!r}",
        payload={"total": page.total, "total_relation": page.total_relation, "hits": rows},
    )
