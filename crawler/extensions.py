"""Crawl-wide components driven by signals: story clustering after each indexed batch, live progress."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.store import store_for
from newsagg.storage.base import Article, StorageError
from newsagg.stories import StoryClusterer, StorySettings, clustering_order


class StoryClusteringExtension:
    """Assigns every freshly indexed article to a story (earliest first, so stories are founded by the
    earliest article of the batch and ids do not depend on download order within a batch)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.settings = StorySettings.from_config(config_for(crawler))
        self.clusterer: StoryClusterer | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoryClusteringExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.articles_indexed, signal=newsagg_signals.articles_indexed)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _clusterer(self) -> StoryClusterer:
        if self.clusterer is None:
            self.clusterer = StoryClusterer(store_for(self.crawler), self.settings)
        return self.clusterer

    def see_other_writers(self) -> None:
        """Let this process's store see what another process (the story worker) wrote, before clustering
        here what that process may have clustered already. A store that cannot refresh now fails the
        clustering that follows with the same error, which is handled there."""
        try:
            store_for(self.crawler).refresh()
        except StorageError as exc:
            self.crawler.spider.logger.warning("store not refreshed: %s", exc)

    def spider_closed(self) -> None:
        """Articles whose clustering failed during the crawl (store down) are clustered now, after the
        pipelines' last flush; if the store is still down they wait for the next crawl or index replay."""
        try:
            done = self._clusterer().cluster_backlog()
        except StorageError as exc:
            self.crawler.spider.logger.warning("story backlog not clustered yet: %s", exc)
            return
        if done:
            self.crawler.stats.inc_value("newsagg/stories_backlog_clustered", done)

    def articles_indexed(self, articles: list[Article]) -> None:
        clusterer = self._clusterer()
        for article in clustering_order(articles):
            try:
                story_id = clusterer.assign(article)
            except StorageError as exc:
                self.crawler.spider.logger.warning("story of %s not assigned yet (%s): backlog", article["id"], exc)
                continue
            self.crawler.stats.set_value(f"newsagg/story_seen/{story_id}", 1)


class ProgressExtension:
    """Live crawl progress on a terminal (pages, articles, items/s, errors), silent elsewhere."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        config = config_for(crawler).crawl
        extension = cls(crawler, config.progress_interval)
        enabled = sys.stderr.isatty() if config.progress is None else config.progress
        if enabled:
            crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.task = task.LoopingCall(self.render)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task and self.task.running:
            self.task.stop()
        sys.stderr.write("\n")

    def render(self) -> None:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        articles = stats.get("item_scraped_count", 0)
        errors = sum(v for k, v in stats.items() if k.startswith("newsagg/errors/"))
        elapsed = max(time.monotonic() - self.started, 1e-6)
        run = stats.get("newsagg/run_id")  # set by crawler.runs.RunRecorderExtension: `newsagg runs show ID`
        records = stats.get("newsagg/warc/records_seen")  # an ingest: archive records read so far
        sys.stderr.write(
            (f"\r  run {run}" if run else "\r")
            + (f"  records {records:>7}" if records is not None else "")
            + f"  pages {pages:>6}  articles {articles:>6}  {articles / elapsed:6.1f} items/s  errors {errors:>4}"
            f"  {elapsed:6.1f}s "
        )
        sys.stderr.flush()
