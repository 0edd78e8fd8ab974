"""Embedded default store: one SQLite file with FTS5 (BM25 ranking, highlighted snippets).

Zero set-up: the file lives in ``NEWSAGG_HOME`` (or the per-user data dir). WAL mode lets ``newsagg search``
read while a crawl writes; writes are batched into one transaction per call, with no per-item fsync
(``synchronous=NORMAL`` is durable across application crashes in WAL mode).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from newsagg.settings_schema import default_of
from newsagg.storage import analysis
from newsagg.storage.base import (
    ARTICLE_FIELDS,
    JSON_FIELDS,
    NUMERIC_FIELDS,
    SEARCH_SORTS,
    STORY_FIELDS,
    Article,
    ArticleFilter,
    ArticleStore,
    SearchHit,
    SearchPage,
    StorageError,
    Story,
    UpsertResult,
    decode_article,
    decode_story,
    is_unchanged,
    json_text,
    merge_refetch,
    normalize_article,
    normalize_story,
)

_T = TypeVar("_T")


def _column_type(name: str) -> str:
    if name == "id":
        return "TEXT UNIQUE NOT NULL"
    return "REAL" if name in NUMERIC_FIELDS else "TEXT"


#: What ``candidate_stories`` reads of each full-text match, by rowid (see there): built once when a file of an
#: older build is opened (one read of every row); an older build opening a newer file ignores it.
_CANDIDATE_INDEX = "articles_candidate"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    {", ".join(f"{name} {_column_type(name)}" for name in ARTICLE_FIELDS)},
    first_seen TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    last_seen TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_group ON articles(dup_group);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_utc);
CREATE INDEX IF NOT EXISTS articles_discovered ON articles(discovered_utc) WHERE published_utc IS NULL;
CREATE INDEX IF NOT EXISTS {_CANDIDATE_INDEX} ON articles(rowid, story_id, published_utc, discovered_utc, id);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE VIRTUAL TABLE IF NOT EXISTS articles_stem USING fts5(
    title, text, content='', tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_vocab USING fts5vocab(articles_fts, 'row');
CREATE TABLE IF NOT EXISTS signatures (article_id TEXT PRIMARY KEY, minhash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    label TEXT,
    keywords TEXT,
    created_at TEXT,
    updated_at TEXT,
    first_published_utc REAL,
    last_published_utc REAL,
    article_count INTEGER DEFAULT 0,
    merged_into TEXT
);
"""

#: 2: new rows are added to ``articles_fts`` by ``upsert_articles``, not by an AFTER INSERT trigger (see
#: ``_migrate``). Updates and deletes keep their triggers (rare, and they must see the old values).
#: 3: ``articles_stem``, the stemmed index searches use (filled by the store, see :func:`_stem_rows`).
SCHEMA_VERSION = "3"
#: Matches a search counts exactly and ranks by relevance, at most (see ``SQLiteStore.search``); the engines'
#: default count limit and the deepest result the web app lets anyone page to.
SEARCH_WINDOW = 10_000
_WORD = re.compile(r"\w+", re.UNICODE)


def _encode(article: Article) -> dict[str, Any]:
    """An article's stored fields as column values (the contract's stored form, lists as JSON text)."""
    return {
        name: json_text(value) if name in JSON_FIELDS else value for name, value in normalize_article(article).items()
    }


def _decode_row(row: sqlite3.Row) -> Article:
    return decode_article(dict(row))


def _stem_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[int, str, str]]:
    """(rowid, title, text, language) rows as ``articles_stem`` stores them.

    ``articles_stem`` is what searches match, the same analysis as the engines' (:mod:`newsagg.storage.analysis`):
    folded words, stemmed and tagged with the language for the languages the engines stem. SQLite cannot call
    PyStemmer from a trigger, so the store writes it; it keeps no copy of the text (``content=''``), which
    is why a row's old terms are computed again to delete them.
    """
    return [
        (rowid, analysis.index_terms(title, language), analysis.index_terms(text, language))
        for rowid, title, text, language in rows
    ]


