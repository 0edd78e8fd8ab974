"""Shared fixtures. Backends for the storage contract suite are listed in ``BACKENDS`` (issue #3 adds the
engines, which run against a real Elasticsearch/OpenSearch process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsagg.storage.base import ArticleStore

BACKENDS = ["sqlite"]


def make_store(backend: str, tmp_path: Path) -> ArticleStore:
    if backend == "sqlite":
        from newsagg.storage.sqlite import SQLiteStore

        return SQLiteStore(tmp_path / "store.sqlite")
    raise ValueError(backend)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    backend = make_store(request.param, tmp_path)
    yield backend
    backend.close()
