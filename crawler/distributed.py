"""Distributed crawling: several crawler processes, on one or more hosts, share one frontier through Redis.

``newsagg crawl --redis-url redis://host:6379/0 [--run-id NAME]`` (or ``NEWSAGG_REDIS_URL``) swaps Scrapy's
scheduler and dupe filter for scrapy-redis's (tested with scrapy-redis 0.9.1 on Scrapy 2.19): every request
any process discovers goes through one Redis set of request fingerprints and into one Redis priority queue,
and every process pulls its next request from that queue. Start as many processes as you like with the
same Redis URL and run id; each article URL is fetched once in all.

What scrapy-redis does not do, and :class:`SharedFrontierExtension` adds:

- **Closing at the right time.** A process whose queue is empty must not stop while another process is
  still parsing a sitemap that will fill the queue again. Each process keeps a short-lived ``busy`` key in
  Redis while it has downloads or items in flight; an idle process stays open while the shared queue has
  requests or any other process is busy, and pulls work as soon as the queue fills.
- **A per-run namespace and clean-up.** Keys live under ``newsagg:<run id>:`` and persist while any
  process of the run is alive (``SCHEDULER_PERSIST``); the last process to close deletes them, so the next
  crawl with the same run id starts fresh and fetches the feeds again.

Near-duplicate detection shares its state through the same Redis (see :mod:`newsagg.dedupe`); story
clustering and the store are shared through the store itself (one SQLite file on one host, or an
Elasticsearch/OpenSearch cluster across hosts).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.config import config_for
from newsagg.config import Config
from newsagg.settings_schema import default_of

logger = logging.getLogger(__name__)

DEFAULT_RUN_ID = default_of("NEWSAGG_REDIS_RUN")
BUSY_TTL_MS = 10_000  # a busy process can stall its reactor for seconds (pool start-up, a big batch)
BEAT_SECONDS = 0.5


def run_prefix(run_id: str) -> str:
    return f"newsagg:{run_id}"


def distributed_settings(redis_url: str, run_id: str | None = None) -> dict[str, Any]:
    """Scrapy settings that put the frontier and the dupe filter in Redis (``redis_url``), namespaced by run."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise ValueError(f"not a Redis URL: {redis_url!r} (expected redis://host:port/db)")
    prefix = run_prefix(run_id or DEFAULT_RUN_ID)
    return {
        "NEWSAGG_REDIS_URL": redis_url,
        "NEWSAGG_REDIS_RUN": run_id or DEFAULT_RUN_ID,
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_PERSIST": True,  # other processes may still be running; the last one cleans up
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
    }


def redis_client(url: str):  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)


class SharedFrontierExtension:
    """Keeps a process of a distributed crawl open while the run still has work, and cleans up after it."""

    def __init__(self, crawler, redis_url: str, run_id: str) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.server = redis_client(redis_url)
        self.prefix = run_prefix(run_id)
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.queue_key = crawler.settings.get("SCHEDULER_QUEUE_KEY", f"{self.prefix}:requests")
        self.beat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        config = config_for(crawler)
        if not config.crawl.redis_url:
            raise NotConfigured("not a distributed crawl")
        extension = cls(crawler, config.crawl.redis_url, config.crawl.redis_run)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def _busy_key(self) -> str:
        return f"{self.prefix}:busy:{self.worker}"

    def spider_opened(self) -> None:
        self.server.sadd(f"{self.prefix}:workers", self.worker)
        self.server.set(self._busy_key, 1, px=BUSY_TTL_MS)
        self.beat = task.LoopingCall(self._heartbeat)
        self.beat.start(BEAT_SECONDS, now=False)
        logger.info("distributed crawl: worker %s joined run %s", self.worker, self.prefix)

    def _heartbeat(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        if not engine.spider_is_idle():
            self.server.set(self._busy_key, 1, px=BUSY_TTL_MS)
        elif self.server.zcard(self.queue_key):
            # Idle here but the shared queue has work (another process filled it): ask for it now rather
            # than at the engine's next 5-second heartbeat.
            slot = getattr(engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def _others_busy(self) -> bool:
        return any(key.decode() != self._busy_key for key in self.server.scan_iter(f"{self.prefix}:busy:*"))

    def spider_idle(self) -> None:
        self.server.delete(self._busy_key)
        if self.server.zcard(self.queue_key) or self._others_busy():
            raise DontCloseSpider

    def spider_closed(self, reason: str) -> None:
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        self.server.delete(self._busy_key)
        self.server.srem(f"{self.prefix}:workers", self.worker)
        if self.server.scard(f"{self.prefix}:workers") == 0:
            keys = list(self.server.scan_iter(f"{self.prefix}:*"))
            if keys:
                self.server.delete(*keys)
            logger.info("distributed crawl: last worker out, run %s cleaned up", self.prefix)
        self.server.close()


def shared_dupe_state(config: Config, threshold: float):  # type: ignore[no-untyped-def]
    """The run's shared dedupe state in a distributed crawl, else None (dedupe state stays in the process)."""
    url = config.crawl.redis_url
    if not url:
        return None
    from newsagg.dedupe import DEFAULT_NUM_PERM, SharedDupeState

    prefix = run_prefix(config.crawl.redis_run)
    return SharedDupeState(url, prefix, threshold=threshold, num_perm=DEFAULT_NUM_PERM)