def _fill_stems(db: sqlite3.Connection, schema: str = "main") -> None:
    """Rebuild ``articles_stem`` of ``schema`` from its articles table (migration, repair)."""
    db.execute(f"INSERT INTO {schema}.articles_stem(articles_stem) VALUES ('delete-all')")
    cursor = db.execute(f"SELECT rowid, title, text, language FROM {schema}.articles ORDER BY rowid")
    while batch := cursor.fetchmany(500):
        db.executemany(f"INSERT INTO {schema}.articles_stem(rowid, title, text) VALUES (?, ?, ?)", _stem_rows(batch))


def _index_new(db: sqlite3.Connection, rows: list[tuple[int, Any, Any, Any]]) -> None:
    """Add new articles' (rowid, title, text, language) to the FTS indexes, then forget them.

    One ``executemany`` per batch instead of an AFTER INSERT trigger, which runs the FTS insert as a trigger
    program per row: the same rows go into the same index 1.6× faster this way (SQLite 3.40 and 3.53 alike;
    figures in docs/scaling.md, ``bench/index_bench.py``).
    """
    if rows:
        # A v1 build that opened the file since this store did re-creates the AFTER INSERT trigger, which has
        # then indexed these rows already: a second entry per row corrupts the index. Asked once per batch,
        # inside the write transaction that inserted the rows, so the answer holds for them.
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_ai'").fetchone():
            db.executemany("INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)", [r[:3] for r in rows])
        db.executemany("INSERT INTO articles_stem(rowid, title, text) VALUES (?, ?, ?)", _stem_rows(rows))
        rows.clear()


def fts_query(text: str, *, any_term: bool = False) -> str:
    """Turn user text into a safe FTS5 query: every word quoted (no syntax errors from user input).

    Words are ANDed (``any_term`` ORs them); an explicit ``OR`` between words is honoured.
    """
    words = _WORD.findall(text)
    parts: list[str] = []
    for word in words:
        if word == "OR" and parts and parts[-1] != "OR":
            parts.append("OR")
            continue
        parts.append(f'"{word}"')
    if parts and parts[-1] == "OR":
        parts.pop()
    return " OR ".join(p for p in parts if p != "OR") if any_term else " ".join(parts)


def stem_query(text: str) -> str:
    """User text as an ``articles_stem`` query: each word matches any of its forms
    (:func:`newsagg.storage.analysis.query_variants`); words are ANDed, an explicit ``OR`` between words
    splits the query into alternatives (``a b OR c`` = ``(a AND b) OR c``), as in :func:`fts_query`."""
    groups: list[list[str]] = [[]]
    for word in _WORD.findall(text):
        if word == "OR":
            if groups[-1]:
                groups.append([])
            continue
        variants = analysis.query_variants(word)
        if variants:
            forms = " OR ".join("(" + " ".join(f'"{token}"' for token in variant) + ")" for variant in variants)
            groups[-1].append(f"({forms})")
    alternatives = [" AND ".join(group) for group in groups if group]
    return " OR ".join(f"({a})" for a in alternatives) if len(alternatives) > 1 else "".join(alternatives)


