"""Resume after a crash: a real ``newsagg crawl`` process is killed with SIGKILL mid-batch, then run again,
and the result is compared with a reference crawl of the same news web into another home.

The crawl is slowed down (one request at a time per outlet, a download delay, index batches of 4 and no
time-based flush) so the kill lands while fetched articles wait in the index pipeline's buffer: those were
never written and must be fetched again; the ones already written must not be.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.state.fetch import FetchState
from newsagg.storage.sqlite import SQLiteStore
from tests.polling import wait_for
from tests.support.crawl import crawl_command

pytestmark = pytest.mark.reliability

BATCH = 4
SETTINGS = {"NEWSAGG_EXTRACT_WORKERS": 0, "AUTOTHROTTLE_ENABLED": False}
SLOW = [
    "--set",
    "DOWNLOAD_DELAY=0.4",
    "--set",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "--set",
    f"NEWSAGG_INDEX_BATCH_SIZE={BATCH}",
    "--set",
    "NEWSAGG_INDEX_FLUSH_SECONDS=600",
]
WAIT_LIMIT = 120.0  # seconds: a safety net for a hung crawl, not a performance assertion


def _command(home: Path, *extra: str) -> list[str]:
    return crawl_command(home / "registry.yaml", home, SETTINGS, *extra)


def _crawl(home: Path, *extra: str) -> dict:
    result = subprocess.run(_command(home, *extra), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _stored_count(home: Path) -> int:
    path = home / "newsagg.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # created but no table yet
        return 0


def _articles(home: Path) -> list[dict]:
    store = SQLiteStore(home / "newsagg.sqlite")
    try:
        return list(store.iter_articles())
    finally:
        store.close()


def _fetched(log: list[tuple[str, str, int, str]], article_paths: set[str]) -> list[str]:
    return [path for method, path, status, _ in log if method == "GET" and status == 200 and path in article_paths]


def test_sigkill_mid_batch_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    reference, home = tmp_path / "reference", tmp_path / "killed"
    with NewsWeb() as web:
        for h in (reference, home):
            h.mkdir()
            (h / "registry.yaml").write_text(web.registry_yaml(), encoding="utf-8")
        article_paths = {urlsplit(e["url"]).path for e in web.expected()}

        _crawl(reference)
        expected = _articles(reference)
        web.clear_log()

        # 1. the crawl to kill: wait until a batch is written and more articles were fetched since
        crawl = subprocess.Popen(
            _command(home, *SLOW), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

        def mid_batch() -> bool:
            stored = _stored_count(home)
            return stored >= BATCH and len(_fetched(list(web.request_log), article_paths)) >= stored + 2

        try:
            wait_for(
                lambda: crawl.poll() is not None or mid_batch(),
                "a written batch and articles fetched since",
                limit=WAIT_LIMIT,
                interval=0.02,
            )
        finally:
            if crawl.poll() is None:
                os.killpg(crawl.pid, signal.SIGKILL)  # the crawl and its worker processes: no clean-up at all
            crawl.wait(timeout=30)
        assert crawl.returncode == -signal.SIGKILL, "the crawl ended before it could be killed mid-batch"
        killed_log = list(web.request_log)
        before = {a["url"]: a for a in _articles(home)}
        assert 0 < len(before) < len(expected)

        # the invariant that makes resume safe: the state never claims an article the store does not have
        state = FetchState.open(home)
        try:
            claimed = set(state.stored_article_ids())
        finally:
            state.close()
        assert claimed <= {a["id"] for a in before.values()}

        fetched_before = set(_fetched(killed_log, article_paths))
        stored_paths = {urlsplit(url).path for url in before}
        in_flight = fetched_before - stored_paths
        assert in_flight, "the kill did not land mid-batch: nothing fetched was waiting to be written"

        # 2. the same command again
        web.clear_log()
        summary = _crawl(home)
        resumed_log = list(web.request_log)

    after = _articles(home)
    ids = [a["id"] for a in after]
    assert sorted(ids) == sorted(a["id"] for a in expected), "articles lost or extra compared with the reference"
    assert not [i for i, n in Counter(ids).items() if n > 1]
    assert len({a["canonical_url"] for a in after}) == len(after) == len(expected)
    assert all(a["story_id"] for a in after), "articles stored before the kill were never clustered"

    refetched = Counter(_fetched(resumed_log, article_paths))
    assert not stored_paths & set(refetched), "an article written before the kill was fetched again"
    assert in_flight <= set(refetched), "an article fetched but not written before the kill was not fetched again"
    assert max(refetched.values(), default=1) == 1
    assert summary["inserted"] == len(expected) - len(before)
    print(
        f"\nkilled after {len(fetched_before)} article pages ({len(before)} stored, {len(in_flight)} in flight); "
        f"resume fetched {len(refetched)} article pages, {len(resumed_log)} requests in all"
    )


def test_a_spooled_batch_counts_as_stored_and_reaches_the_store_on_replay(tmp_path: Path) -> None:
    """The store refuses a batch (a real SQLite store switched to read-only): the batch is spooled, which is
    durable, so its pages are recorded as done; the next write replays it into the store."""
    import scrapy
    from scrapy.utils.test import get_crawler

    from crawler.incremental import IncrementalMiddleware
    from pipelines.index import IndexPipeline
    from tests.factories import article

    crawler = get_crawler(
        settings_dict={
            "NEWSAGG_HOME": str(tmp_path),
            "NEWSAGG_INDEX_BATCH_SIZE": 2,
            "NEWSAGG_NOW": "2026-11-21T00:00:00+00:00",
        }
    )
    crawler.spider = scrapy.Spider(name="resume-test")
    store = SQLiteStore(tmp_path / "newsagg.sqlite")
    crawler._newsagg_store = store  # what crawler.store.store_for hands every component
    middleware = IncrementalMiddleware.from_crawler(crawler)
    pipeline = IndexPipeline.from_crawler(crawler)
    pages = [f"http://news.example/{n}.html" for n in range(3)]

    def item(n: int) -> dict:
        fetch = {"url": pages[n], "kind": "article", "outlet_id": "o", "fetched_at": 1795219200.0, "status": 200}
        return {**article(f"sp{n}"), "fetch": fetch}

    try:
        store._db.execute("PRAGMA query_only = ON")  # every write now fails: 'attempt to write a readonly database'
        pipeline.process_item(item(0))
        pipeline.process_item(item(1))  # batch full: write fails, spooled
        assert crawler.stats.get_value("newsagg/spooled") == 2
        assert store.count_articles() == 0
        assert {middleware.state.get(p)["outcome"] for p in pages[:2]} == {"stored"}, "spooled is durable"
        assert middleware.state.get(pages[2]) is None

        store._db.execute("PRAGMA query_only = OFF")
        pipeline.process_item(item(2))
        pipeline.close_spider()  # the last batch is written, then the spool replayed
        assert sorted(a["id"] for a in store.iter_articles()) == ["sp0", "sp1", "sp2"]
        assert middleware.state.get(pages[2])["outcome"] == "stored"
        assert crawler.stats.get_value("newsagg/replayed") == 2
    finally:
        middleware.state.close()
        store.close()
