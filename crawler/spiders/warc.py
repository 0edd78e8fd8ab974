"""The WARC spider: ``newsagg ingest warc`` runs archived HTML responses through the crawl's own path.

Each HTML response found in the archives (:mod:`newsagg.warc.reader`) becomes a request that
:class:`crawler.warc.ArchivedResponseMiddleware` answers with the archived page, so nothing is downloaded and
everything after the download is the crawl's: the news spider's article callback, then extract → normalize →
focus → dedupe → index → pointers, and story clustering. The outlet is the registry's outlet for the page's
host; a host no outlet serves is kept, with the host (without ``www.``) as its outlet id.

Resuming: the records of an archive finish out of order (extraction in a process pool, batched writes), so
the spider keeps, per archive, the low watermark of its records still in flight
(:class:`newsagg.warc.checkpoint.ArchiveProgress`) and writes it to the state file as the archive's
checkpoint after each durable index batch. A killed ingest resumes each archive at its checkpoint; the
feeds and sitemaps before it are read again for their date and title hints (a cheap pass: no extraction).
An archive whose every record was handled is recorded (path, size, modification time) and skipped next time.
``--again`` ignores both.

Distributed (``--redis-url``): the processes of one run claim the archives through Redis
(:mod:`newsagg.warc.claims`), each file read by one process; a file whose holder died is taken over once its
lease expires, from the checkpoint in the (shared) state file.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.python.failure import Failure

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.distributed import redis_client, run_prefix
from crawler.items import ArticleItem
from crawler.spiders.news import NewsSpider, bound
from crawler.warc import ARCHIVED_META, WARC_META
from newsagg.discovery import DiscoveryError, parse_feed, parse_sitemap
from newsagg.registry import Outlet
from newsagg.urls import canonicalize_url, host_of
from newsagg.warc.checkpoint import ArchiveProgress
from newsagg.warc.claims import FileClaims
from newsagg.warc.pointers import ArchiveIdentity, WarcPointers
from newsagg.warc.reader import ArchivedResponse, ReadReport, read_file, read_stream

STDIN = "-"
WARC_SUFFIXES = (".warc", ".warc.gz")
#: Checkpoints are written after each durable index batch, and at least this often while records finish.
SAVE_EVERY_SECONDS = 2.0


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


def _reactor() -> Any:
    """The running reactor (imported late: importing it at module level would install the default one)."""
    from twisted.internet import reactor

    return reactor


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
        #: archives being read or with records in flight, by resolved path (the ``file`` of their pointers)
        self.progress: dict[str, ArchiveProgress] = {}
        self.state: WarcPointers | None = None
        self.claims: FileClaims | None = None
        self._save_call: Any = None
        self._last_save = 0.0
        self._renewal: task.LoopingCall | None = None
        #: claims that expired before this process renewed them (another process may have taken the file)
        self._lost: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = config_for(crawler)
        spider.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE") or 10 * 1024 * 1024
        spider.home = config.store.home
        if config.crawl.redis_url:
            worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
            spider.claims = FileClaims(
                redis_client(config.crawl.redis_url),
                run_prefix(config.crawl.redis_run),
                worker,
                config["NEWSAGG_WARC_CLAIM_SECONDS"],
            )
        crawler.signals.connect(spider.archived_durable, signal=newsagg_signals.archived_durable)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_error)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.closing, signal=signals.spider_closed)
        return spider

    def select_outlets(self) -> list[Outlet]:
        """``--outlets`` may name hosts no registered outlet serves: their pages are kept under the host's name."""
        wanted = set(self.outlet_ids)
        return [o for o in self.registry.outlets if not wanted or o.id in wanted]

    # --- reading the archives ------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        self.state = WarcPointers.open(self.home)
        if self.claims is None:
            for source in self.sources:
                for request in self._requests_from(source):
                    yield request
            return
        for request in self._requests_from(STDIN) if STDIN in self.sources else ():
            yield request  # standard input cannot be shared: the process given it reads it
        async for request in self._claimed_requests([s for s in self.sources if s != STDIN]):
            yield request

    async def _claimed_requests(self, sources: list[str]) -> AsyncIterator[scrapy.Request]:
        """Distributed: the files no other process of the run holds or has finished, claimed one at a time;
        then wait while other processes hold files, to take over any whose holder stops renewing its claim."""
        assert self.claims is not None
        lease = self.claims.lease_ms / 1000
        self._renewal = task.LoopingCall(self._renew_claims)
        self._renewal.start(lease / 3, now=False)
        pending = [Path(s) for s in sources]
        while pending:
            claimed = False
            for path in list(pending):
                archive = ArchiveIdentity.of(path)
                if self.claims.is_done(archive):
                    self.crawler.stats.inc_value("newsagg/warc/files_done_by_others")
                    pending.remove(path)
                    continue
                if not self.claims.claim(archive):
                    continue
                claimed = True
                pending.remove(path)
                for request in self._requests_from(str(path), archive):
                    yield request
            if pending and not claimed:
                self.logger.debug("%d archive(s) held by other processes: waiting", len(pending))
                if self.progress:  # our own files finish (and are released to the run) once durable
                    self.crawler.signals.send_catch_log(newsagg_signals.flush_requested)
                await maybe_deferred_to_future(task.deferLater(_reactor(), min(lease / 3, 1.0), lambda: None))

    def _requests_from(self, source: str, archive: ArchiveIdentity | None = None) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        report = ReadReport()
        progress: ArchiveProgress | None = None
        if source == STDIN:
            pages = read_stream(sys.stdin.buffer, report, max_bytes=self.max_bytes)
        else:
            path = Path(source)
            archive = archive or ArchiveIdentity.of(path)
            assert self.state is not None
            if not self.again and self.state.finished(archive):
                self.logger.info("%s was ingested before: skipped (--again reads it anyway)", path)
                stats.inc_value("newsagg/warc/files_already_ingested")
                if self.claims is not None:
                    self.claims.finish(archive)
                return
            start = 0 if self.again else self.state.checkpoint(archive)
            if start:
                self.logger.info("%s: resuming at byte %d (checkpoint of an earlier ingest)", path, start)
                stats.inc_value("newsagg/warc/files_resumed")
                stats.inc_value("newsagg/warc/bytes_skipped", start)
                self._reread_hints(path, start)
            progress = self.progress[archive.file] = ArchiveProgress(archive, start=start)
            pages = read_file(path, report, max_bytes=self.max_bytes, start=start)
        self.logger.info("reading %s", source)
        seen = int(stats.get_value("newsagg/warc/records", 0))
        for page in pages:
            stats.set_value("newsagg/warc/records_seen", seen + report.records)  # live, for the progress line
            if progress is not None:
                progress.read_to = report.position
            if page.kind == "xml":
                self._read_hints(page)
                continue
            request = self._archived_request(page)
            if request is None:
                continue
            if progress is not None and page.pointer is not None:
                progress.opened(page.pointer.offset)
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
        if progress is not None:
            progress.read_to = report.position
            progress.read_all = True
            progress.records = report.records
            self._save_soon()

    def _reread_hints(self, path: Path, end: int) -> None:
        """The hints the feeds and sitemaps before a checkpoint gave the pages after it, as the killed ingest
        had them: the listings are read again (nothing is extracted) and the pages between them take their
        hints as they did then."""
        report = ReadReport()
        for page in read_file(path, report, max_bytes=self.max_bytes, end=end):
            if page.kind == "xml":
                self._read_hints(page)
            elif self._outlet_of(page, count=False) is not None:
                self.hints.pop(canonicalize_url(page.url), None)  # as parse_article took it
        self.crawler.stats.inc_value("newsagg/warc/listings_reread", report.listings)

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

    def _outlet_of(self, page: ArchivedResponse, *, count: bool = True) -> str | None:
        """The outlet id a page is ingested under, or None (counted) when it is not ingested at all."""
        try:
            canonicalize_url(page.url)
        except ValueError:
            if count:
                self.crawler.stats.inc_value("newsagg/skipped/invalid_url")
            return None
        outlet = self.registry.for_url(page.url)
        outlet_id = outlet.id if outlet else host_of(page.url)
        if self.outlet_ids and outlet_id not in self.outlet_ids:
            if count:
                self.crawler.stats.inc_value("newsagg/warc/skipped/other_outlet")
            return None
        return outlet_id

    def _archived_request(self, page: ArchivedResponse) -> scrapy.Request | None:
        outlet_id = self._outlet_of(page)
        if outlet_id is None:
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
        handed_on = False
        try:
            for item in self.parse_article(response, outlet_id=outlet_id, via=via):
                if isinstance(item, ArticleItem):
                    handed_on = True  # handled once the item is dropped or its batch is durable
                    if fetched_at is not None:
                        item["fetched_at"] = fetched_at  # when the archived response was fetched, not now
                yield item
        finally:
            if not handed_on:
                self._handled(response.meta.get(WARC_META))

    def on_error(self, failure: Failure) -> None:
        super().on_error(failure)
        self._handled(failure.request.meta.get(WARC_META))  # type: ignore[attr-defined]

    # --- records handled: checkpoints ---------------------------------------------------------------
    def archived_durable(self, archived: list[tuple[str, str, dict[str, Any]]]) -> None:
        for _id, _url, place in archived:
            self._handled(place, save=False)
        self._save_soon()

    def item_dropped(self, item: Any) -> None:
        self._handled(item.get("warc") if hasattr(item, "get") else None)

    def request_dropped(self, request: Request) -> None:
        self._handled(request.meta.get(WARC_META))

    def _handled(self, place: dict[str, Any] | None, *, save: bool = True) -> None:
        progress = self.progress.get(place["file"]) if place else None
        if progress is None or place is None:
            return
        progress.handled(int(place["offset"]))
        if save and (progress.complete or time.monotonic() - self._last_save >= SAVE_EVERY_SECONDS):
            self._save_soon()

    def _save_soon(self) -> None:
        """Checkpoints are written once the reactor is free again: after every receiver of the batch's
        signal (the article pointers) has run."""
        if self._save_call is None or not self._save_call.active():
            self._save_call = _reactor().callLater(0, self._save)

    def _save(self) -> None:
        """Checkpoints of the archives whose low watermark moved; archives whose every record is handled are
        recorded as ingested (and, distributed, done for the whole run)."""
        if self.state is None:
            return
        self._last_save = time.monotonic()
        run_id = self.crawler.stats.get_value("newsagg/run_id")
        moved = []
        for file, progress in list(self.progress.items()):
            if progress.complete:
                self.state.mark_finished(progress.archive, progress.records, run_id)
                if self.claims is not None:
                    self.claims.finish(progress.archive)
                del self.progress[file]
            elif progress.low > progress.saved:
                moved.append((progress.archive, progress.low))
                progress.saved = progress.low
        self.state.save_checkpoints(moved, run_id)

    def _renew_claims(self) -> None:
        assert self.claims is not None
        for progress in self.progress.values():
            if progress.archive.key in self._lost:
                continue
            if not self.claims.renew(progress.archive):
                self._lost.add(progress.archive.key)
                self.logger.warning(
                    "claim on %s lost (lease expired): another process may read it too", progress.archive.file
                )
                self.crawler.stats.inc_value("newsagg/warc/claims_lost")

    def idle(self, spider: scrapy.Spider) -> None:
        """Nothing left to read here, but a distributed run's other processes keep this one open while they
        work, and they may be waiting for this process's files: its partial batch is written now, not at
        close, so those files finish (and the run can end)."""
        if spider is self and self.claims is not None and self.progress:
            self.crawler.signals.send_catch_log(newsagg_signals.flush_requested)

    def closing(self, spider: scrapy.Spider) -> None:
        """Last checkpoints (a stopped ingest resumes from them), files given back, state closed."""
        if spider is not self:
            return
        if self._renewal is not None and self._renewal.running:
            self._renewal.stop()
        if self._save_call is not None and self._save_call.active():
            self._save_call.cancel()
        self._save()
        if self.claims is not None:
            for progress in self.progress.values():
                self.claims.release(progress.archive)
        if self.state is not None:
            self.state.close()
            self.state = None
