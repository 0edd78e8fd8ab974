"""Run records and per-outlet figures of a crawl, gathered from Scrapy signals and stats.

Everything per outlet goes into the crawl stats first (``newsagg/outlet/<id>/<figure>``), so the stats dump at
the end of the crawl log shows it too; at ``spider_closed`` the stats are read back into one
:class:`~newsagg.state.runs.OutletFigures` per selected outlet and stored with the run in
``NEWSAGG_HOME/state.sqlite``. Outlets that answered nothing still get a row (all zeros): that is how a dark
outlet shows up in ``newsagg sources health``.

Sources of each figure: :class:`OutletFiguresMiddleware` (pages, 304s, final HTTP errors, robots.txt blocks,
download errors after retries, articles not due), ``item_scraped`` (articles, field completeness, newest
date) and ``item_dropped`` / ``item_error`` (extraction failures).
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from twisted.internet import task

from crawler.config import config_for
from crawler.incremental import NotDue, NotModified
from crawler.process import CrawlSummary
from newsagg.secrets import MASK
from newsagg.settings_schema import SETTINGS
from newsagg.state.runs import OutletFigures, RunLog, new_run_id

logger = logging.getLogger(__name__)
PREFIX = "newsagg/outlet/"
LISTING_KINDS = ("feed", "sitemap", "section")
#: Settings recorded with a run besides every NEWSAGG_* one (secrets are redacted by the run log).
_RECORDED = (
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "RETRY_TIMES",
    "USER_AGENT",
    "LOG_LEVEL",
    "CLOSESPIDER_TIMEOUT",
    "CLOSESPIDER_ITEMCOUNT",
    "CLOSESPIDER_PAGECOUNT",
    "JOBDIR",
)


def recorded_settings(crawler) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The effective NEWSAGG_* configuration and the Scrapy settings that shape a crawl, as a run record (and a
    WARC file's warcinfo) names them: credentials only as "configured" (masked), never their value."""
    settings = crawler.settings
    config = config_for(crawler)
    recorded: dict[str, Any] = dict(sorted(config.scrapy_values().items()))
    for name, value in sorted(config.environ_secrets.items()):
        recorded[name] = MASK if SETTINGS[name].secret else value
    recorded.update({k: settings.get(k) for k in _RECORDED if settings.get(k) is not None})
    return recorded


def outlet_key(outlet_id: str, figure: str) -> str:
    return f"{PREFIX}{outlet_id}/{figure}"


