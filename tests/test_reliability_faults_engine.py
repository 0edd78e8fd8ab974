"""The search engine misbehaving during a crawl: real OpenSearch and Elasticsearch nodes behind a loopback
proxy (``EngineProxy``) that answers 429 to bulk writes, or applies them and then answers too late.

The engine going down mid-crawl is covered by ``tests/test_engine_crawl.py``
(``test_engine_down_mid_crawl_then_replay_matches_reference``). Here: whatever the engine does, after the
crawl (and a replay of anything spooled) the store holds every article of the crawled outlets, each once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from newsagg.newsweb import NewsWeb
from newsagg.storage import open_store
from newsagg.storage.engine_config import EngineConfig
from newsagg.urls import article_id, canonicalize_url
from tests.conftest import drop_engine_prefix, engine_env, engine_url_or_skip, unique_prefix
from tests.support.crawl import FAULT_SETTINGS, crawl, run_cli
from tests.support.engine_proxy import EngineProxy

pytestmark = [pytest.mark.reliability, pytest.mark.engine, pytest.mark.slow]

OUTLETS = ("harbor-ledger", "prensa-cuscatleca")


@pytest.fixture(params=["opensearch", "elasticsearch"])
def engine(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    name = request.param
    url = engine_url_or_skip(name)
    prefix = unique_prefix("fault")
    yield name, url, prefix
    drop_engine_prefix(EngineConfig.from_env(name, engine_env(name, url, prefix)))


def _crawl_through(
    news_web: NewsWeb, engine: tuple[str, str, str], rule: Callable[[int], str | float], home: Path, **extra: str
) -> tuple[dict, EngineProxy, dict[str, str]]:
    name, url, prefix = engine
    proxy = EngineProxy(url, rule)
    try:
        env = engine_env(
            name, proxy.url, prefix, NEWSAGG_ENGINE_RETRY_BACKOFF="0.05", NEWSAGG_ENGINE_COOLDOWN="0", **extra
        )
        registry = yaml.safe_dump({"outlets": [o for o in news_web.outlets if o["id"] in OUTLETS]}, allow_unicode=True)
        summary, result = crawl(
            registry,
            home,
            {**FAULT_SETTINGS, "NEWSAGG_INDEX_BATCH_SIZE": 3, "NEWSAGG_EXTRACT_WORKERS": 0},
            env=env,
            check=False,
        )
        # a crawl that had to spool says so with exit 1; one whose retries got everything in exits 0
        assert result.returncode == (1 if summary.get("spooled") else 0), result.stderr[-4000:]
    finally:
        proxy.close()
    return summary, proxy, engine_env(name, url, prefix)


def _assert_complete(news_web: NewsWeb, env: dict[str, str], home: Path, summary: dict) -> None:
    if summary["spooled"]:
        replay = run_cli("index", "replay", "--format", "json", home=home, env=env)
        assert replay.returncode == 0, replay.stderr[-3000:]
        assert json.loads(replay.stdout)["left"] == 0
    expected = {article_id(canonicalize_url(e["url"])) for e in news_web.expected() if e["outlet"] in OUTLETS}
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        ids = [a["id"] for a in store.iter_articles()]
        count = store.count_articles()
    assert expected and expected <= set(ids), "an article was lost"
    assert len(ids) == len(set(ids)) == count == summary["articles"], "an article was stored twice"


def test_engine_answering_429_loses_nothing(news_web: NewsWeb, engine: tuple[str, str, str], tmp_path: Path) -> None:
    # every other bulk write is rejected with 429 at first; the client backs off and retries
    summary, proxy, env = _crawl_through(
        news_web,
        engine,
        lambda n: "429" if n % 2 and n < 8 else "forward",
        tmp_path / "home",
        NEWSAGG_ENGINE_MAX_RETRIES="3",
    )
    assert "429" in proxy.actions, "the engine never answered 429: the test tested nothing"
    _assert_complete(news_web, env, tmp_path / "home", summary)


@pytest.mark.parametrize("engine", ["opensearch"], indirect=True)  # one client suffices: ~16 s a run
def test_engine_too_slow_loses_nothing_and_doubles_nothing(
    news_web: NewsWeb, engine: tuple[str, str, str], tmp_path: Path
) -> None:
    # the first two bulk writes are applied by the engine but answered after the client's timeout: the client
    # retries (or the batch is spooled and replayed) and the upserts by id must not duplicate anything
    summary, proxy, env = _crawl_through(
        news_web,
        engine,
        lambda n: 2.5 if n <= 2 else "forward",
        tmp_path / "home",
        NEWSAGG_ENGINE_TIMEOUT="1",
        NEWSAGG_ENGINE_MAX_RETRIES="1",
    )
    assert 2.5 in proxy.actions, "the engine was never slow: the test tested nothing"
    _assert_complete(news_web, env, tmp_path / "home", summary)


@pytest.mark.parametrize("engine", ["opensearch"], indirect=True)
def test_engine_down_at_crawl_start_spools_everything_then_replay_stores_it(
    news_web: NewsWeb, engine: tuple[str, str, str], tmp_path: Path
) -> None:
    # Nothing listens on the engine's address when the crawl starts (a proxy that is already closed), so the
    # store cannot even be opened: the crawl still fetches and extracts everything, spools it, exits 1 (nothing
    # is in the store yet), and a replay against the engine, once it answers, stores every article once.
    name, url, prefix = engine
    dead = EngineProxy(url, lambda n: "forward")
    dead.close()
    home = tmp_path / "home"
    env = engine_env(name, dead.url, prefix, NEWSAGG_ENGINE_COOLDOWN="0", NEWSAGG_ENGINE_MAX_RETRIES="0")
    registry = yaml.safe_dump({"outlets": [o for o in news_web.outlets if o["id"] in OUTLETS]}, allow_unicode=True)
    summary, _ = crawl(registry, home, {**FAULT_SETTINGS, "NEWSAGG_STORE_RETRY_SECONDS": 60}, env=env, exit_code=1)
    assert summary["articles"] > 0 and summary["spooled"] == summary["articles"], summary
    assert summary["errors"].get("store_unavailable_at_start") == 1, summary
    _assert_complete(news_web, engine_env(name, url, prefix), home, summary)
