"""``newsagg ingest warc``: archived HTML responses (WARC files, folders, standard input) into the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.crawl import incomplete_because, print_crawl_summary, run_checked
from newsagg.cli.options import (
    ExitCode,
    HomeOption,
    LogLevel,
    ReportFormat,
    SettingOption,
    fail,
    home_settings,
    parse_settings,
    use_redis,
    use_registry,
)
from newsagg.cli.output import console

ingest_app = typer.Typer(help="Bring archived pages into the store, through the same path as a crawl.")


def _figures(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}


def archive_figures(stats: dict[str, Any]) -> dict[str, Any]:
    """What the archives held: files read (or skipped as already ingested or, distributed, as finished by
    another process of the run; or resumed at a checkpoint: bytes before it not read again), records, pages,
    skips by reason."""
    return {
        "files_read": int(stats.get("newsagg/warc/files_read", 0)),
        "files_already_ingested": int(stats.get("newsagg/warc/files_already_ingested", 0)),
        "files_done_by_others": int(stats.get("newsagg/warc/files_done_by_others", 0)),
        "files_resumed": int(stats.get("newsagg/warc/files_resumed", 0)),
        "bytes_skipped": int(stats.get("newsagg/warc/bytes_skipped", 0)),
        "listings_reread": int(stats.get("newsagg/warc/listings_reread", 0)),
        "records": int(stats.get("newsagg/warc/records", 0)),
        "pages": int(stats.get("newsagg/warc/pages", 0)),
        "skipped": _figures(stats, "newsagg/warc/skipped/"),
        "damaged": _figures(stats, "newsagg/warc/damaged/"),
    }


@ingest_app.command("warc")
def ingest_warc(
    sources: Annotated[
        list[str], typer.Argument(help="WARC files (.warc or .warc.gz), folders of them, or - for standard input.")
    ],
    registry: Annotated[Path | None, typer.Option(help="Outlet registry YAML (default settings/sources.yaml).")] = None,
    outlets: Annotated[
        str | None, typer.Option(help="Comma-separated outlet ids (or hosts of unregistered sites) to keep.")
    ] = None,
    story: Annotated[str | None, typer.Option(help="Keep only articles about these terms.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest publication date (YYYY-MM-DD, ISO, '2 days ago').")] = (
        None
    ),
    until: Annotated[str | None, typer.Option(help="Latest publication date.")] = None,
    again: Annotated[
        bool, typer.Option("--again", help="Read archives a finished ingest has read already (nothing is added twice).")
    ] = False,
    home: HomeOption = None,
    log_level: Annotated[LogLevel, typer.Option(help="Log level of the log file.", case_sensitive=False)] = (
        LogLevel.INFO
    ),
    progress: Annotated[bool | None, typer.Option(help="Live progress (default: on a terminal).")] = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", help="Summary as 'table' or 'json'.")] = (
        ReportFormat.table
    ),
    setting: SettingOption = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            help="Split the archives with other ingest processes of the run through this Redis "
            "(redis://host:port/db): each file is read by one process; dedupe is shared.",
            envvar="NEWSAGG_REDIS_URL",
        ),
    ] = None,
    run_id: Annotated[str | None, typer.Option(help="Distributed run id: processes of one ingest share it.")] = None,
) -> None:
    """Run every HTML response of the archives through extract, normalize, dedupe, index and stories.

    The outlet of a page is the registry's outlet for its host; other hosts are kept with the host as outlet.
    Damaged records are skipped and counted; an archive a finished ingest read is skipped next time, and a
    killed ingest resumes each archive at its checkpoint.
    """

    missing = [s for s in sources if s != "-" and not Path(s).exists()]
    if missing:
        raise fail("no such file or folder: " + ", ".join(missing), ExitCode.usage)
    if sources.count("-") > 1:
        raise fail("standard input (-) can be read once", ExitCode.usage)
    overrides: dict[str, object] = {"NEWSAGG_HOME": str(home) if home else None, "LOG_LEVEL": log_level.value}
    # no archive of the archive; with Redis, the processes split the files (never the requests: they carry
    # whole pages) and share dedupe state
    overrides.update({"NEWSAGG_REDIS_URL": "", "NEWSAGG_WARC_DIR": ""})
    use_redis(redis_url, run_id, overrides)
    use_registry(registry, overrides)
    if progress is not None:
        overrides["NEWSAGG_PROGRESS"] = progress
    overrides.update(parse_settings(setting))
    config = home_settings(None, overrides)
    spider_args = {
        "sources": [str(Path(s).resolve()) if s != "-" else s for s in sources],
        "again": again,
        "outlets": outlets,
        "story": story,
        "since": since,
        "until": until,
    }
    summary = run_checked(config, spider_args, overrides, spider="warc")
    figures = {**summary.as_dict(), "archives": archive_figures(summary.stats)}
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    else:
        print_crawl_summary(summary, "Ingest")
        archives = figures["archives"]
        console.print(
            f"  archives: {archives['files_read']} read ({archives['files_resumed']} resumed at a checkpoint), "
            f"{archives['files_already_ingested']} already ingested; "
            f"{archives['records']} records, {archives['pages']} HTML pages"
        )
        for label in ("skipped", "damaged"):
            if archives[label]:
                console.print(
                    f"  records {label}: " + escape(", ".join(f"{k}={v}" for k, v in archives[label].items()))
                )
    problems = incomplete_because(figures)
    if problems:
        raise fail("ingest incomplete: " + "; ".join(problems), ExitCode.error)
