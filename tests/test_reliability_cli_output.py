"""Stored text is printed as text: Rich markup in a title, author, outlet name, story label or search query is
shown literally by the real CLI, never interpreted (no crash on ``[/i]``, no hidden hyperlink, no blink).

The store is a real SQLite file written through the store contract; the CLI runs as ``python -m newsagg.cli``
on a terminal-compatible output (``TTY_COMPATIBLE=1``) so Rich would emit its escape sequences if it took
any of the markup.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsagg.storage.sqlite import SQLiteStore
from tests.factories import article

pytestmark = pytest.mark.reliability

STORY = "st-markup"
CLOSER = "Budget [/i] vote"
LINK = "[link=http://evil.example/login]read the official text[/link]"
BLINK = "[blink]Alert[/blink] budget"
BACKSLASH = "Budget ends in a backslash \\"
EMOJI = "Budget :fire: alarm"
AUTHOR = "[bold red]Ana[/] [link=http://evil.example/]Pérez[/link]"
OUTLET = "[red]Diario[/red] [/]"
LABEL = "[/x] Budget [link=http://evil.example/story]story[/link]"
QUERY = "[/x] budget"

SGR = re.compile(r"\x1b\[[0-9;]*m")  # colours and bold: harmless, stripped before comparing text
HYPERLINK = "\x1b]8;"  # OSC 8, how a terminal hyperlink starts


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("markup-home")
    titles = {"m1": CLOSER, "m2": f"{LINK} budget", "m3": BLINK, "m4": BACKSLASH, "m5": EMOJI}
    with SQLiteStore(home / "newsagg.sqlite") as store:
        store.upsert_articles(
            [
                article(
                    key,
                    title=title,
                    text=f"Budget debate {CLOSER} and {LINK} in the assembly about the budget.",
                    authors=[AUTHOR],
                    outlet_name=OUTLET,
                    story_id=STORY,
                )
                for key, title in titles.items()
            ]
        )
        store.save_story({"id": STORY, "label": LABEL, "keywords": ["budget"], "article_count": len(titles)})
    return home


@pytest.fixture(scope="module")
def link_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only well-formed markup: nothing would crash, so only escaping keeps the link and the blink out."""
    home = tmp_path_factory.mktemp("link-home")
    with SQLiteStore(home / "newsagg.sqlite") as store:
        store.upsert_articles([article("l1", title=f"{LINK} {BLINK}", story_id="st-link")])
        store.save_story({"id": "st-link", "label": LINK, "keywords": ["budget"], "article_count": 1})
    return home


def newsagg(home: Path, *args: str) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Run the CLI as on a wide terminal; returns (output without colour codes, process)."""
    env = {**os.environ, "TTY_COMPATIBLE": "1", "COLUMNS": "1000"}
    env.pop("NO_COLOR", None)
    shown = subprocess.run(
        [sys.executable, "-m", "newsagg.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert "MarkupError" not in shown.stderr
    assert HYPERLINK not in shown.stdout, "stored markup became a terminal hyperlink"
    return SGR.sub("", shown.stdout), shown


def test_story_list_shows_a_markup_label_as_text(home: Path) -> None:
    text, _ = newsagg(home, "stories", "list")
    assert LABEL in text


def test_story_show_prints_titles_outlets_and_label_literally(home: Path) -> None:
    text, _ = newsagg(home, "stories", "show", STORY)
    for literal in (LABEL, CLOSER, LINK, BLINK, BACKSLASH, EMOJI, OUTLET):
        assert literal in text, literal


def test_search_shows_hits_literally(home: Path) -> None:
    text, _ = newsagg(home, "search", "budget")
    assert "5 articles match 'budget'" in text
    for literal in (CLOSER, LINK, BLINK, BACKSLASH, EMOJI, OUTLET):
        assert literal in text, literal


def test_search_echoes_a_markup_query_literally(home: Path) -> None:
    text, _ = newsagg(home, "search", QUERY)
    assert f"articles match {QUERY!r}" in text


def test_machine_formats_keep_the_stored_text(home: Path) -> None:
    _, shown = newsagg(home, "search", "budget", "--format", "json")
    hits = json.loads(shown.stdout)["hits"]
    assert {hit["title"] for hit in hits} >= {CLOSER, BLINK, BACKSLASH}
    _, shown = newsagg(home, "stories", "show", STORY, "--format", "json")
    document = json.loads(shown.stdout)
    assert document["story"]["label"] == LABEL
    assert {tuple(a["authors"]) for a in document["articles"]} == {(AUTHOR,)}


@pytest.mark.parametrize("command", [["stories", "list"], ["stories", "show", "st-link"], ["search", "budget"]])
def test_well_formed_markup_makes_no_hyperlink_and_no_blink(link_home: Path, command: list[str]) -> None:
    text, _ = newsagg(link_home, *command)
    assert LINK in text
    if command != ["stories", "list"]:  # the story list shows labels, not titles
        assert BLINK in text, "a [blink] tag that is shown was not applied"
