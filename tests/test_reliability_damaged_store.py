"""A damaged article store (``newsagg.sqlite`` with a page overwritten): a crawl spools what it cannot store and
exits 1 with the reason, read commands end with a clear message instead of a traceback, and
``newsagg index check`` finds the damage, repairs what can be rebuilt and says how to recover the rest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from tests.factories import T0, article
from tests.support.crawl import crawl, run_cli

pytestmark = pytest.mark.reliability


def _filled_store(home: Path, count: int = 400) -> Path:
    path = home / "newsagg.sqlite"
    with SQLiteStore(path) as store:
        store.upsert_articles(
            [
                article(f"a{n:04d}", text=f"El congreso regional votó el presupuesto número {n} de la provincia.")
                for n in range(count)
            ]
        )
        clusterer = StoryClusterer(store)
        for item in list(store.iter_articles())[:20]:
            clusterer.assign({**item, "published_utc": T0})
    return path


def _overwrite_page_of(path: Path, table_or_index: str, *, leaf: bool = False) -> None:
    """Overwrite a page of ``table_or_index`` (its root, or one of its leaves) with garbage, as a bad sector
    or a stray write would."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    if leaf:  # dbstat: SQLite's own page map
        query = "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno DESC LIMIT 1"
    else:
        query = "SELECT rootpage FROM sqlite_master WHERE name = ?"
    page = db.execute(query, (table_or_index,)).fetchone()[0]
    db.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_a_crawl_into_a_damaged_store_spools_and_says_so(news_web: NewsWeb, tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    _overwrite_page_of(path, "sqlite_autoindex_articles_1")
    summary, result = crawl(news_web.registry_yaml(), tmp_path, exit_code=1)
    assert summary["articles"] > 0 and summary["spooled"] == summary["articles"], summary
    assert "Traceback" not in result.stderr and "spooled" in result.stderr
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert "is damaged" in log and "newsagg index check" in log

    checked = run_cli("index", "check", "--format", "json", home=tmp_path)
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    assert report["problems"] and ".recover" in report["advice"]

    # the documented recovery: repair (rows copied into a fresh file, the damaged one kept), then replay
    repaired = run_cli("index", "check", "--repair", home=tmp_path)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert (tmp_path / "newsagg.sqlite.damaged").exists()
    replay = run_cli("index", "replay", "--format", "json", home=tmp_path)
    assert replay.returncode == 0 and json.loads(replay.stdout)["left"] == 0, replay.stderr
    with SQLiteStore(path) as store:
        assert store.count_articles() == 400 + summary["articles"]


@pytest.mark.parametrize(
    "command", [("stories", "list"), ("search", "presupuesto"), ("export", "--format", "json", "--output", "{out}")]
)
def test_read_commands_on_a_damaged_table_give_a_clear_message(command: tuple[str, ...], tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    _overwrite_page_of(path, "articles")
    result = run_cli(*(part.format(out=tmp_path / "out.json") for part in command), home=tmp_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "damaged" in (result.stderr + result.stdout) and "index check" in (result.stderr + result.stdout)


def test_index_check_repairs_a_damaged_full_text_index(tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    _overwrite_page_of(path, "articles_fts_data", leaf=True)
    found = run_cli("index", "check", home=tmp_path)
    assert found.returncode == 1 and "problem:" in found.stdout
    repaired = run_cli("index", "check", "--repair", home=tmp_path)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert run_cli("index", "check", home=tmp_path).returncode == 0
    hits = json.loads(run_cli("search", "presupuesto", "--format", "json", home=tmp_path).stdout)
    assert hits["total"] == 400
