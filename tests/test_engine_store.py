"""Engine-only behaviour beyond the shared contract: schema versions and migration, per-document bulk errors,
wrong product, configuration from the environment. Runs against real OpenSearch and Elasticsearch nodes."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from newsagg.storage import open_store
from newsagg.storage.base import StorageError
from newsagg.storage.engine import EngineStore
from newsagg.storage.engine_client import EngineClient, EngineIncompatible, check_server, speakable_majors
from newsagg.storage.engine_config import EngineConfig
from newsagg.storage.engine_schema import SCHEMA_VERSION
from tests.conftest import (
    CURRENT_ENGINES,
    backend_of,
    engine_config_of,
    engine_env,
    engine_params,
    engine_url_or_skip,
    unique_prefix,
)
from tests.factories import article


@pytest.fixture(params=engine_params())
def engine_config(request: pytest.FixtureRequest) -> Iterator[EngineConfig]:
    with engine_config_of(request.param, "schema") as config:
        yield config


@pytest.mark.engine
def test_older_schema_is_migrated_and_newer_one_refused(engine_config: EngineConfig) -> None:
    with EngineStore(engine_config) as old:  # this build's schema
        old.upsert_articles([article("m1", title="Migración"), article("m2"), article("m3", dup_group="m1")])
        old.assign_story("m1", "st-m")
        old.save_story({"id": "st-m", "label": "Migración", "keywords": ["kast"], "article_count": 1})
        old.save_signatures([("m1", b"\x01\x02")])
        old.resolve_duplicate_groups(["m1"])
    newer = SCHEMA_VERSION + 1
    with EngineStore(engine_config, schema_version=newer) as new:  # a build that knows a newer schema
        assert new.describe()["indices"][new.articles_alias] == [f"{engine_config.index_prefix}-articles-v{newer}"]
        assert new.count_articles() == 3
        assert new.get_article("m1")["story_id"] == "st-m"
        assert new.get_article("m3")["duplicate_of"] == "m1"
        assert new.search("migracion").total == 1
        assert new.get_story("st-m")["keywords"] == ["kast"]
        assert dict(new.iter_signatures()) == {"m1": b"\x01\x02"}
        assert new.client.index_exists(f"{engine_config.index_prefix}-articles-v{SCHEMA_VERSION}"), "old index kept"
    with pytest.raises(StorageError, match="newer than this newsagg"):
        EngineStore(engine_config)  # this build meets the newer layout: stop, do not touch it


@pytest.mark.engine
def test_a_refused_document_is_reported_with_its_reason_and_the_rest_written(engine_config: EngineConfig) -> None:
    with EngineStore(engine_config) as store:
        with pytest.raises(StorageError) as failure:
            store.upsert_articles([article("ok1"), article("bad", published_utc=math.inf), article("ok2")])
        message = str(failure.value)
        assert "bad:" in message and "1 document" in message
        assert "ok1" not in message
        assert {a["id"] for a in store.get_articles(["ok1", "bad", "ok2"])} == {"ok1", "ok2"}
        # the spooled batch, replayed once the bad document is fixed, converges (idempotent by id)
        again = store.upsert_articles([article("ok1"), article("bad"), article("ok2")])
        assert (again.inserted, again.unchanged) == (1, 2)


@pytest.mark.engine
@pytest.mark.parametrize("engine", CURRENT_ENGINES)
def test_wrong_product_is_a_clear_error(engine: str) -> None:
    other = "elasticsearch" if engine == "opensearch" else "opensearch"
    url = engine_url_or_skip(other)
    with pytest.raises(StorageError) as failure:
        open_store(engine, env=engine_env(engine, url, unique_prefix("wrong")))
    assert other.lower() in str(failure.value).lower() or "product" in str(failure.value).lower()


def test_settings_come_from_the_environment_and_secrets_stay_out_of_repr() -> None:
    config = EngineConfig.from_env(
        "elasticsearch",
        {
            "NEWSAGG_ES_URL": "https://elastic:s3cret@es1:9200/, es2:9200",
            "NEWSAGG_ES_CA_FILE": "/etc/ca.pem",
            "NEWSAGG_INDEX_PREFIX": "news",
            "NEWSAGG_ENGINE_BULK_DOCS": "250",
        },
    )
    assert config.urls == ("https://es1:9200", "http://es2:9200")
    assert (config.username, config.password) == ("elastic", "s3cret")
    assert config.verify_certs is True and config.ca_file == "/etc/ca.pem"
    assert (config.index_prefix, config.bulk_docs) == ("news", 250)
    assert "s3cret" not in repr(config)
    opensearch = EngineConfig.from_env("opensearch", {"NEWSAGG_OPENSEARCH_VERIFY_CERTS": "0"})
    assert opensearch.verify_certs is False and opensearch.urls == ("http://localhost:9200",)
    for bad in (
        {"NEWSAGG_INDEX_PREFIX": "Bad Prefix"},
        {"NEWSAGG_ENGINE_BULK_DOCS": "lots"},
        {"NEWSAGG_ES_VERIFY_CERTS": "maybe"},
    ):
        with pytest.raises(ValueError):
            EngineConfig.from_env("elasticsearch", bad)
    with pytest.raises(StorageError, match="unknown backend"):
        open_store("solr")


def test_each_family_client_speaks_both_supported_majors_and_names_the_ones_it_does_not() -> None:
    assert {8, 9} <= set(speakable_majors("elasticsearch")) and {2, 3} <= set(speakable_majors("opensearch"))
    check_server("elasticsearch", "es:9200", {"version": {"number": "8.19.21"}})
    check_server("elasticsearch", "es:9200", {"version": {"number": "9.5.3"}})
    check_server("opensearch", "os:9200", {"version": {"number": "2.19.1", "distribution": "opensearch"}})
    with pytest.raises(
        EngineIncompatible, match=r"runs Elasticsearch 7\.17\.0; the installed client \(elasticsearch 8"
    ):
        check_server("elasticsearch", "es:9200", {"version": {"number": "7.17.0"}})
    with pytest.raises(EngineIncompatible, match="runs OpenSearch; set NEWSAGG_BACKEND=opensearch"):
        check_server("elasticsearch", "os:9200", {"version": {"number": "2.19.1", "distribution": "opensearch"}})


@pytest.mark.engine
@pytest.mark.parametrize("engine", engine_params())
def test_handshake_accepts_every_supported_major(engine: str) -> None:
    url = engine_url_or_skip(engine)
    client = EngineClient(EngineConfig.from_env(backend_of(engine), engine_env(engine, url, unique_prefix("hello"))))
    try:
        info = client.handshake()
    finally:
        client.close()
    major = int(info["version"]["number"].split(".")[0])
    assert major == {"opensearch": 3, "opensearch2": 2, "elasticsearch": 9, "elasticsearch8": 8}[engine]


def _signature_versions(store: EngineStore) -> dict[str, tuple[int, int]]:
    store.client.refresh(store.signatures_alias)
    body = {"query": {"match_all": {}}, "version": True, "seq_no_primary_term": True, "size": 100}
    hits = store.client.search(store.signatures_alias, body)["hits"]["hits"]
    return {hit["_id"]: (hit["_version"], hit["_seq_no"]) for hit in hits}


@pytest.mark.engine
def test_unchanged_signatures_are_not_written_again(engine_config: EngineConfig) -> None:
    """What ``crawl --full`` does to every article: save its signature again. Unchanged ones stay the same
    documents (same _version and _seq_no, no write); a changed one is written."""
    with EngineStore(engine_config) as store:
        store.save_signatures([("s1", b"\x01\x02"), ("s2", b"\x03\x04")])
        first = _signature_versions(store)
        assert set(first) == {"s1", "s2"}
        store.save_signatures([("s1", b"\x01\x02"), ("s2", b"\x03\x04")])
        assert _signature_versions(store) == first
        store.save_signatures([("s1", b"\x01\x02"), ("s2", b"\x09\x09")])
        after = _signature_versions(store)
        assert after["s1"] == first["s1"]
        assert after["s2"][0] == first["s2"][0] + 1 and after["s2"][1] > first["s2"][1]
        assert dict(store.iter_signatures()) == {"s1": b"\x01\x02", "s2": b"\x09\x09"}
