"""SQLite store schema: v1 files migrate in place, newer files are refused, the FTS index stays exact.

Schema v2 indexes new rows in ``articles_fts`` from ``upsert_articles`` instead of an AFTER INSERT trigger, so
the ways that could go wrong are checked here on real files: a row indexed twice or not at all (FTS5's own
``integrity-check`` compares the index with the content table), a v1 trigger left behind, an update in the
same batch as the insert.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsagg.storage.base import StorageError
from newsagg.storage.sqlite import SCHEMA_VERSION, SQLiteStore
from tests.factories import T0, article

V1_INSERT_TRIGGER = """
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
"""


def _fts_consistent(store: SQLiteStore) -> None:
    """FTS5 raises SQLITE_CORRUPT_VTAB when the index disagrees with the articles table."""
    with store._db:
        store._db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")


def _make_v1(path: Path) -> None:
    """A file as a v1 build leaves it: version 1, the insert trigger, one article indexed by that trigger."""
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        db.execute("DELETE FROM articles_fts_config WHERE k = 'automerge'")
        db.executescript(V1_INSERT_TRIGGER)
        db.execute("INSERT INTO articles (id, title, text) VALUES ('old', 'Crónica de Perú', 'La cárcel vieja')")
    db.close()


def test_v1_store_migrates_in_place(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    _make_v1(path)
    store = SQLiteStore(path)
    try:
        meta = store._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert meta == SCHEMA_VERSION == "3"
        assert not store._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_ai'").fetchone()
        assert store._db.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()[0] == 8
        store.upsert_articles([article("new", text="Otra cárcel en el Perú")])
        # each article indexed exactly once: the v1 one by its trigger, the new one by upsert_articles
        assert store.term_stats(["carcel", "peru"]) == (2, {"carcel": 2, "peru": 2})
        assert {h.article["id"] for h in store.search("peru").hits} == {"old", "new"}
        _fts_consistent(store)
    finally:
        store.close()


def test_trigger_recreated_by_a_v1_build_is_dropped_again(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.executescript(V1_INSERT_TRIGGER)  # what a v1 build's CREATE TRIGGER IF NOT EXISTS does on open
    db.close()
    store = SQLiteStore(path)
    try:
        store.upsert_articles([article("a1", text="Perú")])
        assert store.term_stats(["peru"]) == (1, {"peru": 1})
        _fts_consistent(store)
    finally:
        store.close()


def test_trigger_recreated_while_the_store_is_open_does_not_index_twice(tmp_path: Path) -> None:
    """A v1 build opening the file during a v2 crawl re-creates the trigger under the open store: its batches
    must then leave the indexing to the trigger, not add every new row a second time."""
    path = tmp_path / "store.sqlite"
    store = SQLiteStore(path)
    try:
        store.upsert_articles([article("a1", text="Perú")])
        db = sqlite3.connect(path)
        db.executescript(V1_INSERT_TRIGGER)
        db.close()
        store.upsert_articles([article("a2", text="Perú y Chile")])
        assert store.term_stats(["peru", "chile"]) == (2, {"peru": 2, "chile": 1})
        _fts_consistent(store)
    finally:
        store.close()


def test_newer_schema_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(StorageError, match=r"schema version 99, newer than this newsagg knows \(3\): upgrade"):
        SQLiteStore(path)


def test_insert_then_update_in_one_batch_keeps_the_index_exact(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        result = store.upsert_articles(
            [
                article("a1", title="Primer titular", text="La cárcel de Atacama"),
                article("a2", text="Café de Costa Rica"),
                article("a1", title="Titular corregido", text="La cárcel de Arica"),
            ]
        )
        assert (result.inserted, result.updated) == (2, 1)
        assert store.search("corregido").total == 1
        assert store.search("primer").total == 0
        assert store.search("atacama").total == 0
        assert store.search("arica").total == 1
        assert store.search("cafe").total == 1
        _fts_consistent(store)
    finally:
        store.close()


def test_search_counts_and_orders_within_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``SEARCH_WINDOW`` matches the total is a lower bound and order covers the newest stored matches."""
    monkeypatch.setattr("newsagg.storage.sqlite.SEARCH_WINDOW", 3)
    with SQLiteStore(tmp_path / "newsagg.sqlite") as store:
        store.upsert_articles([article(f"w{i}", text=f"cárcel {'cárcel ' * i}nota {i}") for i in range(5)])
        page = store.search("cárcel", limit=10)
        assert (page.total, page.total_relation) == (3, "gte")
        assert {h.article["id"] for h in page.hits} == {"w2", "w3", "w4"}  # the three stored last
        assert [h.article["id"] for h in page.hits] == ["w4", "w3", "w2"]  # most mentions first
        narrow = store.search("cárcel", limit=10, offset=0, sort="date")
        assert narrow.total_relation == "gte" and len(narrow.hits) == 3
        assert [h.score for h in narrow.hits] == [0.0, 0.0, 0.0]  # past the window by date: not scored
        assert (store.search("nota 1").total, store.search("nota 1").total_relation) == (1, "eq")


