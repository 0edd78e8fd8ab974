"""``newsagg schedule``: run crawl jobs on a schedule (see newsagg/schedule/ and docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsagg.cli.options import ExitCode, HomeOption, LogFormat, LogLevel, fail

DEFAULT_CONFIG = Path("schedule.yaml")


def schedule(
    config: Annotated[
        Path,
        typer.Option(
            "--config",
            "-c",
            help="Schedule file (YAML): jobs with an outlet group and a cron expression or interval.",
            envvar="NEWSAGG_SCHEDULE",
        ),
    ] = (DEFAULT_CONFIG),
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Run every job (or --job) once now and exit: for cron or systemd timers. Exit 1 if a crawl failed.",
        ),
    ] = False,
    job: Annotated[str | None, typer.Option("--job", help="With --once: only this job.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Validate the schedule file, print the jobs, exit.")] = False,
    home: HomeOption = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format",
            help="text, or json (one object per line, also passed to the crawls).",
            envvar="NEWSAGG_LOG_FORMAT",
            case_sensitive=False,
        ),
    ] = LogFormat.text,
    log_level: Annotated[
        LogLevel, typer.Option(help="Log level of the scheduler's own log (stderr).", case_sensitive=False)
    ] = LogLevel.INFO,
) -> None:
    """Run crawl jobs on their schedules until SIGTERM/SIGINT; a job never overlaps itself (file lock).

    On SIGTERM the running crawl closes gracefully (in-flight pages finish, the store is flushed) and the
    scheduler exits 0. Each run is recorded: 'newsagg runs list', 'newsagg runs events', 'newsagg sources health'.
    """
    from newsagg.config import newsagg_home
    from newsagg.logs import stderr_logging
    from newsagg.schedule import Scheduler, load_config

    fmt = log_format.value
    try:
        cfg = load_config(config)
        if job:
            cfg.job(job)
    except ValueError as exc:  # ScheduleConfigError: a bad file or an unknown job
        raise fail(str(exc), ExitCode.usage) from exc
    if job and not once:
        raise fail("--job goes with --once (the scheduler runs every job of the file)", ExitCode.usage)
    if check:
        for spec in cfg.jobs:
            typer.echo(f"{spec.name}: {spec.when}, outlets {','.join(spec.resolve_outlets())}")
        return
    stderr_logging(fmt, log_level.value, {"component": "scheduler"})
    scheduler = Scheduler(cfg, newsagg_home(home), fmt)
    raise typer.Exit(scheduler.once(job) if once else scheduler.serve())
