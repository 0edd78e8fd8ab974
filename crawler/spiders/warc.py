"""The WARC spider: ``newsagg ingest warc`` runs archived HTML responses through the crawl's own path.

Each HTML response found in the archives (:mod:`newsagg.warc.reader`) becomes a request that
:class:`crawler.warc.ArchivedResponseMiddleware` answers with the archived page, so nothing is downloaded and
everything after the download is the crawl's: the news spider's article callback, then extract → normalize →
focus → dedupe → index → pointers, and story clustering. The outlet is the registry's outlet for the page's
host; a host no outlet serves is kept, with the host (without ``www.``) as its outlet id.

Resuming: an archive read to its end by a finished ingest is recorded (path, size, modification time) and
skipped next time (``--again`` reads it anyway). An ingest killed half-way recorded nothing, so its files are
read again from the start; the store's upserts by article id make that add nothing twice.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response

from crawler.config import config_for
from crawler.items import ArticleItem
from crawler.spiders.news import NewsSpider, bound
from crawler.warc import ARCHIVED_META, WARC_META
from newsagg.discovery import DiscoveryError, parse_feed, parse_sitemap
from newsagg.registry import Outlet
from newsagg.urls import canonicalize_url, host_of
from newsagg.warc.pointers import WarcPointers
from newsagg.warc.reader import ArchivedResponse, ReadReport, read_file, read_stream

STDIN = "-"
WARC_SUFFIXES = (".warc", ".warc.gz")


def archive_files(sources: list[str]) -> list[str]:
    """``sources`` with every folder replaced by the WARC files under it (sorted); ``-`` is standard input."""
    files: list[str] = []
    for source in sources:
        path = Path(source)
        if source != STDIN and path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.name.endswith(WARC_SUFFIXES))
        else:
            files.append(source)
    return files


class WarcSpider(NewsSpider):
    name = "warc"
    custom_settings = {
        # Nothing is fetched: no robots.txt, no politeness delay, no fetch state, no archive of the archive.
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.warc.ArchivedResponseMiddleware": 10,
            "crawler.warc.WarcRecorderMiddleware": None,
            "crawler.incremental.IncrementalMiddleware": None,
        },
    }

    #: An archive does not say which pages were listings: only pages extraction judges articles are kept.
    kept_kinds = ("article",)

    def __init__(self, sources: list[str] | str | None = None, again: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(sources, str):
            sources = [sources]
        self.sources = archive_files(list(sources or []))
        self.again = bool(again)
        self.read: list[tuple[Path, ReadReport]] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE") or 10 * 1024 * 1024
        crawler.signals.connect(spider.record_finished, signal=signals.spider_closed)
        return spider

    def select_outlets(self) -> list[Outlet]:
        """``--outlets`` may name hosts no registered outlet serves: their pages are kept under the host's name."""
        wanted = set(self.outlet_ids)
        return [o for o in self.registry.outlets if not wanted or o.id in wanted]

    # --- reading the archives ------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        pointers = WarcPointers.open(config_for(self.crawler).store.home)
        try:
            for source in self.sources:
                for request in self._requests_from(source, pointers):
                    yield request
        finally:
            pointers.close()

    def _requests_from(self, source: str, pointers: WarcPointers) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        report = ReadReport()
        if source == STDIN:
            pages = read_stream(sys.stdin.buffer, report, max_bytes=self.max_bytes)
        else:
            path = Path(source)
            if not self.again and pointers.finished(path):
                self.logger.info("%s was ingested before: skipped (--again reads it anyway)", path)
                stats.inc_value("newsagg/warc/files_already_ingested")
                return
            pages = read_file(path, report, max_bytes=self.max_bytes)
        self.logger.info("reading %s", source)
        seen = int(stats.get_value("newsagg/warc/records", 0))
        for page in pages:
            stats.set_value("newsagg/warc/records_seen", seen + report.records)  # live, for the progress line
            if page.kind == "xml":
                self._read_hints(page)
                continue
            request = self._archived_request(page)
            if request is not None:
                yield request
        stats.inc_value("newsagg/warc/files_read")
        stats.inc_value("newsagg/warc/records", report.records)
        stats.inc_value("newsagg/warc/pages", report.pages)
        stats.inc_value("newsagg/warc/listings", report.listings)
        for reason, count in report.skipped.items():
            stats.inc_value(f"newsagg/warc/skipped/{reason}", count)
        for reason, count in report.damaged.items():
            stats.inc_value(f"newsagg/warc/damaged/{reason}", count)
            self.logger.warning("%s: %d damaged record(s) skipped (%s)", source, count, reason)
        if source != STDIN:
            self.read.append((Path(source), report))

    def _read_hints(self, listing: ArchivedResponse) -> None:
        """An archived feed or sitemap gives the pages it lists the date and title hints a crawl gives them
        (a page whose time is stated only in its feed gets it here too). A crawl archives a listing before
        the pages it led to, so one pass in archive order finds the hints before the pages."""
        try:
            links = parse_feed(listing.body, listing.url, self.max_bytes)
        except DiscoveryError:
            try:
                kind, links = parse_sitemap(listing.body, listing.url, self.max_bytes)
            except DiscoveryError:
                self.crawler.stats.inc_value("newsagg/warc/skipped/unreadable_listing")
                return
            if kind == "index":
                return
        for link in links:
            try:
                canonical = canonicalize_url(link.url)
            except ValueError:
                continue
            previous = self.hints.get(canonical)
            if previous is None or (link.published and not previous.published):
                self.hints[canonical] = link
                bound(self.hints, self.hints_max)

    def _archived_request(self, page: ArchivedResponse) -> scrapy.Request | None:
        try:
            canonicalize_url(page.url)
        except ValueError:
            self.crawler.stats.inc_value("newsagg/skipped/invalid_url")
            return None
        outlet = self.registry.for_url(page.url)
        outlet_id = outlet.id if outlet else host_of(page.url)
        if self.outlet_ids and outlet_id not in self.outlet_ids:
            self.crawler.stats.inc_value("newsagg/warc/skipped/other_outlet")
            return None
        meta: dict[str, Any] = {
            ARCHIVED_META: page,
            "outlet": outlet_id,
            "newsagg_kind": "article",
            "discovered_via": "warc",
        }
        if page.pointer is not None:
            meta[WARC_META] = {"file": page.pointer.file, "offset": page.pointer.offset}
        return scrapy.Request(
            page.url,
            callback=self.parse_archived,
            errback=self.on_error,
            meta=meta,
            cb_kwargs={"outlet_id": outlet_id, "via": "warc", "fetched_at": page.date},
            dont_filter=True,  # a later capture of the same URL is read too (it may be a newer version)
        )

    def parse_archived(self, response: Response, outlet_id: str, via: str, fetched_at: Any) -> Iterator[Any]:
        for item in self.parse_article(response, outlet_id=outlet_id, via=via):
            if isinstance(item, ArticleItem) and fetched_at is not None:
                item["fetched_at"] = fetched_at  # when the archived response was fetched, not now
            yield item

    def record_finished(self, spider: scrapy.Spider, reason: str) -> None:
        """Archives read to their end by an ingest that finished are skipped by the next one."""
        if spider is not self or reason != "finished" or not self.read:
            return
        pointers = WarcPointers.open(config_for(self.crawler).store.home)
        try:
            run_id = self.crawler.stats.get_value("newsagg/run_id")
            for path, report in self.read:
                pointers.mark_finished(path, report.records, run_id)
        finally:
            pointers.close()
