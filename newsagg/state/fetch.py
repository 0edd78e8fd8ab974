"""Fetch state: what the crawler knows about every URL it fetched, so the next crawl fetches only what changed.

One row per requested URL (the URL as requested, before redirects): its outlet, kind (``feed``, ``sitemap``,
``section``, ``article``, ``seed``), the validators the server sent (ETag, Last-Modified), the last
modification time a feed or sitemap announced for it, when it was first and last fetched, how often, when it
is due again, the hash of the text it yielded and the article id it became.

The rule that makes resume safe: an article page's row is written only once its article is durably stored
(the index pipeline's batch was committed or spooled) — see :mod:`crawler.incremental`. A crash before that
leaves no row, so the next crawl fetches the page again; a crash after it leaves a row and a stored article.
Either way nothing is lost and nothing is stored twice (store writes are upserts by article id).

Writes are buffered and committed in one transaction per flush (no per-row fsync); losing an unflushed
buffer costs a re-fetch, never an article.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsagg.settings_schema import default_of
from newsagg.state.db import open_state_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS fetch_state (
    url TEXT PRIMARY KEY,
    outlet_id TEXT,
    kind TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    lastmod_utc REAL,
    first_fetched REAL,
    last_fetched REAL,
    fetch_count INTEGER NOT NULL DEFAULT 0,
    next_fetch REAL,
    content_hash TEXT,
    article_id TEXT,
    status INTEGER,
    outcome TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt REAL
);
CREATE INDEX IF NOT EXISTS fetch_state_due ON fetch_state(outlet_id, next_fetch);
CREATE INDEX IF NOT EXISTS fetch_state_article ON fetch_state(article_id);
"""

#: Default re-fetch steps after an article's first fetch; after the last one, only a feed/sitemap lastmod
#: change brings it back.
DEFAULT_SCHEDULE = default_of("NEWSAGG_REFETCH_SCHEDULE")
#: Consecutive failures after which a page is no longer re-tried from the state (a rediscovery still tries it).
MAX_ERRORS = 3
#: Kinds of page that can become an article: the only ones on the re-fetch schedule.
PAGE_KINDS = ("article", "seed")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_FLUSH_ROWS = 500


def parse_schedule(value: str | Sequence[Any] | None) -> tuple[float, ...]:
    """``"1h,6h,24h,72h"`` (units s/m/h/d/w, bare numbers are seconds) → seconds, ascending.

    An empty value means: never re-fetch on a schedule (only when a feed or sitemap says the page changed).
    """
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    steps: list[float] = []
    for part in parts:
        if not part.strip():
            continue
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"NEWSAGG_REFETCH_SCHEDULE: cannot read {part.strip()!r} (expected e.g. '1h,6h,24h,72h')")
        steps.append(float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()])
    return tuple(sorted(steps))


def parse_now(value: str | None) -> float | None:
    """``NEWSAGG_NOW`` (an ISO datetime; naive means UTC) → UTC timestamp, or None for the real clock."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"NEWSAGG_NOW: not an ISO datetime: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def make_clock(now: str | None) -> Callable[[], float]:
    """The crawl's clock: fixed at ``NEWSAGG_NOW`` when set (tests move time without sleeping), else real."""
    fixed = parse_now(now)
    return time.time if fixed is None else (lambda: fixed)


