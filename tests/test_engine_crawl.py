"""End to end on real engines: ``newsagg crawl`` of the local news web into OpenSearch and Elasticsearch gives
the same articles, duplicate links and stories as into SQLite; the CLI reads them back unchanged; and an
engine that goes away mid-crawl loses nothing (spool, then ``newsagg index replay``).

The outage is made with a loopback HTTP proxy in front of the real engine node that stops forwarding — and
closes its port — right after a chosen request: the node itself keeps running for the other tests, and the
moment of the cut is deterministic.
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.storage import open_store
from newsagg.storage.base import ArticleStore
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.conftest import (
    CURRENT_ENGINES,
    backend_of,
    drop_engine_prefix,
    engine_env,
    engine_params,
    engine_url_or_skip,
    unique_prefix,
)
from tests.support.crawl import CRAWL_SETTINGS, crawl, run_cli
from tests.support.engine_proxy import EngineProxy

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def crawl_web(
    news_web: NewsWeb, home: Path, env: dict[str, str] | None = None, *extra: str, exit_code: int = 0
) -> dict:
    """The summary of a crawl of the whole news web into ``home`` (and the engine ``env`` points at); a crawl
    that had to spool exits 1 (``exit_code``)."""
    return crawl(news_web.registry_yaml(), home, CRAWL_SETTINGS, *extra, env=env, exit_code=exit_code)[0]


@dataclass(frozen=True)
class Snapshot:
    """What a crawl left in a store, in backend-neutral terms."""

    links: dict[str, tuple[str | None, str | None]]  # id -> (duplicate_of, story_id)
    stories: frozenset[frozenset[str]]  # the partition of article ids into stories
    count: int

    @classmethod
    def of(cls, store: ArticleStore) -> Snapshot:
        articles = list(store.iter_articles())
        members: dict[str, set[str]] = defaultdict(set)
        for article in articles:
            members[article["story_id"]].add(article["id"])
        return cls(
            links={a["id"]: (a["duplicate_of"], a["story_id"]) for a in articles},
            stories=frozenset(frozenset(m) for m in members.values()),
            count=store.count_articles(),
        )


def rand_index(a: frozenset[frozenset[str]], b: frozenset[frozenset[str]]) -> float:
    """Share of article pairs on which two partitions agree (same story in both, or different in both)."""
    story_a = {item: i for i, members in enumerate(a) for item in members}
    story_b = {item: i for i, members in enumerate(b) for item in members}
    items = sorted(story_a.keys() & story_b.keys())
    pairs = [(x, y) for i, x in enumerate(items) for y in items[i + 1 :]]
    agree = sum((story_a[x] == story_a[y]) == (story_b[x] == story_b[y]) for x, y in pairs)
    return agree / len(pairs) if pairs else 1.0


@pytest.fixture(scope="module")
def reference(news_web: NewsWeb, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The same crawl into SQLite, the reference backend."""
    home = tmp_path_factory.mktemp("sqlite-home")
    crawl_web(news_web, home)
    with SQLiteStore(home / "newsagg.sqlite") as store:
        snapshot = Snapshot.of(store)
    assert snapshot.count >= len(news_web.expected()) > 0, (
        "the reference crawl stored nothing: comparisons would be void"
    )
    return snapshot


@pytest.fixture
def engine_store_env(request: pytest.FixtureRequest) -> Iterator[Callable[..., dict[str, str]]]:
    """Environment for a crawl into a fresh index prefix of the engine; the indices are dropped afterwards."""
    engine = request.param
    url = engine_url_or_skip(engine)
    prefix = unique_prefix("crawl")
    yield lambda target=url, **extra: engine_env(engine, target, prefix, **extra)
    from newsagg.storage.engine_config import EngineConfig

    drop_engine_prefix(EngineConfig.from_env(backend_of(engine), engine_env(engine, url, prefix)))


