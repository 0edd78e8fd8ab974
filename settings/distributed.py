"""Settings for a distributed crawl with plain ``scrapy crawl news`` (``newsagg crawl --redis-url`` needs none):

    NEWSAGG_REDIS_URL=redis://host:6379/0 SCRAPY_SETTINGS_MODULE=settings.distributed scrapy crawl news

The default settings plus scrapy-redis's scheduler and dupe filter (see ``crawler/distributed.py``).
"""

from crawler.distributed import distributed_settings
from newsagg.config import load_config
from settings.default import *  # noqa: F403

_crawl = load_config().crawl  # settings file and environment, as every newsagg command reads them
if not _crawl.redis_url:
    raise RuntimeError("settings.distributed needs NEWSAGG_REDIS_URL=redis://host:port/db in the environment")
globals().update(distributed_settings(_crawl.redis_url, _crawl.redis_run))
