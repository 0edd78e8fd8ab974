"""Rollover and retention of the article index (``NEWSAGG_ENGINE_ROLLOVER`` / ``_RETENTION``) on real nodes
of every supported engine major: a forced rollover (the ``_rollover`` API) in the middle of the data, then
everything the store does must still hold across the generations: counts, search, re-stores of old articles
(updated where they live, never copied into the write index), story assignment and relabelling, duplicate
groups, ``index replay``, reopening, a schema migration, switching rollover on over an existing index and the
retention pass."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsagg.spool import Spool
from newsagg.storage.engine import EngineStore
from newsagg.storage.engine_config import EngineConfig
from newsagg.storage.engine_lifecycle import (
    Rollover,
    age_ms,
    detect_driver,
    expire,
    ilm_policy,
    ism_policy,
    parse_retention,
    policy_name,
    rollover_alias,
)
from newsagg.storage.engine_schema import SCHEMA_VERSION
from newsagg.stories import StoryClusterer
from tests.conftest import backend_of, drop_engine_prefix, engine_env, engine_params, engine_url_or_skip, unique_prefix
from tests.factories import T0, article
from tests.support.crawl import run_cli

ROLLED = {"NEWSAGG_ENGINE_ROLLOVER": "30d", "NEWSAGG_ENGINE_RETENTION": "365d"}
KAST = (
    "El presidente electo de Chile, José Antonio Kast, visitó el CECOT de Nayib Bukele en El Salvador. "
    "Kast recorrió la cárcel de Tecoluca con el gabinete de seguridad de Bukele. "
) * 3


@pytest.fixture(params=engine_params())
def engine(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """(test node name, its URL, a fresh index prefix); the prefix's indices, templates and policy are dropped."""
    name = request.param
    url = engine_url_or_skip(name)
    prefix = unique_prefix("roll")
    yield name, url, prefix
    drop_engine_prefix(EngineConfig.from_env(backend_of(name), engine_env(name, url, prefix)))


def _env(engine: tuple[str, str, str], **extra: str) -> dict[str, str]:
    name, url, prefix = engine
    return engine_env(name, url, prefix, **extra)


def _config(engine: tuple[str, str, str], **extra: str) -> EngineConfig:
    return EngineConfig.from_env(backend_of(engine[0]), _env(engine, **extra))


def _indices(store: EngineStore) -> list[str]:
    return sorted(store.client.get_alias(store.articles_alias))


def _per_index(store: EngineStore, article_id: str) -> Counter[str]:
    """How many copies of ``article_id`` each article index holds."""
    store.client.refresh(store.articles_alias)
    body = {"query": {"ids": {"values": [article_id]}}, "size": 10, "_source": False}
    return Counter(hit["_index"] for hit in store.client.search(store.articles_alias, body)["hits"]["hits"])