@pytest.mark.parametrize("engine_store_env", engine_params(), indirect=True)
def test_crawl_into_engine_matches_sqlite(
    news_web: NewsWeb, reference: Snapshot, engine_store_env, tmp_path: Path
) -> None:
    env = engine_store_env()
    home = tmp_path / "home"
    summary = crawl_web(news_web, home, env)
    assert summary["spooled"] == 0
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        got = Snapshot.of(store)
    assert got.count == reference.count == summary["inserted"]
    assert {i: d for i, (d, _) in got.links.items()} == {i: d for i, (d, _) in reference.links.items()}
    # The same stories. Ids name the founding article (download order), so partitions are compared, and
    # exactly only for the seed story: an article scoring within a hair of the threshold may fall either way
    # when the order of arrival or the backend's term statistics differ slightly. Everything else must agree
    # on at least 95 % of article pairs (Rand index).
    seed_ids = {article_id(canonicalize_url(e["url"])) for e in news_web.expected() if e["story"] == "kast-cecot"}
    assert frozenset(seed_ids) in got.stories and frozenset(seed_ids) in reference.stories
    assert rand_index(got.stories, reference.stories) >= 0.95

    # the read commands work unchanged on the engine
    found = run_cli("search", "Bukele", "--format", "json", home=home, env=env)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits["total"] >= 5 and all("«" in h["snippet"] for h in hits["hits"])
    listed = json.loads(run_cli("stories", "list", "--format", "json", home=home, env=env).stdout)
    assert sum(row["articles"] for row in listed) == reference.count
    out = tmp_path / "stories.csv"
    exported = run_cli("export", "--format", "csv", "--output", str(out), home=home, env=env)
    assert exported.returncode == 0, exported.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == reference.count + 1

    # an incremental re-crawl of the unchanged web: every feed, sitemap and section answers 304, so no known
    # article page is fetched again
    again = crawl_web(news_web, home, env)
    assert (again["articles"], again["inserted"], again["spooled"]) == (0, 0, 0)
    assert again["not_modified"] > 0
    # a full re-crawl inserts nothing and keeps every link (like SQLite, re-judged copies may count as updated)
    full = crawl_web(news_web, home, env, "--full")
    assert (full["inserted"], full["spooled"]) == (0, 0)
    assert full["updated"] + full["unchanged"] == reference.count
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        assert Snapshot.of(store) == got


# --- a server the client cannot talk to ------------------------------------------------------------------------
@pytest.mark.parametrize(("backend", "node"), [("elasticsearch", "opensearch"), ("opensearch", "elasticsearch")])
def test_a_server_that_refuses_the_client_stops_the_crawl_before_any_fetch(
    news_web: NewsWeb, tmp_path: Path, backend: str, node: str
) -> None:
    """Batches for a server that can never accept them would only pile up in the spool: the crawl stops at
    once, non-zero, with what the server is, and fetches nothing."""
    url = engine_url_or_skip(node)
    env = engine_env(backend, url, unique_prefix("refused"))
    home = tmp_path / "home"
    fetched_before = len(news_web.request_log)
    summary, result = crawl(news_web.registry_yaml(), home, CRAWL_SETTINGS, env=env, check=False)
    assert result.returncode == 1 and not summary
    found = "OpenSearch" if node == "opensearch" else "Elasticsearch"
    assert f"runs {found}" in result.stderr and f"NEWSAGG_BACKEND={backend}" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert len(news_web.request_log) == fetched_before, "pages were fetched for a store that can never take them"
    assert not list((home / "spool").glob("*.jsonl"))
    status = run_cli("index", "status", "--format", "json", home=home, env=env)
    assert status.returncode == 1 and f"runs {found}" in json.loads(status.stdout)["error"]


# --- the outage ----------------------------------------------------------------------------------------------
def trip_after_inserts(alias: str, count: int) -> Callable[[str, str, bytes], bool]:
    """True right after the ``count``-th bulk request that creates articles in ``alias``."""
    marker = json.dumps({"create": {"_index": alias}}, separators=(",", ":"))[:-2].encode()
    seen = 0
    lock = threading.Lock()

    def trip(method: str, path: str, body: bytes) -> bool:
        nonlocal seen
        if "_bulk" not in path or marker not in body:
            return False
        with lock:
            seen += 1
            return seen >= count

    return trip


