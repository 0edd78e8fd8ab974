"""Incremental crawling: fetch only what is new or changed, re-check young articles, resume after a crash.

:class:`IncrementalMiddleware` (a downloader middleware after the SSRF guard and robots.txt) works from the
fetch state (:mod:`newsagg.state.fetch`, ``NEWSAGG_HOME/state.sqlite``, per crawler host):

- **Conditional GET.** Feeds, sitemaps, section pages and due articles are requested with
  ``If-None-Match`` / ``If-Modified-Since`` from their last fetch; a 304 becomes a clean skip (no error, no
  item), counted as ``newsagg/not_modified`` and ``newsagg/not_modified/<kind>``.
- **Known articles are not fetched again** until due (``newsagg/skipped/not_due``): young articles are
  re-fetched on the decaying ``NEWSAGG_REFETCH_SCHEDULE`` (default 1 h, 6 h, 24 h, 72 h after the first
  fetch, then never), or at once when a feed/sitemap lastmod says the page changed
  (``newsagg/refetch/lastmod_changed``). The spider also asks the state for due articles
  (:func:`due_requests`), since an unchanged feed (304) lists nothing.
- **Nothing is marked fetched before it is safe.** An article page's row is written on the ``pages_done``
  signal, which the index pipeline sends once the article's batch is committed or spooled; pages that
  yield no article are recorded when dropped. Feed/sitemap/section validators are saved only when the
  crawl *finished* (not interrupted), unfocused, with every fetched article page accounted for: an
  interrupted crawl re-reads every feed and so rediscovers whatever it had not stored yet. In a distributed
  crawl (``NEWSAGG_REDIS_URL``) they are never saved: another process may hold the feed's articles.

``NEWSAGG_INCREMENTAL=0`` (``newsagg crawl --full``) sends no validators and skips nothing, but still
records the state for the next crawl. ``NEWSAGG_NOW`` (ISO datetime) fixes the crawl's clock (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler import signals as newsagg_signals
from crawler.config import config_for
from crawler.store import store_for
from newsagg.state.fetch import PAGE_KINDS, FetchState, make_clock, parse_schedule
from newsagg.storage.base import StorageError

logger = logging.getLogger(__name__)

KINDS = ("feed", "sitemap", "section", "article", "seed")
DISCOVERY_KINDS = ("feed", "sitemap", "section")
_STATE_ATTRIBUTE = "_newsagg_fetch_state"
_CLOCK_ATTRIBUTE = "_newsagg_clock"
_RECONCILE_CHUNK = 1000


class NotModified(IgnoreRequest):
    """The server answered 304: our stored copy is current; nothing to parse."""


class NotDue(IgnoreRequest):
    """A known article that is not due for a re-fetch."""


def crawl_clock(crawler: Crawler) -> Callable[[], float]:
    """The crawl's clock (UTC timestamps): ``NEWSAGG_NOW`` when set, else real time."""
    clock = getattr(crawler, _CLOCK_ATTRIBUTE, None)
    if clock is None:
        clock = make_clock(config_for(crawler).crawl.now)
        setattr(crawler, _CLOCK_ATTRIBUTE, clock)
    return clock


def incremental_enabled(crawler: Crawler) -> bool:
    return config_for(crawler).crawl.incremental


def fetch_state_for(crawler: Crawler) -> FetchState:
    """The crawler's fetch state (one per crawler, flushed and closed when the engine stops)."""
    state = getattr(crawler, _STATE_ATTRIBUTE, None)
    if state is None:
        config = config_for(crawler)
        schedule = parse_schedule(config.crawl.refetch_schedule)
        state = FetchState.open(config.store.home, schedule)
        setattr(crawler, _STATE_ATTRIBUTE, state)
        crawler.signals.connect(lambda: state.close(), signal=signals.engine_stopped, weak=False)
    return state


def due_requests(
    crawler: Crawler, outlet_ids: list[str], make: Callable[[str, str], Request | None]
) -> Iterator[Request]:
    """Requests for the articles the state says are due (``make(url, outlet_id)`` builds each)."""
    if not incremental_enabled(crawler):
        return
    rows = fetch_state_for(crawler).due(outlet_ids, crawl_clock(crawler)())
    if rows:
        logger.info("incremental: %d known article(s) due for a re-fetch", len(rows))
    for row in rows:
        request = make(row["url"], row["outlet_id"])
        if request is not None:
            yield request


