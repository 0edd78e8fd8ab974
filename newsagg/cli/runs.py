"""``newsagg runs``: the record of every crawl run (``list``, ``show``) and of the scheduler (``events``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from newsagg.cli.options import ExitCode, FormatOption, HomeOption, fail, home_settings
from newsagg.cli.output import ListFormat, console, emit

if TYPE_CHECKING:
    from newsagg.state.runs import RunLog

runs_app = typer.Typer(help="Crawl runs: when, how long, what they fetched, how they ended.", no_args_is_help=True)
STATUS_STYLE = {"finished": "green", "running": "cyan", "interrupted": "yellow", "failed": "red"}


def open_runs(home: Path | None, settings: Any = None) -> RunLog:
    """The run log of ``home`` (resolved as every command does: --home, NEWSAGG_HOME, settings file, default)."""
    from newsagg.state.db import StateError, check_state
    from newsagg.state.runs import RunLog

    if settings is None:
        settings = home_settings(home)
    try:
        check_state(settings.store.home)
        return RunLog.open(settings.store.home)
    except StateError as exc:
        raise fail(str(exc), ExitCode.error) from exc


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option(min=1, help="Most recent runs to show.")] = 20,
    job: Annotated[str | None, typer.Option(help="Only runs of this scheduler job.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Recent crawl runs, newest first. A run whose process was killed shows as interrupted."""
    from newsagg.state.runs import summarize

    with open_runs(home) as log:
        runs = log.list(limit=limit, job=job)
    rows = summarize(runs)
    if fmt == ListFormat.table:
        for row in rows:
            style = STATUS_STYLE.get(row["status"], "")
            row["status"] = Text(row["status"], style=style)
    emit(
        rows,
        [
            "id",
            "status",
            "job",
            "started_utc",
            "seconds",
            "outlets",
            "pages",
            "articles",
            "inserted",
            "updated",
            "errors",
            "finish_reason",
        ],
        fmt,
        title="Crawl runs",
    )


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="Run id, a unique prefix of it, or 'latest'.")],
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """One run: status, counts, errors, settings (secrets left out) and per-outlet figures."""
    from newsagg.state.runs import OutletFigures, duration_seconds

    with open_runs(home) as log:
        run = log.get(run_id)
    if run is None:
        raise fail(f"no run {run_id} (or the prefix is ambiguous); see 'newsagg runs list'", ExitCode.error)
    run["seconds"] = duration_seconds(run)
    rows = [_outlet_row(outlet, OutletFigures.from_dict(f)) for outlet, f in run["outlets"].items()]
    if fmt == ListFormat.table:
        style = STATUS_STYLE.get(run["status"], "")
        console.print(
            Text.assemble(
                (f"run {run['id']}", "bold"),
                "  ",
                (run["status"], style),
                f" ({run.get('finish_reason') or '-'})  job {run.get('job') or '-'}",
                f"  pid {run.get('pid')}@{run.get('host')}",
            )
        )
        console.print(escape(f"started {run['started_utc']}  ended {run.get('ended_utc') or '-'}  {run['seconds']}s"))
        counts = run.get("counts") or {}
        console.print(escape("counts: " + ", ".join(f"{k}={_short(v)}" for k, v in counts.items() if v not in ({}, 0))))
        if run.get("errors"):
            console.print(escape("errors: " + ", ".join(f"{k}={v}" for k, v in run["errors"].items())))
        if run.get("log_file"):
            console.print(f"log: {escape(run['log_file'])}")
        console.print(escape("command: " + " ".join(run.get("command") or [])))
    emit(
        rows,
        [
            "outlet",
            "pages",
            "not_modified",
            "articles",
            "extraction_failures",
            "title",
            "published",
            "author",
            "text",
            "http_errors",
            "download_errors",
            "robots_blocked",
        ],
        fmt,
        title="Per outlet",
        payload=run,
    )  # JSON: the whole run, figures as stored


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}:{v}" for k, v in value.items()) + "}"
    return str(value)


def _outlet_row(outlet: str, f: Any) -> dict[str, Any]:
    completeness = f.completeness()
    return {
        "outlet": outlet,
        "pages": f.pages,
        "not_modified": f.not_modified,
        "articles": f.articles,
        "extraction_failures": f.extraction_failures,
        **{k: (f"{v:.0%}" if v is not None else "") for k, v in completeness.items()},
        "http_errors": f.http_error_count,
        "download_errors": f.download_error_count,
        "robots_blocked": f.robots_blocked,
    }


@runs_app.command("events")
def runs_events(
    limit: Annotated[int, typer.Option(min=1)] = 50,
    job: Annotated[str | None, typer.Option(help="Only events of this job.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Scheduler events, newest first: job started/finished, skipped (locked), missed, scheduler start/stop."""
    with open_runs(home) as log:
        events = log.events(limit=limit, job=job)
    emit(events, ["time_utc", "job", "event", "run_id", "detail", "pid", "host"], fmt, title="Scheduler events")
