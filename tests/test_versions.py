"""Article versions: change summaries, storage on every backend (SQLite and real engines), migration of old
SQLite files, and how versions show in ``stories show`` and the exports (HTML escaped).

The end-to-end path (an article edited on the news web between two real crawls) is in test_incremental.py.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest

from newsagg.coverage import story_document
from newsagg.export import render_html, write_csv
from newsagg.storage.base import ARTICLE_FIELDS, ArticleStore
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import content_hash
from newsagg.versions import changes_between, next_versions, text_changes
from tests.factories import article
from tests.support.crawl import run_cli

PARAS = [
    "El Gobierno anunció este martes un plan de inversión en infraestructura portuaria para la región.",
    "El ministro de Obras Públicas dijo que las obras comenzarán en marzo y durarán tres años.",
    "Los gremios del sector valoraron el anuncio, aunque pidieron más detalles sobre el financiamiento.",
]
CORRECTION = "Corrección: una versión anterior de esta nota indicaba que las obras durarían cinco años."


def _text(paras: list[str]) -> str:
    return "\n".join(paras)


def _revised(old: dict, **changes: object) -> dict:
    new = {**old, **changes}
    new["content_hash"] = content_hash(new["text"])
    return new


# --- change summaries ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("new_paras", "expected"),
    [
        ([*PARAS, CORRECTION], ["correction appended"]),
        ([*PARAS, "Actualización: el ministro confirmó la fecha de inicio."], ["update appended"]),
        (
            [*PARAS, "El plan incluye además un nuevo muelle para cruceros en el norte."],
            ["text appended (1 paragraph)"],
        ),
        (PARAS[:2], ["text shortened (1 paragraph removed)"]),
        ([PARAS[0], PARAS[1].replace("tres años", "cuatro años"), PARAS[2]], ["text edited (2 % changed)"]),
    ],
)
def test_text_changes_read_like_a_news_desk_log(new_paras: list[str], expected: list[str]) -> None:
    assert text_changes(_text(PARAS), _text(new_paras)) == expected


def test_headline_and_dates_changes() -> None:
    old = article("v1", text=_text(PARAS), modified_at=None)
    assert changes_between(old, dict(old)) == []
    new = _revised(
        old, title="Nuevo titular", published_at="2026-11-27T11:00:00-03:00", modified_at="2026-11-27T12:00:00-03:00"
    )
    assert changes_between(old, new) == ["headline changed", "published date moved", "modified date added"]


def test_next_versions_keeps_the_previous_state_and_is_bounded() -> None:
    stored = article("v2", text=_text(PARAS), versions=[])
    assert next_versions(None, dict(stored), at="2026-11-27T13:00:00+00:00") == ([], [])
    assert next_versions(stored, dict(stored), at="2026-11-27T13:00:00+00:00") == ([], []), "unchanged: no version"
    history: list[dict] = []
    current = stored
    for n in range(12):
        new = _revised(current, title=f"Titular {n}", versions=None)
        history, changes = next_versions(current, new, at=f"2026-11-27T{n + 10:02d}:00:00+00:00", limit=10)
        assert changes == ["headline changed"]
        current = {**new, "versions": history}
    assert len(history) == 10, "only the last NEWSAGG_VERSIONS_MAX versions are kept"
    assert [v["title"] for v in history[-2:]] == ["Titular 9", "Titular 10"]
    assert history[-1]["replaced_at"] == "2026-11-27T21:00:00+00:00"
    assert history[-1]["fetched_at"] == history[-2]["replaced_at"]
    assert history[-1]["text"] == _text(PARAS) and history[-1]["text_hash"] == content_hash(_text(PARAS))


def test_missing_or_relative_text_dates_are_not_changes() -> None:
    stored = article("v3", text=_text(PARAS), published_source="text", published_at="2026-11-27T09:00:00-03:00")
    refetched = _revised(stored, published_at="2026-11-27T11:05:00-03:00", published_utc=1.0)  # "hace 3 horas"
    assert next_versions(stored, refetched, at="2026-11-27T14:00:00+00:00")[1] == []
    assert refetched["published_at"] == stored["published_at"] and refetched["published_utc"] == stored["published_utc"]
    undated = _revised(article("v4"), published_at=None, published_utc=None, published_source=None)
    assert next_versions(article("v4"), undated, at="2026-11-27T14:00:00+00:00")[1] == []


# --- storage: every backend ----------------------------------------------------------------------------
def test_versions_are_stored_kept_and_idempotent(store: ArticleStore) -> None:
    old = article("s1", text=_text(PARAS), versions=[])
    store.upsert_articles([old])
    assert store.get_article("s1")["versions"] == []
    new = _revised(old, title="Titular corregido", text=_text([*PARAS, CORRECTION]))
    versions, _ = next_versions(store.get_article("s1"), new, at="2026-11-27T15:00:00+00:00")
    new["versions"] = versions
    assert store.upsert_articles([new]).updated == 1
    got = store.get_article("s1")
    assert got["versions"] == versions and got["versions"][0]["changes"] == ["headline changed", "correction appended"]
    assert got["versions"][0]["text"] == _text(PARAS)
    assert store.upsert_articles([dict(new)]).unchanged == 1, "the same write twice changes nothing"
    assert store.upsert_articles([{**new, "versions": None}]).unchanged == 1, "a write without versions keeps them"
    assert store.get_article("s1")["versions"] == versions
    assert store.search("corregido").total == 1
    assert store.search("anterior").total == 1, "the current text is searchable"
    assert store.search("Titular").total == 1


def test_old_sqlite_files_are_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    columns = [f for f in ARTICLE_FIELDS if f != "versions"]
    with sqlite3.connect(path) as db:  # the articles table as an older build created it
        db.execute(f"CREATE TABLE articles (rowid INTEGER PRIMARY KEY, {', '.join(columns)}, first_seen, last_seen)")
        db.execute("INSERT INTO articles (id, title, text) VALUES ('old1', 'Antiguo', 'texto')")
    store = SQLiteStore(path)
    try:
        assert store.get_article("old1")["versions"] == []
        store.upsert_articles([article("new1", versions=[{"title": "t", "changes": ["headline changed"]}])])
        assert store.get_article("new1")["versions"][0]["changes"] == ["headline changed"]
    finally:
        store.close()


# --- stories show and exports --------------------------------------------------------------------------
HOSTILE = '<script>alert("x")</script> Titular'


@pytest.fixture
def revised_home(tmp_path: Path) -> tuple[Path, str]:
    store = SQLiteStore(tmp_path / "newsagg.sqlite")
    try:
        old = article("r1", title=HOSTILE, text=_text(PARAS), story_id="st-r1", versions=[])
        new = _revised(old, title="Titular corregido", text=_text([*PARAS, CORRECTION]))
        new["versions"], _ = next_versions(old, new, at="2026-11-27T15:00:00+00:00")
        store.upsert_articles([new, article("r2", story_id="st-r1", versions=[])])
        store.save_story({"id": "st-r1", "label": "Plan portuario", "keywords": ["puerto"], "article_count": 2})
    finally:
        store.close()
    return tmp_path, "st-r1"


def test_story_document_and_exports_show_versions(revised_home: tuple[Path, str], tmp_path: Path) -> None:
    home, story_id = revised_home
    store = SQLiteStore(home / "newsagg.sqlite")
    try:
        document = story_document(store, store.get_story(story_id))
    finally:
        store.close()
    assert document["summary"]["revised"] == 1
    [revision] = document["revisions"]
    assert revision["versions"][0]["changes"] == ["headline changed", "correction appended"]
    assert "text" not in revision["versions"][0], "texts stay in articles[].versions, not in the summary"
    rows = {r["article_id"]: r for r in document["coverage"]}
    assert rows["r1"]["versions"] == 1 and rows["r1"]["last_change"] == "headline changed; correction appended"
    assert rows["r2"]["versions"] == 0 and rows["r2"]["last_change"] is None

    html = render_html([document])
    assert "Revisions" in html and "correction appended" in html
    assert "<script>" not in html and "&lt;script&gt;" in html, "an old headline is escaped like any field"

    out = tmp_path / "stories.csv"
    write_csv([document], out)
    with out.open(encoding="utf-8") as handle:
        by_id = {r["article_id"]: r for r in csv.DictReader(handle)}
    assert (by_id["r1"]["versions"], by_id["r1"]["last_change"]) == ("1", "headline changed; correction appended")


def test_stories_show_lists_revisions(revised_home: tuple[Path, str]) -> None:
    home, story_id = revised_home
    table = run_cli(
        "stories", "show", story_id, "--format", "table", home=home, env={**os.environ, "COLUMNS": "200"}, timeout=120
    )
    assert table.returncode == 0, table.stderr
    assert "Revisions" in table.stdout and "correction appended" in table.stdout
    shown = run_cli("stories", "show", story_id, "--format", "json", home=home, timeout=120)
    document = json.loads(shown.stdout)
    assert document["revisions"][0]["versions"][0]["title"] == HOSTILE
