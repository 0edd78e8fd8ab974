"""Where each stored article's archived response is, which archives an ingest has finished, and how far an
unfinished ingest of an archive got (its checkpoint).

Both live in the crawler state file (``NEWSAGG_HOME/state.sqlite``), not in the article store: the pointer is
the same for every backend and needs no engine mapping change, and a re-fetch only moves a pointer, it does not
make the article "updated". One row per article: the record of its latest fetch (or of the archive it was
ingested from). Moving the state file aside loses the pointers, never the archives or the articles.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsagg.state.db import open_state_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS warc_pointers (
    article_id TEXT PRIMARY KEY,
    url TEXT,
    file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    recorded REAL
);
CREATE TABLE IF NOT EXISTS warc_ingested (
    file TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    records INTEGER,
    run_id TEXT,
    finished REAL
);
CREATE TABLE IF NOT EXISTS warc_checkpoints (
    file TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    offset INTEGER NOT NULL,
    run_id TEXT,
    saved REAL
);
"""


@dataclass(frozen=True)
class ArchiveIdentity:
    """An archive file as it is now: a checkpoint or a finished mark is only valid for the same path, size
    and modification time (a file rewritten or grown is read again)."""

    file: str
    size: int
    mtime: float

    @classmethod
    def of(cls, path: Path) -> ArchiveIdentity:
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime)

    @property
    def key(self) -> str:
        return f"{self.file}|{self.size}|{self.mtime!r}"


@dataclass(frozen=True)
class WarcPointer:
    """A WARC record: the file it is in and the byte offset its (gzip member or record) starts at."""

    file: str
    offset: int


class WarcPointers:
    """The pointer and ingest tables; safe to share between threads."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._lock = threading.Lock()

    @classmethod
    def open(cls, home: str | Path | None = None) -> WarcPointers:
        return cls(open_state_db(home, SCHEMA))

    def close(self) -> None:
        self.db.close()

    # --- article pointers -------------------------------------------------------------------------
    def record(self, rows: Iterable[tuple[str, str, WarcPointer]]) -> None:
        """``(article_id, url, pointer)`` rows, each replacing the article's previous pointer."""
        now = time.time()
        values = [(article_id, url, p.file, p.offset, now) for article_id, url, p in rows]
        if not values:
            return
        with self._lock:
            self.db.execute("BEGIN")
            try:
                self.db.executemany(
                    "INSERT OR REPLACE INTO warc_pointers(article_id, url, file, offset, recorded) "
                    "VALUES (?, ?, ?, ?, ?)",
                    values,
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def get(self, article_id: str) -> WarcPointer | None:
        with self._lock:
            row = self.db.execute(
                "SELECT file, offset FROM warc_pointers WHERE article_id = ?", (article_id,)
            ).fetchone()
        return WarcPointer(row["file"], int(row["offset"])) if row else None

    # --- finished ingests -------------------------------------------------------------------------
    def finished(self, path: Path | ArchiveIdentity) -> bool:
        """Whether ``path``, as it is now (same size and modification time), was ingested to its end."""
        archive = path if isinstance(path, ArchiveIdentity) else ArchiveIdentity.of(path)
        with self._lock:
            row = self.db.execute(
                "SELECT 1 FROM warc_ingested WHERE file = ? AND size = ? AND mtime = ?",
                (archive.file, archive.size, archive.mtime),
            ).fetchone()
        return row is not None

    def mark_finished(self, path: Path | ArchiveIdentity, records: int, run_id: str | None) -> None:
        """Every record of the archive handled: recorded as ingested, its checkpoint dropped."""
        archive = path if isinstance(path, ArchiveIdentity) else ArchiveIdentity.of(path)
        with self._lock:
            self.db.execute("BEGIN")
            try:
                self.db.execute(
                    "INSERT OR REPLACE INTO warc_ingested(file, size, mtime, records, run_id, finished) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (archive.file, archive.size, archive.mtime, records, run_id, time.time()),
                )
                self.db.execute("DELETE FROM warc_checkpoints WHERE file = ?", (archive.file,))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # --- checkpoints of unfinished ingests --------------------------------------------------------
    def checkpoint(self, archive: ArchiveIdentity) -> int:
        """The byte offset (a record's start) before which every record of ``archive`` was handled by an
        earlier ingest; 0 when there is none or the file changed since."""
        with self._lock:
            row = self.db.execute(
                "SELECT offset FROM warc_checkpoints WHERE file = ? AND size = ? AND mtime = ?",
                (archive.file, archive.size, archive.mtime),
            ).fetchone()
        return int(row["offset"]) if row else 0

    def save_checkpoints(self, rows: Iterable[tuple[ArchiveIdentity, int]], run_id: str | None) -> None:
        now = time.time()
        values = [(a.file, a.size, a.mtime, offset, run_id, now) for a, offset in rows]
        if not values:
            return
        with self._lock:
            self.db.executemany(
                "INSERT OR REPLACE INTO warc_checkpoints(file, size, mtime, offset, run_id, saved) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
