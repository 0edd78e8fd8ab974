"""Shared fixtures. The storage contract suite runs on every backend in ``BACKENDS``: SQLite, and a real
node of each supported engine major, OpenSearch 3 and 2, Elasticsearch 9 and 8 (``tests/support/engines.py``
finds or starts them). A missing engine skips loudly, or fails when ``CI=true``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bench.redis_server import RedisServer, RedisUnavailable
from newsagg.storage.base import ArticleStore

# Property and fuzz tests draw the same examples on every run (derandomized): a gate that turns red on its own,
# on a change that broke nothing, is not a gate. Exploration is a separate, explicit run:
# NEWSAGG_HYPOTHESIS_PROFILE=explore pytest -m reliability (or python tests/fuzz/test_fuzz_extract.py); add
# what it finds as a regression test.
hypothesis_settings.register_profile("gate", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("NEWSAGG_HYPOTHESIS_PROFILE", "gate"))

pytest_plugins = ["tests.support.fixtures"]

#: The engine nodes the suites run on, one per supported major (names as in tests/engine/engine.sh). A test
#: takes the node's name as its parameter and ``backend_of(name)`` as ``NEWSAGG_BACKEND``.
ENGINES = ("opensearch", "elasticsearch", "opensearch2", "elasticsearch8")
#: The current majors only, for tests about newsagg's own behaviour rather than the server's (faults, spool).
CURRENT_ENGINES = ("opensearch", "elasticsearch")


def backend_of(engine: str) -> str:
    """The ``NEWSAGG_BACKEND`` that talks to the test node ``engine`` (``elasticsearch8`` -> ``elasticsearch``)."""
    from tests.support import engines

    return engines.FAMILY[engines.canonical(engine)]


def engine_params(engines: tuple[str, ...] = ENGINES) -> list:  # type: ignore[type-arg]
    """``engines`` as pytest params, marked ``engine`` (and ``older_major`` for OpenSearch 2 / Elasticsearch 8)."""
    from tests.support.engines import OLDER_MAJORS

    return [
        pytest.param(e, marks=[pytest.mark.engine, *([pytest.mark.older_major] if e in OLDER_MAJORS else [])])
        for e in engines
    ]


BACKENDS = ["sqlite", *engine_params()]
#: Engine settings variables cleared for engine tests, so a developer's shell cannot redirect them.
_ENGINE_ENV_PREFIXES = ("NEWSAGG_ES_", "NEWSAGG_OPENSEARCH_", "NEWSAGG_INDEX_PREFIX", "NEWSAGG_ENGINE_")


def engine_url_or_skip(engine: str) -> str:
    """Base URL of a real ``engine`` node; skips with a banner, or fails when ``CI=true``."""
    from tests.support import engines

    url = engines.engine_url(engine)
    if url is None:
        reason = engines.unavailable_reason(engine)
        banner = f"\n{'!' * 78}\n!!! REAL {engine.upper()} NOT AVAILABLE: engine tests NOT RUN\n{reason}\n{'!' * 78}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {engine} is unavailable:{banner}", pytrace=False)
        pytest.skip(banner)
    return url


def engine_env(engine: str, url: str, prefix: str, **extra: str) -> dict[str, str]:
    """``NEWSAGG_*`` settings that point a store (or a ``newsagg`` subprocess) at ``url`` with ``prefix``."""
    engine = backend_of(engine)
    var = "NEWSAGG_ES_URL" if engine == "elasticsearch" else "NEWSAGG_OPENSEARCH_URL"
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENGINE_ENV_PREFIXES)}
    # no NEWSAGG_ENGINE_REPLICAS: newsagg's own default (0 on a one-node cluster) keeps the test indices green
    env.update({"NEWSAGG_BACKEND": engine, var: url, "NEWSAGG_INDEX_PREFIX": prefix})
    if os.environ.get("NEWSAGG_TEST_VERIFY_CERTS", "1") == "0":
        env["NEWSAGG_ES_VERIFY_CERTS" if engine == "elasticsearch" else "NEWSAGG_OPENSEARCH_VERIFY_CERTS"] = "0"
    env.update(extra)
    return env


def unique_prefix(label: str = "t") -> str:
    return f"newsagg-{label}-{uuid.uuid4().hex[:10]}"


def make_store(backend: str, tmp_path: Path) -> ArticleStore:
    if backend == "sqlite":
        from newsagg.storage.sqlite import SQLiteStore

        return SQLiteStore(tmp_path / "store.sqlite")
    if backend in ENGINES:
        from newsagg.storage import open_store

        url = engine_url_or_skip(backend)
        return open_store(backend_of(backend), env=engine_env(backend, url, unique_prefix()))
    raise ValueError(backend)


def drop_store(store: ArticleStore) -> None:
    """Remove everything a test store holds (an engine store: its test prefix's indices and templates)."""
    store.drop()


def drop_engine_prefix(config) -> None:  # type: ignore[no-untyped-def]
    """Remove every index and template of a test prefix, whatever schema version it holds."""
    from newsagg.storage.engine_client import EngineClient
    from newsagg.storage.engine_schema import drop_prefix

    assert config.index_prefix.startswith("newsagg-"), config.index_prefix
    client = EngineClient(config)
    try:
        drop_prefix(client, config.index_prefix)
    finally:
        client.close()


@contextmanager
def engine_config_of(engine: str, label: str):  # type: ignore[no-untyped-def]
    """The configuration of a fresh test prefix on ``engine`` (skipped when its URL is unset), dropped after."""
    from newsagg.storage.engine_config import EngineConfig

    url = engine_url_or_skip(engine)
    config = EngineConfig.from_env(backend_of(engine), engine_env(engine, url, unique_prefix(label)))
    try:
        yield config
    finally:
        drop_engine_prefix(config)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    backend = make_store(request.param, tmp_path)
    try:
        yield backend
    finally:
        drop_store(backend)
        backend.close()


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real ``redis-server`` on a free loopback port for the tests of one module. Without one the tests
    skip, loudly; under ``CI=true`` they fail instead (CI installs redis-server)."""
    try:
        server = RedisServer()
    except RedisUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and Redis is unavailable: {exc}", pytrace=False)
        pytest.skip(f"REAL REDIS NOT AVAILABLE, tests of the distributed mode NOT RUN: {exc}")
    with server:
        yield server.url