@pytest.mark.engine
def test_store_search_stories_and_duplicates_work_across_a_forced_rollover(engine: tuple[str, str, str]) -> None:
    prefix = engine[2]
    first, second = f"{prefix}-articles-v{SCHEMA_VERSION}-000001", f"{prefix}-articles-v{SCHEMA_VERSION}-000002"
    with EngineStore(_config(engine, **ROLLED)) as store:
        assert _indices(store) == [first]
        assert store.describe()["rollover"] == "30d" and store.describe()["retention"] == "365d"
        clusterer = StoryClusterer(store)
        store.upsert_articles([article("o1", title="Kast visita el CECOT", text=KAST), article("o2"), article("o3")])
        story = clusterer.assign(store.get_article("o1"))  # type: ignore[arg-type]

        rolled = rollover_alias(store.client, store.articles_alias)  # what ILM/ISM does at 30 days, forced now
        assert rolled["rolled_over"] and rolled["new_index"] == second
        behind = store.client.get_alias(store.articles_alias)
        assert behind[second]["aliases"][store.articles_alias]["is_write_index"] is True
        assert not behind[first]["aliases"][store.articles_alias].get("is_write_index")

        result = store.upsert_articles(
            [
                article("n1", title="Kast y Bukele en San Salvador", text=KAST, published_utc=T0 + 3600),
                article("n2", dup_group="o3", content_hash=article("o3")["content_hash"]),
                article("o2", title="Título o2 corregido"),  # an old article, re-fetched and changed
                article("o3"),  # an old article, unchanged
            ]
        )
        assert (result.inserted, result.updated, result.unchanged) == (2, 1, 1)
        assert _per_index(store, "o2") == {first: 1}, "the update went to the index holding o2, no copy"
        assert _per_index(store, "n1") == {second: 1}
        assert store.count_articles() == 5
        assert sorted(a["id"] for a in store.iter_articles()) == ["n1", "n2", "o1", "o2", "o3"]
        assert store.get_article("o2")["title"] == "Título o2 corregido"  # type: ignore[index]
        assert [a["id"] for a in store.get_articles(["n1", "o1", "o2"])] == ["n1", "o1", "o2"]
        assert [h.article["id"] for h in store.search("corregido").hits] == ["o2"]
        assert {h.article["id"] for h in store.search("Bukele").hits} == {"o1", "n1"}

        # stories: the new article joins the story founded before the rollover; a relabel reaches both
        assert clusterer.assign(store.get_article("n1")) == story  # type: ignore[arg-type]
        store.assign_story("o3", story)  # an article of the older generation changes story
        assert _per_index(store, "o3") == {first: 1}
        assert store.get_article("o3")["story_id"] == story  # type: ignore[index]
        store.save_story({**store.get_story(story), "label": "Kast en El Salvador"})  # type: ignore[dict-item]
        store.refresh()
        query = {"query": {"term": {"story_id": story}}, "size": 10}
        hits = store.client.search(store.articles_alias, query)["hits"]["hits"]
        labels = {hit["_id"]: hit["_source"]["story_label"] for hit in hits}
        assert labels == {"o1": "Kast en El Salvador", "n1": "Kast en El Salvador", "o3": "Kast en El Salvador"}

        # a duplicate group spanning both generations: the earliest member stays the original
        store.resolve_duplicate_groups(["o3"])
        assert store.get_article("n2")["duplicate_of"] == "o3"  # type: ignore[index]
        assert store.get_article("o3")["duplicate_of"] is None  # type: ignore[index]
        assert store.count_articles() == 5

    with EngineStore(_config(engine, **ROLLED)) as again:  # reopening keeps the generations as they are
        assert _indices(again) == [first, second]
        assert again.count_articles() == 5


