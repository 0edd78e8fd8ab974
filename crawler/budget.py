"""A per-outlet budget of sitemap documents, and cycle detection between sitemap indexes.

A sitemap index may list 50,000 child sitemaps and each child 50,000 URLs: one hostile (or just huge) index
would queue more downloads than the rest of the crawl together. News lives in the few newest sitemaps, so
each outlet gets at most ``NEWSAGG_SITEMAP_MAX_DOCS`` sitemap documents per crawl (default 500); requests
beyond are dropped and counted as ``newsagg/skipped/sitemap_budget``. An index that lists a sitemap already
requested (itself, or an ancestor: a cycle) is counted as ``newsagg/skipped/sitemap_cycle`` instead of being
left to the duplicate filter's silence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request

from crawler.config import config_for
from newsagg.urls import canonicalize_url


class SitemapBudgetMiddleware:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.max_docs = config_for(crawler).crawl.sitemap_max_docs
        self.requested: dict[str, set[str]] = defaultdict(set)

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def _admit(self, response: Any, item: Any) -> bool:
        if not isinstance(item, Request) or item.meta.get("newsagg_kind") != "sitemap":
            return True
        outlet = item.meta.get("outlet", "?")
        seen = self.requested[outlet]
        if response is not None and response.meta.get("newsagg_kind") == "sitemap":
            seen.add(canonicalize_url(response.url))  # the document listing it (a registry sitemap, or a child)
        url = canonicalize_url(item.url)
        stats = self.crawler.stats
        if url in seen:
            stats.inc_value("newsagg/skipped/sitemap_cycle")
            return False
        if len(seen) >= self.max_docs:
            stats.inc_value("newsagg/skipped/sitemap_budget")
            return False
        seen.add(url)
        return True

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        for item in result:
            if self._admit(response, item):
                yield item

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            if self._admit(response, item):
                yield item
