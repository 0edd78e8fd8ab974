"""Same search on every backend: accents, plurals and stems in es, en, pt, de, fr match the same articles on
SQLite and on the engines (the ``store`` fixture runs each test on every backend, real engines included),
and the analysis SQLite does in Python is the engines' own, checked token by token with their ``_analyze``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsagg.storage import analysis
from newsagg.storage.base import ArticleStore
from newsagg.storage.engine import EngineStore
from newsagg.storage.engine_client import EngineClient
from newsagg.storage.engine_config import EngineConfig
from newsagg.storage.engine_schema import KINDS, LANGUAGE_SUBFIELDS, SCHEMA_VERSION, alias_name, index_name
from tests.conftest import backend_of, drop_engine_prefix, engine_env, engine_params, engine_url_or_skip, unique_prefix
from tests.factories import article

V4 = json.loads((Path(__file__).parent / "fixtures" / "engine_schema_v4.json").read_text(encoding="utf-8"))

CORPUS = {
    "es1": ("es", "Las cárceles de El Salvador", "Miles de presos en cárceles nuevas."),
    "es2": ("es", "La cárcel CECOT", "Una cárcel de máxima seguridad."),
    "es3": ("es", "Otra carcel sin tilde", "El texto escribe carcel sin acento."),
    "en1": ("en", "Prisons in El Salvador", "Thousands of prisoners in new prisons."),
    "en2": ("en", "The prison was full", "A maximum security prison."),
    "pt1": ("pt", "Os presídios do Brasil", "Mais presídios no país."),
    "pt2": ("pt", "Um presídio novo", "O presídio abriu ontem."),
    "de1": ("de", "Die Gefängnisse sind voll", "Viele Gefängnisse in Deutschland."),
    "de2": ("de", "Ein Gefängnis in Bayern", "Das Gefängnis wurde gebaut."),
    "fr1": ("fr", "Les prisons françaises", "Des prisons pleines."),
    "fr2": ("fr", "Une prison à Paris", "La prison a ouvert."),
    "it1": ("it", "Le carceri italiane", "Molte carceri piene."),  # no stemmer for Italian: words as typed
    "it2": ("it", "Il carcere di Roma", "Il carcere ha aperto."),
}

#: query → the articles it finds, on every backend
EXPECTED = {
    "cárceles": {"es1", "es2", "es3"},
    "carcel": {"es1", "es2", "es3"},
    "CÁRCEL": {"es1", "es2", "es3"},
    "prison": {"en1", "en2", "fr1", "fr2"},
    "prisons": {"en1", "en2", "fr1", "fr2"},
    "prisoners": {"en1", "en2"},
    "presidio": {"pt1", "pt2"},
    "presídios": {"pt1", "pt2"},
    "Gefangnisse": {"de1", "de2"},
    "gefängnis": {"de1", "de2"},
    "carceri": {"it1"},
    "carcere": {"it2"},
    "cárceles salvador": {"es1"},
    "prisons OR gefängnis": {"en1", "en2", "fr1", "fr2", "de1", "de2"},
    "presos": {"es1"},
}


def _load(store: ArticleStore) -> None:
    store.upsert_articles(
        [article(key, language=lang, title=title, text=text) for key, (lang, title, text) in CORPUS.items()]
    )


def test_the_same_queries_find_the_same_articles(store: ArticleStore) -> None:
    _load(store)
    found = {query: {hit.article["id"] for hit in store.search(query, limit=50).hits} for query in EXPECTED}
    assert found == EXPECTED
    assert all(store.search(query).total == len(ids) for query, ids in EXPECTED.items())


def test_a_stem_only_match_gets_a_highlighted_snippet(store: ArticleStore) -> None:
    _load(store)
    hits = {hit.article["id"]: hit.snippet for hit in store.search("prisoner", limit=50).hits}
    assert set(hits) == {"en1", "en2", "fr1", "fr2"}  # the French stemmer also takes -er off
    assert "«prison" in hits["en2"] or "«Prison" in hits["en2"], hits


def test_an_updated_article_is_found_by_its_new_words_only(store: ArticleStore) -> None:
    store.upsert_articles([article("a1", title="Cárceles", text="Las cárceles del norte.")])
    store.upsert_articles([article("a1", title="Hospitales", text="Los hospitales del norte.", language="pt")])
    assert store.search("cárcel").total == 0
    assert store.search("hospital").total == 1


WORDS = "Cárceles presídios Gefängnisse Straße prisoners détenus CO₂ Ærø Łódź naïve añadidas".split()


def test_sqlite_analysis_is_the_engines_analysis(store: ArticleStore) -> None:
    """The engines' own analyzers give, word for word, the folded tokens and stems the SQLite store indexes."""
    if not isinstance(store, EngineStore):
        pytest.skip("compares with an engine's _analyze")
    alias = store.articles_alias
    lucene = int(store.client.info()["version"]["lucene_version"].split(".")[0])
    for code, analyzer in {"": "newsagg_folded", **LANGUAGE_SUBFIELDS}.items():
        words = WORDS
        if code == "de" and lucene >= 10:  # Lucene 10's German stemmer reads ae/oe/ue as ä/ö/ü (docs/search.md)
            words = [w for w in WORDS if not re.search("ae|oe|ue", analysis.fold(w))]
        engine = []
        for word in words:
            body = {"analyzer": analyzer, "text": word}
            result = store.client.call("analyze", lambda c, body=body: c.indices.analyze(index=alias, body=body))
            engine.append([token["token"] for token in (result or {})["tokens"]])
        ours = [[analysis.stem(t, code) if code else t for t in analysis.tokens(word)] for word in words]
        assert engine == ours, analyzer


@pytest.fixture(params=engine_params())
def engine_config(request: pytest.FixtureRequest) -> Iterator[EngineConfig]:
    engine = request.param
    url = engine_url_or_skip(engine)
    config = EngineConfig.from_env(backend_of(engine), engine_env(engine, url, unique_prefix("stem")))
    yield config
    drop_engine_prefix(config)


@pytest.mark.engine
def test_a_v4_store_is_migrated_to_the_stemmed_analyzers(engine_config: EngineConfig) -> None:
    """Indices of schema v4 (built-in Spanish/English analyzers only, mappings frozen in tests/fixtures) are
    copied into the v5 layout on open; the copied articles are then found by their stems in every language."""
    assert V4["schema_version"] == 4 < SCHEMA_VERSION
    prefix = engine_config.index_prefix
    client = EngineClient(engine_config)
    try:
        for kind in KINDS:
            alias = alias_name(prefix, kind)
            body = {"index_patterns": [f"{prefix}-{kind}-v*"], "version": 4, "priority": 200}
            client.put_index_template(alias, {**body, "template": V4["indices"][kind]})
            client.create_index(index_name(prefix, kind, 4), {"aliases": {alias: {"is_write_index": True}}})
    finally:
        client.close()
    with EngineStore(engine_config, schema_version=4) as old:  # a v4 build writing its articles
        _load(old)
        old.refresh()
        # v4 had no Portuguese stemming: the plural finds the plural only
        assert {hit.article["id"] for hit in old.search("presídios").hits} == {"pt1"}
    with EngineStore(engine_config) as store:
        assert store.describe()["indices"][store.articles_alias] == [index_name(prefix, "articles")]
        found = {query: {hit.article["id"] for hit in store.search(query, limit=50).hits} for query in EXPECTED}
        assert found == EXPECTED