@pytest.mark.engine
def test_index_replay_updates_an_old_article_where_it_lives(engine: tuple[str, str, str], tmp_path: Path) -> None:
    env = _env(engine, **ROLLED)
    with EngineStore(_config(engine, **ROLLED)) as store:
        store.upsert_articles([article("r1", title="Sismo de magnitud 6 sacude el norte de Chile")])
        rollover_alias(store.client, store.articles_alias)
    home = tmp_path / "home"
    refetch = article("r1", title="Sismo de magnitud 6,4 sacude el norte", discovered_utc=T0 + 3 * 3600)
    Spool(home / "spool").append([{"article": refetch, "minhash": None}])
    result = run_cli("index", "replay", "--format", "json", home=home, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 1
    with EngineStore(_config(engine, **ROLLED)) as store:
        stored = store.get_article("r1")
        assert stored is not None and stored["title"] == refetch["title"]
        assert [v["title"] for v in stored["versions"]] == ["Sismo de magnitud 6 sacude el norte de Chile"]
        assert sum(_per_index(store, "r1").values()) == 1
        assert store.count_articles() == 1


@pytest.mark.engine
def test_rollover_switched_on_keeps_the_single_index_and_migration_gathers_the_generations(
    engine: tuple[str, str, str],
) -> None:
    prefix = engine[2]
    single = f"{prefix}-articles-v{SCHEMA_VERSION}"
    with EngineStore(_config(engine)) as store:  # default: one index, as before
        assert _indices(store) == [single]
        assert store.describe()["rollover"] == "off"
        store.upsert_articles([article("s1"), article("s2")])
    with EngineStore(_config(engine, NEWSAGG_ENGINE_ROLLOVER="30d")) as store:
        assert _indices(store) == [single, f"{single}-000001"]
        assert store.client.get_alias(store.articles_alias)[f"{single}-000001"]["aliases"][store.articles_alias][
            "is_write_index"
        ]
        store.upsert_articles([article("s1", title="s1 cambiado"), article("s3")])
        assert _per_index(store, "s1") == {single: 1}
        assert store.count_articles() == 3
        rollover_alias(store.client, store.articles_alias)
        store.upsert_articles([article("s4")])
        assert len(_indices(store)) == 3

    newer = SCHEMA_VERSION + 1
    with EngineStore(_config(engine, NEWSAGG_ENGINE_ROLLOVER="30d"), schema_version=newer) as store:
        assert _indices(store) == [f"{prefix}-articles-v{newer}-000001"], "every generation copied into one"
        assert store.count_articles() == 4
        assert store.get_article("s1")["title"] == "s1 cambiado"  # type: ignore[index]
        rolled = rollover_alias(store.client, store.articles_alias)  # the new version keeps rolling
        assert rolled["new_index"] == f"{prefix}-articles-v{newer}-000002"


@pytest.mark.engine
def test_retention_deletes_rolled_generations_never_the_write_index(engine: tuple[str, str, str]) -> None:
    with EngineStore(_config(engine, **ROLLED)) as store:
        store.upsert_articles([article("x1")])
        rollover_alias(store.client, store.articles_alias)
        store.upsert_articles([article("x2")])
        first, second = _indices(store)
        now = max(store.client.creation_dates([first, second]).values())
        assert expire(store.client, store.articles_alias, age_ms("365d"), now_ms=now + age_ms("364d")) == []
        assert expire(store.client, store.articles_alias, age_ms("365d"), now_ms=now + age_ms("366d")) == [first]
        assert _indices(store) == [second]
        store.refresh()
        assert [a["id"] for a in store.iter_articles()] == ["x2"]
        # the lone write index is never deleted, however old
        assert expire(store.client, store.articles_alias, age_ms("1d"), now_ms=now + age_ms("9999d")) == []


@pytest.mark.engine
def test_without_ilm_or_ism_the_store_rolls_over_when_it_opens_and_a_condition_is_met(
    engine: tuple[str, str, str],
) -> None:
    prefix = engine[2]
    with EngineStore(_config(engine, NEWSAGG_ENGINE_ROLLOVER="30d")) as store:
        if detect_driver(store.client) != "newsagg":
            pytest.skip(f"{engine[0]} has ILM/ISM: the engine rolls over, not newsagg")
        store.upsert_articles([article("c1"), article("c2")])
        assert len(_indices(store)) == 1, "30 days have not passed"
    with EngineStore(_config(engine, NEWSAGG_ENGINE_ROLLOVER="30d,1kb")) as store:  # the size condition is met
        first, second = f"{prefix}-articles-v{SCHEMA_VERSION}-000001", f"{prefix}-articles-v{SCHEMA_VERSION}-000002"
        assert _indices(store) == [first, second]
        assert store.client.get_alias(store.articles_alias)[second]["aliases"][store.articles_alias]["is_write_index"]
        store.upsert_articles([article("c3"), article("c1", title="c1 otra vez")])
        assert store.count_articles() == 3
        assert _per_index(store, "c1") == {first: 1}


@pytest.mark.engine
def test_lifecycle_policy_has_the_rollover_and_delete_phases(engine: tuple[str, str, str]) -> None:
    with EngineStore(_config(engine, **ROLLED)) as store:
        driver = detect_driver(store.client)
        template = store.client.get_index_template(store.articles_alias)
        settings = json.dumps(template["template"]["settings"])  # type: ignore[index]
        if driver == "newsagg":  # a node without ILM/ISM: newsagg rolls and expires, the template names no policy
            assert "lifecycle" not in settings and "index_state_management" not in settings
            pytest.skip(f"{engine[0]} at {engine[1]} has no ILM/ISM: the policy cannot be installed there")
        name = policy_name(engine[2])
        if driver == "ilm":
            phases = store.client.request("GET", f"/_ilm/policy/{name}")[name]["policy"]["phases"]  # type: ignore[index]
            assert phases["hot"]["actions"]["rollover"] == {"max_age": "30d"}
            assert phases["delete"] == {"min_age": "365d", "actions": {"delete": {}}}
            assert name in settings
        else:
            policy = store.client.request("GET", f"/_plugins/_ism/policies/{name}")["policy"]  # type: ignore[index]
            states = {s["name"]: s for s in policy["states"]}
            assert states["hot"]["actions"][0]["rollover"] == {"min_index_age": "30d"}
            assert states["hot"]["transitions"][0]["conditions"] == {"min_rollover_age": "365d"}
            assert "delete" in states["delete"]["actions"][0]
            assert store.articles_alias in settings


def test_policy_bodies_have_a_hot_rollover_and_a_retention_delete() -> None:
    rollover = Rollover.parse("30d, 50GB")
    assert rollover == Rollover(age="30d", size="50gb")
    ilm = ilm_policy(rollover, "365d")["policy"]["phases"]  # type: ignore[arg-type]
    assert ilm["hot"]["actions"]["rollover"] == {"max_age": "30d", "max_primary_shard_size": "50gb"}
    assert ilm["delete"] == {"min_age": "365d", "actions": {"delete": {}}}
    assert "delete" not in ilm_policy(rollover, None)["policy"]["phases"]  # type: ignore[arg-type]
    # the marker that tells an unchanged policy (left alone) from a changed one (rewritten)
    assert ilm_policy(rollover, "365d")["policy"]["_meta"] != ilm_policy(rollover, "30d")["policy"]["_meta"]  # type: ignore[arg-type]
    ism = ism_policy("p", rollover, "365d")["policy"]  # type: ignore[arg-type]
    assert ism["default_state"] == "hot"
    assert ism["states"][0]["actions"] == [{"rollover": {"min_index_age": "30d", "min_primary_shard_size": "50gb"}}]
    assert ism["states"][0]["transitions"] == [{"state_name": "delete", "conditions": {"min_rollover_age": "365d"}}]
    assert ism["states"][1] == {"name": "delete", "actions": [{"delete": {}}], "transitions": []}
    assert ism["ism_template"] == [{"index_patterns": ["p-articles-v*"], "priority": 200}]
    assert [s["name"] for s in ism_policy("p", rollover, None)["policy"]["states"]] == ["hot"]  # type: ignore[arg-type]
    assert ism["description"] != ism_policy("p", rollover, None)["policy"]["description"]  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["30", "30days", "0d", "50gb,60gb", "1w", "-5d"])
def test_a_malformed_rollover_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="NEWSAGG_ENGINE_ROLLOVER"):
        Rollover.parse(value)


def test_retention_needs_a_rollover_and_a_valid_age() -> None:
    assert Rollover.parse("") is None and parse_retention(None) is None
    with pytest.raises(ValueError, match="needs NEWSAGG_ENGINE_ROLLOVER"):
        EngineConfig.from_env("opensearch", {"NEWSAGG_ENGINE_RETENTION": "365d"})
    with pytest.raises(ValueError, match="NEWSAGG_ENGINE_RETENTION"):
        EngineConfig.from_env("opensearch", {"NEWSAGG_ENGINE_ROLLOVER": "30d", "NEWSAGG_ENGINE_RETENTION": "1y"})
    config = EngineConfig.from_env("opensearch", {"NEWSAGG_ENGINE_ROLLOVER": "30d", "NEWSAGG_ENGINE_RETENTION": "365d"})
    assert (config.rollover, config.retention) == ("30d", "365d")
