"""Scrapy settings of the newsagg project.

Polite by default (robots.txt obeyed, AutoThrottle on, a size cap on pages). The ``NEWSAGG_*`` settings are
declared in :mod:`newsagg.settings_schema`; every one can be set in the settings file (``NEWSAGG_CONFIG``), by an
environment variable of the same name, or with ``newsagg crawl --set NAME=VALUE`` (that order of precedence).
"""

from newsagg.settings_schema import scrapy_defaults

BOT_NAME = "newsagg"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "newsagg/0.1 (+https://github.com/newsagg/newsagg; news coverage research crawler)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.robots.CappedRobotParser"  # parses the first NEWSAGG_ROBOTS_MAX_BYTES only
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.ConciseLogFormatter"

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt: a refused host should not even get its robots.txt fetched.
    "crawler.middlewares.PrivateAddressGuardMiddleware": 50,
    # Scrapy's robots.txt middleware, fixed so every request waiting for a robots.txt gets its rules.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsTxtMiddleware": 100,
    # After the SSRF guard and robots.txt (100): conditional GET, 304 -> skip, known articles not due -> skip.
    "crawler.incremental.IncrementalMiddleware": 120,
    # Run records (issue #6): per-outlet final responses (incl. 304s), robots.txt blocks, download errors.
    "crawler.runs.OutletFiguresMiddleware": 130,
    # Scrapy's meta-refresh redirects behind a check of the raw bytes, in its slot (580): a page without a refresh
    # tag is not decoded to find that out (crawler/refresh.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.refresh.ByteCheckedMetaRefreshMiddleware": 580,
    # Next to the downloader, before HttpCompressionMiddleware (590) decodes bodies: every response as received
    # goes to the WARC archive (only with NEWSAGG_WARC_DIR; docs/warc.md).
    "crawler.warc.WarcRecorderMiddleware": 950,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.normalize.NormalizePipeline": 200,
    "pipelines.focus.FocusPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.index.IndexPipeline": 500,
    "pipelines.archive.WarcPointerPipeline": 600,  # article -> its archived record (with a WARC archive only)
}
EXTENSIONS = {
    # Story clustering in a worker process (NEWSAGG_STORY_WORKER=0: in the crawl process, as
    # crawler.extensions.StoryClusteringExtension does).
    "crawler.story_worker.StoryWorkerExtension": 500,
    "crawler.extensions.ProgressExtension": 510,
    "crawler.distributed.SharedFrontierExtension": 520,  # only with NEWSAGG_REDIS_URL (docs/scaling.md)
    "crawler.runs.RunRecorderExtension": 530,  # run records + per-outlet figures (docs/operations.md)
}

# newsagg's own settings: every NEWSAGG_* name with its default, declared once in newsagg/settings_schema.py
# (`newsagg config show` lists them). `newsagg crawl` applies the settings file, the environment and --set over
# these (crawler/process.py build_settings); components read them through crawler.config.config_for(crawler).
globals().update(scrapy_defaults())

# --- hardening (issue #7): faults and hostile input (docs/reliability.md) ------------------------------------
REDIRECT_MAX_TIMES = 10  # an endless redirect chain ends as skipped/too_many_redirects
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOADER_MIDDLEWARES.update(
    {
        # Scrapy's retry policy plus a wait for Retry-After on 429/503 (crawler/retry.py), in the same slot.
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.retry.RetryAfterMiddleware": 550,
    }
)
SPIDER_MIDDLEWARES = {"crawler.budget.SitemapBudgetMiddleware": 800}
# Scrapy checks, for every response, whether its callback is a generator that returns a value (reading and parsing
# the callback's source each time: its cache is keyed by the request's bound method, which dies with the request):
# ~2 % of the crawl process's CPU in a profile of the bench crawl. Our callbacks are fixed code:
# tests/test_spider_callbacks.py makes the same check once, for each of them.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy runs a callback's output through CONCURRENT_ITEMS asyncio tasks per response, however little it yields.
# Each of our callbacks yields at most one item (requests are scheduled without waiting), so Scrapy's 100 meant
# 100 tasks per page for one item: ~1 ms of the crawl process per page on the bench web (7.7 -> 6.5 ms, 1,000
# pages, two rounds each). Items of one response in parallel, up to 8, is still more than any callback yields.
CONCURRENT_ITEMS = 8
# Scrapy 2.19's remote control is an HTTP server in the crawl process that runs code sent to it (token-guarded,
# localhost). Like the telnet console: off. newsagg listens on no socket at all.
REMOTE_CONTROL_ENABLED = False
# Hosts the SSRF guard checked connect to the address it approved, never to a second DNS answer.
TWISTED_DNS_RESOLVER = "crawler.dns.PinnedResolver"
