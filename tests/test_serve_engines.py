"""``newsagg serve`` over Elasticsearch and OpenSearch shows what it shows over SQLite: the crawled news web
copied into a real engine through the storage contract, then the same API questions asked of both."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from newsagg.serve import ServeConfig
from newsagg.storage import open_store
from newsagg.storage.sqlite import SQLiteStore
from tests.conftest import drop_engine_prefix, engine_env, engine_url_or_skip, unique_prefix
from tests.serve_support import SEED_QUERY, Crawled, RunningServer, crawled_home

pytestmark = [pytest.mark.engine, pytest.mark.slow]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawled_home(tmp_path_factory)


@pytest.fixture(scope="module")
def sqlite_api(crawled: Crawled) -> Iterator[httpx.Client]:
    with RunningServer(ServeConfig(home=crawled.home)) as running, httpx.Client(base_url=running.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module", params=["opensearch", "elasticsearch"])
def engine_api(request: pytest.FixtureRequest, crawled: Crawled) -> Iterator[httpx.Client]:
    env = engine_env(request.param, engine_url_or_skip(request.param), unique_prefix("serve"))
    engine = open_store(request.param, env=env)
    try:
        with SQLiteStore(crawled.home / "newsagg.sqlite") as source:
            articles = list(source.iter_articles())
            engine.upsert_articles(articles)
            for story in source.list_stories(limit=10_000):
                engine.save_story(story)
        # a search-type read by the writing store refreshes what it wrote: the server's store then sees it all
        assert engine.count_articles() == len(articles)
        assert engine.list_stories(limit=10_000)
        config = ServeConfig(backend=request.param, env=env, home=crawled.home)
        with RunningServer(config) as running, httpx.Client(base_url=running.url, timeout=60) as client:
            yield client
    finally:
        drop_engine_prefix(engine.config)  # type: ignore[attr-defined]
        engine.close()


def test_story_page_data_is_the_same_on_the_engine(
    sqlite_api: httpx.Client, engine_api: httpx.Client, crawled: Crawled
):
    here = sqlite_api.get(f"/api/stories/{crawled.seed_story}").json()
    there = engine_api.get(f"/api/stories/{crawled.seed_story}").json()
    for key in ("summary", "coverage", "duplicates", "first_reports", "wire_share", "angles"):
        assert there[key] == here[key], key
    assert len(there["summary"]["countries"]) == 5 and there["summary"]["duplicates"] == 3


def test_lists_and_search_agree(sqlite_api: httpx.Client, engine_api: httpx.Client, crawled: Crawled) -> None:
    mine = {r["id"]: r for r in sqlite_api.get("/api/stories").json()["stories"]}
    theirs = {r["id"]: r for r in engine_api.get("/api/stories").json()["stories"]}
    assert theirs[crawled.seed_story] == mine[crawled.seed_story]
    assert set(theirs) == set(mine)
    found_here = sqlite_api.get("/api/search", params={"q": SEED_QUERY, "size": 100}).json()
    found_there = engine_api.get("/api/search", params={"q": SEED_QUERY, "size": 100}).json()
    assert {h["id"] for h in found_there["hits"]} == {h["id"] for h in found_here["hits"]}
    page = engine_api.get(f"/stories/{crawled.seed_story}")
    assert page.status_code == 200 and page.text.count('class="angle"') == 6