class RunRecorderExtension:
    """Records the crawl run (start, heartbeat with live counts, end, per-outlet figures).

    Disabled with ``NEWSAGG_RUNS=0``. The run id comes from ``NEWSAGG_RUN_ID`` (set by ``newsagg crawl`` and by
    the scheduler, so logs and the run record share it), else a fresh one is made.
    """

    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.stats = crawler.stats
        config = config_for(crawler)
        self.run_id = config.runs.run_id or new_run_id()
        self.heartbeat_seconds = config.runs.heartbeat_seconds
        self.home = config.store.home
        self.job = config.runs.job
        self.log: RunLog | None = None
        self.task: task.LoopingCall | None = None
        self.outlets: list[str] = []

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        if not config_for(crawler).runs.enabled:
            raise NotConfigured("run records off (NEWSAGG_RUNS=0)")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        return ext

    # --- lifecycle ------------------------------------------------------------------------------------
    def spider_opened(self, spider) -> None:  # type: ignore[no-untyped-def]
        self.outlets = [o.id for o in getattr(spider, "selected", [])]
        settings = self.crawler.settings
        recorded = recorded_settings(self.crawler)
        focus = getattr(spider, "focus", None)
        recorded["spider_args"] = {
            "outlets": getattr(spider, "outlet_ids", None),
            "seed_url": getattr(spider, "seed_url", None),
            "story_terms": getattr(focus, "terms", None),
            "since": getattr(focus, "since", None),
            "until": getattr(focus, "until", None),
        }
        self.log = RunLog.open(self.home)
        self.run_id = self.log.start(
            self.run_id,
            command=list(sys.argv),
            outlets=self.outlets,
            settings=recorded,
            job=self.job,
            log_file=settings.get("LOG_FILE"),
        )
        self.stats.set_value("newsagg/run_id", self.run_id)
        logger.info("run %s started (%d outlets)", self.run_id, len(self.outlets))
        if self.heartbeat_seconds > 0:
            self.task = task.LoopingCall(self.beat)
            self.task.start(self.heartbeat_seconds, now=False)

    def beat(self) -> None:
        """Live counts for ``newsagg runs list`` while the crawl runs, and proof that it still runs."""
        if self.log is None:
            return
        counts = self._counts()
        try:
            self.log.heartbeat(self.run_id, counts, counts["errors"])
        except Exception as exc:  # a locked or full state file must never stop the crawl
            logger.warning("run %s: heartbeat not recorded: %s", self.run_id, exc)

    def spider_closed(self, spider, reason: str) -> None:  # type: ignore[no-untyped-def]
        if self.task and self.task.running:
            self.task.stop()
        if self.log is None:
            return
        counts = self._counts()
        try:
            status = self.log.finish(
                self.run_id, reason=reason, counts=counts, errors=counts["errors"], outlets=self.figures()
            )
            logger.info("run %s %s (%s)", self.run_id, status, reason)
        except Exception as exc:
            logger.error("run %s: end of run not recorded: %s", self.run_id, exc)
        finally:
            self.log.close()
            self.log = None

    def _counts(self) -> dict[str, Any]:
        """The crawl summary's figures (:class:`crawler.process.CrawlSummary`, the same ``newsagg crawl`` prints)."""
        stats = self.stats.get_stats()
        start = stats.get("start_time")
        seconds = (datetime.now(UTC) - start).total_seconds() if start is not None and start.tzinfo else 0.0
        counts = CrawlSummary(seconds=seconds, stats=stats).as_dict()
        del counts["log_file"]  # the run row has its own column
        return counts

    def figures(self) -> dict[str, OutletFigures]:
        """Every selected outlet's figures, read back from the stats in one pass (zeros for a silent outlet)."""
        values: dict[str, dict[str, Any]] = {o: {"http_errors": {}, "download_errors": {}} for o in self.outlets}
        for key, value in self.stats.get_stats().items():
            if not key.startswith(PREFIX):
                continue
            outlet, _, name = key[len(PREFIX) :].partition("/")
            if outlet not in values:
                continue
            group, _, detail = name.partition("/")  # http_errors/<status>, download_errors/<exception type>
            if detail:
                values[outlet].setdefault(group, {})[detail] = int(value)
            else:
                values[outlet][name] = value
        return {outlet: OutletFigures.from_dict(figures) for outlet, figures in values.items()}

    # --- per-outlet signals ---------------------------------------------------------------------------
    def item_scraped(self, item) -> None:  # type: ignore[no-untyped-def]
        adapter = ItemAdapter(item)
        outlet = adapter.get("outlet_id")
        if not outlet:
            return
        self.stats.inc_value(outlet_key(outlet, "articles"))
        present = {
            "with_title": adapter.get("title"),
            "with_published": adapter.get("published_at"),
            "with_author": adapter.get("authors"),
            "with_text": adapter.get("text"),
        }
        for name, value in present.items():
            if value:
                self.stats.inc_value(outlet_key(outlet, name))
        published = adapter.get("published_utc")
        if published is not None:
            self.stats.max_value(outlet_key(outlet, "newest_published_utc"), float(published))

    def item_dropped(self, item, exception) -> None:  # type: ignore[no-untyped-def]
        adapter = ItemAdapter(item)
        outlet = adapter.get("outlet_id")
        if not outlet:
            return
        # Extraction drops happen before normalize fills ``text``; later drops are the story focus's choice.
        failed = adapter.get("text") is None
        self.stats.inc_value(outlet_key(outlet, "extraction_failures" if failed else "filtered"))

    def item_error(self, item) -> None:  # type: ignore[no-untyped-def]
        outlet = ItemAdapter(item).get("outlet_id")
        if outlet:
            self.stats.inc_value(outlet_key(outlet, "extraction_failures"))


class OutletFiguresMiddleware:
    """Counts, per outlet, what the downloader finally answered: pages (2xx), 304 Not Modified, HTTP errors,
    requests refused by robots.txt (or our private-address guard), downloads that failed after every retry,
    and known articles not due for a re-fetch (incremental crawling).

    At 130 it sits between the incremental middleware (120, which turns a 304 into ``NotModified``) and the
    retry/redirect middlewares (550, 600): ``process_response`` sees each final response once, before a 304
    becomes an exception, and never a response that is about to be retried or redirected. Scrapy calls every
    middleware's ``process_exception`` whatever raised, except while the retry middleware still retries.
    """

    def __init__(self, stats) -> None:  # type: ignore[no-untyped-def]
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        if not config_for(crawler).runs.enabled:
            raise NotConfigured("run records off (NEWSAGG_RUNS=0)")
        return cls(crawler.stats)

    def process_response(self, request, response):  # type: ignore[no-untyped-def]
        outlet = request.meta.get("outlet")
        if not outlet:  # robots.txt and other requests of no outlet
            return response
        status = response.status
        kind = request.meta.get("newsagg_kind")
        listing = kind in LISTING_KINDS
        if status == 304:
            self.stats.inc_value(outlet_key(outlet, "not_modified"))
            if kind == "article":
                self.stats.inc_value(outlet_key(outlet, "unchanged"))
            elif listing:
                self.stats.inc_value(outlet_key(outlet, "listings_not_modified"))
        elif status >= 400:
            self.stats.inc_value(outlet_key(outlet, f"http_errors/{status}"))
        elif status < 300:
            self.stats.inc_value(outlet_key(outlet, "pages"))
            if listing:
                self.stats.inc_value(outlet_key(outlet, "listings_fresh"))
        return response

    def process_exception(self, request, exception: Exception) -> None:  # type: ignore[no-untyped-def]
        outlet = request.meta.get("outlet")
        if not outlet:
            return None
        if isinstance(exception, NotDue):  # known article, not re-fetched yet
            figure = "unchanged"
        elif isinstance(exception, NotModified):  # counted as a 304 in process_response
            return None
        elif isinstance(exception, IgnoreRequest):
            figure = "robots_blocked" if "robots.txt" in str(exception) else "policy_blocked"
        else:
            figure = f"download_errors/{type(exception).__name__}"
        self.stats.inc_value(outlet_key(outlet, figure))
        return None