class FetchState:
    """The fetch-state table with a write buffer; safe to share between the reactor and pipeline threads."""

    def __init__(self, db: sqlite3.Connection, schedule: Sequence[float] | None = None) -> None:
        self.db = db
        self.schedule = parse_schedule(DEFAULT_SCHEDULE) if schedule is None else tuple(schedule)
        self._lock = threading.RLock()
        self._pending: list[tuple[str, dict[str, Any]]] = []

    @classmethod
    def open(cls, home: str | Path | None = None, schedule: Sequence[float] | None = None) -> FetchState:
        db = open_state_db(home, SCHEMA)
        return cls(db, schedule)

    # --- reading ------------------------------------------------------------------------------------
    def get(self, url: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def next_fetch(self, first_fetched: float, fetched_at: float, published_utc: float | None = None) -> float | None:
        """The first schedule step after ``fetched_at`` (steps count from the first fetch); None: never.

        Only *young* articles are on the schedule: one already older than the last step when first fetched
        (an archive backfill) is not re-fetched unless a feed or sitemap says it changed. A step missed
        while no crawl ran is caught up once.
        """
        if not self.schedule or (published_utc is not None and first_fetched - published_utc > self.schedule[-1]):
            return None
        for step in self.schedule:
            if first_fetched + step > fetched_at:
                return first_fetched + step
        return None

    def fetch_reason(self, row: dict[str, Any] | None, now: float, lastmod_utc: float | None = None) -> str | None:
        """Why an article URL should be fetched now (``new``, ``retry``, ``lastmod_changed``, ``due``), or None."""
        if row is None:
            return "new"
        if row.get("first_fetched") is None:  # never processed for good: only failures so far
            return "retry"
        # Changed since our copy: newer than the lastmod we fetched it under, or (none known, e.g. it was first
        # listed by an RSS item without one) newer than our last fetch.
        known = row.get("lastmod_utc")
        reference = known if known is not None else row.get("last_fetched")
        if lastmod_utc is not None and reference is not None and lastmod_utc > reference + 0.5:
            return "lastmod_changed"
        due = row.get("next_fetch")
        if due is not None and due <= now:
            return "due"
        return None

    def due(self, outlet_ids: Iterable[str] | None, now: float, limit: int = 100_000) -> list[dict[str, Any]]:
        """Article URLs due for a re-fetch (schedule reached, or earlier failures to retry), oldest due first."""
        sql = (
            f"SELECT url, outlet_id, kind FROM fetch_state WHERE kind IN ({', '.join('?' for _ in PAGE_KINDS)}) AND "
            "((first_fetched IS NOT NULL AND next_fetch IS NOT NULL AND next_fetch <= ?) "
            f"OR (first_fetched IS NULL AND errors < {MAX_ERRORS}))"
        )
        params: list[Any] = [*PAGE_KINDS, now]
        ids = list(outlet_ids or [])
        if ids:
            sql += f" AND outlet_id IN ({', '.join('?' for _ in ids)})"
            params.extend(ids)
        sql += " ORDER BY COALESCE(next_fetch, 0), url LIMIT ?"
        params.append(limit)
        with self._lock:
            return [dict(r) for r in self.db.execute(sql, params).fetchall()]

    def stored_article_ids(self) -> list[str]:
        with self._lock:
            rows = self.db.execute(f"SELECT DISTINCT article_id {_STORED}").fetchall()
        return [row[0] for row in rows]

    def count_stored_articles(self) -> int:
        """How many articles the state says are stored (counted in SQLite: no id list is loaded)."""
        with self._lock:
            return int(self.db.execute(f"SELECT COUNT(DISTINCT article_id) {_STORED}").fetchone()[0])

    # --- writing (buffered) -------------------------------------------------------------------------
    def done(self, records: Iterable[dict[str, Any]]) -> None:
        """Pages processed for good (see the module doc for when that is). Each record has ``url``, ``kind``,
        ``outlet_id``, ``fetched_at`` (timestamp), ``status``, ``outcome`` and optionally ``etag``,
        ``last_modified``, ``lastmod_utc``, ``first_fetched``, ``content_hash``, ``article_id``,
        ``published_utc`` (decides whether the article is young enough for the re-fetch schedule)."""
        rows = []
        for record in records:
            fetched = float(record["fetched_at"])
            first = record.get("first_fetched")
            if first is None and record.get("outcome") == "not_modified":  # a 304 implies a known row
                first = (self.get(record["url"]) or {}).get("first_fetched")
            first = fetched if first is None else float(first)
            kind = record["kind"]
            rows.append(
                {
                    "url": record["url"],
                    "outlet_id": record.get("outlet_id"),
                    "kind": kind,
                    "etag": record.get("etag"),
                    "last_modified": record.get("last_modified"),
                    "lastmod_utc": record.get("lastmod_utc"),
                    "fetched_at": fetched,
                    "first_fetched": first,
                    "next_fetch": (
                        self.next_fetch(first, fetched, record.get("published_utc")) if kind in PAGE_KINDS else None
                    ),
                    "content_hash": record.get("content_hash"),
                    "article_id": record.get("article_id"),
                    "status": record.get("status"),
                    "outcome": record.get("outcome"),
                }
            )
        with self._lock:
            self._pending.extend(("done", r) for r in rows)
            if len(self._pending) >= _FLUSH_ROWS:
                self.flush()

    def failed(self, url: str, *, outlet_id: str | None, kind: str, at: float, reason: str) -> None:
        """A fetch that failed: counted, the page stays due (retried next crawl, up to ``MAX_ERRORS`` times)."""
        with self._lock:
            self._pending.append(
                ("failed", {"url": url, "outlet_id": outlet_id, "kind": kind, "at": at, "reason": reason[:200]})
            )
            if len(self._pending) >= _FLUSH_ROWS:
                self.flush()

    def flush(self) -> int:
        """Commit the buffered rows in one transaction; returns how many were written."""
        with self._lock:
            pending, self._pending = self._pending, []
            if not pending:
                return 0
            try:
                self.db.execute("BEGIN IMMEDIATE")
                for op, row in pending:
                    self.db.execute(_DONE_SQL if op == "done" else _FAILED_SQL, row)
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                self._pending = pending + self._pending
                raise
            return len(pending)

    def forget_articles(self, article_ids: Iterable[str]) -> int:
        """Drop the rows of pages that became these articles (they will be fetched as new): used when the store
        lost them."""
        ids = [(i,) for i in article_ids]
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            before = self.db.total_changes
            self.db.executemany("DELETE FROM fetch_state WHERE article_id = ?", ids)
            removed = self.db.total_changes - before
            self.db.execute("COMMIT")
        return removed

    def close(self) -> None:
        with self._lock:
            try:
                self.flush()
            finally:
                self.db.close()


_STORED = "FROM fetch_state WHERE outcome = 'stored' AND article_id IS NOT NULL"

# A 304 ('not_modified') confirms the stored copy: validators and the content outcome are kept, and so is a
# schedule that had ended (an archive article re-checked on a lastmod change stays off the schedule: a 304
# record carries no publication date to tell it is not young).
_DONE_SQL = """
INSERT INTO fetch_state (url, outlet_id, kind, etag, last_modified, lastmod_utc, first_fetched, last_fetched,
                         fetch_count, next_fetch, content_hash, article_id, status, outcome, errors, last_error,
                         last_attempt)
VALUES (:url, :outlet_id, :kind, :etag, :last_modified, :lastmod_utc, :first_fetched, :fetched_at, 1, :next_fetch,
        :content_hash, :article_id, :status, :outcome, 0, NULL, :fetched_at)
ON CONFLICT(url) DO UPDATE SET
    outlet_id = COALESCE(excluded.outlet_id, outlet_id),
    kind = excluded.kind,
    etag = CASE WHEN excluded.outcome = 'not_modified' THEN COALESCE(excluded.etag, etag) ELSE excluded.etag END,
    last_modified = CASE WHEN excluded.outcome = 'not_modified'
                         THEN COALESCE(excluded.last_modified, last_modified) ELSE excluded.last_modified END,
    lastmod_utc = MAX(COALESCE(excluded.lastmod_utc, lastmod_utc), COALESCE(lastmod_utc, excluded.lastmod_utc)),
    first_fetched = COALESCE(first_fetched, excluded.first_fetched),
    last_fetched = excluded.last_fetched,
    fetch_count = fetch_count + 1,
    next_fetch = CASE WHEN excluded.outcome = 'not_modified' AND next_fetch IS NULL THEN NULL
                      ELSE excluded.next_fetch END,
    content_hash = COALESCE(excluded.content_hash, content_hash),
    article_id = COALESCE(excluded.article_id, article_id),
    status = excluded.status,
    outcome = CASE WHEN excluded.outcome = 'not_modified' AND outcome IS NOT NULL THEN outcome
                   ELSE excluded.outcome END,
    errors = 0,
    last_error = NULL,
    last_attempt = excluded.last_attempt
"""

_FAILED_SQL = """
INSERT INTO fetch_state (url, outlet_id, kind, errors, last_error, last_attempt)
VALUES (:url, :outlet_id, :kind, 1, :reason, :at)
ON CONFLICT(url) DO UPDATE SET errors = errors + 1, last_error = excluded.last_error,
                               last_attempt = excluded.last_attempt
"""
