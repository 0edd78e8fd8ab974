"""Crawl run records: one row per crawl process, per-outlet figures per run, and scheduler events.

A run is written when the spider opens (status ``running``) and completed when it closes (``finished``,
``interrupted`` after SIGTERM/SIGINT, ``failed`` otherwise). A process killed outright (SIGKILL, OOM killer,
power loss) never completes its row: :func:`effective_status` reports such a row as ``interrupted`` once its
process is gone (same host) or its heartbeat went stale (any host), so ``runs list`` never shows a ghost
crawl as still running. Per-outlet figures are written only at the end of a run: a half-done run must not
feed the health history (see :mod:`newsagg.state.health`).
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import re
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from newsagg.secrets import MASK, redact_value, remember
from newsagg.state.db import open_state_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started_utc TEXT NOT NULL,
    ended_utc TEXT,
    heartbeat_utc TEXT,
    status TEXT NOT NULL,
    finish_reason TEXT,
    pid INTEGER,
    host TEXT,
    job TEXT,
    command TEXT,
    outlets TEXT,
    counts TEXT,
    errors TEXT,
    settings TEXT,
    log_file TEXT
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_utc);
CREATE TABLE IF NOT EXISTS run_outlets (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    outlet_id TEXT NOT NULL,
    figures TEXT NOT NULL,
    PRIMARY KEY (run_id, outlet_id)
);
CREATE INDEX IF NOT EXISTS run_outlets_outlet ON run_outlets (outlet_id);
CREATE TABLE IF NOT EXISTS schedule_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_utc TEXT NOT NULL,
    job TEXT,
    event TEXT NOT NULL,
    run_id TEXT,
    detail TEXT,
    pid INTEGER,
    host TEXT
);
"""

STATUSES = ("running", "finished", "failed", "interrupted")
#: Scrapy finish reasons that mean "the crawl did what it was asked": CLOSESPIDER_* limits are the user's own.
_FINISHED_REASONS = {
    "finished",
    "closespider_timeout",
    "closespider_itemcount",
    "closespider_pagecount",
    "closespider_timeout_no_item",
}
_INTERRUPTED_REASONS = {"shutdown"}  # SIGTERM / SIGINT: Scrapy's graceful shutdown
#: A running row whose heartbeat is older than this is reported interrupted (its process is gone or hung).
STALE_AFTER_SECONDS = 600
#: The fields whose presence is counted per outlet (``OutletFigures.with_<field>``) and judged by source health.
COMPLETENESS_FIELDS = ("title", "published", "author", "text")
_SECRET_KEY = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|CREDENTIAL|AUTH", re.IGNORECASE)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """Sortable by start time, unique across processes and hosts: ``20261127T140512Z-3fa9c1``."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def status_for(reason: str | None) -> str:
    if reason in _FINISHED_REASONS:
        return "finished"
    if reason in _INTERRUPTED_REASONS:
        return "interrupted"
    return "failed"


