"""Story clustering in a worker process, so the crawl process (the Twisted reactor) never waits for it.

Profiled on the bench web, clustering was over half of the crawl process's time: per article, candidate
search in the store, term statistics and profile scoring, all on the reactor thread, stalling downloads
and the extraction pool meanwhile. This extension does the same work as
:class:`crawler.extensions.StoryClusteringExtension` (which it extends, and which stays the in-process
variant: ``NEWSAGG_STORY_WORKER=0``) in one dedicated process with its own store connection:

- after each indexed batch, the batch's ids go to the worker; batches are handled one at a time, in
  order, by one long-lived :class:`~newsagg.stories.StoryClusterer` (its profile cache survives), in the
  clustering order (:func:`newsagg.stories.clustering_order`), exactly as in process;
- the worker's store connection first :meth:`~newsagg.storage.ArticleStore.refresh` es, so it sees what the
  crawl process just wrote (a no-op on SQLite; an engine makes the crawl's writes searchable);
- the crawl process goes on downloading and extracting while the worker clusters;
- at spider close the extension waits for every batch sent, so the crawl ends with every article in a
  story (and the summary's ``stories_touched`` counts them);
- a worker that dies is replaced, and the batch it had is clustered in the crawl process: nothing is left
  without a story.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import defer
from twisted.python.failure import Failure

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.extensions import StoryClusteringExtension
from crawler.pool import DeferredProcessPool
from crawler.story_tasks import assign, init_worker
from newsagg.storage.base import Article


class StoryWorkerExtension(StoryClusteringExtension):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        initargs = (config_for(crawler), self.settings)

        def make_pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=init_worker,
                initargs=initargs,
            )

        # batches must reach the single worker in the order they were indexed: submitted from this thread
        self.pool = DeferredProcessPool(make_pool, submit_in_thread=False)
        self.pending: list[defer.Deferred[Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoryClusteringExtension:
        config = config_for(crawler)
        # Engines cluster in the crawl process: with the worker on an engine, an article whose assignment
        # failed during an outage stayed without a story after `index replay` (test_engine_crawl's outage
        # test); until that is understood the worker serves SQLite only.
        if not config.crawl.story_worker or config.store.backend != "sqlite":
            return StoryClusteringExtension.from_crawler(crawler)
        extension = cls(crawler)
        crawler.signals.connect(extension.offload, signal=newsagg_signals.articles_indexed)
        crawler.signals.connect(extension.wait_then_close, signal=signals.spider_closed)
        return extension

    def offload(self, articles: list[Article]) -> None:
        if not articles:
            return
        done: defer.Deferred[Any] = self.pool.call(assign, [a["id"] for a in articles])
        done.addCallbacks(self._clustered, self._failed, errbackArgs=(articles,))
        self.pending.append(done)
        done.addBoth(self._forget, done)

    def _clustered(self, story_ids: list[str]) -> None:
        for story_id in story_ids:
            self.crawler.stats.set_value(f"newsagg/story_seen/{story_id}", 1)

    def _failed(self, failure: Failure, articles: list[Article]) -> None:
        if isinstance(failure.value, BrokenProcessPool):
            # the worker died (the pool starts a new one with the next batch): cluster this batch here
            self.crawler.spider.logger.error(
                "story worker died; batch of %d clustered in the crawl process", len(articles)
            )
            self.crawler.stats.inc_value("newsagg/errors/story_worker_died")
            self.see_other_writers()
            self.articles_indexed(articles)
            return
        self.crawler.spider.logger.error(
            "story clustering failed for %d articles: %s", len(articles), failure.getErrorMessage()
        )
        self.crawler.stats.inc_value("newsagg/errors/story_clustering")

    def _forget(self, result: Any, done: defer.Deferred[Any]) -> Any:
        if done in self.pending:
            self.pending.remove(done)
        return result

    def wait_then_close(self) -> defer.Deferred[Any]:
        """Wait for every batch sent (Scrapy waits for this Deferred before the crawl ends), then cluster
        the backlog (articles a store outage left without a story) in the crawl process, as the base does."""
        waiting = defer.DeferredList(list(self.pending), consumeErrors=True)

        def shutdown(result: Any) -> Any:
            self.pool.shutdown(wait=True)
            self.see_other_writers()
            self.spider_closed()
            return result

        return waiting.addBoth(shutdown)
