"""``newsagg stories``: list the story clusters, show one story's coverage."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from newsagg.cli.options import ExitCode, FormatOption, HomeOption, fail, open_home_store
from newsagg.cli.output import ListFormat, console, emit

stories_app = typer.Typer(help="List and inspect story clusters.", no_args_is_help=True)


@stories_app.command("list")
def stories_list(
    min_articles: Annotated[int, typer.Option(help="Hide stories smaller than this.")] = 1,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Stories, largest first."""
    from newsagg.coverage import story_document, story_row

    with open_home_store(home) as store:
        stories = store.list_stories(min_articles=min_articles, limit=limit)
        rows = [story_row(story_document(store, s)) for s in stories]
    emit(
        rows,
        ["id", "articles", "outlets", "countries", "languages", "duplicates", "first_published", "label"],
        fmt,
        title="Stories",
    )


@stories_app.command("show")
def stories_show(
    story_id: Annotated[str, typer.Argument(help="Story id (from 'stories list').")],
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """One story: its coverage table (outlet, country, language, time, who copied whom)."""
    from newsagg.coverage import story_document

    with open_home_store(home) as store:
        story = store.get_story(story_id)
        if story is None:
            raise fail(f"no story {story_id!r}; see 'newsagg stories list'", ExitCode.error)
        document = story_document(store, story)
    if fmt == ListFormat.table:
        summary = document["summary"]
        console.print(f"[bold]{escape(story.get('label') or story['id'])}[/]  ({escape(story['id'])})")
        console.print(
            escape(
                f"{summary['articles']} articles · countries {summary['countries']} · "
                f"languages {summary['languages']} · {summary['duplicates']} copies"
            )
        )
    emit(
        document["coverage"],
        [
            "published_at",
            "outlet_name",
            "country",
            "language",
            "title",
            "duplicate_of_outlet",
            "versions",
            "last_change",
        ],
        fmt,
        title="Coverage",
        payload=document,
    )
    if fmt == ListFormat.table and document["revisions"]:  # earlier versions of revised articles
        emit(
            [{**v, "outlet_name": r["outlet_name"]} for r in document["revisions"] for v in r["versions"]],
            ["replaced_at", "outlet_name", "title", "published_at", "changes"],
            fmt,
            title="Revisions (earlier versions)",
        )
