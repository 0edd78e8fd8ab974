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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.config import config_for
from newsagg.storage import StorageError, open_store
from newsagg.storage.base import Article, ArticleFilter, ArticleStore, SearchPage, Story, UpsertResult

_ATTRIBUTE = "_newsagg_store"
logger = logging.getLogger(__name__)


class ReconnectingStore(ArticleStore):
    """Stands in for a backend that could not be opened: every call first tries to open it (at most once
    per ``retry_seconds``) and raises :class:`StorageError` while it stays down; once open, every call goes
    to the real store.

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

    # --- the contract, each call on the real store --------------------------------------------------
    def upsert_articles(self, articles: Sequence[Article]) -> UpsertResult:
        return self._inner().upsert_articles(articles)

    def get_article(self, article_id: str) -> Article | None:
        return self._inner().get_article(article_id)

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        return self._inner().get_articles(article_ids)

    def find_by_content_hash(self, content_hash: str) -> list[Article]:
        return self._inner().find_by_content_hash(content_hash)

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        return self._inner().count_articles(flt)

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        return self._inner().iter_articles(flt)

    def search(
        self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchPage:
        return self._inner().search(query, flt, limit=limit, offset=offset, sort=sort)

    def candidates(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        return self._inner().candidates(
            terms, since_utc=since_utc, until_utc=until_utc, exclude_id=exclude_id, limit=limit
        )

    def candidate_stories(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[str]:
        return self._inner().candidate_stories(
            terms, since_utc=since_utc, until_utc=until_utc, exclude_id=exclude_id, limit=limit
        )

    def term_stats(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        return self._inner().term_stats(terms)

    def resolve_duplicate_groups(self, groups: Iterable[str]) -> None:
        self._inner().resolve_duplicate_groups(groups)

    def save_signatures(self, signatures: Sequence[tuple[str, bytes]]) -> None:
        self._inner().save_signatures(signatures)

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]:
        return self._inner().iter_signatures()

    def assign_story(self, article_id: str, story_id: str) -> None:
        self._inner().assign_story(article_id, story_id)

    def save_story(self, story: Story) -> None:
        self._inner().save_story(story)

    def get_story(self, story_id: str) -> Story | None:
        return self._inner().get_story(story_id)

    def list_stories(self, *, min_articles: int = 1, limit: int = 100) -> list[Story]:
        return self._inner().list_stories(min_articles=min_articles, limit=limit)

    def refresh(self) -> None:
        self._inner().refresh()

    def describe(self) -> dict[str, Any]:
        return self._inner().describe()

    def check(self, repair: bool = False) -> list[str]:
        return self._inner().check(repair)

    def drop(self) -> None:
        self._inner().drop()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def store_for(crawler: Crawler) -> ArticleStore:
    store: ArticleStore | None = getattr(crawler, _ATTRIBUTE, None)
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
        opened = store
        crawler.signals.connect(lambda: opened.close(), signal=signals.engine_stopped, weak=False)
    return store
