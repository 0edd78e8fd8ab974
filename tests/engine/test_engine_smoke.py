"""Smoke test against real engines: OpenSearch (opensearch-py) and Elasticsearch (elasticsearch-py).

Each engine comes from ``tests/support/engines.py``: ``NEWSAGG_TEST_OPENSEARCH_URL`` /
``NEWSAGG_TEST_OPENSEARCH2_URL`` / ``NEWSAGG_TEST_ES_URL`` / ``NEWSAGG_TEST_ES8_URL``, else a node started
by ``tests/engine/engine.sh``. Each family's one pinned client is checked against both of its majors. A
missing engine skips loudly, or fails when ``CI=true``.
"""

from __future__ import annotations

import uuid

import pytest

try:
    from tests.support import engines as harness
except ImportError:  # tests/ not importable as a package: pytest put this folder on sys.path
    import harness  # type: ignore[no-redef]

from tests.conftest import engine_params, engine_url_or_skip

pytestmark = pytest.mark.engine

N_DOCS = 100
OUTLETS = [f"outlet-{i}" for i in range(5)]
REGIONS = ["Argentina", "Mexico", "Spain", "Chile"]

MAPPING = {
    "properties": {
        "url": {"type": "keyword"},
        "title": {
            "type": "text",
            "fields": {
                "es": {"type": "text", "analyzer": "spanish"},
                "en": {"type": "text", "analyzer": "english"},
                "raw": {"type": "keyword", "ignore_above": 512},
            },
        },
        "lang": {"type": "keyword"},
        "outlet": {"type": "keyword"},
        "region": {"type": "keyword"},
        "published": {"type": "date"},
        "words": {"type": "integer"},
    }
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def _docs() -> list[dict]:
    docs = []
    for i in range(N_DOCS):
        region = REGIONS[i % len(REGIONS)]
        if i % 2 == 0:
            title, lang = f"Las elecciones presidenciales en {region}, crónica número {i}", "es"
        else:
            title, lang = f"Presidential elections held in {region}, report number {i}", "en"
        docs.append(
            {
                "url": f"https://news.example/{lang}/{i}",
                "title": title,
                "lang": lang,
                "outlet": OUTLETS[i % len(OUTLETS)],
                "region": region,
                "published": f"2026-11-{1 + i % 28:02d}T12:00:00Z",
                "words": 100 + i,
            }
        )
    return docs


@pytest.fixture(scope="module", params=engine_params(("opensearch", "opensearch2")))
def opensearch_client(request):
    from opensearchpy import OpenSearch

    opts = harness.client_options(engine_url_or_skip(request.param))
    auth = (opts["username"], opts["password"] or "") if opts["username"] else None
    client = OpenSearch(
        hosts=[opts["url"]], http_auth=auth, verify_certs=opts["verify_certs"], ssl_show_warn=False, timeout=60
    )
    yield client
    client.close()


@pytest.fixture(scope="module", params=engine_params(("elasticsearch", "elasticsearch8")))
def es_client(request):
    from elasticsearch import Elasticsearch

    opts = harness.client_options(engine_url_or_skip(request.param))
    auth = (opts["username"], opts["password"] or "") if opts["username"] else None
    client = Elasticsearch(opts["url"], basic_auth=auth, verify_certs=opts["verify_certs"], request_timeout=60)
    yield client
    client.close()


def _check_results(total_es: int, total_en: int, outlet_buckets: list[dict], lang_buckets: list[dict]) -> None:
    # Spanish stemming: "elección" matches "elecciones" (50 Spanish titles), not "elections".
    assert total_es == N_DOCS // 2
    # English stemming: "election" matches "elections" (50 English titles), not "elecciones".
    assert total_en == N_DOCS // 2
    assert {b["key"]: b["doc_count"] for b in outlet_buckets} == {o: N_DOCS // len(OUTLETS) for o in OUTLETS}
    assert {b["key"]: b["doc_count"] for b in lang_buckets} == {"es": N_DOCS // 2, "en": N_DOCS // 2}


def test_opensearch_smoke(opensearch_client):
    from opensearchpy import helpers

    client = opensearch_client
    info = client.info()
    assert info["version"]["distribution"] == "opensearch"
    index = f"newsagg-smoke-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=index, body={"settings": SETTINGS, "mappings": MAPPING})
    try:
        ok, errors = helpers.bulk(
            client, ({"_index": index, "_id": d["url"], "_source": d} for d in _docs()), refresh="wait_for"
        )
        assert ok == N_DOCS and not errors
        assert client.count(index=index)["count"] == N_DOCS

        res_es = client.search(index=index, body={"query": {"match": {"title.es": "elección"}}, "size": 3})
        res_en = client.search(index=index, body={"query": {"match": {"title.en": "election"}}, "size": 3})
        assert all(h["_source"]["lang"] == "es" for h in res_es["hits"]["hits"])
        aggs = client.search(
            index=index,
            body={
                "size": 0,
                "aggs": {"outlets": {"terms": {"field": "outlet", "size": 10}}, "langs": {"terms": {"field": "lang"}}},
            },
        )["aggregations"]
        _check_results(
            res_es["hits"]["total"]["value"],
            res_en["hits"]["total"]["value"],
            aggs["outlets"]["buckets"],
            aggs["langs"]["buckets"],
        )
        health = client.cluster.health(index=index)
        assert health["status"] == "green"
    finally:
        client.indices.delete(index=index)


def test_elasticsearch_smoke(es_client):
    from elasticsearch import helpers

    client = es_client
    info = client.info()  # the client itself checks the X-Elastic-Product header
    assert info["tagline"] == "You Know, for Search"
    index = f"newsagg-smoke-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=index, settings=SETTINGS, mappings=MAPPING)
    try:
        ok, errors = helpers.bulk(
            client, ({"_index": index, "_id": d["url"], "_source": d} for d in _docs()), refresh="wait_for"
        )
        assert ok == N_DOCS and not errors
        assert client.count(index=index)["count"] == N_DOCS

        res_es = client.search(index=index, query={"match": {"title.es": "elección"}}, size=3)
        res_en = client.search(index=index, query={"match": {"title.en": "election"}}, size=3)
        assert all(h["_source"]["lang"] == "es" for h in res_es["hits"]["hits"])
        aggs = client.search(
            index=index,
            size=0,
            aggs={"outlets": {"terms": {"field": "outlet", "size": 10}}, "langs": {"terms": {"field": "lang"}}},
        )["aggregations"]
        _check_results(
            res_es["hits"]["total"]["value"],
            res_en["hits"]["total"]["value"],
            aggs["outlets"]["buckets"],
            aggs["langs"]["buckets"],
        )
        assert client.cluster.health(index=index)["status"] == "green"
    finally:
        client.indices.delete(index=index)