def _make_v2(path: Path) -> None:
    """A file as a v2 build leaves it: no stemmed index, version 2, articles in the exact index only."""
    store = SQLiteStore(path)
    store.upsert_articles(
        [
            article("es", title="Cárceles", text="Las cárceles del norte."),
            article("en", title="Prisons", text="New prisons.", language="en"),
            article("it", title="Carceri", text="Le carceri.", language="it"),
        ]
    )
    store.close()
    db = sqlite3.connect(path)
    with db:
        db.execute("DROP TABLE articles_stem")
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.close()


def test_v2_store_gets_its_stemmed_index_on_open(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    _make_v2(path)
    old = SQLiteStore(path, read_only=True)  # a reader does not migrate: it searches as the v2 build did
    try:
        assert {h.article["id"] for h in old.search("carceles").hits} == {"es"}
        assert old.search("carcel").total == 0
    finally:
        old.close()
    store = SQLiteStore(path)
    try:
        assert store._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
        assert {h.article["id"] for h in store.search("carcel").hits} == {"es"}
        assert {h.article["id"] for h in store.search("prison").hits} == {"en"}
        assert {h.article["id"] for h in store.search("carceri").hits} == {"it"}
        store.upsert_articles([article("es2", text="Una cárcel más.")])
        assert {h.article["id"] for h in store.search("cárceles").hits} == {"es", "es2"}
        assert store.check() == []
    finally:
        store.close()
    SQLiteStore(path).close()  # opening again does not fill the index a second time
    store = SQLiteStore(path)
    try:
        assert store.search("carcel").total == 2
    finally:
        store.close()


def test_repair_rebuilds_the_stemmed_index(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        store.upsert_articles([article("a1", text="Las cárceles del norte.")])
        with store._db:
            store._db.execute("INSERT INTO articles_stem(articles_stem) VALUES ('delete-all')")
        assert store.search("carcel").total == 0
        assert store.check(repair=True) == []
        assert store.search("carcel").total == 1
    finally:
        store.close()


def test_a_stemmed_index_of_another_analysis_is_rebuilt_on_open(tmp_path: Path) -> None:
    """Deleting a row from the contentless stemmed index needs the very terms it was indexed with: after a
    PyStemmer upgrade the index is rebuilt before any update can disagree with it."""
    path = tmp_path / "store.sqlite"
    store = SQLiteStore(path)
    store.upsert_articles([article("a1", title="Cárceles", text="Las cárceles del norte.")])
    store.close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = 'pystemmer-0.0/fold-0' WHERE key = 'analysis'")
        db.execute("INSERT INTO articles_stem(articles_stem) VALUES ('delete-all')")  # as if other terms
    db.close()
    store = SQLiteStore(path)
    try:
        assert store.search("carcel").total == 1
        store.upsert_articles([article("a1", title="Hospitales", text="Los hospitales del norte.")])
        assert (store.search("carcel").total, store.search("hospital").total) == (0, 1)
        assert store.check() == []
    finally:
        store.close()


def test_candidate_stories_read_the_covering_index_with_the_tables_answer(tmp_path: Path) -> None:
    """``candidate_stories`` reads story ids and dates from ``articles_candidate`` (the table's copies sit past
    each article's text): a file of an older build gets the index when opened, and the answer is the table's,
    rank ties cut by the limit included (identical copies score alike)."""
    path = tmp_path / "old.sqlite"
    store = SQLiteStore(path)
    long_text = "Kast visita el CECOT con Bukele en San Salvador. " * 200  # past a page: overflow pages
    rows = [article(f"c{n:02d}", text=long_text, published_utc=T0 + n) for n in range(30)]
    rows += [article(f"o{n:02d}", text=f"Bukele y Kast, nota {n}", published_utc=T0 + 100 + n) for n in range(10)]
    store.upsert_articles(rows)
    for n, row in enumerate(rows):
        store.assign_story(row["id"], f"st-{n % 7}")
    store._db.execute("DROP INDEX articles_candidate")  # as an older build wrote the file
    store._db.commit()
    window = {"since_utc": T0 - 3600, "until_utc": T0 + 3600, "exclude_id": "c03", "limit": 12}
    from_table = [a["story_id"] for a in store.candidates(["Kast", "CECOT", "Bukele"], **window)]
    store.close()

    read_only = SQLiteStore(path, read_only=True)  # no index, nothing written: the table is read
    assert read_only.candidate_stories(["Kast", "CECOT", "Bukele"], **window) == from_table
    read_only.close()
    reopened = SQLiteStore(path)
    assert reopened._query("SELECT 1 FROM sqlite_master WHERE name = 'articles_candidate'")
    plan = reopened._query(
        "EXPLAIN QUERY PLAN SELECT a.story_id FROM articles_fts JOIN articles a INDEXED BY articles_candidate "
        "ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH 'kast' AND a.story_id IS NOT NULL"
    )
    assert any("COVERING INDEX articles_candidate" in row[3] for row in plan)
    assert reopened.candidate_stories(["Kast", "CECOT", "Bukele"], **window) == from_table
    assert len(from_table) == 12
    reopened.close()
