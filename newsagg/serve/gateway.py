"""The web app's only way to the data: read-only, time-limited calls to the store and the run log.

Read-only by construction: :class:`ReadOnlyStore` forwards the reading half of the storage contract and has
no writing method at all, so no route can write even by mistake; a SQLite store is also switched to
``PRAGMA query_only`` (the engines are read with searches and gets only).

Time-limited: each call runs in a worker thread and the request gives up after ``timeout`` seconds with
:class:`StoreUnavailable` (shown as HTTP 503 with the reason), as it does when the backend cannot be opened
or answers with an error. The store is opened on first use and reopened after a failure, so a server started
while the engine was down recovers when it comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from newsagg.secrets import redact
from newsagg.serve.cache import ViewCache
from newsagg.serve.config import ServeConfig
from newsagg.storage import ArticleFilter, ArticleStore, SearchPage, StorageError, open_store
from newsagg.storage.base import Article, Story

T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The store did not answer (down, misconfigured, too slow); the message is safe to show."""


class ReadOnlyStore:
    """The reading half of :class:`ArticleStore`."""

    def __init__(self, store: ArticleStore) -> None:
        self._store = store
        self.name = store.name
        #: computed views of this store (listing rows, story documents), keyed by what would change them
        self.rows: ViewCache[tuple[dict[str, Any], list[float]]] = ViewCache(size=20_000, ttl=300.0)
        self.documents: ViewCache[dict[str, Any]] = ViewCache(size=64, ttl=60.0)

    def get_article(self, article_id: str) -> Article | None:
        return self._store.get_article(article_id)

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        return self._store.get_articles(article_ids)

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        return self._store.count_articles(flt)

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterable[Article]:
        return self._store.iter_articles(flt)

    def search(
        self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchPage:
        return self._store.search(query, flt, limit=limit, offset=offset, sort=sort)

    def get_story(self, story_id: str) -> Story | None:
        return self._store.get_story(story_id)

    def list_stories(self, *, min_articles: int = 1, limit: int = 100) -> list[Story]:
        return self._store.list_stories(min_articles=min_articles, limit=limit)

    def close(self) -> None:
        self._store.close()


def _make_query_only(store: ArticleStore) -> None:
    connection = getattr(store, "_db", None)
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA query_only = ON")


class Gateway:
    def __init__(self, config: ServeConfig, opener: Callable[[], ArticleStore] | None = None) -> None:
        self.config = config
        self._opener = opener or (
            (lambda: open_store(config.settings))
            if config.settings is not None
            else (lambda: open_store(config.backend, home=config.home, env=config.env))
        )
        self._store: ReadOnlyStore | None = None
        self._lock = threading.Lock()

    def _open(self) -> ReadOnlyStore:
        with self._lock:
            if self._store is None:
                store = self._opener()
                _make_query_only(store)
                self._store = ReadOnlyStore(store)
            return self._store

    def _forget(self, store: ReadOnlyStore) -> None:
        with self._lock:
            if self._store is store:
                self._store = None
        with contextlib.suppress(Exception):  # a broken store may fail to close too; it is dropped either way
            store.close()

    async def call(self, fn: Callable[[ReadOnlyStore], T]) -> T:
        """``fn(store)`` in a worker thread, within the time limit; failures become :class:`StoreUnavailable`."""
        backend = self.config.backend

        def work() -> T:
            try:
                store = self._open()
            except StorageError as exc:
                raise StoreUnavailable(f"the {backend} store cannot be opened: {exc}") from exc
            try:
                return fn(store)
            except StorageError as exc:
                self._forget(store)
                raise StoreUnavailable(f"the {backend} store failed: {exc}") from exc

        try:
            return await asyncio.wait_for(run_in_threadpool(work), timeout=self.config.timeout)
        except TimeoutError as exc:
            raise StoreUnavailable(
                f"the {backend} store did not answer within {self.config.timeout:g} s; try again later"
            ) from exc
        except StoreUnavailable as exc:
            raise StoreUnavailable(redact(str(exc))) from exc

    async def runs(self, fn: Callable[[Any], T]) -> T | None:
        """``fn(run_log)`` on the run log of the store's home, or None when no crawl has run there yet."""
        from newsagg.state.db import state_path
        from newsagg.state.runs import RunLog

        home = self.config.home

        def work() -> T | None:
            if not state_path(home).is_file():
                return None
            with RunLog.open(home) as log:
                log.db.execute("PRAGMA query_only = ON")
                return fn(log)

        try:
            return await asyncio.wait_for(run_in_threadpool(work), timeout=self.config.timeout)
        except TimeoutError as exc:
            raise StoreUnavailable(f"the run log did not answer within {self.config.timeout:g} s") from exc
        except sqlite3.Error as exc:
            raise StoreUnavailable(redact(f"the run log cannot be read: {exc}")) from exc

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()
