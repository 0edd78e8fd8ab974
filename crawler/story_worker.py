"""Story clustering in a worker process, so the crawl process (the Twisted reactor) never waits for it.

Profiled on the bench web, clustering was over half of the crawl process's time: per article, candidate
search in the store, term statistics and profile scoring, all on the reactor thread, stalling downloads
and the extraction pool meanwhile. This extension does the same work as
:class:`crawler.extensions.StoryClusteringExtension` (which it extends, and which stays the in-process
variant: ``NEWSAGG_STORY_WORKER=0``) in one dedicated process with its own store connection:

- after each indexed batch, the batch's ids go to the worker; batches are handled one at a time, in
  order, by one long-lived :class:`~newsagg.stories.StoryClusterer` (its profile cache survives), earliest
  article first, exactly as in process;
- the crawl process goes on downloading and extracting while the worker clusters;
- at spider close the extension waits for every batch sent, so the crawl ends with every article in a
  story (and the summary's ``stories_touched`` counts them);
- a worker that dies is replaced, and the batch it had is clustered in the crawl process: nothing is left
  without a story.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from twisted.internet import defer

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.extensions import StoryClusteringExtension
from newsagg.config import Config
from newsagg.storage.base import Article

_STATE: dict[str, Any] = {}


def _order(articles: list[Article]) -> list[Article]:
    return sorted(
        articles, key=lambda a: (a.get("duplicate_of") is not None, a.get("published_utc") or float("inf"), a["id"])
    )


def _init_worker(config: Config, story_settings: Any) -> None:
    from newsagg.storage import open_store
    from newsagg.stories import StoryClusterer

    store = open_store(config)
    _STATE["store"] = store
    _STATE["clusterer"] = StoryClusterer(store, story_settings)


def _assign(article_ids: list[str]) -> list[str]:
    """Worker side: cluster one indexed batch; returns the story ids touched. An article the store cannot
    take now stays unassigned: the backlog clustering at spider close (in the crawl process) picks it up."""
    from newsagg.storage.base import StorageError

    touched = []
    for article in _order(_STATE["store"].get_articles(article_ids)):
        try:
            touched.append(_STATE["clusterer"].assign(article))
        except StorageError:
            continue
    return touched


class StoryWorkerExtension(StoryClusteringExtension):
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        super().__init__(crawler)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[defer.Deferred[None]] = []

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        # SQLite only: a second SQLite connection reads every committed write. An engine store refreshes
        # (read-your-writes) only for the instance that wrote, so a worker's own connection would search a
        # stale index; engines cluster in the crawl process until the store contract has a refresh hook.
        config = config_for(crawler)
        if not config.crawl.story_worker or config.store.backend != "sqlite":
            return StoryClusteringExtension.from_crawler(crawler)
        extension = cls(crawler)
        crawler.signals.connect(extension.offload, signal=newsagg_signals.articles_indexed)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _make_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_init_worker,
            initargs=(config_for(self.crawler), self.settings),
        )

    def offload(self, articles: list[Article]) -> None:
        if not articles:
            return
        if self.pool is None:
            self.pool = self._make_pool()
        ids = [a["id"] for a in articles]
        pool = self.pool
        try:
            future = pool.submit(_assign, ids)
        except BrokenProcessPool:
            self._recover(pool, articles)
            return
        self.pending.append(self._deferred(future, pool, articles))

    def _deferred(
        self, future: Future[list[str]], pool: ProcessPoolExecutor, articles: list[Article]
    ) -> defer.Deferred[None]:
        from twisted.internet import reactor

        done: defer.Deferred[None] = defer.Deferred()

        def finished(result: Future[list[str]]) -> None:
            reactor.callFromThread(self._finished, result, pool, articles, done)  # type: ignore[attr-defined]

        future.add_done_callback(finished)
        return done

    def _finished(
        self, result: Future[list[str]], pool: ProcessPoolExecutor, articles: list[Article], done: defer.Deferred[None]
    ) -> None:
        error = result.exception()
        if isinstance(error, BrokenProcessPool):
            self._recover(pool, articles)
        elif error is not None:
            self.crawler.spider.logger.error("story clustering failed for %d articles: %s", len(articles), error)
            self.crawler.stats.inc_value("newsagg/errors/story_clustering")
        else:
            for story_id in result.result():
                self.crawler.stats.set_value(f"newsagg/story_seen/{story_id}", 1)
        if done in self.pending:
            self.pending.remove(done)
        done.callback(None)

    def _recover(self, pool: ProcessPoolExecutor, articles: list[Article]) -> None:
        """The worker died: replace it (once per broken pool) and cluster this batch here."""
        self.crawler.spider.logger.error("story worker died; batch of %d clustered in the crawl process", len(articles))
        self.crawler.stats.inc_value("newsagg/errors/story_worker_died")
        if self.pool is pool:
            pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        self.articles_indexed(articles)

    def spider_closed(self) -> defer.Deferred[Any]:
        """Wait for every batch sent (Scrapy waits for this Deferred before the crawl ends), then cluster
        the backlog (articles a store outage left without a story) in the crawl process, as the base does."""
        waiting = defer.DeferredList(list(self.pending), consumeErrors=True)

        def shutdown(result: Any) -> Any:
            if self.pool is not None:
                self.pool.shutdown(wait=True)
                self.pool = None
            super(StoryWorkerExtension, self).spider_closed()
            return result

        return waiting.addBoth(shutdown)
