"""``newsagg index``: the index outside a crawl: replay the spool, show what the store holds.

``replay`` writes every batch spooled while the store was unavailable, oldest first, with the index
pipeline's own writer (:class:`newsagg.writer.BatchWriter`: versions, upsert, MinHash signatures, duplicate
groups), then clusters what was stored into stories. A batch file is removed only once the store took it;
writes are idempotent by article id, so an interrupted replay is safe to run again. The next crawl also
replays the spool on its own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.options import (
    ExitCode,
    HomeOption,
    ReportFormat,
    ReportFormatOption,
    fail,
    home_settings,
    open_settings_store,
)
from newsagg.cli.output import console
from newsagg.dashboards import DashboardTarget

index_app = typer.Typer(
    help="The article index: replay spooled batches, status, dashboards for Kibana / OpenSearch Dashboards.",
    no_args_is_help=True,
)


@index_app.command("replay")
def replay(home: HomeOption = None, output_format: ReportFormatOption = ReportFormat.table) -> None:
    """Write every batch spooled while the store was unavailable (then cluster it into stories)."""
    from newsagg.spool import Spool
    from newsagg.storage import StorageError
    from newsagg.stories import StoryClusterer, StorySettings
    from newsagg.writer import BatchWriter

    settings = home_settings(home)
    spool = Spool(settings.store.spool_dir)
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
            store = open_settings_store(settings)
        except StorageError as exc:
            raise fail(f"store unavailable, spool kept ({len(pending)} files): {exc}", ExitCode.error) from exc
        with store:
            clusterer = StoryClusterer(store, StorySettings.from_config(settings))
            writer = BatchWriter(store, max_versions=settings.store.versions_max, clusterer=clusterer)
            for path, entries in spool.pending_batches():
                try:
                    writer.write(entries)
                    result["articles"] += len(entries)
                except StorageError as exc:
                    _report(result, output_format)
                    raise fail(
                        f"replay stopped at {path.name} (kept, with {result['left']} files): {exc}", ExitCode.error
                    ) from exc
                spool.done(path)
                result["files"] += 1
                result["left"] -= 1
            # Articles stored during an outage whose story assignment failed afterwards: cluster them now.
            try:
                result["backlog_clustered"] = clusterer.cluster_backlog()
            except StorageError as exc:
                raise fail(f"spool replayed, but the story backlog waits: {exc}", ExitCode.error) from exc
    _report(result, output_format)


def _report(result: dict[str, Any], output_format: ReportFormat) -> None:
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        console.print(
            f"replayed {result['files']} spooled batches ({result['articles']} articles); "
            f"{result['left']} left in {escape(result['spool'])}"
        )


@index_app.command("status")
def status(home: HomeOption = None, output_format: ReportFormatOption = ReportFormat.table) -> None:
    """Backend, schema, article/story counts and what waits in the spool."""
    from newsagg.spool import Spool
    from newsagg.storage import StorageError

    settings = home_settings(home)
    spool = Spool(settings.store.spool_dir)
    info: dict[str, Any] = {"backend": settings.store.backend, "spooled_articles": spool.count()}
    try:
        with open_settings_store(settings, read_only=True) as store:
            info["articles"] = store.count_articles()
            info["stories"] = len(store.list_stories(min_articles=1, limit=10_000))
            info.update(store.describe())
    except StorageError as exc:
        from newsagg.secrets import redact

        info["error"] = redact(str(exc))
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(info, indent=2) + "\n")
    else:
        for key, value in info.items():
            console.print(f"{key:>18}: {escape(str(value))}")
    if "error" in info:
        raise typer.Exit(int(ExitCode.error))


@index_app.command("check")
def check(
    home: HomeOption = None,
    repair: Annotated[
        bool, typer.Option("--repair", help="Rebuild the full-text index from the article rows.")
    ] = False,
    output_format: ReportFormatOption = ReportFormat.table,
) -> None:
    """Check the store's integrity (SQLite: integrity_check and the FTS5 index check); --repair rebuilds the
    full-text index, which fixes damage confined to it. Exit 1 while problems remain."""
    from newsagg.storage import StorageError

    settings = home_settings(home)
    try:
        with open_settings_store(settings) as store:
            problems = store.check(repair=repair)
            where = store.describe()
    except StorageError as exc:
        raise fail(str(exc), ExitCode.error) from exc
    advice = "" if not problems else _recovery_advice(where)
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps({**where, "problems": problems, "repaired": repair, "advice": advice}) + "\n")
    elif problems:
        for problem in problems:
            console.print(f"[red]problem:[/] {escape(problem)}", soft_wrap=True)
        console.print(escape(advice), soft_wrap=True)
    else:
        console.print(f"store is healthy{' (full-text index rebuilt)' if repair else ''}")
    if problems:
        raise typer.Exit(int(ExitCode.error))


def _recovery_advice(where: dict[str, Any]) -> str:
    """What to do next: the FTS index can be rebuilt in place; damaged rows need SQLite's .recover."""
    path = where.get("path")
    if where.get("backend") != "sqlite" or not path:
        return "see docs/operations.md, 'A damaged store'"
    import shlex

    quoted, recovered = shlex.quote(str(path)), shlex.quote(f"{path}.recovered")
    return (
        "Recover: first `newsagg index check --repair` (rebuilds the full-text index); if problems remain, the "
        f"rows themselves are damaged: `sqlite3 {quoted} .recover | sqlite3 {recovered}`, check it, then move "
        f"it over {quoted} (docs/operations.md, 'A damaged store')"
    )


@index_app.command("dashboards")
def dashboards(
    engine: Annotated[DashboardTarget, typer.Option("--engine", help="Which product will import the file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="NDJSON file to write ('-': standard output).")],
    prefix: Annotated[
        str, typer.Option(help="Index prefix the data views point at.", envvar="NEWSAGG_INDEX_PREFIX")
    ] = "newsagg",
) -> None:
    """Data views and a coverage dashboard as saved objects (NDJSON) to import (see docs/engines.md)."""
    import os
    import tempfile

    from newsagg.dashboards import saved_objects, to_ndjson
    from newsagg.storage.engine_config import EngineConfig

    try:
        EngineConfig(engine="elasticsearch", index_prefix=prefix)  # the same rule as the indices' names
    except ValueError as exc:
        raise fail(str(exc), ExitCode.usage) from exc
    objects = saved_objects(engine, prefix)
    text = to_ndjson(objects)
    if str(output) == "-":
        sys.stdout.write(text)
        return
    # a temporary file in the same folder, then a rename: an interrupted run never leaves half a file
    try:
        handle, temporary = tempfile.mkstemp(dir=output.resolve().parent, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc}", ExitCode.usage) from exc
    console.print(f"wrote {len(objects)} saved objects for {engine.value} to {escape(str(output))}")
