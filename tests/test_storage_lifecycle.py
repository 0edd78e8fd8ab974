"""The optional parts of the storage contract, on every backend: ``refresh()`` lets one connection see what
another wrote, ``describe()`` names the backend, ``drop()`` empties the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsagg.storage import open_store
from newsagg.storage.base import ArticleStore
from newsagg.storage.sqlite import SQLiteStore
from tests.conftest import BACKENDS, engine_env, engine_url_or_skip, unique_prefix
from tests.factories import article

Opener = Callable[[], ArticleStore]


@pytest.fixture(params=BACKENDS)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens another connection to the same store, like a worker process does."""
    backend: str = request.param
    if backend == "sqlite":
        yield lambda: SQLiteStore(tmp_path / "store.sqlite")
        return
    env = engine_env(backend, engine_url_or_skip(backend), unique_prefix("life"))
    yield lambda: open_store(env["NEWSAGG_BACKEND"], env=env)
    with open_store(env["NEWSAGG_BACKEND"], env=env) as store:
        store.drop()


def test_refresh_shows_another_connections_writes(opener: Opener) -> None:
    with opener() as writer, opener() as reader:
        assert reader.search("Valparaíso").total == 0  # the reader has searched before the write
        writer.upsert_articles([article("r1", title="Incendio en Valparaíso")])
        reader.refresh()
        assert [hit.article["id"] for hit in reader.search("Valparaíso").hits] == ["r1"]
        assert reader.count_articles() == 1


def test_describe_names_the_backend_and_drop_empties_the_store(opener: Opener) -> None:
    with opener() as store:
        assert store.describe()["backend"] == store.name
        store.upsert_articles([article("d1"), article("d2")])
        store.save_signatures([("d1", b"\x00" * 8)])
        store.save_story({"id": "s1", "label": "x", "keywords": [], "article_count": 2})
        store.drop()
    with opener() as store:
        assert store.count_articles() == 0
        assert list(store.iter_signatures()) == []
        assert store.get_story("s1") is None
        assert store.search("artículo").total == 0
