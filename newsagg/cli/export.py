"""``newsagg export``: story clusters with their articles and coverage into a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsagg.cli.options import ExitCode, ExportFormat, HomeOption, fail, open_home_store
from newsagg.cli.output import console


def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    story: Annotated[str | None, typer.Option(help="Only this story.")] = None,
    min_articles: Annotated[int, typer.Option(help="Only stories with at least this many articles.")] = 1,
    home: HomeOption = None,
) -> None:
    """Export story clusters with their articles, duplicate links and coverage table."""
    from newsagg.coverage import iter_story_documents
    from newsagg.export import export as write

    with open_home_store(home) as store:
        try:
            count = write(
                iter_story_documents(store, story_id=story, min_articles=min_articles), output_format.value, output
            )
        except KeyError as exc:
            raise fail(f"no story {story!r}", ExitCode.error) from exc
    unit = "rows" if output_format == ExportFormat.csv else "stories"
    console.print(f"wrote {count} {unit} to {escape(str(output))}")
