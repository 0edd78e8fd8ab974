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

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.normalize.NormalizePipeline": 200,
    "pipelines.focus.FocusPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.index.IndexPipeline": 500,
}
EXTENSIONS = {
    "crawler.extensions.StoryClusteringExtension": 500,
    "crawler.extensions.ProgressExtension": 510,
}

# newsagg's own settings
NEWSAGG_HOME = None  # None: $NEWSAGG_HOME, else the per-user data dir
NEWSAGG_BACKEND = "sqlite"
NEWSAGG_REGISTRY = str(DEFAULT_REGISTRY)
NEWSAGG_INDEX_BATCH_SIZE = 100
NEWSAGG_INDEX_FLUSH_SECONDS = 5.0
NEWSAGG_DEDUPE_THRESHOLD = 0.5
NEWSAGG_STORY_THRESHOLD = 0.22
NEWSAGG_STORY_WINDOW_HOURS = 96.0
NEWSAGG_MIN_TEXT_CHARS = 200
NEWSAGG_SITEMAP_MAX_LINKS = 50_000

globals().update(env_overrides())