@pytest.mark.reliability
@pytest.mark.parametrize("engine_store_env", CURRENT_ENGINES, indirect=True)
def test_engine_down_mid_crawl_then_replay_matches_reference(
    news_web: NewsWeb, reference: Snapshot, engine_store_env, tmp_path: Path
) -> None:
    env_up = engine_store_env()
    proxy = EngineProxy(
        env_up.get("NEWSAGG_ES_URL") or env_up["NEWSAGG_OPENSEARCH_URL"],
        trip=trip_after_inserts(f"{env_up['NEWSAGG_INDEX_PREFIX']}-articles", 2),
    )
    try:
        env_down = engine_store_env(
            proxy.url, NEWSAGG_ENGINE_MAX_RETRIES="1", NEWSAGG_ENGINE_RETRY_BACKOFF="0.05", NEWSAGG_ENGINE_COOLDOWN="1"
        )
        home = tmp_path / "home"
        summary = crawl_web(news_web, home, env_down, "--set", "NEWSAGG_INDEX_BATCH_SIZE=6", exit_code=1)
    finally:
        proxy.cut()
    assert proxy.down.is_set(), "the engine never went down: the test did not test anything"
    spool = home / "spool"
    spooled_files = sorted(spool.glob("*.jsonl"))
    assert summary["spooled"] > 0 and spooled_files
    spooled_ids = {json.loads(line)["article"]["id"] for f in spooled_files for line in f.read_text().splitlines()}
    assert summary["spooled"] == sum(len(f.read_text().splitlines()) for f in spooled_files)
    with open_store(env_up["NEWSAGG_BACKEND"], env=env_up) as store:
        before = {a["id"] for a in store.iter_articles()}
    assert 0 < len(before) < reference.count, "the outage should split the crawl: some batches in, some spooled"
    assert before | spooled_ids == set(reference.links), "an article is neither stored nor spooled"

    replay = run_cli("index", "replay", "--format", "json", home=home, env=env_up)
    assert replay.returncode == 0, replay.stderr[-3000:]
    replayed = json.loads(replay.stdout)
    assert (replayed["files"], replayed["left"]) == (len(spooled_files), 0)
    assert replayed["articles"] == summary["spooled"]
    assert not list(spool.glob("*.jsonl"))

    with open_store(env_up["NEWSAGG_BACKEND"], env=env_up) as store:
        got = Snapshot.of(store)
        all_ids = [a["id"] for a in store.iter_articles()]
    assert len(all_ids) == len(set(all_ids)) == got.count == reference.count  # nothing lost, nothing doubled
    assert set(got.links) == set(reference.links)
    assert {i: d for i, (d, _) in got.links.items()} == {i: d for i, (d, _) in reference.links.items()}
    again = run_cli("index", "replay", "--format", "json", home=home, env=env_up)
    assert json.loads(again.stdout)["files"] == 0
    # Articles written just before the cut whose story assignment failed are clustered by the replay too.
    unclustered = sorted(i for i, (_, story) in got.links.items() if not story)
    assert not unclustered, f"not clustered after replay (stored before the outage: {sorted(before)})"


def test_replay_with_engine_still_down_keeps_the_spool(tmp_path: Path) -> None:
    """No engine at all (a closed port): replay fails with a clear message and keeps every file."""
    home = tmp_path / "home"
    spool = home / "spool"
    spool.mkdir(parents=True)
    batch = spool / "00000000000000000001-1.jsonl"
    batch.write_text(json.dumps({"article": {"id": "x"}, "minhash": None}) + "\n", encoding="utf-8")
    closed = EngineProxy("http://127.0.0.1:9")
    closed.close()
    env = {
        **os.environ,
        "NEWSAGG_BACKEND": "opensearch",
        "NEWSAGG_OPENSEARCH_URL": closed.url,
        "NEWSAGG_ENGINE_MAX_RETRIES": "0",
    }
    result = run_cli("index", "replay", home=home, env=env)
    assert result.returncode == 1
    assert "unreachable" in result.stderr and "spool kept" in result.stderr
    assert batch.exists()


@pytest.mark.parametrize("engine_store_env", engine_params(), indirect=True)
def test_full_recrawl_after_a_forced_rollover_updates_the_old_generation(
    news_web: NewsWeb, reference: Snapshot, engine_store_env, tmp_path: Path
) -> None:
    """With ``NEWSAGG_ENGINE_ROLLOVER`` on, a rollover between two crawls: the second (``--full``) crawl finds
    every article in the generation that holds it, so the store ends with the same articles, links and stories
    and the new write generation holds none of them (no copies)."""
    from newsagg.storage.engine_lifecycle import rollover_alias

    env = engine_store_env(NEWSAGG_ENGINE_ROLLOVER="30d")
    home = tmp_path / "home"
    first = crawl_web(news_web, home, env)
    assert first["inserted"] == reference.count
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        before = Snapshot.of(store)
        assert rollover_alias(store.client, store.articles_alias)["rolled_over"]  # type: ignore[attr-defined]
    full = crawl_web(news_web, home, env, "--full")
    assert (full["inserted"], full["spooled"]) == (0, 0)
    assert full["updated"] + full["unchanged"] == reference.count
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        assert Snapshot.of(store) == before
        generations = sorted(store.client.get_alias(store.articles_alias))  # type: ignore[attr-defined]
        assert len(generations) == 2
        store.refresh()
        assert store.client.count(generations[-1], {"query": {"match_all": {}}}) == 0  # type: ignore[attr-defined]
    found = run_cli("search", "Bukele", "--format", "json", home=home, env=env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] >= 5
