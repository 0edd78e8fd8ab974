"""``newsagg index``: the index outside a crawl: replay the spool, show what the store holds.

``replay`` does what the index pipeline does with a batch (upsert, MinHash signatures, duplicate groups, then
story clustering of what was stored), for every batch spooled while the store was unavailable, oldest
first. A batch file is removed only once the store took it; writes are idempotent by article id, so an
interrupted replay is safe to run again. The next crawl also replays the spool on its own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.output import console, err_console

index_app = typer.Typer(help="The article index: replay spooled batches, status.", no_args_is_help=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data directory (default: $NEWSAGG_HOME or the per-user data dir).", envvar="NEWSAGG_HOME"
    ),
]
OutputOption = Annotated[str, typer.Option("--format", help="table or json")]


def _settings(home: Path | None):  # type: ignore[no-untyped-def]
    from newsagg.crawl import build_settings

    return build_settings({"NEWSAGG_HOME": str(home) if home else None})


def _open(settings):  # type: ignore[no-untyped-def]
    from newsagg.storage import open_store

    return open_store(settings.get("NEWSAGG_BACKEND", "sqlite"), home=settings.get("NEWSAGG_HOME"))


def _fail(message: str, code: int = 1) -> typer.Exit:
    from newsagg.secrets import redact

    err_console.print(f"[bold red]error:[/] {escape(redact(message))}")
    return typer.Exit(code)


def write_batch(store, records: list[dict[str, Any]], clusterer) -> int:  # type: ignore[no-untyped-def]
    """One spooled batch into ``store``, as the index pipeline writes it; returns the articles written."""
    articles = [r["article"] for r in records]
    store.upsert_articles(articles)
    store.save_signatures([(r["article"]["id"], bytes.fromhex(r["minhash"])) for r in records if r.get("minhash")])
    store.resolve_duplicate_groups(a["dup_group"] for a in articles if a.get("dup_group"))
    stored = store.get_articles(a["id"] for a in articles)
    # the same order as the clustering extension: originals before copies, earliest first
    for article in sorted(
        stored, key=lambda a: (a.get("duplicate_of") is not None, a.get("published_utc") or float("inf"), a["id"])
    ):
        clusterer.assign(article)
    return len(articles)


@index_app.command("replay")
def replay(home: HomeOption = None, output_format: OutputOption = "table") -> None:
    """Write every batch spooled while the store was unavailable (then cluster it into stories)."""
    from newsagg.config import newsagg_home
    from newsagg.spool import Spool
    from newsagg.storage import StorageError
    from newsagg.stories import StoryClusterer, StorySettings

    settings = _settings(home)
    spool = Spool(newsagg_home(settings.get("NEWSAGG_HOME")) / "spool")
    pending = sorted(spool.directory.glob("*.jsonl")) if spool.directory.is_dir() else []
    result: dict[str, Any] = {
        "spool": str(spool.directory),
        "files": 0,
        "articles": 0,
        "left": len(pending),
        "backlog_clustered": 0,
    }
    if pending:
        try:
            store = _open(settings)
        except StorageError as exc:
            raise _fail(f"store unavailable, spool kept ({len(pending)} files): {exc}") from exc
        with store:
            clusterer = StoryClusterer(store, StorySettings.from_settings(settings))
            for path, records in spool.pending():
                try:
                    result["articles"] += write_batch(store, records, clusterer)
                except StorageError as exc:
                    _report(result, output_format)
                    raise _fail(f"replay stopped at {path.name} (kept, with {result['left']} files): {exc}") from exc
                spool.done(path)
                result["files"] += 1
                result["left"] -= 1
            # Articles stored during an outage whose story assignment failed afterwards: cluster them now.
            try:
                result["backlog_clustered"] = clusterer.cluster_backlog()
            except StorageError as exc:
                raise _fail(f"spool replayed, but the story backlog waits: {exc}") from exc
    _report(result, output_format)


def _report(result: dict[str, Any], output_format: str) -> None:
    if output_format == "json":
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        console.print(
            f"replayed {result['files']} spooled batches ({result['articles']} articles); "
            f"{result['left']} left in {result['spool']}"
        )


@index_app.command("status")
def status(home: HomeOption = None, output_format: OutputOption = "table") -> None:
    """Backend, schema, article/story counts and what waits in the spool."""
    from newsagg.config import newsagg_home
    from newsagg.spool import Spool
    from newsagg.storage import StorageError
    from newsagg.storage.engine import EngineStore

    settings = _settings(home)
    spool = Spool(newsagg_home(settings.get("NEWSAGG_HOME")) / "spool")
    info: dict[str, Any] = {"backend": settings.get("NEWSAGG_BACKEND", "sqlite"), "spooled_articles": spool.count()}
    try:
        with _open(settings) as store:
            info["articles"] = store.count_articles()
            info["stories"] = len(store.list_stories(min_articles=1, limit=10_000))
            if isinstance(store, EngineStore):
                info.update(store.describe())
    except StorageError as exc:
        from newsagg.secrets import redact

        info["error"] = redact(str(exc))
    if output_format == "json":
        sys.stdout.write(json.dumps(info, indent=2) + "\n")
    else:
        for key, value in info.items():
            console.print(f"{key:>18}: {escape(str(value))}")
    if "error" in info:
        raise typer.Exit(1)
