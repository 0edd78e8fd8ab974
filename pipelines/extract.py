"""HTML → article fields (main text without boilerplate or comments, title, authors, dates, canonical URL).

The work is done by :func:`newsagg.extraction.extract_article`; this stage adapts it to Scrapy: it drops
non-articles with a reason (counted in the crawl stats) and frees the raw HTML once it is read.

Extraction is the heaviest CPU step of a crawl (≈ 20 ms a page: lxml, trafilatura, dateparser). Run on the
Twisted reactor thread it would stall downloads and every other stage, so by default it runs in a pool of
worker processes (``NEWSAGG_EXTRACT_WORKERS``: a number, ``0`` to extract in the crawl process, default
one per CPU). The worker also computes the text's MinHash signature for dedupe (the other per-page CPU
cost), handed on in ``item["minhash"]``. The pipeline awaits the worker's result, so items still flow
through normalize → dedupe → index in the crawl process, one stage at a time. A worker that dies is
replaced and the page is extracted in the crawl process instead: a broken pool loses nothing.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.config import config_for
from crawler.pool import DeferredProcessPool
from newsagg.extraction.budget import ExtractionBudgetExceeded
from pipelines.extract_worker import Extracted, extract_with_signature

#: Modules the pool's fork server imports once, so each worker starts warm (no re-import per worker). No Scrapy:
#: the workers' functions live in modules without it (``pipelines.extract_worker``, ``crawler.story_tasks``: the
#: story worker is forked from the same fork server).
_PRELOAD = [
    "pipelines.extract_worker",
    "crawler.story_tasks",
    "newsagg.extraction.core",
    "newsagg.dedupe",
    "trafilatura",
    "dateparser",
    "pipelines.worker_warmup",
]
__all__ = ["ExtractPipeline", "Extracted", "extract_with_signature", "make_pool"]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def make_pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked from a fork server (never from the threaded crawl process: fork + threads can deadlock)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        config = config_for(crawler).crawl
        self.min_chars = config.min_text_chars
        self.workers = default_workers() if config.extract_workers is None else config.extract_workers
        self.cpu_seconds = config.extract_cpu_seconds
        self.pool: DeferredProcessPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers > 0:
            workers = self.workers
            self.pool = DeferredProcessPool(lambda: make_pool(workers))
            self.pool.start()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        outlet = self.crawler.spider.registry.get(adapter["outlet_id"])
        body = adapter.pop("body")
        kwargs: dict[str, Any] = {
            "encoding": adapter.get("response_encoding"),
            "headers": adapter.get("headers") or {},
            "fetched_at": adapter.get("fetched_at"),
            "timezone": outlet.timezone if outlet else None,
            "language_hint": outlet.language if outlet else None,
            "feed_published": adapter.get("feed_published"),
        }
        try:
            extracted, signature, text_hash = await self._extract(body, adapter["url"], kwargs)
        except ExtractionBudgetExceeded as exc:
            self.stats.inc_value("newsagg/skipped/extraction_budget")
            raise DropItem(f"not extracted: {adapter['url']} ({exc})") from exc
        except Exception as exc:  # a bug or a hostile page: counted and logged, never a silent loss
            self.stats.inc_value("newsagg/errors/extraction_failed")
            self.crawler.spider.logger.error(
                "extraction failed on %s: %s: %s", adapter["url"], type(exc).__name__, exc, exc_info=exc
            )
            raise DropItem(f"extraction failed: {adapter['url']} ({type(exc).__name__})") from exc
        # Notes about the page's data (a naive date, a cross-site canonical): kept on the stored article
        # (``warnings``) and counted; logged at DEBUG, since at INFO a crawl wrote 2-3 lines per page (≈ 0.3 ms
        # each on the reactor) repeating what the store keeps.
        for warning in extracted.warnings:
            self.crawler.spider.logger.debug("%s: %s", adapter["url"], warning)
        if extracted.warnings:
            self.stats.inc_value("newsagg/extraction_warnings", len(extracted.warnings))
        chars = len(extracted.text or "")
        if extracted.kind is None or (chars < self.min_chars and extracted.published is None):
            # nothing to store: the precise reason is counted (skipped/no_text, skipped/too_short, ...)
            reason = (extracted.kind_reason or "no_text") if extracted.kind is None else "too_short"
            self.stats.inc_value(f"newsagg/skipped/{reason}")
            details = "; ".join(extracted.warnings) or f"{chars} chars of text"
            raise DropItem(f"no main text to store ({reason}): {adapter['url']} ({details})")
        kept = getattr(self.crawler.spider, "kept_kinds", None)
        if kept is not None and extracted.kind not in kept:  # an ingest keeps articles only (no crawl roles)
            self.stats.inc_value(f"newsagg/skipped/kind_{extracted.kind}")
            raise DropItem(f"not kept ({extracted.kind}): {adapter['url']}")
        self.stats.inc_value(f"newsagg/kinds/{extracted.kind}")
        adapter["extraction"] = extracted
        adapter["minhash"] = signature
        adapter["content_hash"] = text_hash  # of the extracted text; normalize checks it still is the text
        return item

    async def _extract(self, body: bytes, url: str, kwargs: dict[str, Any]) -> Extracted:
        if self.pool is None:
            return extract_with_signature(body, url, kwargs, self.cpu_seconds)
        try:
            return await maybe_deferred_to_future(
                self.pool.call(extract_with_signature, body, url, kwargs, self.cpu_seconds)
            )
        except BrokenProcessPool as exc:
            # A worker died (OOM killer, a crash in a C extension): the pool starts afresh at the next page;
            # this one is extracted here.
            self.crawler.spider.logger.error(
                "extraction worker died (%s); pool restarted, %s extracted inline", exc, url
            )
            self.stats.inc_value("newsagg/errors/extraction_worker_died")
            return extract_with_signature(body, url, kwargs, self.cpu_seconds)