def redact_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Settings as recorded with a run: secrets never reach the state file (passwords, API keys, tokens and the
    password part of URLs such as ``redis://:pw@host``).

    Secret-named values and URL passwords are handed to :func:`newsagg.secrets.remember`, so the masking of
    :func:`newsagg.secrets.redact_value` catches them wherever else they appear (another setting, the command
    line recorded with the run, the log)."""
    for key, value in settings.items():
        if not isinstance(value, str):
            continue
        if _SECRET_KEY.search(key) and not key.endswith("_FILE"):  # *_FILE names a path, not the secret
            remember(value)
        elif "@" in value and "://" in value:
            with contextlib.suppress(ValueError):  # not a URL: the masking of user:password@ still applies
                remember(urlsplit(value).password)
    return redact_value({key: MASK if value and _SECRET_KEY.search(key) else value for key, value in settings.items()})


@dataclass
class OutletFigures:
    """What one run saw of one outlet. Shares are computed by the readers (health), counts are stored."""

    pages: int = 0  # 2xx responses
    not_modified: int = 0  # 304 responses (conditional GET: nothing new)
    articles: int = 0  # items scraped (stored or updated)
    extraction_failures: int = 0  # fetched pages dropped as not-an-article, or failed in a pipeline
    filtered: int = 0  # articles dropped by the story focus / time window (not failures)
    with_title: int = 0
    with_published: int = 0
    with_author: int = 0
    with_text: int = 0
    newest_published_utc: float | None = None
    http_errors: dict[str, int] = field(default_factory=dict)  # status -> final responses >= 400
    download_errors: dict[str, int] = field(default_factory=dict)  # exception type -> count (after retries)
    robots_blocked: int = 0
    policy_blocked: int = 0  # refused by our own policy besides robots.txt (private address guard)
    unchanged: int = 0  # articles known and confirmed unchanged (304) or not due (incremental crawling)
    listings_fresh: int = 0  # feeds, sitemaps, section pages answered 200 (something may be new)
    listings_not_modified: int = 0  # ... answered 304 (nothing new listed)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutletFigures:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def http_error_count(self) -> int:
        return sum(self.http_errors.values())

    @property
    def download_error_count(self) -> int:
        return sum(self.download_errors.values())

    @property
    def yield_(self) -> int:
        """Articles this run accounted for: found, or known and confirmed unchanged."""
        return self.articles + self.unchanged

    def completeness(self) -> dict[str, float | None]:
        """Share of the articles with each of :data:`COMPLETENESS_FIELDS` (``with_<field>`` / ``articles``)."""
        n = self.articles
        return {name: round(getattr(self, f"with_{name}") / n, 3) if n else None for name in COMPLETENESS_FIELDS}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


class RunLog:
    """Reads and writes run records in the state database (see :func:`newsagg.state.open_state_db`)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(SCHEMA)

    @classmethod
    def open(cls, home: Any = None) -> RunLog:
        return cls(open_state_db(home, SCHEMA))  # damage surfaces here as StateError, not in a later query

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------------------------
    def start(
        self,
        run_id: str,
        *,
        command: list[str],
        outlets: list[str],
        settings: Mapping[str, Any],
        job: str | None = None,
        log_file: str | None = None,
    ) -> str:
        """Insert a ``running`` row; an id already taken (a reused NEWSAGG_RUN_ID) gets a fresh suffix."""
        now = utc_now()
        recorded = redact_settings(settings)  # first: it teaches the redaction any secret the command line repeats
        for attempt in range(5):
            candidate = run_id if attempt == 0 else f"{run_id}-{secrets.token_hex(2)}"
            try:
                self.db.execute(
                    "INSERT INTO runs (id, started_utc, heartbeat_utc, status, pid, host, job, command, outlets, "
                    "counts, errors, settings, log_file) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, '{}', '{}', ?, ?)",
                    (
                        candidate,
                        now,
                        now,
                        os.getpid(),
                        socket.gethostname(),
                        job,
                        _json(redact_value(command)),
                        _json(outlets),
                        _json(recorded),
                        log_file,
                    ),
                )
                return candidate
            except sqlite3.IntegrityError:
                continue
        raise RuntimeError(f"cannot record run {run_id!r}: id taken")

    def heartbeat(self, run_id: str, counts: Mapping[str, Any], errors: Mapping[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET heartbeat_utc = ?, counts = ?, errors = ? WHERE id = ?",
            (utc_now(), _json(counts), _json(errors), run_id),
        )

    def finish(
        self,
        run_id: str,
        *,
        reason: str,
        counts: Mapping[str, Any],
        errors: Mapping[str, Any],
        outlets: Mapping[str, OutletFigures],
    ) -> str:
        status = status_for(reason)
        now = utc_now()
        with self.db:  # one transaction: a reader never sees a finished run without its outlet figures
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE runs SET ended_utc = ?, heartbeat_utc = ?, status = ?, finish_reason = ?, counts = ?, "
                "errors = ? WHERE id = ?",
                (now, now, status, reason, _json(counts), _json(errors), run_id),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO run_outlets (run_id, outlet_id, figures) VALUES (?, ?, ?)",
                [(run_id, outlet_id, _json(f.as_dict())) for outlet_id, f in outlets.items()],
            )
        return status

    def event(
        self,
        event: str,
        *,
        job: str | None = None,
        run_id: str | None = None,
        detail: Mapping[str, Any] | str | None = None,
    ) -> None:
        text = detail if isinstance(detail, str) or detail is None else _json(detail)
        self.db.execute(
            "INSERT INTO schedule_events (time_utc, job, event, run_id, detail, pid, host) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), job, event, run_id, text, os.getpid(), socket.gethostname()),
        )

    # --- reading --------------------------------------------------------------------------------------
    def list(self, limit: int = 20, job: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM runs" + (" WHERE job = ?" if job else "") + " ORDER BY started_utc DESC, id DESC LIMIT ?"
        params: tuple[Any, ...] = (job, limit) if job else (limit,)
        return [_run_dict(row) for row in self.db.execute(sql, params)]

    def get(self, run_id: str) -> dict[str, Any] | None:
        """A run by id, unique id prefix, or ``latest``; with its per-outlet figures."""
        if run_id == "latest":
            rows = self.db.execute("SELECT * FROM runs ORDER BY started_utc DESC, id DESC LIMIT 1").fetchall()
        else:
            rows = (
                self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchall()
                or self.db.execute(
                    "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (_like_prefix(run_id),)
                ).fetchall()
            )
        if len(rows) != 1:
            return None
        run = _run_dict(rows[0])
        run["outlets"] = {
            row["outlet_id"]: json.loads(row["figures"])
            for row in self.db.execute(
                "SELECT outlet_id, figures FROM run_outlets WHERE run_id = ? ORDER BY outlet_id", (run["id"],)
            )
        }
        return run

    def outlet_history(self, limit_runs: int = 10) -> dict[str, builtins.list[tuple[dict[str, Any], OutletFigures]]]:
        """Per outlet, its figures from the last ``limit_runs`` *finished* runs that crawled it, oldest first."""
        rows = self.db.execute(
            "SELECT r.id, r.started_utc, r.ended_utc, r.job, o.outlet_id, o.figures FROM run_outlets o "
            "JOIN runs r ON r.id = o.run_id WHERE r.status = 'finished' ORDER BY r.started_utc DESC, r.id DESC"
        )
        history: dict[str, builtins.list[tuple[dict[str, Any], OutletFigures]]] = {}
        for row in rows:
            runs = history.setdefault(row["outlet_id"], [])
            if len(runs) < limit_runs:
                run = {
                    "id": row["id"],
                    "started_utc": row["started_utc"],
                    "ended_utc": row["ended_utc"],
                    "job": row["job"],
                }
                runs.append((run, OutletFigures.from_dict(json.loads(row["figures"]))))
        return {outlet: list(reversed(runs)) for outlet, runs in history.items()}

    def events(self, limit: int = 50, job: str | None = None) -> builtins.list[dict[str, Any]]:
        sql = "SELECT * FROM schedule_events" + (" WHERE job = ?" if job else "") + " ORDER BY id DESC LIMIT ?"
        params: tuple[Any, ...] = (job, limit) if job else (limit,)
        out = []
        for row in self.db.execute(sql, params):
            event = dict(row)
            with contextlib.suppress(ValueError):
                event["detail"] = json.loads(event["detail"]) if event["detail"] else None
            out.append(event)
        return out


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _run_dict(row: sqlite3.Row) -> dict[str, Any]:
    run = dict(row)
    for key in ("command", "outlets", "counts", "errors", "settings"):
        run[key] = json.loads(run[key]) if run.get(key) else None
    run["recorded_status"] = run["status"]
    run["status"] = effective_status(run)
    return run


def effective_status(run: Mapping[str, Any], *, now: float | None = None) -> str:
    """``running`` only while the crawl process can still be running: on this host its pid must be alive; on
    any host its heartbeat must be recent. Otherwise it was killed (SIGKILL, OOM, reboot): ``interrupted``."""
    if run["status"] != "running":
        return str(run["status"])
    beat = run.get("heartbeat_utc") or run.get("started_utc")
    age = (now or time.time()) - datetime.fromisoformat(beat).timestamp() if beat else float("inf")
    if age > STALE_AFTER_SECONDS:
        return "interrupted"
    if run.get("host") == socket.gethostname() and run.get("pid") and not pid_alive(int(run["pid"])):
        return "interrupted"
    return "running"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still answers kill(0): read its state where /proc exists."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def duration_seconds(run: Mapping[str, Any]) -> float | None:
    end = run.get("ended_utc") or (run.get("heartbeat_utc") if run.get("status") != "running" else None)
    if not run.get("started_utc"):
        return None
    stop = datetime.fromisoformat(end).timestamp() if end else time.time()
    return round(stop - datetime.fromisoformat(run["started_utc"]).timestamp(), 1)


def summarize(runs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for ``runs list``: the figures people scan for."""
    rows = []
    for run in runs:
        counts = run.get("counts") or {}
        rows.append(
            {
                "id": run["id"],
                "status": run["status"],
                "job": run.get("job"),
                "started_utc": run["started_utc"],
                "ended_utc": run.get("ended_utc"),
                "seconds": duration_seconds(run),
                "outlets": len(run.get("outlets") or []),
                "pages": counts.get("pages", 0),
                "articles": counts.get("articles", 0),
                "inserted": counts.get("inserted", 0),
                "updated": counts.get("updated", 0),
                "errors": sum((run.get("errors") or {}).values()),
                "finish_reason": run.get("finish_reason"),
                "pid": run.get("pid"),
                "host": run.get("host"),
            }
        )
    return rows
