"""One SQLite file for the crawler's state; each state module declares its own tables.

WAL lets a ``newsagg runs list`` or ``sources health`` read while a crawl writes; the busy timeout lets a
scheduled crawl and a manual one share the file instead of failing on the first lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsagg.config import newsagg_home

BUSY_TIMEOUT_MS = 30_000


def state_path(home: str | Path | None = None) -> Path:
    return newsagg_home(home) / "state.sqlite"


def open_state_db(home: str | Path | None = None, schema: str = "") -> sqlite3.Connection:
    """Open (creating if needed) the state database and run ``schema`` (idempotent DDL) on it.

    Each caller passes the ``CREATE TABLE IF NOT EXISTS ...`` statements of the tables it owns, so modules
    stay independent and a new table never needs a central migration.
    """
    path = state_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    if schema:
        db.executescript(schema)
    return db