def _stem_snippet(text: str, language: str | None, query: str, size: int = 24) -> str:
    """A snippet around the first word of ``text`` that matches ``query`` only through its stem (FTS5's
    ``snippet()`` cannot show those: the stemmed index keeps no text), marked like FTS5's."""
    text = text or ""
    forms = {token for word in _WORD.findall(query) for v in analysis.query_variants(word) for token in v}

    def matches(word: str) -> bool:
        for token in analysis.tokens(word):
            if token in forms or (
                language and analysis.stemmed(language) and analysis.tagged(token, language) in forms
            ):
                return True
        return False

    words = list(analysis.TOKEN.finditer(text))
    if not words:
        return ""
    hit = next((i for i, m in enumerate(words) if matches(m.group())), None)
    start = 0 if hit is None else max(0, hit - size // 3)
    shown = words[start : start + size]
    first, last = shown[0].start(), shown[-1].end()
    if hit is None:
        body = text[first:last]
    else:
        word = words[hit]
        body = f"{text[first : word.start()]}«{word.group()}»{text[word.end() : last]}"
    return ("… " if start else "") + body + (" … " if start + size < len(words) else "")


#: SQLite messages that mean a damaged file rather than a busy or full one.
_DAMAGE = re.compile(r"malformed|not a database|corrupt|disk image|vtable constructor failed", re.I)


class SQLiteStore(ArticleStore):
    """ArticleStore on one SQLite file."""

    name = "sqlite"

    def __init__(self, path: str | Path, *, timeout: float | None = None, read_only: bool = False) -> None:
        # how long a write waits for another process's lock before it fails (and the batch is spooled)
        timeout = default_of("NEWSAGG_SQLITE_TIMEOUT") if timeout is None else timeout
        self.path = Path(path)
        self._timeout = timeout
        self._lock = threading.RLock()
        if read_only and self.path.exists():
            self._db = self._open_read_only()
            # a file of an older build has no stemmed index yet: searched as that build did
            self._stemmed = bool(self._query("SELECT 1 FROM sqlite_master WHERE name = 'articles_stem'"))
            self._candidate_index = bool(self._query("SELECT 1 FROM sqlite_master WHERE name = ?", (_CANDIDATE_INDEX,)))
            return
        self._stemmed = True
        self._candidate_index = True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the store's folder {self.path.parent}: {exc.strerror}") from exc
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            # Migration of files written by an older build: add article fields it did not know (e.g. versions).
            known = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
            for name in ARTICLE_FIELDS:
                if name not in known:
                    self._db.execute(f"ALTER TABLE articles ADD COLUMN {name} {_column_type(name)}")
            self._migrate()
            if not self._db.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
                # only a new file is written at open: a store another process is writing to still opens
                self._db.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            self._db.commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open SQLite store {self.path}: {exc}") from exc

    def _open_read_only(self) -> sqlite3.Connection:
        """A connection that never writes: for read commands, which must work on a store they may not change
        (a read-only folder, a copy on a mounted archive). No schema, no migration: a file this build cannot
        read as it is fails with the reason. In a folder where even SQLite's shared-memory file cannot be
        created, the file is opened as immutable (nobody can be writing to it there)."""
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        for suffix in ("", "&immutable=1"):
            try:
                db = sqlite3.connect(uri + suffix, uri=True, timeout=self._timeout, check_same_thread=False)
                db.row_factory = sqlite3.Row
                db.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
                return db
            except sqlite3.OperationalError as exc:
                error: sqlite3.Error = exc
            except sqlite3.DatabaseError as exc:
                raise self._error("open", exc) from exc
        raise StorageError(f"cannot open SQLite store {self.path} read-only: {error}")

    def _migrate(self) -> None:
        """Bring a file written by an older build up to ``SCHEMA_VERSION``; refuse one from a newer build.

        v1 → v2: drop the ``articles_ai`` trigger (``upsert_articles`` now indexes new rows itself, one
        statement per batch: the per-row trigger cost 40 % of an insert) and let FTS5 merge index segments
        8 at a time instead of 4 (``automerge``: 10 % fewer CPU seconds per insert in batches of 500, the same
        query times on 50k articles). The FTS index is unchanged, nothing is rebuilt. A v1 build re-creates
        the trigger when it opens the file, so it is looked for at every open, not only when the version says
        1 (a lookup; the file is written only when it is there).

        v2 → v3: ``articles_stem`` (created empty by the schema script) is filled from every stored article,
        once, in the opening transaction; a v2 build then refuses the file (newer schema) instead of adding
        articles the stemmed index would miss.
        """
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else int(SCHEMA_VERSION)
        if version > int(SCHEMA_VERSION):
            self._db.close()
            raise StorageError(
                f"{self.path} has store schema version {version}, newer than this newsagg knows "
                f"({SCHEMA_VERSION}): upgrade newsagg, or point NEWSAGG_HOME at another store"
            )
        if row is None or version < 2:  # a new file, or a v1 one
            self._db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 8)")
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_ai'").fetchone():
            self._db.execute("DROP TRIGGER articles_ai")
        # The stemmed index is new (v2 file), or was written by another analysis (another PyStemmer): refill
        # it, since deleting a row's terms needs exactly the terms it was indexed with.
        stamp = self._db.execute("SELECT value FROM meta WHERE key = 'analysis'").fetchone()
        if (row is not None and version < 3) or stamp is None or stamp[0] != analysis.ANALYSIS_VERSION:
            if row is not None:
                _fill_stems(self._db)
            self._db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('analysis', ?)", (analysis.ANALYSIS_VERSION,)
            )
        if version < int(SCHEMA_VERSION):
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))

    # --- helpers ---------------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._error("query", exc) from exc

    def _write(self, fn: Callable[[sqlite3.Connection], _T]) -> _T:
        with self._lock:
            try:
                with self._db:
                    return fn(self._db)
            except sqlite3.DatabaseError as exc:
                raise self._error("write", exc) from exc

    def _error(self, action: str, exc: sqlite3.DatabaseError) -> StorageError:
        """A store error that says what to do: a lock or a full disk is temporary (the batch is spooled and
        replayed); anything else means a damaged file, which ``newsagg index check`` diagnoses and repairs."""
        if isinstance(exc, sqlite3.OperationalError) and not _DAMAGE.search(str(exc)):
            return StorageError(f"SQLite {action} failed ({exc}) in {self.path}")
        return StorageError(
            f"SQLite store {self.path} is damaged ({exc}): run `newsagg index check` (docs/operations.md, "
            "'A damaged store')"
        )

    def check(self, repair: bool = False) -> list[str]:
        """Problems SQLite's integrity check and FTS5's own check find (empty: healthy).

        ``repair`` first rebuilds the full-text index in place; when that is not enough (its pages are
        unreadable, or a table's index is damaged) it copies every readable row of the tables into a fresh file,
        rebuilds its indexes and full-text index there, keeps the damaged file as ``<name>.damaged`` and puts
        the fresh one in its place. Rows whose own pages are damaged cannot be read: then problems remain
        and SQLite's ``.recover`` is the next step. Run it when no crawl is writing."""
        if repair:
            try:
                with self._lock, self._db:
                    self._db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
                    _fill_stems(self._db)
            except sqlite3.DatabaseError:
                pass
            if self._problems():
                self._rebuild_into_fresh_file()
        return self._problems()

    def _problems(self) -> list[str]:
        problems: list[str] = []
        with self._lock:
            try:
                rows = self._db.execute("PRAGMA integrity_check").fetchall()
                problems += [f"integrity: {row[0]}" for row in rows if row[0] != "ok"]
                try:
                    self._db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
                except sqlite3.DatabaseError as exc:
                    problems.append(f"full-text index articles_fts: {exc}")
                try:
                    self._db.execute("INSERT INTO articles_stem(articles_stem) VALUES ('integrity-check')")
                except sqlite3.DatabaseError as exc:
                    problems.append(f"full-text index articles_stem: {exc}")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{self.path}: {exc}")
        return problems

    def _rebuild_into_fresh_file(self) -> None:
        fresh = self.path.with_name(self.path.name + ".repairing")
        fresh.unlink(missing_ok=True)
        SQLiteStore(fresh).close()  # the current schema, empty
        columns = ", ".join(["rowid", *ARTICLE_FIELDS, "first_seen", "last_seen"])
        with self._lock:
            try:
                self._db.execute("ATTACH DATABASE ? AS fresh", (str(fresh),))
                try:
                    with self._db:
                        # full scans of each table's own b-tree: no (possibly damaged) index is consulted
                        self._db.execute(f"INSERT INTO fresh.articles ({columns}) SELECT {columns} FROM main.articles")
                        for table in ("meta", "signatures", "stories"):
                            self._db.execute(f"INSERT OR REPLACE INTO fresh.{table} SELECT * FROM main.{table}")
                        self._db.execute("INSERT INTO fresh.articles_fts(articles_fts) VALUES ('rebuild')")
                        _fill_stems(self._db, "fresh")
                finally:
                    self._db.execute("DETACH DATABASE fresh")
            except sqlite3.DatabaseError:
                fresh.unlink(missing_ok=True)
                return  # rows themselves unreadable: leave the file as it is, the problems stay reported
            self._db.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))
            fresh.replace(self.path)
            self._db = sqlite3.connect(self.path, timeout=self._timeout, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")

    @staticmethod
    def _where(flt: ArticleFilter | None, prefix: str = "a.") -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is None:
            return "1=1", params
        for column, value in (
            ("language", flt.language),
            ("country", flt.country),
            ("outlet_id", flt.outlet),
            ("story_id", flt.story_id),
        ):
            if value is not None:
                clauses.append(f"{prefix}{column} = ?")
                params.append(value.upper() if column == "country" else value)
        when = f"COALESCE({prefix}published_utc, {prefix}discovered_utc)"
        if flt.since is not None:
            clauses.append(f"{when} >= ?")
            params.append(flt.since_utc())
        if flt.until is not None:
            clauses.append(f"{when} <= ?")
            params.append(flt.until_utc())
        if not flt.include_duplicates:
            clauses.append(f"{prefix}duplicate_of IS NULL")
        if flt.unclustered:
            clauses.append(f"{prefix}story_id IS NULL")
        if flt.kind is not None:
            clauses.append(f"COALESCE({prefix}kind, 'article') = ?")
            params.append(flt.kind)
        return (" AND ".join(clauses) or "1=1"), params

    # --- articles --------------------------------------------------------------------------------
    def upsert_articles(self, articles: Sequence[Article]) -> UpsertResult:
        insert = f"INSERT INTO articles ({', '.join(ARTICLE_FIELDS)}) VALUES ({', '.join('?' * len(ARTICLE_FIELDS))})"
        assignments = ", ".join(f"{name} = ?" for name in ARTICLE_FIELDS if name != "id")
        update = f"UPDATE articles SET {assignments}, last_seen = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?"

        def write(db: sqlite3.Connection) -> UpsertResult:
            inserted = updated = unchanged = 0
            # New rows go into articles_fts together, in one statement (schema v2, see _migrate). The update
            # trigger deletes a row's old FTS entry, so pending ones are written before any update.
            fresh: list[tuple[int, Any, Any, Any]] = []
            for article in articles:
                row = db.execute("SELECT * FROM articles WHERE id = ?", (article["id"],)).fetchone()
                values = _encode(article)
                if row is None:
                    rowid = db.execute(insert, list(values.values())).lastrowid
                    assert rowid is not None  # an INSERT always sets it
                    fresh.append((rowid, values["title"], values["text"], values["language"]))
                    inserted += 1
                    continue
                stored = dict(row)
                merge_refetch(values, stored)
                if is_unchanged(values, stored):
                    unchanged += 1
                    db.execute(
                        "UPDATE articles SET last_seen = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                        (article["id"],),
                    )
                    continue
                params = [values[n] for n in ARTICLE_FIELDS if n != "id"] + [article["id"]]
                _index_new(db, fresh)
                db.execute(update, params)
                old, new = _stem_rows(
                    [
                        (row["rowid"], stored["title"], stored["text"], stored["language"]),
                        (row["rowid"], values["title"], values["text"], values["language"]),
                    ]
                )
                db.execute(
                    "INSERT INTO articles_stem(articles_stem, rowid, title, text) VALUES ('delete', ?, ?, ?)", old
                )
                db.execute("INSERT INTO articles_stem(rowid, title, text) VALUES (?, ?, ?)", new)
                updated += 1
            _index_new(db, fresh)
            return UpsertResult(inserted, updated, unchanged)

        return self._write(write)

    def get_article(self, article_id: str) -> Article | None:
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _decode_row(rows[0]) if rows else None

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        ids = list(article_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self._query(f"SELECT * FROM articles WHERE id IN ({marks})", ids)
        by_id = {row["id"]: _decode_row(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def find_by_content_hash(self, content_hash: str) -> list[Article]:
        rows = self._query("SELECT * FROM articles WHERE content_hash = ?", (content_hash,))
        return [_decode_row(r) for r in rows]

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = self._where(flt)
        return int(self._query(f"SELECT COUNT(*) FROM articles a WHERE {where}", params)[0][0])

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        where, params = self._where(flt)
        rows = self._query(
            f"SELECT * FROM articles a WHERE {where} "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.discovered_utc, a.id",
            params,
        )
        for row in rows:
            yield _decode_row(row)

    def search(
        self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchPage:
        """Articles matching every word of ``query`` in its folded or stemmed form, as on the engines
        (docs/search.md), in BM25 (or date) order; articles and snippets are read for the returned page only.

        A query matching more than ``SEARCH_WINDOW`` articles (a common word in a large store) is counted up to
        the window (``total_relation="gte"``, as the engines report a total they stopped counting) and ordered
        among its ``SEARCH_WINDOW`` most recently stored matches: counting and scoring every match of a word in
        most of 100,000 articles costs about a second, the window a few tens of milliseconds. A store of an
        older build opened read-only has no stemmed index: it is searched on the folded one.
        """
        if sort not in SEARCH_SORTS:
            raise ValueError(f"sort must be one of {', '.join(SEARCH_SORTS)}")
        table, match = ("articles_stem", stem_query(query)) if self._stemmed else ("articles_fts", fts_query(query))
        if not match:
            return SearchPage(total=0)
        where, params = self._where(flt)
        # newest stored matches first (FTS5 walks its doclist backwards and stops past the window), each with
        # its sort key; the window is sorted here, so no SQL sorter holds every match with its article. BM25 is
        # computed in one statement only (its first call counts the documents of every phrase, a pass over the
        # whole doclist): the scan's when sorting by relevance, the page's when sorting by date, and not at
        # all when sorting more matches than the window by date (their score is 0.0: a word that common
        # scores ~0 anyway, BM25 clamps its IDF).
        by_date = sort == "date"
        bm25 = f"bm25({table}, 3.0, 1.0)"
        key = "COALESCE(a.published_utc, a.discovered_utc)" if by_date else bm25
        scored = self._query(
            f"SELECT {table}.rowid, {key} FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
            f"WHERE {table} MATCH ? AND {where} ORDER BY {table}.rowid DESC LIMIT ?",
            [match, *params, SEARCH_WINDOW + 1],
        )
        window = scored[:SEARCH_WINDOW]
        if by_date:  # newest first, undated last; then the most recently stored
            window.sort(key=lambda row: (row[1] is None, -(row[1] or 0.0), -row[0]))
        else:  # best match first; ties (a word in most articles scores ~0: BM25 clamps its IDF) newest first
            window.sort(key=lambda row: (row[1], -row[0]))
        page = {row[0]: row[1] for row in window[offset : offset + limit]}
        page_bm25 = by_date and len(scored) <= SEARCH_WINDOW
        hits: list[SearchHit] = []
        if page:
            rows = self._query(
                f"SELECT a.*, {bm25 if page_bm25 else '0.0'} AS score "
                f"FROM json_each(?) AS page CROSS JOIN {table} CROSS JOIN articles a "
                f"WHERE {table} MATCH ? AND {table}.rowid = page.value AND a.rowid = page.value",
                [json.dumps(list(page)), match],
            )
            found = {row["rowid"]: row for row in rows}
            snippets = self._snippets(query, [found[rowid] for rowid in page if rowid in found])
            hits = [
                SearchHit(
                    article=_decode_row(found[rowid]),
                    score=0.0 - float(found[rowid]["score"] if by_date else score),
                    snippet=snippets[rowid],
                )
                for rowid, score in page.items()
                if rowid in found
            ]
        relation = "gte" if len(scored) > SEARCH_WINDOW else "eq"
        return SearchPage(total=len(window), hits=hits, total_relation=relation)

    def _snippets(self, query: str, rows: list[sqlite3.Row]) -> dict[int, str]:
        """A snippet per row: from the exact index where the words occur as typed, else around the first word
        whose stem matches."""
        snippets: dict[int, str] = {}
        exact = fts_query(query, any_term=True)
        if rows and exact:
            marks = ", ".join("?" for _ in rows)
            for found in self._query(
                "SELECT rowid, snippet(articles_fts, 1, '«', '»', ' … ', 24) FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                [exact, *(r["rowid"] for r in rows)],
            ):
                snippets[found[0]] = found[1]
        for r in rows:
            snippet = snippets.get(r["rowid"])
            if snippet is None or "«" not in snippet:
                snippets[r["rowid"]] = _stem_snippet(r["text"], r["language"], query)
        return snippets

    def candidates(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        rows = self._candidate_rows("a.*", terms, since_utc, until_utc, exclude_id, limit)
        return [_decode_row(r) for r in rows]

    def candidate_stories(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[str]:
        # The same query as `candidates`, reading one column: decoding whole articles was a third of it. And
        # read from the covering index: the columns it reads come after `text` in the row, so reaching them in
        # the table walks each match's text (its overflow pages), for every match of the window (on the
        # 5,000-page bench web nearly every article matches): ≈ 15 → 5 ms a query. The index is looked up in
        # the same order (the full-text scan's), so the same rows reach the sort: the same stories, ties too.
        rows = self._candidate_rows(
            "a.story_id", terms, since_utc, until_utc, exclude_id, limit, covering=self._candidate_index
        )
        return [str(r[0]) for r in rows]

    def _candidate_rows(
        self,
        columns: str,
        terms: Sequence[str],
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None,
        limit: int,
        *,
        covering: bool = False,
    ) -> list[Any]:
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(w for term in terms for w in _WORD.findall(term)))
        if not match:
            return []
        clauses = ["articles_fts MATCH ?", "a.story_id IS NOT NULL"]
        params: list[Any] = [match]
        when = "COALESCE(a.published_utc, a.discovered_utc)"
        if since_utc is not None:
            clauses.append(f"({when} >= ? OR {when} IS NULL)")
            params.append(since_utc)
        if until_utc is not None:
            clauses.append(f"({when} <= ? OR {when} IS NULL)")
            params.append(until_utc)
        if exclude_id is not None:
            clauses.append("a.id != ?")
            params.append(exclude_id)
        if since_utc is not None and until_utc is not None:
            # Articles arrive roughly in time order, so the window's rowids form a compact range; bounding
            # the FTS scan by it keeps the cost tied to the window, not to the whole store.
            bounds = self._query(
                "SELECT MIN(r), MAX(r) FROM ("
                "SELECT MIN(rowid) AS r FROM articles WHERE published_utc BETWEEN ?1 AND ?2 UNION ALL "
                "SELECT MAX(rowid) FROM articles WHERE published_utc BETWEEN ?1 AND ?2 UNION ALL "
                "SELECT MIN(rowid) FROM articles WHERE published_utc IS NULL AND discovered_utc BETWEEN ?1 AND ?2 "
                "UNION ALL SELECT MAX(rowid) FROM articles WHERE published_utc IS NULL "
                "AND discovered_utc BETWEEN ?1 AND ?2)",
                (since_utc, until_utc),
            )[0]
            if bounds[0] is None:
                return []
            clauses.append("articles_fts.rowid BETWEEN ? AND ?")
            params.extend(bounds)
        # The planner prefers the table's own rowid lookup: the covering index has to be named.
        indexed = f"INDEXED BY {_CANDIDATE_INDEX}" if covering else ""
        rows = self._query(
            f"SELECT {columns} FROM articles_fts JOIN articles a {indexed} ON a.rowid = articles_fts.rowid "
            f"WHERE {' AND '.join(clauses)} ORDER BY bm25(articles_fts, 2.0, 1.0) LIMIT ?",
            [*params, limit],
        )
        return rows

    def term_stats(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        # MAX(rowid) is O(1) and equals the count while nothing is deleted (the store never deletes).
        total = int(self._query("SELECT COALESCE(MAX(rowid), 0) FROM articles")[0][0])
        wanted = list(dict.fromkeys(t for t in terms if t))
        frequencies: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._query(f"SELECT term, doc FROM articles_vocab WHERE term IN ({marks})", chunk):
                frequencies[row[0]] = int(row[1])
        return total, frequencies

    # --- duplicates ------------------------------------------------------------------------------
    def resolve_duplicate_groups(self, groups: Iterable[str]) -> None:
        group_list = [g for g in dict.fromkeys(groups) if g]

        def write(db: sqlite3.Connection) -> None:
            for group in group_list:
                members = db.execute(
                    "SELECT id, content_hash, duplicate_kind, similarity FROM articles WHERE dup_group = ? "
                    "ORDER BY published_utc IS NULL, published_utc, discovered_utc, rowid",
                    (group,),
                ).fetchall()
                if not members:
                    continue
                original = members[0]
                # If the original arrived after a copy, it carries the match verdict: hand it to the copies.
                kind, similarity = original["duplicate_kind"] or "near", original["similarity"]
                db.execute(
                    "UPDATE articles SET duplicate_of = NULL, duplicate_kind = NULL, similarity = NULL WHERE id = ?",
                    (original["id"],),
                )
                db.execute(
                    "UPDATE articles SET duplicate_of = ?, "
                    "duplicate_kind = CASE WHEN content_hash = ? THEN 'exact' ELSE COALESCE(duplicate_kind, ?) END, "
                    "similarity = CASE WHEN content_hash = ? THEN 1.0 ELSE COALESCE(similarity, ?) END "
                    "WHERE dup_group = ? AND id != ?",
                    (
                        original["id"],
                        original["content_hash"],
                        kind,
                        original["content_hash"],
                        similarity,
                        group,
                        original["id"],
                    ),
                )

        self._write(write)

    def save_signatures(self, signatures: Sequence[tuple[str, bytes]]) -> None:
        self._write(
            lambda db: db.executemany(
                "INSERT OR REPLACE INTO signatures(article_id, minhash) VALUES (?, ?)", signatures
            )
        )

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]:
        for row in self._query("SELECT article_id, minhash FROM signatures ORDER BY article_id"):
            yield row[0], bytes(row[1])

    # --- stories ---------------------------------------------------------------------------------
    def assign_story(self, article_id: str, story_id: str) -> None:
        self._write(lambda db: db.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id)))

    def save_story(self, story: Story) -> None:
        values = normalize_story(story)
        values["keywords"] = json_text(values["keywords"])
        # created_at is the founding time: an update of the summary keeps it
        updates = ", ".join(f"{name}=excluded.{name}" for name in STORY_FIELDS if name not in ("id", "created_at"))
        sql = (
            f"INSERT INTO stories({', '.join(STORY_FIELDS)}) VALUES ({', '.join('?' * len(STORY_FIELDS))}) "
            f"ON CONFLICT(id) DO UPDATE SET {updates}"
        )
        self._write(lambda db: db.execute(sql, [values[name] for name in STORY_FIELDS]))

    def get_story(self, story_id: str) -> Story | None:
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            rows = self._query("SELECT * FROM stories WHERE id = ?", (story_id,))
            if not rows:
                return None
            story = decode_story(dict(rows[0]))
            if not story.get("merged_into"):
                return story
            story_id = story["merged_into"]
        return None

    def list_stories(self, *, min_articles: int = 1, limit: int = 100) -> list[Story]:
        rows = self._query(
            "SELECT * FROM stories WHERE merged_into IS NULL AND article_count >= ? "
            "ORDER BY article_count DESC, first_published_utc, id LIMIT ?",
            (min_articles, limit),
        )
        return [decode_story(dict(r)) for r in rows]

    # --- lifecycle -----------------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "path": str(self.path), "schema_version": int(SCHEMA_VERSION)}

    def drop(self) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM articles")  # the delete trigger empties articles_fts with it
            db.execute("INSERT INTO articles_stem(articles_stem) VALUES ('delete-all')")
            db.execute("DELETE FROM signatures")
            db.execute("DELETE FROM stories")

        self._write(write)

    def close(self) -> None:
        with self._lock:
            self._db.close()
