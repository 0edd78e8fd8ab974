"""``newsagg index replay`` writes a spooled batch exactly as a crawl would, versions included.

A re-fetch spooled while the store was down (here: written to the spool file the index pipeline writes) must,
once replayed, keep the stored copy it replaces as a version, the same as when the crawl writes it directly.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsagg.config import sqlite_path
from newsagg.spool import Spool
from newsagg.storage.sqlite import SQLiteStore
from tests.factories import T0, article
from tests.support.crawl import run_cli


def test_replayed_refetch_with_a_new_headline_gets_its_version(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = article("a1", title="Sismo de magnitud 6 sacude el norte de Chile")
    with SQLiteStore(sqlite_path(home)) as store:
        store.upsert_articles([first])

    refetch = article(
        "a1",
        title="Sismo de magnitud 6,4 sacude el norte de Chile: no hay víctimas",
        discovered_at="2026-11-27T15:00:00+00:00",
        discovered_utc=T0 + 3 * 3600,
    )
    spool = Spool(home / "spool")
    spool.append([{"article": refetch, "minhash": None}])

    result = run_cli("index", "replay", "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 1
    assert spool.count() == 0

    with SQLiteStore(sqlite_path(home)) as store:
        stored = store.get_article("a1")
    assert stored is not None
    assert stored["title"] == refetch["title"]
    assert [v["changes"] for v in stored["versions"]] == [["headline changed"]]
    version = stored["versions"][0]
    assert version["title"] == first["title"]
    assert version["replaced_at"] == "2026-11-27T15:00:00+00:00"
    assert stored["story_id"], "the replayed article is clustered into a story"
