"""The news spider: discover article URLs from every registered outlet's feeds, sitemaps and sections.

Run with ``newsagg crawl`` or ``scrapy crawl news -a registry=PATH [-a outlets=a,b] [-a story="terms"]
[-a seed_url=URL] [-a since=2026-11-26] [-a until=2026-11-28]``.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.python.failure import Failure

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.incremental import NotDue, NotModified, crawl_clock, due_requests, record_failure
from crawler.items import ArticleItem
from crawler.middlewares import PRIVATE_MESSAGE, UNRESOLVABLE_MESSAGE
from newsagg.discovery import DiscoveredLink, DiscoveryError, parse_feed, parse_sitemap
from newsagg.focus import StoryFocus
from newsagg.registry import Outlet, Registry
from newsagg.settings_schema import default_of
from newsagg.text import entities
from newsagg.urls import canonicalize_url, host_of

_NOT_ARTICLE = re.compile(
    r"\.(?:css|js|json|xml|rss|atom|png|jpe?g|gif|svg|webp|ico|pdf|zip|mp3|mp4|woff2?)$|"
    r"/(?:tag|tags|autor|author|authors|search|buscar|login|suscribete|subscribe|newsletter)(?:/|$)",
    re.IGNORECASE,
)
_ALLOWED_SCHEMES = ("http", "https")
#: Feeds and sitemaps at least this large are parsed in a thread, off the reactor.
OFF_REACTOR_BYTES = 256 * 1024
_Parsed = TypeVar("_Parsed")
SEED_TERMS = 6


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(
        self,
        registry: str | None = None,
        outlets: str | None = None,
        story: str | None = None,
        seed_url: str | None = None,
        since: str | None = None,
        until: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.registry_path = registry
        self.outlet_ids = [o.strip() for o in (outlets or "").split(",") if o.strip()]
        self.focus = StoryFocus.from_args(story, since, until)
        self.seed_url = seed_url
        # Best date hint per article URL from any feed/sitemap entry (the first discovery may lack one).
        # Bounded (oldest out) and emptied as pages arrive; the first hint also rides in the request's meta,
        # so it reaches the page even if another process of a distributed crawl fetches it.
        self.hints: OrderedDict[str, DiscoveredLink] = OrderedDict()
        self.hints_max = default_of("NEWSAGG_HINTS_MAX")
        # Incremental crawls: the newest lastmod any feed/sitemap gave a URL (sources disagree: an RSS item has
        # none, the sitemap has the edit time), read by the incremental middleware at download time; and the
        # URLs it skipped as not due, with the lastmod it judged by, so a later, newer lastmod re-asks once.
        self.lastmods: OrderedDict[str, float] = OrderedDict()
        self.not_due: OrderedDict[str, float | None] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = config_for(crawler).crawl
        path = spider.registry_path or config.registry
        spider.registry = Registry.load(path)
        spider.selected = spider.select_outlets()
        spider.hints_max = config.hints_max
        return spider

    def select_outlets(self) -> list[Outlet]:
        """The outlets to crawl (``outlets``, default all; an unknown id is a :class:`RegistryError`)."""
        return self.registry.select(self.outlet_ids)

    # --- start --------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.seed_url:
            yield scrapy.Request(
                self.seed_url,
                callback=self.parse_seed,
                errback=self.on_error,
                meta={"newsagg_kind": "seed"},
                priority=100,
            )
            return
        for request in self.discovery_requests():
            yield request

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        for outlet in self.selected:
            for url in outlet.feeds:
                yield self._listing_request(url, outlet.id, "feed")
            for url in outlet.sitemaps:
                yield self._listing_request(url, outlet.id, "sitemap")
            for url in (*outlet.sections, outlet.home):
                yield self._listing_request(url, outlet.id, "section")
        # Known articles due for a re-fetch come from the fetch state: an unchanged feed (304) lists nothing.
        yield from due_requests(self.crawler, [o.id for o in self.selected], self._recrawl_request)

    def _listing_request(self, url: str, outlet_id: str, kind: str) -> scrapy.Request:
        """A feed, sitemap (or child sitemap) or section page of an outlet: listings go before articles."""
        callback, priority = {
            "feed": (self.parse_feed, 30),
            "sitemap": (self.parse_sitemap, 20),
            "section": (self.parse_section, 10),
        }[kind]
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=priority,
            meta={"outlet": outlet_id, "newsagg_kind": kind},
        )

    def _recrawl_request(self, url: str, outlet_id: str) -> scrapy.Request | None:
        # The state was asked for the selected outlets only; an outlet since removed from the registry is skipped.
        outlet = self.registry.get(outlet_id)
        if outlet is None:
            return None
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"outlet": outlet.id, "newsagg_kind": "article", "discovered_via": "recrawl"},
            cb_kwargs={"outlet_id": outlet.id, "via": "recrawl"},
        )

    def parse_seed(self, response: Response) -> Iterator[Any]:
        """The seed article defines the story: its most frequent names become the focus terms."""
        if isinstance(response, TextResponse):
            text = " ".join(response.xpath("//h1//text() | //p//text()").getall())
            names = [n for n, _ in entities(text).most_common(SEED_TERMS * 2) if not n.startswith("#")]
            self.focus.terms = names[:SEED_TERMS]
            self.logger.info("story focus from seed article %s: %s", response.url, ", ".join(self.focus.terms))
            outlet = self.registry.for_url(response.url)
            if outlet:
                yield from self.parse_article(response, outlet_id=outlet.id, via="seed")
        yield from self.discovery_requests()

    # --- discovery ----------------------------------------------------------------------------------
    def _outlet(self, response: Response) -> Outlet:
        return self.registry.get(response.meta["outlet"])  # type: ignore[return-value]

    def _article_request(self, link: DiscoveredLink, outlet: Outlet, via: str) -> scrapy.Request | None:
        url = link.url
        try:
            scheme = urlsplit(url).scheme
            canonical = canonicalize_url(url)
        except ValueError:  # e.g. an unbalanced "[" in the host: one bad link, not a broken listing
            self.crawler.stats.inc_value("newsagg/skipped/invalid_url")
            return None
        if scheme not in _ALLOWED_SCHEMES:
            self.crawler.stats.inc_value("newsagg/skipped/odd_scheme")
            return None
        previous = self.hints.get(canonical)
        if previous is None or (link.published and not previous.published):
            self.hints[canonical] = link
            bound(self.hints, self.hints_max)
        again = False
        if link.lastmod is not None and link.lastmod > self.lastmods.get(canonical, float("-inf")):
            self.lastmods[canonical] = link.lastmod
            bound(self.lastmods, self.hints_max)
            if canonical in self.not_due and link.lastmod > (self.not_due[canonical] or float("-inf")):
                del self.not_due[canonical]
                again = True  # skipped as not due before this newer lastmod was known: let the middleware re-judge
        when = link.published.value if link.published else None
        if not self.focus.in_window(when):
            self.crawler.stats.inc_value("newsagg/skipped/outside_window")
            return None
        return scrapy.Request(
            canonical,
            callback=self.parse_article,
            meta={"outlet": outlet.id, "newsagg_kind": "article", "discovered_via": via, "newsagg_hint": link},
            cb_kwargs={"outlet_id": outlet.id, "via": via},
            errback=self.on_error,
            dont_filter=again,
        )

    async def parse_feed(self, response: Response) -> AsyncIterator[Any]:
        outlet = self._outlet(response)
        try:
            links = await self._parse_document(parse_feed, response)
        except DiscoveryError as exc:
            self.logger.warning("feed %s of %s skipped: %s", response.url, outlet.id, exc)
            self.crawler.stats.inc_value(_discovery_error_stat(exc, "broken_feed"))
            return
        self.crawler.stats.inc_value("newsagg/feeds_read")
        max_entries = config_for(self.crawler).crawl.feed_max_entries
        if len(links) > max_entries:
            self.logger.warning(
                "feed %s lists %d entries: the first %d are read", response.url, len(links), max_entries
            )
            self.crawler.stats.inc_value("newsagg/skipped/feed_entries_over_cap", len(links) - max_entries)
            links = links[:max_entries]
        for link in links:
            request = self._article_request(link, outlet, "feed")
            if request:
                yield request

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        outlet = self._outlet(response)
        try:
            kind, links = await self._parse_document(parse_sitemap, response)
        except DiscoveryError as exc:
            self.logger.warning("sitemap %s of %s skipped: %s", response.url, outlet.id, exc)
            self.crawler.stats.inc_value(_discovery_error_stat(exc, "broken_sitemap"))
            return
        self.crawler.stats.inc_value("newsagg/sitemaps_read")
        max_links = config_for(self.crawler).crawl.sitemap_max_links
        for link in links[:max_links]:
            if kind == "index":
                yield self._listing_request(link.url, outlet.id, "sitemap")
            else:
                request = self._article_request(link, outlet, "sitemap")
                if request:
                    yield request

    async def _parse_document(self, parser: Callable[[bytes, str, int], _Parsed], response: Response) -> _Parsed:
        """A feed or sitemap parsed; a large one (a 9 MB feed takes seconds) in a thread, so the reactor keeps
        downloading and scheduling meanwhile. Small ones are parsed here: a thread hop costs more than them."""
        arguments = (response.body, response.url, self._max_document_size())
        if len(response.body) < OFF_REACTOR_BYTES:
            return parser(*arguments)
        return await maybe_deferred_to_future(threads.deferToThread(parser, *arguments))

    def _max_document_size(self) -> int:
        """The download size cap (``DOWNLOAD_MAXSIZE``) also caps what a gzipped feed or sitemap inflates
        to, as Scrapy's own SitemapSpider does."""
        return self.crawler.settings.getint("DOWNLOAD_MAXSIZE", 10 * 1024 * 1024) or 10 * 1024 * 1024

    def parse_section(self, response: Response) -> Iterator[Any]:
        outlet = self._outlet(response)
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsagg/skipped/non_html")
            return
        self.crawler.stats.inc_value("newsagg/sections_read")
        listed = {canonicalize_url(u) for u in (*outlet.sections, outlet.home, *outlet.feeds, *outlet.sitemaps)}
        for href in dict.fromkeys(response.xpath("//a/@href").getall()):
            try:
                url = urljoin(response.url, href.strip())
                path = urlsplit(url).path
                if host_of(url) not in outlet.hosts or _NOT_ARTICLE.search(path):
                    continue
                if canonicalize_url(url) in listed or path.count("/") < 2:
                    continue
            except ValueError:  # an unparseable href (e.g. "//[x"): skip the link, keep reading the page
                self.crawler.stats.inc_value("newsagg/skipped/invalid_url")
                continue
            request = self._article_request(DiscoveredLink(url), outlet, "section")
            if request:
                yield request

    # --- articles -----------------------------------------------------------------------------------
    def parse_article(self, response: Response, outlet_id: str, via: str) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse):
            content_type = response.headers.get(b"Content-Type", b"?").decode("latin-1")
            self.logger.warning("skipped %s: not HTML (Content-Type %s)", response.url, content_type)
            self.crawler.stats.inc_value("newsagg/skipped/non_html")
            self._page_done(response, "non_html")
            return
        if not response.body.strip():
            self.logger.warning("skipped %s: empty page", response.url)
            self.crawler.stats.inc_value("newsagg/skipped/empty_page")
            self._page_done(response, "empty_page")
            return
        hint = (
            self.hints.pop(canonicalize_url(response.url), None)
            or self.hints.pop(canonicalize_url(response.request.url), None)
            or response.meta.get("newsagg_hint")
        )
        # The outlet is the one whose hosts serve the page (after redirects), not the one whose listing named
        # it: a feed may list another outlet's article, and must not take it over.
        serving = self.registry.for_url(response.url)
        if serving is not None and serving.id != outlet_id:
            self.crawler.stats.inc_value("newsagg/listed_by_another_outlet")
            outlet_id = serving.id
        yield ArticleItem(
            url=response.url,
            body=response.body,
            response_encoding=_declared_charset(response),
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            status=response.status,
            fetched_at=datetime.fromtimestamp(crawl_clock(self.crawler)(), UTC),
            feed_published=hint.published if hint else None,
            feed_title=hint.title if hint else None,
            outlet_id=outlet_id,
            discovered_via=via,
            fetch=dict(response.meta["newsagg_fetch"]) if response.meta.get("newsagg_fetch") else None,
            warc=dict(response.meta["newsagg_warc"]) if response.meta.get("newsagg_warc") else None,
        )

    def _page_done(self, response: Response, outcome: str) -> None:
        """A page that yields no article is finished now: the fetch state may record it."""
        fetch = response.meta.get("newsagg_fetch")
        if fetch:
            self.crawler.signals.send_catch_log(newsagg_signals.pages_done, pages=[{**fetch, "outcome": outcome}])

    def on_error(self, failure: Failure) -> None:
        """Errback of every request: incremental skips end here quietly; a real failure is counted, logged and
        recorded in the fetch state (an article page stays due for the next crawl)."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(NotDue):
            self.not_due[request.url] = request.meta.get("newsagg_lastmod")
            bound(self.not_due, self.hints_max)
            return
        if failure.check(NotModified):
            return
        reason, declined = _failure_reason(failure)
        record_failure(self.crawler, request, reason)
        self.hints.pop(canonicalize_url(request.url), None)
        kind = request.meta.get("newsagg_kind", "page")
        if declined:
            self.logger.info("%s %s not fetched: %s", kind, request.url, failure.value)
            self.crawler.stats.inc_value(f"newsagg/skipped/{reason}")
        else:
            self.logger.warning("%s %s failed: %s", kind, request.url, reason)
            self.crawler.stats.inc_value(f"newsagg/errors/{reason}")


def _failure_reason(failure: Failure) -> tuple[str, bool]:
    """The reason a request failed, and whether our own policy declined it (robots.txt, size cap, redirect cap:
    not an error of the site)."""
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}", False
    if failure.check(IgnoreRequest, DownloadCancelledError):
        message = str(failure.value)
        reason = next((r for marker, r in _POLICY_REASONS if marker in message), "ignored_by_policy")
        if reason == "ignored_by_policy" and failure.check(DownloadCancelledError):
            reason = "too_large"  # Scrapy cancels a body streamed past DOWNLOAD_MAXSIZE without a message
        return reason, True
    name = failure.type.__name__ if failure.type else "error"
    return _ERROR_REASONS.get(name, name), False


#: (message fragment, reason) for requests our own policy declined (IgnoreRequest, DownloadCancelledError).
_POLICY_REASONS = (
    ("robots.txt", "robots_disallowed"),
    (PRIVATE_MESSAGE, "private_address"),
    (UNRESOLVABLE_MESSAGE, "unresolvable_host"),
    ("max redirections", "too_many_redirects"),
    ("DOWNLOAD_MAXSIZE", "too_large"),  # a decompression (gzip) bomb
    ("larger than download max size", "too_large"),  # declared or streamed past the size cap
)
#: Download failures by exception name -> the reason counted in newsagg/errors/.
_ERROR_REASONS = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "ConnectionLost": "connection_lost",
    "ResponseNeverReceived": "connection_lost",
    "DownloadFailedError": "connection_lost",
    "ConnectionRefusedError": "connection_refused",
    "DownloadConnectionRefusedError": "connection_refused",
    "ResponseDataLossError": "truncated_response",
}


def _discovery_error_stat(exc: DiscoveryError, broken: str) -> str:
    """``skipped/too_large`` for a document inflating past the size cap (as for a page), else the broken
    feed/sitemap counter."""
    return "newsagg/skipped/too_large" if exc.reason == "too_large" else f"newsagg/errors/{broken}"


def bound(mapping: OrderedDict[str, Any], size: int) -> None:
    while len(mapping) > size:
        mapping.popitem(last=False)


def _declared_charset(response: TextResponse) -> str | None:
    """The charset the server *declared* (may be wrong; extraction double-checks it)."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    match = re.search(r"charset=([\w.-]+)", content_type)
    return match.group(1) if match else None
