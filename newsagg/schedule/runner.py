"""Running scheduled crawl jobs: APScheduler for *when*, a ``newsagg crawl`` subprocess for *what*.

Each run is a child process because Scrapy's Twisted reactor cannot be restarted within a process; it also
means a crawl that leaks memory or crashes takes nothing else down. The scheduler:

- holds the job's :class:`~newsagg.schedule.lock.JobLock` for the whole run and hands it to the child, so a
  job never overlaps itself, whether the other run comes from this scheduler, a second scheduler or a manual
  ``newsagg schedule --once --job NAME``; a run that finds the lock held is skipped and recorded
  (``skipped_locked``, see ``newsagg runs events``);
- on SIGTERM or SIGINT stops scheduling, forwards one SIGTERM to the running crawls (Scrapy then closes
  gracefully: in-flight requests finish, pipelines flush, the run is recorded as ``interrupted``), waits for
  them and exits 0. A second signal is forwarded again, which makes Scrapy stop at once. The children run in
  their own session, so a Ctrl-C on the terminal reaches them only once, through the scheduler;
- chooses the run id, so the scheduler's log line, the crawl's log file and JSON lines and the run record
  (``newsagg runs show ID``) all carry the same id.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from newsagg.schedule.config import JobSpec, ScheduleConfig
from newsagg.schedule.lock import JobLock
from newsagg.state.runs import RunLog, new_run_id

logger = logging.getLogger("newsagg.schedule")
#: After a job's own timeout (CLOSESPIDER_TIMEOUT) the crawl gets this long to close before SIGTERM, then SIGKILL.
HARD_STOP_GRACE_SECONDS = 300.0
KILL_GRACE_SECONDS = 120.0


@dataclass
class JobOutcome:
    job: str
    outcome: str  # finished | interrupted | failed | skipped_locked | skipped_stopping
    run_id: str | None = None
    exit_code: int | None = None
    summary: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("finished", "interrupted", "skipped_locked", "skipped_stopping")


class JobRunner:
    """Runs one job at a time per call (thread-safe: APScheduler calls it from its worker threads)."""

    def __init__(self, config: ScheduleConfig, home: Path, log_format: str = "text") -> None:
        self.config = config
        self.home = home
        self.log_format = log_format
        self.stopping = threading.Event()
        self._children: set[subprocess.Popen[str]] = set()
        # re-entrant: the signal handler takes it on the main thread, which may hold it (--once) when interrupted
        self._children_lock = threading.RLock()
        self._signals = 0
        # A signal handled on the spawning thread (the main one, --once) between Popen and registering the child
        # would find no child to forward to: the handler counts it here and the spawner forwards it.
        self._spawner: int | None = None
        self._deferred = 0

    # --- state records (never fatal: the scheduler outlives a locked or full state file) ---------------
    def event(self, event: str, job: str | None = None, run_id: str | None = None, **detail: Any) -> None:
        try:
            with RunLog.open(self.home) as log:
                log.event(event, job=job, run_id=run_id, detail=detail or None)
        except Exception as exc:
            logger.warning("event %s of job %s not recorded: %s", event, job, exc)

    def _run_status(self, run_id: str) -> str | None:
        try:
            with RunLog.open(self.home) as log:
                run = log.get(run_id)
        except Exception:
            return None
        return run["status"] if run else None

    # --- one job --------------------------------------------------------------------------------------
    def crawl_argv(self, job: JobSpec, run_id: str, outlets: list[str]) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "newsagg.cli",
            "crawl",
            "--home",
            str(self.home),
            "--registry",
            job.registry,
            "--outlets",
            ",".join(outlets),
            "--format",
            "json",
            "--no-progress",
            "--log-level",
            job.log_level,
        ]
        for option, value in (("--story", job.story), ("--since", job.since), ("--until", job.until)):
            if value:
                argv += [option, value]
        settings = {
            **job.settings,
            "NEWSAGG_RUN_ID": run_id,
            "NEWSAGG_JOB": job.name,
            "NEWSAGG_LOG_FORMAT": job.log_format or self.log_format,
        }
        if job.timeout_seconds:
            settings["CLOSESPIDER_TIMEOUT"] = f"{job.timeout_seconds:g}"
        for key, value in settings.items():
            argv += ["--set", f"{key}={value}"]
        return argv

    def run(self, job: JobSpec) -> JobOutcome:
        context = {"job": job.name}
        if self.stopping.is_set():
            return JobOutcome(job.name, "skipped_stopping")
        lock = JobLock.for_job(self.home, job.name)
        if not lock.acquire(job=job.name):
            holder = lock.holder() or {}
            logger.warning(
                "job %s skipped: locked by pid %s on %s since %s (run %s)",
                job.name,
                holder.get("pid"),
                holder.get("host"),
                holder.get("since"),
                holder.get("run_id"),
                extra=context,
            )
            self.event("skipped_locked", job.name, holder=holder)
            return JobOutcome(job.name, "skipped_locked")
        try:
            return self._run_locked(job, lock)
        finally:
            lock.release()
            self.prune_logs()

    def _run_locked(self, job: JobSpec, lock: JobLock) -> JobOutcome:
        run_id = new_run_id()
        context = {"job": job.name, "run_id": run_id}
        try:
            outlets = job.resolve_outlets()
        except ValueError as exc:  # the registry changed under us since start-up
            logger.error("job %s not run: %s", job.name, exc, extra=context)
            self.event("job_failed", job.name, run_id, error=str(exc))
            return JobOutcome(job.name, "failed", run_id)
        argv = self.crawl_argv(job, run_id, outlets)
        lock.update(run_id=run_id)
        started = time.monotonic()
        with self._children_lock:
            if self.stopping.is_set():
                return JobOutcome(job.name, "skipped_stopping")
            self._spawner = threading.get_ident()
            try:
                # pass_fds: the crawl holds the job lock too, so it stays locked even if this scheduler dies
                child = subprocess.Popen(
                    argv,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                    pass_fds=(lock.fd,) if lock.fd is not None else (),
                )
                self._children.add(child)
            finally:
                self._spawner = None
            deferred, self._deferred = self._deferred, 0
            for _ in range(deferred):
                child.send_signal(signal.SIGTERM)
        logger.info(
            "job %s started: run %s, %d outlets, pid %d", job.name, run_id, len(outlets), child.pid, extra=context
        )
        self.event("job_started", job.name, run_id, outlets=outlets, pid=child.pid)
        try:
            out, err = self._wait(child, job)
        finally:
            with self._children_lock:
                self._children.discard(child)
        seconds = round(time.monotonic() - started, 1)
        summary: dict[str, Any] | None = None
        try:
            summary = json.loads(out) if out.strip() else None
        except ValueError:
            summary = None
        status = self._outcome(run_id, child.returncode)
        outcome = JobOutcome(job.name, status, run_id, child.returncode, summary)
        figures = {k: summary.get(k) for k in ("pages", "articles", "inserted", "updated")} if summary else {}
        message = ", ".join(f"{k} {v}" for k, v in figures.items())
        if outcome.ok:
            logger.info(
                "job %s %s: run %s in %ss (%s)",
                job.name,
                status,
                run_id,
                seconds,
                message or "no summary",
                extra=context,
            )
        else:
            tail = (err or "").strip().splitlines()[-5:]
            logger.error(
                "job %s failed: run %s exit %s in %ss: %s",
                job.name,
                run_id,
                child.returncode,
                seconds,
                " | ".join(tail) or "no output",
                extra=context,
            )
        self.event(
            "job_finished", job.name, run_id, status=status, exit_code=child.returncode, seconds=seconds, **figures
        )
        return outcome

    def _outcome(self, run_id: str, exit_code: int) -> str:
        """The run's status; a crawl that exited non-zero without being told to stop failed (crashed, OOM-killed,
        killed after overrunning its timeout), even though its record reads ``interrupted``."""
        recorded = self._run_status(run_id)
        if exit_code == 0:
            return recorded or "finished"
        if self.stopping.is_set() and recorded != "failed":
            return "interrupted"  # SIGTERM forwarded by us; it may have died before recording its run
        return "failed"

    def _wait(self, child: subprocess.Popen[str], job: JobSpec) -> tuple[str, str]:
        deadline = job.timeout_seconds + HARD_STOP_GRACE_SECONDS if job.timeout_seconds else None
        try:
            return child.communicate(timeout=deadline)
        except subprocess.TimeoutExpired:
            logger.error("job %s: crawl pid %d overran its timeout; sending SIGTERM", job.name, child.pid)
            child.send_signal(signal.SIGTERM)
            try:
                return child.communicate(timeout=KILL_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                logger.error("job %s: crawl pid %d did not stop; killing it", job.name, child.pid)
                child.kill()
                return child.communicate()

    # --- stopping -------------------------------------------------------------------------------------
    def request_stop(self, signum: int) -> None:
        """Stop scheduling; forward SIGTERM to running crawls (a second request forwards it again: Scrapy then
        stops without waiting)."""
        self._signals += 1
        self.stopping.set()
        if self._spawner == threading.get_ident():  # interrupted this thread mid-spawn: the spawner forwards it
            self._deferred += 1
            children = []
        else:
            with self._children_lock:  # (on another thread: waits for a spawn in progress to register its child)
                children = list(self._children)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)  # a no-op once the child was reaped
        name = signal.Signals(signum).name if signum else "stop"
        logger.warning(
            "%s received (%d): %s",
            name,
            self._signals,
            f"letting {len(children)} crawl(s) close gracefully" if self._signals == 1 else "crawls told to stop now",
        )

    def prune_logs(self) -> None:
        """Delete crawl logs older than ``keep_logs_days`` (unattended crawls must not fill the disk)."""
        if not self.config.keep_logs_days:
            return
        cutoff = time.time() - self.config.keep_logs_days * 86400
        for path in (self.home / "logs").glob("crawl-*.log"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue


class Scheduler:
    """The long-running ``newsagg schedule`` process (or one pass over the jobs with ``once``)."""

    def __init__(self, config: ScheduleConfig, home: Path, log_format: str = "text") -> None:
        self.config = config
        self.home = home
        self.runner = JobRunner(config, home, log_format)
        self.stop_event = threading.Event()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.runner.request_stop(signum)
        self.stop_event.set()

    def _install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def once(self, only: str | None = None) -> int:
        """Run every job (or ``only``) once now, one after the other; exit 1 if a crawl failed."""
        self._install_signals()
        jobs = [self.config.job(only)] if only else list(self.config.jobs)
        self.runner.event("scheduler_once", jobs=[j.name for j in jobs], pid=os.getpid())
        outcomes = [self.runner.run(job) for job in jobs]
        return 0 if all(o.ok for o in outcomes) else 1

    def serve(self) -> int:
        from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        self._install_signals()
        # APScheduler's own INFO lines ("Running job ...") repeat ours; its warnings are re-logged by on_event
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = BackgroundScheduler(
            timezone=self.config.timezone,
            executors={"default": ThreadPoolExecutor(self.config.max_parallel)},
            # coalesce: after a pause (laptop asleep, long crawl) run a job once, not once per missed slot
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.config.misfire_grace_seconds),
            },
        )

        def on_event(event: JobEvent) -> None:
            kind = {
                EVENT_JOB_MISSED: "missed",
                EVENT_JOB_MAX_INSTANCES: "skipped_running",
                EVENT_JOB_ERROR: "job_error",
            }.get(event.code, str(event.code))
            times = getattr(event, "scheduled_run_times", None) or [None]
            when = getattr(event, "scheduled_run_time", None) or times[0]
            detail = {"scheduled": when.isoformat() if when else None}
            if getattr(event, "exception", None) is not None:
                detail["error"] = repr(event.exception)
            logger.warning("job %s %s (%s)", event.job_id, kind.replace("_", " "), detail, extra={"job": event.job_id})
            self.runner.event(kind, event.job_id, **detail)

        scheduler.add_listener(on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR)
        for job in self.config.jobs:
            trigger = (
                CronTrigger.from_crontab(job.cron, timezone=self.config.timezone)
                if job.cron
                else IntervalTrigger(seconds=job.every_seconds, timezone=self.config.timezone)
            )
            extra: dict[str, Any] = {}
            if job.run_at_start:
                extra["next_run_time"] = datetime.now(UTC)
            scheduler.add_job(self.runner.run, trigger, args=[job], id=job.name, name=job.name, **extra)
        scheduler.start()
        for job in scheduler.get_jobs():
            logger.info(
                "job %s scheduled (%s), next run %s",
                job.id,
                self.config.job(job.id).when,
                job.next_run_time,
                extra={"job": job.id},
            )
        self.runner.event(
            "scheduler_started", pid=os.getpid(), config=self.config.source, jobs=[j.name for j in self.config.jobs]
        )
        while not self.stop_event.wait(1.0):
            pass
        logger.info("stopping: no new runs; waiting for running crawls")
        scheduler.shutdown(wait=True)
        self.runner.event("scheduler_stopped", pid=os.getpid())
        logger.info("scheduler stopped")
        return 0
