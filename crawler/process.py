"""Running a crawl in this process: settings assembly, Scrapy's CrawlerProcess, and the run summary."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.log import log_scrapy_info

from crawler.distributed import distributed_settings
from newsagg.config import Config, load_config
from newsagg.logs import install_json_handler
from newsagg.malloc import pin_malloc_thresholds
from newsagg.state.runs import new_run_id
from newsagg.storage import check_backend


def build_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Scrapy settings of a crawl: ``settings.default``, then the effective ``NEWSAGG_*`` configuration
    (:func:`newsagg.config.load_config`: settings file, environment, ``overrides``), then the other
    ``overrides`` (Scrapy settings such as ``LOG_LEVEL``). Raises :class:`newsagg.config.ConfigError`."""
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    return crawl_settings(load_config(given), given)


def crawl_settings(
    config: Config, overrides: dict[str, Any] | None = None, *, shared_frontier: bool = True
) -> Settings:
    """``shared_frontier=False`` (an ingest): with a Redis URL, the processes share dedupe state and split
    their archives through Redis, but each schedules its own requests (they carry whole archived pages)."""
    settings = Settings()
    settings.setmodule("settings.default", priority="project")
    for name, value in config.scrapy_values().items():
        source = config.sources[name]
        if source != "default":
            settings.set(name, value, priority="cmdline" if source == "--set" else "project")
    for key, value in (overrides or {}).items():
        if value is not None and not key.startswith("NEWSAGG_"):
            settings.set(key, value, priority="cmdline")
    if config.crawl.redis_url and shared_frontier:
        for key, value in distributed_settings(config.crawl.redis_url, config.crawl.redis_run).items():
            settings.set(key, value, priority="cmdline")
    unload_switched_off(settings)
    return settings


#: Scrapy components that are off unless their switch is on, and whose modules are costly to import: Scrapy imports
#: a component's module before the component says it is not configured. The remote control imports aiohttp and its
#: helpers (≈ 10 MB RSS), the cookies middleware tldextract and requests (≈ 3 MB).
SWITCHED_COMPONENTS: dict[tuple[str, str], str] = {
    ("EXTENSIONS", "scrapy.extensions.remote_control.RemoteControl"): "REMOTE_CONTROL_ENABLED",
    ("DOWNLOADER_MIDDLEWARES", "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"): "COOKIES_ENABLED",
}


def unload_switched_off(settings: Settings) -> None:
    """Remove from the crawl the components of :data:`SWITCHED_COMPONENTS` whose switch is off (they would raise
    ``NotConfigured`` at start anyway), so their modules are never imported into the crawl process.

    They are taken out of Scrapy's base list (``EXTENSIONS_BASE``, ...): setting them to ``None`` in ``EXTENSIONS``
    would not do, since Scrapy imports every key of that dict to compare it with the base's. A component a setting
    names itself is left alone, and so is one whose switch is on."""
    for (setting, path), switch in SWITCHED_COMPONENTS.items():
        base_name = f"{setting}_BASE"
        base = settings[base_name]
        if settings.getbool(switch) or path in settings[setting] or path not in base:
            continue
        kept = {key: value for key, value in base.items() if key != path}
        settings.set(base_name, kept, priority=settings.getpriority(base_name) or "default")


@dataclass
class CrawlSummary:
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)
    log_file: str | None = None

    def _sum(self, prefix: str) -> dict[str, int]:
        return {k[len(prefix) :]: int(v) for k, v in sorted(self.stats.items()) if k.startswith(prefix)}

    @property
    def pages(self) -> int:
        return int(self.stats.get("response_received_count", 0))

    @property
    def articles(self) -> int:
        return int(self.stats.get("item_scraped_count", 0))

    @property
    def errors(self) -> dict[str, int]:
        return self._sum("newsagg/errors/")

    @property
    def skipped(self) -> dict[str, int]:
        return self._sum("newsagg/skipped/")

    @property
    def duplicates(self) -> dict[str, int]:
        return self._sum("newsagg/duplicates/")

    @property
    def stories_touched(self) -> int:
        return len(self._sum("newsagg/story_seen/"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.stats.get("newsagg/run_id"),
            "seconds": round(self.seconds, 2),
            "pages": self.pages,
            "articles": self.articles,
            "inserted": int(self.stats.get("newsagg/articles_inserted", 0)),
            "updated": int(self.stats.get("newsagg/articles_updated", 0)),
            "unchanged": int(self.stats.get("newsagg/articles_unchanged", 0)),
            "not_modified": int(self.stats.get("newsagg/not_modified", 0)),
            "duplicates": self.duplicates,
            "stories_touched": self.stories_touched,
            "skipped": self.skipped,
            "errors": self.errors,
            "spooled": int(self.stats.get("newsagg/spooled", 0)),
            "replayed": int(self.stats.get("newsagg/replayed", 0)),
            "log_file": self.log_file,
        }


def run_crawl(
    spider_args: dict[str, Any],
    overrides: dict[str, Any] | None = None,
    *,
    log_to_file: bool = True,
    spider: str = "news",
) -> CrawlSummary:
    """Run the news spider (or ``spider``: ``warc`` for an ingest) to completion in this process (Scrapy's
    reactor runs once per process).

    Raises :class:`~newsagg.storage.StorageError` before anything is fetched if the configured engine can
    never serve this newsagg (see :func:`newsagg.storage.check_backend`)."""
    # Response bodies of every size pass through this process: without fixed thresholds glibc keeps the
    # largest ones' heap after they are freed (newsagg.malloc).
    pin_malloc_thresholds()
    config = load_config({k: v for k, v in (overrides or {}).items() if v is not None})
    check_backend(config)
    settings = crawl_settings(config, overrides, shared_frontier=spider == "news")
    log_format = config.runs.log_format
    # One id for the run record, the log file and every JSON log line (the scheduler may have chosen it).
    run_id = config.runs.run_id or new_run_id()
    settings.set("NEWSAGG_RUN_ID", run_id, priority="cmdline")
    log_file = None
    if log_to_file and not settings.get("LOG_FILE"):
        logs = config.store.home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        # The run id (UTC start time + random part) keeps the logs of a distributed crawl's processes apart.
        log_file = str(logs / f"{'crawl' if spider == 'news' else 'ingest'}-{run_id}.log")
        settings.set("LOG_FILE", log_file, priority="cmdline")
    context = {"run_id": run_id, "job": config.runs.job}
    # JSON logs: our own root handler instead of Scrapy's (which Scrapy would re-create with a text formatter).
    # A setting, not CrawlerProcess's install_root_handler argument, which Scrapy 2.19 deprecates (a warning
    # on every crawl's stderr).
    settings.set("LOG_INSTALL_ROOT_HANDLER", log_format != "json", priority="cmdline")
    process = CrawlerProcess(settings)
    if log_format == "json":
        install_json_handler(settings, context)
        log_scrapy_info(settings)
    crawler = process.create_crawler(spider)
    started = time.monotonic()
    process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlSummary(seconds=time.monotonic() - started, stats=stats, log_file=log_file)


def log_path(summary: CrawlSummary) -> Path | None:
    return Path(summary.log_file) if summary.log_file else None
