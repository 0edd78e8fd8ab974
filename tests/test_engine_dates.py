"""Engine documents for people who query them: dates that are dates, story labels on articles, the migration
from the previous schema, and shards/replicas from the settings. On every engine major."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsagg.storage.engine import EngineStore
from newsagg.storage.engine_client import EngineClient
from newsagg.storage.engine_config import EngineConfig
from newsagg.storage.engine_dates import utc_iso, utc_offset
from newsagg.storage.engine_schema import KINDS, SCHEMA_VERSION, alias_name, index_name
from tests.conftest import drop_engine_prefix, engine_config_of, engine_params
from tests.factories import T0, article

PREVIOUS = json.loads((Path(__file__).parent / "fixtures" / "engine_schema_v3.json").read_text(encoding="utf-8"))


@pytest.fixture(params=engine_params())
def engine_config(request: pytest.FixtureRequest) -> Iterator[EngineConfig]:
    with engine_config_of(request.param, "dates") as config:
        yield config


def _source(store: EngineStore, alias: str, doc_id: str) -> dict[str, Any]:
    (doc,) = store.client.mget(alias, [doc_id])
    assert doc.get("found"), doc_id
    return dict(doc["_source"])


def _count(store: EngineStore, query: dict[str, Any]) -> int:
    store.client.refresh(store.articles_alias)
    return store.client.count(store.articles_alias, {"query": query})


def test_utc_values_and_offsets() -> None:
    assert utc_iso(T0) == "2026-11-27T12:00:00.000Z"
    assert utc_iso(None, "2026-11-27T09:00:00-03:00") == "2026-11-27T12:00:00.000Z"
    assert utc_iso(None, "2026-11-27") == "2026-11-27T00:00:00.000Z"
    assert utc_iso(float("nan")) is None and utc_iso(None, "yesterday") is None
    assert [utc_offset(t) for t in ("2026-11-27T09:00:00-03:00", "2026-11-27T12:00:00Z", "2026-11-27")] == [
        "-03:00",
        "+00:00",
        None,
    ]
    assert utc_offset("2026-11-27T17:30:00.25+0530") == "+05:30"


@pytest.mark.engine
def test_dates_are_dates_in_utc_with_their_offsets(engine_config: EngineConfig) -> None:
    with EngineStore(engine_config) as store:
        store.upsert_articles(
            [
                article("d1"),  # 2026-11-27T09:00:00-03:00 = 12:00 UTC
                article("d2", published_at="2026-11-20T23:30:00-03:00", published_utc=T0 - 6 * 86400 - 9.5 * 3600),
                article("d3", published_at="2026-11-28", published_utc=T0 + 12 * 3600, published_precision="day"),
                article("d4", published_at=None, published_utc=None),
            ]
        )
        doc = _source(store, store.articles_alias, "d1")
        assert (doc["published_at"], doc["published_offset"]) == ("2026-11-27T12:00:00.000Z", "-03:00")
        assert doc["discovered_at"] == "2026-11-27T12:30:00.000Z" and doc["discovered_offset"] == "+00:00"
        # the store gives back the article's own strings, as SQLite does
        assert store.get_article("d1")["published_at"] == "2026-11-27T09:00:00-03:00"
        assert store.get_article("d3")["published_at"] == "2026-11-28"
        assert store.get_article("d4")["published_at"] is None

        # what the Kibana user typed, on both spellings of the time field
        day = {"gte": "2026-11-27", "lt": "2026-11-28"}
        assert _count(store, {"range": {"published": day}}) == 1
        assert _count(store, {"range": {"published_at": day}}) == 1
        # d2 is 2026-11-20 in its outlet's time, 2026-11-21 in UTC: the dates are UTC
        assert _count(store, {"range": {"published_at": {"gte": "2026-11-21", "lt": "2026-11-22"}}}) == 1
        assert _count(store, {"range": {"published_at": {"gte": "2026-11-20"}}}) == 3
        lucene = {"query_string": {"query": "published:[2026-11-27 TO 2026-11-28}"}}
        assert _count(store, lucene) == 1
        assert _count(store, {"range": {"published_at": {"gte": int(T0 * 1000)}}}) == 2  # epoch millis too
        hist = store.client.search(
            store.articles_alias,
            {
                "size": 0,
                "aggs": {"days": {"date_histogram": {"field": "published_at", "calendar_interval": "day"}}},
            },
        )["aggregations"]["days"]["buckets"]
        assert [b["key_as_string"][:10] for b in hist if b["doc_count"]] == ["2026-11-21", "2026-11-27", "2026-11-28"]


@pytest.mark.engine
def test_articles_carry_their_story_label_through_relabels_and_merges(engine_config: EngineConfig) -> None:
    with EngineStore(engine_config) as store:
        store.upsert_articles([article("s1"), article("s2"), article("s3")])
        store.save_story({"id": "st-a", "label": "Kast visita el CECOT", "keywords": [], "article_count": 0})
        store.save_story({"id": "st-b", "label": "Otra historia", "keywords": [], "article_count": 0})
        store.assign_story("s1", "st-a")
        store.assign_story("s2", "st-a")
        store.assign_story("s3", "st-b")
        assert _source(store, store.articles_alias, "s1")["story_label"] == "Kast visita el CECOT"

        store.save_story({"id": "st-a", "label": "Kast y Bukele en el CECOT", "keywords": [], "article_count": 2})
        labels = {i: _source(store, store.articles_alias, i)["story_label"] for i in ("s1", "s2", "s3")}
        assert labels == {"s1": "Kast y Bukele en el CECOT", "s2": "Kast y Bukele en el CECOT", "s3": "Otra historia"}

        # a merge moves the absorbed story's articles (as the clusterer does) and aliases its id
        store.assign_story("s3", "st-a")
        store.save_story({"id": "st-b", "label": "Otra historia", "merged_into": "st-a", "article_count": 0})
        assert _source(store, store.articles_alias, "s3")["story_label"] == "Kast y Bukele en el CECOT"
        # a re-crawl of an article rewrites its document: the label stays
        store.upsert_articles([article("s1", title="Título nuevo")])
        assert _source(store, store.articles_alias, "s1")["story_label"] == "Kast y Bukele en el CECOT"
        assert _count(store, {"term": {"story_label": "Kast y Bukele en el CECOT"}}) == 3

        story = _source(store, store.stories_alias, "st-a")
        assert story["label"] == "Kast y Bukele en el CECOT"


@pytest.mark.engine
def test_stories_have_dates_a_data_view_can_use(engine_config: EngineConfig) -> None:
    with EngineStore(engine_config) as store:
        store.save_story(
            {
                "id": "st-d",
                "label": "Fechas",
                "keywords": [],
                "article_count": 2,
                "created_at": "2026-11-27T12:00:00+00:00",
                "updated_at": "2026-11-28T08:15:00+00:00",
                "first_published_utc": T0,
                "last_published_utc": T0 + 86400,
            }
        )
        story = _source(store, store.stories_alias, "st-d")
        assert (story["first_published"], story["last_published"]) == (
            "2026-11-27T12:00:00.000Z",
            "2026-11-28T12:00:00.000Z",
        )
        assert story["updated"] == "2026-11-28T08:15:00.000Z"
        store.client.refresh(store.stories_alias)
        for field in ("first_published", "last_published", "updated", "created_at", "updated_at"):
            count = store.client.count(store.stories_alias, {"query": {"range": {field: {"gte": "2026-11-27"}}}})
            assert count == 1, field
        mapping = next(iter(store.client.get_mapping(store.stories_alias).values()))["mappings"]["properties"]
        assert {mapping[f]["type"] for f in ("first_published", "last_published", "updated", "created_at")} == {"date"}


@pytest.mark.engine
def test_a_store_of_the_previous_schema_is_migrated_with_its_dates_and_labels(engine_config: EngineConfig) -> None:
    """A prefix laid out by an older newsagg (schema v3, before dates were dates; mappings frozen in
    tests/fixtures) is upgraded on open: new indices, every document converted, aliases swapped, old indices
    kept. (The v4 → v5 step, analyzers only, is in tests/test_search_analysis.py.)"""
    old_version = PREVIOUS["schema_version"]
    assert old_version < SCHEMA_VERSION
    prefix = engine_config.index_prefix
    client = EngineClient(engine_config)
    try:
        for kind in KINDS:
            alias, old = alias_name(prefix, kind), index_name(prefix, kind, old_version)
            body = {"index_patterns": [f"{prefix}-{kind}-v*"], "version": old_version, "priority": 200}
            client.put_index_template(alias, {**body, "template": PREVIOUS["indices"][kind]})
            client.create_index(old, {"aliases": {alias: {"is_write_index": True}}})
        old_docs = {
            "v1": {
                **article("v1", kind="article"),
                "story_id": "st-v",
                "seq": 1,
                "published": int(T0 * 1000),
                "fp": "x",
            },
            "v2": {**article("v2", published_at="2026-11-28", published_utc=T0 + 43200), "seq": 2, "fp": "y"},
        }
        lines = []
        for doc_id, doc in old_docs.items():
            doc.update(when_utc=doc["published_utc"], first_seen=int(T0 * 1000), last_seen=int(T0 * 1000))
            lines += [{"index": {"_index": alias_name(prefix, "articles"), "_id": doc_id}}, doc]
        story = {
            "id": "st-v",
            "label": "Versión anterior",
            "keywords": ["v2"],
            "created_at": "2026-11-27T12:00:00+00:00",
        }
        story.update(updated_at="2026-11-27T13:00:00+00:00", first_published_utc=T0, last_published_utc=T0)
        story.update(article_count=1, merged_into=None)
        lines += [{"index": {"_index": alias_name(prefix, "stories"), "_id": "st-v"}}, story]
        payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
        assert not client.bulk(payload).get("errors")
    finally:
        client.close()

    with EngineStore(engine_config) as store:
        assert store.describe()["indices"][store.articles_alias] == [index_name(prefix, "articles")]
        assert store.client.index_exists(index_name(prefix, "articles", old_version)), "the old index is kept"
        assert store.get_article("v1")["published_at"] == "2026-11-27T09:00:00-03:00"
        assert store.get_article("v2")["published_at"] == "2026-11-28"
        doc = _source(store, store.articles_alias, "v1")
        assert (doc["published_at"], doc["published_offset"], doc["story_label"]) == (
            "2026-11-27T12:00:00.000Z",
            "-03:00",
            "Versión anterior",
        )
        assert _source(store, store.articles_alias, "v2")["story_label"] is None
        assert _count(store, {"range": {"published_at": {"gte": "2026-11-27", "lt": "2026-11-28"}}}) == 1
        assert _source(store, store.stories_alias, "st-v")["first_published"] == "2026-11-27T12:00:00.000Z"
        assert store.get_story("st-v")["keywords"] == ["v2"]
        # the migrated store works on: a new article gets the new layout, a relabel reaches the old ones
        store.upsert_articles([article("v3")])
        store.assign_story("v3", "st-v")
        store.save_story({**store.get_story("st-v"), "label": "Versión tres"})
        assert _count(store, {"term": {"story_label": "Versión tres"}}) == 2


@pytest.mark.engine
def test_shards_and_replicas_come_from_the_settings(engine_config: EngineConfig) -> None:
    def settings_of(store: EngineStore) -> tuple[str, str]:
        index = store.describe()["indices"][store.articles_alias][0]
        got = store.client.call("settings", lambda c: c.indices.get_settings(index=index)) or {}
        values = got[index]["settings"]["index"]
        return values["number_of_shards"], values["number_of_replicas"]

    default = EngineConfig(**{**engine_config.__dict__, "replicas": None})
    with EngineStore(default) as store:  # a one-node test cluster: no replica, so the indices can be green
        assert settings_of(store) == ("1", "0")
        assert store.describe()["replicas"] == 0
        health = store.client.call("health", lambda c: c.cluster.health(index=store.articles_alias)) or {}
        assert health["status"] == "green"
    drop_engine_prefix(default)
    wide = EngineConfig(**{**engine_config.__dict__, "replicas": 1, "shards": 2})
    with EngineStore(wide) as store:
        assert settings_of(store) == ("2", "1")
        health = store.client.call("health", lambda c: c.cluster.health(index=store.articles_alias)) or {}
        assert health["status"] == "yellow"  # the replica has nowhere to go: what the default avoids
