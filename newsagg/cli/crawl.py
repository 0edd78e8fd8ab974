"""``newsagg crawl``: crawl the registered outlets into the store, cluster stories, print a summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.options import (
    ExitCode,
    HomeOption,
    LogFormat,
    LogLevel,
    ReportFormat,
    SettingOption,
    fail,
    home_settings,
    parse_settings,
    require_writable_home,
    use_redis,
    use_registry,
)
from newsagg.cli.output import console

if TYPE_CHECKING:
    from crawler.process import CrawlSummary
    from newsagg.config import Config


def print_crawl_summary(summary: CrawlSummary, what: str = "Crawl") -> None:
    figures = summary.as_dict()
    console.print(
        f"[bold]{what} finished[/] in {figures['seconds']}s: {figures['pages']} pages, {figures['articles']} articles "
        f"({figures['inserted']} new, {figures['updated']} updated, {figures['unchanged']} unchanged), "
        f"{sum(figures['duplicates'].values())} duplicates, {figures['stories_touched']} stories touched"
    )
    for label in ("skipped", "errors", "duplicates"):
        if figures[label]:
            console.print(f"  {label}: " + escape(", ".join(f"{k}={v}" for k, v in figures[label].items())))
    if figures["spooled"]:
        console.print(f"  [yellow]{figures['spooled']} articles spooled[/] (store unavailable); replayed next run")
    if figures["log_file"]:
        console.print(f"  log: {escape(figures['log_file'])}")


def crawl(
    registry: Annotated[Path | None, typer.Option(help="Outlet registry YAML (default settings/sources.yaml).")] = None,
    outlets: Annotated[str | None, typer.Option(help="Comma-separated outlet ids to crawl (default: all).")] = None,
    story: Annotated[str | None, typer.Option(help="Keep only articles about these terms.")] = None,
    seed_url: Annotated[str | None, typer.Option(help="Keep only articles about the story of this article.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest publication date (YYYY-MM-DD, ISO, '2 days ago').")] = (
        None
    ),
    until: Annotated[str | None, typer.Option(help="Latest publication date.")] = None,
    home: HomeOption = None,
    log_level: Annotated[
        LogLevel, typer.Option(help="Log level of the crawl log file.", case_sensitive=False)
    ] = LogLevel.INFO,
    progress: Annotated[bool | None, typer.Option(help="Live progress (default: on a terminal).")] = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", help="Summary as 'table' or 'json'.")] = (
        ReportFormat.table
    ),
    setting: SettingOption = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            help="Share the frontier and dupe filter with other crawl "
            "processes through this Redis (redis://host:port/db).",
            envvar="NEWSAGG_REDIS_URL",
        ),
    ] = None,
    run_id: Annotated[str | None, typer.Option(help="Distributed run id: processes of one crawl share it.")] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Fetch everything again (no conditional GET, no skipping "
            "of known articles); the fetch state is still updated.",
        ),
    ] = False,
    log_format: Annotated[
        LogFormat | None,
        typer.Option(
            "--log-format",
            help="Crawl log as 'text' or 'json' (one object per line).",
            envvar="NEWSAGG_LOG_FORMAT",
            case_sensitive=False,
        ),
    ] = None,
    warc: Annotated[
        Path | None,
        typer.Option(
            "--warc",
            help="Archive every fetched response with its request as rotating .warc.gz files in this folder "
            "(NEWSAGG_WARC_DIR).",
        ),
    ] = None,
) -> None:
    """Crawl the registered outlets into the store, cluster stories, print a summary."""

    overrides: dict[str, object] = {"NEWSAGG_HOME": str(home) if home else None, "LOG_LEVEL": log_level.value}
    if full:
        overrides["NEWSAGG_INCREMENTAL"] = False
    if log_format:
        overrides["NEWSAGG_LOG_FORMAT"] = log_format.value
    if warc:
        overrides["NEWSAGG_WARC_DIR"] = str(warc)
    use_registry(registry, overrides)
    if progress is not None:
        overrides["NEWSAGG_PROGRESS"] = progress
    use_redis(redis_url, run_id, overrides)
    overrides.update(parse_settings(setting))
    config = home_settings(None, overrides)  # a bad or unknown NEWSAGG_* setting: usage error, nothing run
    if overrides.get("NEWSAGG_LOG_FORMAT"):
        from newsagg.logs import check_format

        try:
            overrides["NEWSAGG_LOG_FORMAT"] = check_format(str(overrides["NEWSAGG_LOG_FORMAT"]))
        except ValueError as exc:
            raise fail(str(exc), ExitCode.usage) from exc
    summary = run_checked(
        config,
        {"outlets": outlets, "story": story, "seed_url": seed_url, "since": since, "until": until},
        overrides,
    )
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(summary.as_dict(), indent=2) + "\n")
    else:
        print_crawl_summary(summary)
    problems = incomplete_because(summary.as_dict())
    if problems:
        raise fail("crawl incomplete: " + "; ".join(problems), ExitCode.error)


def run_checked(
    config: Config, spider_args: dict[str, Any], overrides: dict[str, Any], spider: str = "news"
) -> CrawlSummary:
    """Run a spider after the checks every run makes first: a readable time window (usage error), a writable
    home and a readable fetch state (exit 1 before anything is fetched); a store the run can never write to
    (an engine of a major the client cannot speak) ends it with the server's reason, nothing spooled."""
    from crawler.process import run_crawl
    from newsagg.state.db import StateError, check_state
    from newsagg.storage import StorageError

    if spider_args.get("since") or spider_args.get("until"):
        from newsagg.focus import parse_when

        try:
            parse_when(spider_args.get("since"))
            parse_when(spider_args.get("until"))
        except ValueError as exc:
            raise fail(str(exc), ExitCode.usage) from exc
    require_writable_home(config)
    try:
        check_state(config.store.home)
    except StateError as exc:
        raise fail(str(exc), ExitCode.error) from exc
    try:
        return run_crawl(spider_args, overrides, spider=spider)
    except StorageError as exc:
        raise fail(str(exc), ExitCode.error) from exc


#: Error counters that mean the crawl itself failed at something, as opposed to a site answering badly (a 404,
#: a timeout: counted and reported, but the crawl did its job).
INTERNAL_FAILURES = {
    "unsaved": "articles neither stored nor spooled (lost: crawl them again)",
    "spool_failed": "the spool could not be written",
    "store_unavailable_at_start": "the store was unavailable when the crawl started",
    "store_failed": "the store failed on a batch",
    "extraction_failed": "extraction failed on pages",
    "warc_failed": "responses could not be written to the WARC archive",
}


def incomplete_because(figures: dict[str, Any]) -> list[str]:
    """Why a finished crawl must not exit 0: something collected did not reach the store, or a stage failed.

    Spooled articles are safe on disk but not searchable yet: the run is partial until ``newsagg index replay``
    (or the next crawl) writes them, so it says so and exits 1 rather than pretending all is stored."""
    problems = [
        f"{text} ({figures['errors'][key]})" for key, text in INTERNAL_FAILURES.items() if figures["errors"].get(key)
    ]
    if figures.get("spooled"):
        problems.append(f"{figures['spooled']} articles spooled, not in the store yet: run `newsagg index replay`")
    return problems
