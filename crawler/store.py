"""One store per crawler, shared by the pipelines and extensions that need it.

Scrapy builds each component separately ``from_crawler``; they all reach the same open store through this
function, which also closes it once the engine has stopped (after every pipeline's ``close_spider``).
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from newsagg.storage import open_store
from newsagg.storage.base import ArticleStore

_ATTRIBUTE = "_newsagg_store"


def store_for(crawler: Crawler) -> ArticleStore:
    store = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        settings = crawler.settings
        store = open_store(settings.get("NEWSAGG_BACKEND", "sqlite"), home=settings.get("NEWSAGG_HOME"))
        setattr(crawler, _ATTRIBUTE, store)
        crawler.signals.connect(lambda: store.close(), signal=signals.engine_stopped, weak=False)
    return store
