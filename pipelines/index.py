"""Batched, idempotent writes to the store, with a durable spool when the store fails.

A batch is written in one transaction (SQLite) or one bulk call (engines). If the write fails, the batch is
appended to ``NEWSAGG_HOME/spool/*.jsonl`` (fsynced) and replayed before the next write and at the next
crawl, so an unavailable store loses nothing. After each successful write the ``articles_indexed`` signal
lets story clustering run on what was stored.
"""

from __future__ import annotations

import time

from itemadapter import ItemAdapter

from crawler import signals as newsagg_signals
from crawler.store import store_for
from newsagg.config import newsagg_home
from newsagg.spool import Spool
from newsagg.storage.base import ARTICLE_FIELDS, StorageError

DEFAULT_BATCH_SIZE = 100


class IndexPipeline:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("NEWSAGG_INDEX_BATCH_SIZE", DEFAULT_BATCH_SIZE)
        self.flush_seconds = crawler.settings.getfloat("NEWSAGG_INDEX_FLUSH_SECONDS", 5.0)
        self.buffer: list[tuple[dict, bytes | None]] = []
        self.last_flush = time.monotonic()
        self.spool = Spool(newsagg_home(crawler.settings.get("NEWSAGG_HOME")) / "spool")

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def open_spider(self) -> None:
        self._replay_spool()

    def process_item(self, item):  # type: ignore[no-untyped-def]
        adapter = ItemAdapter(item)
        article = {name: adapter.get(name) for name in ARTICLE_FIELDS}
        self.buffer.append((article, adapter.get("minhash")))
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.flush_seconds:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        try:
            self._write(batch)
        except StorageError as exc:
            path = self.spool.append([{"article": a, "minhash": m.hex() if m else None} for a, m in batch])
            self.stats.inc_value("newsagg/spooled", len(batch))
            self.crawler.spider.logger.error(
                "store unavailable (%s): %d articles spooled to %s, replayed on the next write", exc, len(batch), path
            )
            return
        self._replay_spool()

    def _write(self, batch: list[tuple[dict, bytes | None]]) -> None:
        store = store_for(self.crawler)
        articles = [a for a, _ in batch]
        result = store.upsert_articles(articles)
        store.save_signatures([(a["id"], m) for a, m in batch if m])
        store.resolve_duplicate_groups(a["dup_group"] for a in articles if a.get("dup_group"))
        self.stats.inc_value("newsagg/articles_inserted", result.inserted)
        self.stats.inc_value("newsagg/articles_updated", result.updated)
        self.stats.inc_value("newsagg/articles_unchanged", result.unchanged)
        stored = store.get_articles(a["id"] for a in articles)
        self.crawler.signals.send_catch_log(newsagg_signals.articles_indexed, articles=stored)

    def _replay_spool(self) -> None:
        for path, records in self.spool.pending():
            batch = [(r["article"], bytes.fromhex(r["minhash"]) if r.get("minhash") else None) for r in records]
            try:
                self._write(batch)
            except StorageError as exc:
                self.crawler.spider.logger.warning("spool %s not replayed yet: %s", path, exc)
                return
            self.spool.done(path)
            self.stats.inc_value("newsagg/replayed", len(batch))