def record_failure(crawler: Crawler, request: Request, reason: str) -> None:
    """An article fetch failed (the spider's errback): counted; the page stays due for the next crawl."""
    kind = request.meta.get("newsagg_kind")
    if kind not in PAGE_KINDS:
        return
    url = (request.meta.get("newsagg_fetch") or {}).get("url") or request.url
    fetch_state_for(crawler).failed(
        url, outlet_id=request.meta.get("outlet"), kind=kind, at=crawl_clock(crawler)(), reason=reason
    )


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class IncrementalMiddleware:
    """Downloader middleware: conditional GET, 304 → skip, known articles not due → skip (see module doc)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.enabled = incremental_enabled(crawler)
        self.state = fetch_state_for(crawler)
        self.clock = crawl_clock(crawler)
        #: feed/sitemap/section fetch records, saved only when the crawl finishes (see the module doc)
        self.discovery: dict[str, dict[str, Any]] = {}
        #: article pages fetched whose outcome is not final yet (not stored, dropped or failed)
        self.in_flight: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(middleware.pages_done, signal=newsagg_signals.pages_done)
        return middleware

    # --- requests ------------------------------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        meta = request.meta
        kind = meta.get("newsagg_kind")
        if kind not in KINDS or "newsagg_fetch" in meta:  # not ours, or a retry/redirect already decided
            return None
        key = request.url
        row = self.state.get(key)
        lastmod = self._lastmod(request)
        if kind == "article" and self.enabled:
            reason = self.state.fetch_reason(row, self.clock(), lastmod)
            if reason is None:
                self.stats.inc_value("newsagg/skipped/not_due")
                meta["newsagg_lastmod"] = lastmod  # the spider re-asks if a newer lastmod turns up later
                raise NotDue(f"known article not due for a re-fetch: {key}")
            if reason != "new":
                self.stats.inc_value(f"newsagg/refetch/{reason}")
        meta["newsagg_fetch"] = {
            "url": key,
            "kind": kind,
            "outlet_id": meta.get("outlet"),
            "first_fetched": row.get("first_fetched") if row else None,
            "lastmod_utc": lastmod,
        }
        if self.enabled and row and kind != "seed":  # the seed page is always read: it defines the focus
            if row.get("etag"):
                request.headers[b"If-None-Match"] = row["etag"]
            if row.get("last_modified"):
                request.headers[b"If-Modified-Since"] = row["last_modified"]
        return None

    def _lastmod(self, request: Request) -> float | None:
        """The newest lastmod known for the URL: its own feed/sitemap entry, or any other the spider has read."""
        known = [getattr(request.meta.get("newsagg_hint"), "lastmod", None)]
        lastmods = getattr(self.crawler.spider, "lastmods", None)
        if lastmods is not None:
            known.append(lastmods.get(request.url))
        values = [v for v in known if v is not None]
        return max(values) if values else None

    def process_response(self, request: Request, response: Response) -> Response:
        record = request.meta.get("newsagg_fetch")
        if not record:
            return response
        kind = record["kind"]
        if response.status == 304:
            self.stats.inc_value("newsagg/not_modified")
            self.stats.inc_value(f"newsagg/not_modified/{kind}")
            done = {
                **record,
                "fetched_at": self.clock(),
                "status": 304,
                "outcome": "not_modified",
                "etag": _header(response, b"ETag"),
                "last_modified": _header(response, b"Last-Modified"),
            }
            if kind in DISCOVERY_KINDS:
                self.discovery[record["url"]] = done
            else:
                self.state.done([done])
            raise NotModified(f"{kind} not modified since the last crawl: {record['url']}")
        if 200 <= response.status < 300:
            record.update(
                fetched_at=self.clock(),
                status=response.status,
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
            )
            if kind in DISCOVERY_KINDS:
                self.discovery[record["url"]] = {**record, "outcome": "read"}
            else:
                self.in_flight.add(record["url"])
        return response

    # --- outcomes ------------------------------------------------------------------------------------
    def pages_done(self, pages: list[dict[str, Any]]) -> None:
        """Durably finished pages (stored, spooled or without an article): record them, one transaction."""
        for page in pages:
            self.in_flight.discard(page["url"])
        self.state.done(pages)
        self.state.flush()

    def item_dropped(self, item: Any, response: Response, exception: BaseException) -> None:
        adapter = ItemAdapter(item)
        fetch = adapter.get("fetch") if "fetch" in adapter.field_names() else None
        if not fetch:
            return
        self.in_flight.discard(fetch["url"])
        if adapter.get("id") is None:
            # Dropped before normalize: extraction found no article. Final whatever the crawl's focus.
            self.state.done([{**fetch, "outcome": "not_article"}])
        # Dropped later (story focus, time window): not recorded, another crawl may want it.

    # --- lifecycle -----------------------------------------------------------------------------------
    def spider_opened(self) -> None:
        if self.enabled:
            self._reconcile()

    def spider_closed(self, reason: str) -> None:
        why_not = self._validators_unsafe(reason)
        if why_not is None:
            self.state.done(self.discovery.values())
        elif self.discovery:
            logger.info(
                "incremental: feed/sitemap validators not saved (%s); the next crawl reads them in full", why_not
            )
        self.state.flush()

    def _validators_unsafe(self, reason: str) -> str | None:
        """Why this crawl's feed/sitemap/section validators must not be saved (a 304 next time would hide
        articles this crawl did not store), or None when saving them is safe."""
        if reason != "finished":
            return f"crawl {reason}"
        focus = getattr(self.crawler.spider, "focus", None)
        if focus is not None and getattr(focus, "active", False):
            return "story focus or time window"
        # Distributed: another process may still hold (or lose, if killed) articles listed by a feed this one
        # read, so a 304 next time could hide them; feeds are then always read in full (articles still skip).
        if config_for(self.crawler).crawl.redis_url:
            return "distributed crawl"
        if self.in_flight:
            return f"{len(self.in_flight)} fetched page(s) without a final outcome"
        return None

    def _reconcile(self) -> None:
        """Forget pages whose articles the store no longer has (store deleted, backend switched): the state
        must never keep a crawl from fetching an article the store lacks."""
        expected = self.state.count_stored_articles()
        if not expected:
            return
        try:
            store = store_for(self.crawler)
            if store.count_articles() >= expected:
                return
            known = self.state.stored_article_ids()  # only now: the id list can be long
            missing: list[str] = []
            for start in range(0, len(known), _RECONCILE_CHUNK):
                chunk = known[start : start + _RECONCILE_CHUNK]
                found = {a["id"] for a in store.get_articles(chunk)}
                missing.extend(i for i in chunk if i not in found)
        except StorageError as exc:
            logger.warning("incremental: cannot check the fetch state against the store (%s)", exc)
            return
        forgotten = self.state.forget_articles(missing)
        self.stats.set_value("newsagg/state/forgotten", forgotten)
        logger.warning(
            "incremental: the store lacks %d article(s) the fetch state knew; their %d page(s) will be fetched again",
            len(missing),
            forgotten,
        )
