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
NEWSAGG_MIN_TEXT_CHARS = 200
NEWSAGG_ALLOWED_HOSTS = ""  # private/loopback hosts (host, host:port, CIDR) the crawler may fetch besides the registry
NEWSAGG_SITEMAP_MAX_LINKS = 50_000
NEWSAGG_EXTRACT_WORKERS = "auto"  # extraction processes: "auto" (one per CPU), or a number; 0 = in-process
NEWSAGG_STORY_WORKER = True  # cluster stories in a worker process, off the reactor
NEWSAGG_DEDUPE_WINDOW = 50_000  # most recent signatures kept for near-duplicate search (bounded memory)
NEWSAGG_HINTS_MAX = 20_000  # feed/sitemap date upgrades kept for URLs not fetched yet (bounded memory)
NEWSAGG_REDIS_URL = None  # redis://host:port/db: share the frontier across processes (crawler/distributed.py)
NEWSAGG_REDIS_RUN = "default"  # run id: processes of one distributed crawl use the same

globals().update(env_overrides())
