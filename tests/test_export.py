"""Exports from a real SQLite store: every format, and an HTML report that shows hostile fields as text."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from newsagg.coverage import iter_story_documents
from newsagg.export import FORMATS, export
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from tests.factories import T0, article

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "s.sqlite")
    text = "Kast visitó el CECOT de Bukele en El Salvador y habló de seguridad con Bukele. " * 5
    store.upsert_articles([
        article("h1", title=f"Kast {PAYLOAD}", text=text, authors=[PAYLOAD], url="javascript:alert(1)"),
        article("h2", title="Kast y Bukele", text=text + " Fin.", outlet_name=PAYLOAD, country="SV",
                published_utc=T0 + 60, dup_group="h1"),
    ])
    store.resolve_duplicate_groups(["h1"])
    clusterer = StoryClusterer(store)
    for item in store.iter_articles():
        clusterer.assign(item)
    return store


def test_every_format_is_written(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for fmt in FORMATS:
        count = export(iter_story_documents(store), fmt, tmp_path / f"out.{fmt}")
        assert count >= 1
    stories = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["stories"]
    assert len(stories) == 1 and stories[0]["summary"]["articles"] == 2
    assert stories[0]["duplicates"][0]["original"] == "h1"
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert {r["article_id"] for r in rows} == {"h1", "h2"}
    assert len({r["story_id"] for r in rows}) == 1


def test_html_report_escapes_every_field(tmp_path: Path) -> None:
    store = _store(tmp_path)
    export(iter_story_documents(store), "html", tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
