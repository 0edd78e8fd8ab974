"""Batched, idempotent writes to the store, with a durable spool when the store fails.

A batch is written in one transaction (SQLite) or one bulk call (engines). If the write fails, the batch is
appended to ``NEWSAGG_HOME/spool/*.jsonl`` (fsynced) and replayed before the next write and at the next
crawl, so an unavailable store loses nothing. After each successful write the ``articles_indexed`` signal
lets story clustering run on what was stored.

The write itself (versions, upsert, signatures, duplicate groups, read back) is the library's
:class:`newsagg.writer.BatchWriter`, the same one ``newsagg index replay`` uses; this pipeline adds what
belongs to Scrapy: buffering, stats, signals and spooling when the store raises ``StorageError``.

Once a batch is committed *or* spooled (both durable), ``pages_done`` tells the fetch state that its pages
are finished (:mod:`crawler.incremental`), and ``archived_durable`` names the archived records its articles
came from (pointers, ingest checkpoints); never earlier, so a crash cannot mark an unwritten article done.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.incremental import crawl_clock
from crawler.store import store_for
from newsagg.spool import Spool, SpoolError
from newsagg.storage.base import ARTICLE_FIELDS, StorageError
from newsagg.writer import BatchWriter


class Buffered(NamedTuple):
    """An article waiting for its batch, with what travels beside it (neither is stored as an article field)."""

    article: dict[str, Any]
    minhash: bytes | None
    #: the page's fetch record, handed to the fetch state once the article is durable (written or spooled);
    #: None for articles replayed from the spool (their pages were recorded when they were spooled)
    fetch: dict[str, Any] | None = None
    #: the archived record the page came from (``{"file", "offset"}``), if any
    warc: dict[str, Any] | None = None


class IndexPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        store = config_for(crawler).store
        self.batch_size = store.batch_size
        self.flush_seconds = store.flush_seconds
        self.buffer: list[Buffered] = []
        self.max_versions = store.versions_max
        self.clock = crawl_clock(crawler)
        self.last_flush = time.monotonic()
        self.spool = Spool(store.spool_dir)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.flush, signal=newsagg_signals.flush_requested)
        return pipeline

    def open_spider(self) -> None:
        self._replay_spool()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        article = {name: adapter.get(name) for name in ARTICLE_FIELDS}
        self.buffer.append(Buffered(article, adapter.get("minhash"), adapter.get("fetch"), adapter.get("warc")))
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.flush_seconds:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()
        if self.buffer:
            self.stats.set_value("newsagg/errors/unsaved", len(self.buffer))
            self.crawler.spider.logger.critical(
                "%d articles could not be stored nor spooled (store and spool both failing): not saved, crawl "
                "them again",
                len(self.buffer),
            )

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        try:
            self._write(batch)
        except StorageError as exc:
            try:
                path = self.spool.append_batch([(entry.article, entry.minhash) for entry in batch])
            except SpoolError as spool_exc:
                # Neither store nor disk takes it: keep the batch in memory, the next flush tries both again.
                self.buffer[:0] = batch
                self.stats.inc_value("newsagg/errors/spool_failed")
                self.crawler.spider.logger.error(
                    "store unavailable (%s) and spool not writable (%s): %d articles kept in memory, retried at the "
                    "next flush",
                    exc,
                    spool_exc,
                    len(self.buffer),
                )
                return
            self.stats.inc_value("newsagg/spooled", len(batch))
            self.crawler.spider.logger.error(
                "store unavailable (%s): %d articles spooled to %s, replayed on the next write", exc, len(batch), path
            )
            self._pages_done(batch)  # spooled is durable: replayed before anything else is written
            return
        self._pages_done(batch)
        self._replay_spool()

    def _pages_done(self, batch: list[Buffered]) -> None:
        pages = [
            {
                **fetch,
                "outcome": "stored",
                "article_id": article["id"],
                "content_hash": article.get("content_hash"),
                "published_utc": article.get("published_utc"),
            }
            for article, _, fetch, _ in batch
            if fetch
        ]
        if pages:
            self.crawler.signals.send_catch_log(newsagg_signals.pages_done, pages=pages)
        archived = [(entry.article["id"], entry.article["url"], entry.warc) for entry in batch if entry.warc]
        if archived:
            self.crawler.signals.send_catch_log(newsagg_signals.archived_durable, archived=archived)

    def _write(self, batch: list[Buffered]) -> None:
        writer = BatchWriter(store_for(self.crawler), max_versions=self.max_versions, clock=self.clock)
        result = writer.write([(entry.article, entry.minhash) for entry in batch])
        for version in result.new_versions:
            self.stats.inc_value("newsagg/versions_created")
            self.crawler.spider.logger.info("new version of %s: %s", version.url, ", ".join(version.changes))
        self.stats.inc_value("newsagg/articles_inserted", result.upsert.inserted)
        self.stats.inc_value("newsagg/articles_updated", result.upsert.updated)
        self.stats.inc_value("newsagg/articles_unchanged", result.upsert.unchanged)
        self.crawler.signals.send_catch_log(newsagg_signals.articles_indexed, articles=result.stored)

    def _replay_spool(self) -> None:
        for path, entries in self.spool.pending_batches():
            batch = [Buffered(article, minhash) for article, minhash in entries]
            try:
                self._write(batch)
            except StorageError as exc:
                self.crawler.spider.logger.warning("spool %s not replayed yet: %s", path, exc)
                return
            self.spool.done(path)
            self.stats.inc_value("newsagg/replayed", len(batch))
