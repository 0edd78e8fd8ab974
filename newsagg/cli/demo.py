"""``newsagg demo``: the whole product offline in one command.

Starts the bundled local news web on loopback, crawls it with the real spider and pipelines into a fresh
SQLite store, clusters stories, prints the story table and the largest story's coverage, and writes every
export format. No services, no internet.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsagg.cli.crawl import print_crawl_summary
from newsagg.cli.output import ListFormat, console, emit


def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where the demo store and exports go (recreated).")] = Path(
        "newsagg-demo"
    ),
    progress: Annotated[bool | None, typer.Option(help="Live progress (default: on a terminal).")] = None,
) -> None:
    """Crawl the bundled offline news web, cluster stories, print them and write exports."""
    from crawler.process import run_crawl
    from newsagg.coverage import iter_story_documents, story_document, story_row
    from newsagg.export import FORMATS, export
    from newsagg.newsweb import CRAWL_SETTINGS, NewsWeb
    from newsagg.storage import open_store

    started = time.monotonic()
    home = directory / "store"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    with NewsWeb() as web:
        registry = home / "demo-registry.yaml"
        registry.write_text(web.registry_yaml(), encoding="utf-8")
        console.print(
            f"[bold]newsagg demo[/]: local news web with {len(web.outlets)} outlets in "
            f"{len({o['country'] for o in web.outlets})} countries on 127.0.0.1"
        )
        overrides = {
            **CRAWL_SETTINGS,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,  # our own loopback server: no need to be polite
            "NEWSAGG_HOME": str(home),
            "NEWSAGG_REGISTRY": str(registry),
        }
        if progress is not None:
            overrides["NEWSAGG_PROGRESS"] = progress
        summary = run_crawl({}, overrides)
    print_crawl_summary(summary)

    exports = directory / "exports"
    with open_store("sqlite", home=home) as store:
        stories = store.list_stories(min_articles=1, limit=100)
        documents = [story_document(store, story) for story in stories]
        emit(
            [story_row(d) for d in documents],
            ["id", "articles", "outlets", "countries", "languages", "duplicates", "label"],
            ListFormat.table,
            title="Stories in the demo news web",
        )
        if documents:
            emit(
                documents[0]["coverage"],
                ["published_at", "outlet_name", "country", "language", "title", "duplicate_of_outlet"],
                ListFormat.table,
                title=f"Coverage of: {stories[0].get('label')}",
            )
        written = []
        for fmt in FORMATS:
            path = exports / f"stories.{fmt}"
            export(iter_story_documents(store), fmt, path)
            written.append(str(path))
    console.print(escape("exports: " + ", ".join(written)))
    console.print(
        f"demo finished in {time.monotonic() - started:.1f}s; try: newsagg search --home {escape(str(home))} Bukele"
    )
    console.print(f"browse it: newsagg serve --home {escape(str(home))}  (then open http://127.0.0.1:8750/)")
