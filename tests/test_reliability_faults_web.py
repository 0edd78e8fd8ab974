"""Network faults from the sites: one real crawl of the hostile-faults outlet (``tests.support.hostile``), a
real HTTP server that hangs, resets connections, rate-limits, storms with 503s, loops redirects and drips.

The crawl must finish, store every page that eventually answers, and count each fault under a clear reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.support.crawl import FAULT_SETTINGS, crawl, scrapy_stat
from tests.support.hostile import FAULTS, HostileWeb

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


@dataclass
class Crawled:
    web: HostileWeb
    summary: dict
    log: str
    stored: set[str]


@pytest.fixture(scope="module")
def crawled(hostile_web: HostileWeb, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    home = tmp_path_factory.mktemp("faults-home")
    faults_only = [o for o in hostile_web.outlets if o["id"] == FAULTS]
    summary, _ = crawl(yaml.safe_dump({"outlets": faults_only}), home, FAULT_SETTINGS)
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    with SQLiteStore(home / "newsagg.sqlite") as store:
        stored = {a["id"] for a in store.iter_articles()}
    return Crawled(hostile_web, summary, log, stored)


def _id(web: HostileWeb, path: str) -> str:
    return article_id(canonicalize_url(web.url(FAULTS, path)))


def test_pages_that_answer_eventually_are_stored(crawled: Crawled) -> None:
    for path in ("/news/ok.html", "/news/ratelimited.html", "/news/flaky.html"):
        assert _id(crawled.web, path) in crawled.stored, path
    assert crawled.summary["inserted"] == len(crawled.stored) == 3


def test_timeout_and_slow_drip_end_as_timeouts(crawled: Crawled) -> None:
    # DOWNLOAD_TIMEOUT covers the whole download: a drip that never finishes times out like silence does.
    assert crawled.summary["errors"].get("timeout", 0) == 2, crawled.summary["errors"]
    assert crawled.web.hits("/news/timeout.html") == 3 and crawled.web.hits("/news/drip.html") == 3  # 1 + 2 retries


def test_connection_reset_is_retried_then_counted(crawled: Crawled) -> None:
    # 1 + 2 retries by Scrapy; Twisted's connection pool may add its own retry of a reset kept-alive connection
    assert crawled.web.hits("/news/reset.html") >= 3
    assert crawled.summary["errors"].get("connection_lost", 0) == 1, crawled.summary["errors"]


def test_retry_after_is_honoured(crawled: Crawled) -> None:
    log = [(p, s) for _, p, s in crawled.web.request_log if p == "/news/ratelimited.html"]
    assert [s for _, s in log] == [429, 429, 200]
    assert scrapy_stat(crawled.log, "newsagg/retry_after/waits") >= 2  # two waits of the 1 s asked for


def test_a_day_long_retry_after_is_not_waited_for(crawled: Crawled) -> None:
    assert crawled.web.hits("/news/ratelimited-day.html") == 1
    assert scrapy_stat(crawled.log, "newsagg/retry_after/too_long") == 1
    assert crawled.summary["errors"].get("http_429", 0) == 1


def test_503_storm_gives_up_after_the_retries(crawled: Crawled) -> None:
    assert crawled.web.hits("/news/storm.html") == 3
    assert crawled.summary["errors"].get("http_503", 0) == 1


def test_redirect_loops_end(crawled: Crawled) -> None:
    # an endless chain stops at REDIRECT_MAX_TIMES with a reason ...
    assert crawled.summary["skipped"].get("too_many_redirects", 0) == 1
    chain = [p for _, p in crawled.web.arrivals if p.startswith("/news/redirect/")]
    assert len(chain) == 11  # the first request + REDIRECT_MAX_TIMES (10) redirects
    # ... and a cycle a -> b -> a is cut by the duplicate filter after one lap
    assert crawled.web.hits("/news/loop-a.html") == 1 and crawled.web.hits("/news/loop-b.html") == 1
    assert scrapy_stat(crawled.log, "dupefilter/filtered") >= 1


def test_a_retry_after_wait_holds_no_download_slot(tmp_path: Path) -> None:
    # One download slot (CONCURRENT_REQUESTS=1) and two pages that each answer 429 "Retry-After: 2" once. If a
    # wait held its slot, every 429 would be followed at once by its own retry; since the waits are timers
    # outside the downloader, the first 429 is followed by the other page (still queued: same feed).
    with HostileWeb() as web:
        faults = next(o for o in web.outlets if o["id"] == FAULTS)
        feed = faults["feeds"][0].replace("rss.xml", "rss-patience.xml")
        outlet = {**faults, "id": "hostile-patience", "feeds": [feed]}
        summary, _ = crawl(
            yaml.safe_dump({"outlets": [outlet]}),
            tmp_path / "home",
            {**FAULT_SETTINGS, "CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1},
        )
        pages = [(p, status) for _, p, status in web.request_log if p.startswith("/news/patience-")]
    assert summary["inserted"] == 2, summary  # both stored after their pause, the crawl waited for the timers
    assert sorted(status for _, status in pages) == [200, 200, 429, 429]
    first = next(i for i, (_, status) in enumerate(pages) if status == 429)
    assert pages[first + 1][0] != pages[first][0], pages  # something else was fetched during the wait
