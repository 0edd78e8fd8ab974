"""One SQLite file for the crawler's state; each state module declares its own tables.

WAL lets a ``newsagg runs list`` or ``sources health`` read while a crawl writes; the busy timeout lets a
scheduled crawl and a manual one share the file instead of failing on the first lock.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from newsagg.config import newsagg_home

BUSY_TIMEOUT_MS = 30_000


class StateError(RuntimeError):
    """The crawler state file cannot be used (damaged, not a database, unreadable); the message says how to
    recover. The state is a cache of what was fetched: moving the file aside costs one full crawl, never an
    article, since articles live in the store."""


def _damaged(path: Path, exc: BaseException) -> StateError:
    quoted, aside = shlex.quote(str(path)), shlex.quote(f"{path}.damaged")
    return StateError(
        f"crawler state {path} is unusable ({exc}). Recover: move it aside (mv {quoted} {aside}); "
        "the next crawl rebuilds it by fetching everything once, no article is lost"
    )


def state_path(home: str | Path | None = None) -> Path:
    return newsagg_home(home) / "state.sqlite"


def open_state_db(home: str | Path | None = None, schema: str = "") -> sqlite3.Connection:
    """Open (creating if needed) the state database and run ``schema`` (idempotent DDL) on it.

    Each caller passes the ``CREATE TABLE IF NOT EXISTS ...`` statements of the tables it owns, so modules
    stay independent and a new table never needs a central migration.
    """
    path = state_path(home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open crawler state {path}: {exc}") from exc
    try:
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if schema:
            db.executescript(schema)
    except sqlite3.DatabaseError as exc:
        db.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise StateError(f"crawler state {path} is locked by another process: {exc}") from exc
        raise _damaged(path, exc) from exc
    return db


def check_state(home: str | Path | None = None) -> None:
    """Raise :class:`StateError` when the state file exists and fails SQLite's quick integrity check.

    Run before a crawl starts, so a damaged file stops it with a clear message instead of a traceback half-way
    (a truncated file opens fine and fails on the first page it reads)."""
    path = state_path(home)
    if not path.exists():
        return
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _damaged(path, exc) from exc
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    finally:
        db.close()
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        raise _damaged(path, RuntimeError("; ".join(problems[:3])))
