"""One store per crawler, shared by the pipelines and extensions that need it.

Scrapy builds each component separately ``from_crawler``; they all reach the same open store through this
function, which also closes it once the engine has stopped (after every pipeline's ``close_spider``).

A backend that is down when the crawl starts must not stop the crawl: pages are still fetched and
extracted, batches go to the spool, and the store is opened as soon as it answers again (see
:class:`ReconnectingStore`). Nothing collected is lost, and ``newsagg index replay`` finishes the job if the
backend never came back during the crawl.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.config import config_for
from newsagg.storage import StorageError, open_store
from newsagg.storage.base import ArticleStore

_ATTRIBUTE = "_newsagg_store"
logger = logging.getLogger(__name__)


class ReconnectingStore:
    """Stands in for a backend that could not be opened: every call first tries to open it (at most once
    per ``retry_seconds``) and raises :class:`StorageError` while it stays down.

    The pipelines already treat a ``StorageError`` as "store unavailable" (the index pipeline spools, dedupe
    judges from this crawl's memory), so they need no special case for a backend that was down from the start.
    """

    def __init__(self, opener: Callable[[], ArticleStore], error: StorageError, retry_seconds: float = 5.0) -> None:
        self._opener = opener
        self._store: ArticleStore | None = None
        self._error = str(error)
        self._retry_seconds = retry_seconds
        self._next_try = time.monotonic() + retry_seconds
        self.name = "unavailable"

    @property
    def available(self) -> bool:
        return self._store is not None

    def _inner(self) -> ArticleStore:
        if self._store is None:
            now = time.monotonic()
            if now < self._next_try:
                raise StorageError(f"store unavailable: {self._error}")
            try:
                self._store = self._opener()
            except StorageError as exc:
                self._error = str(exc)
                self._next_try = now + self._retry_seconds
                raise
            self.name = self._store.name
            logger.warning("store %s is reachable again", self._store.name)
        return self._store

    def __getattr__(self, attribute: str) -> Any:
        if self._store is not None:
            return getattr(self._store, attribute)
        if not callable(getattr(ArticleStore, attribute, None)):
            raise AttributeError(attribute)

        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._inner(), attribute)(*args, **kwargs)

        return call

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def store_for(crawler: Crawler) -> ArticleStore:
    store = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        config = config_for(crawler)

        def opener() -> ArticleStore:
            return open_store(config)

        try:
            store = opener()
        except StorageError as exc:
            logger.error("store unavailable at crawl start, articles will be spooled until it answers: %s", exc)
            if crawler.stats:
                crawler.stats.inc_value("newsagg/errors/store_unavailable_at_start")
            store = ReconnectingStore(opener, exc, config.store.retry_seconds)
        setattr(crawler, _ATTRIBUTE, store)
        crawler.signals.connect(lambda: store.close(), signal=signals.engine_stopped, weak=False)
    return store  # type: ignore[return-value]
