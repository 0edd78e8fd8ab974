"""Settings for a distributed crawl with plain ``scrapy crawl news`` (``newsagg crawl --redis-url`` needs none):

    NEWSAGG_REDIS_URL=redis://host:6379/0 SCRAPY_SETTINGS_MODULE=settings.distributed scrapy crawl news

The default settings plus scrapy-redis's scheduler and dupe filter (see ``crawler/distributed.py``).
"""

from crawler.distributed import distributed_settings
from settings.default import *  # noqa: F403

if not NEWSAGG_REDIS_URL:  # noqa: F405
    raise RuntimeError("settings.distributed needs NEWSAGG_REDIS_URL=redis://host:port/db in the environment")
globals().update(distributed_settings(NEWSAGG_REDIS_URL, NEWSAGG_REDIS_RUN))  # noqa: F405
