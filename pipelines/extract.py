"""HTML → article fields (main text without boilerplate or comments, title, authors, dates, canonical URL).

The work is done by :func:`newsagg.extraction.extract_article`; this stage adapts it to Scrapy: it drops
non-articles with a reason (counted in the crawl stats) and frees the raw HTML once it is read.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newsagg.extraction import extract_article

MIN_TEXT_CHARS = 200


class ExtractPipeline:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_chars = crawler.settings.getint("NEWSAGG_MIN_TEXT_CHARS", MIN_TEXT_CHARS)

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def process_item(self, item):  # type: ignore[no-untyped-def]
        adapter = ItemAdapter(item)
        outlet = self.crawler.spider.registry.get(adapter["outlet_id"])
        extracted = extract_article(
            adapter.pop("body"),
            adapter["url"],
            encoding=adapter.get("response_encoding"),
            headers=adapter.get("headers") or {},
            fetched_at=adapter.get("fetched_at"),
            timezone=outlet.timezone if outlet else None,
            language_hint=outlet.language if outlet else None,
            feed_published=adapter.get("feed_published"),
        )
        for warning in extracted.warnings:
            self.crawler.spider.logger.info("%s: %s", adapter["url"], warning)
            self.stats.inc_value("newsagg/extraction_warnings")
        if not extracted.is_article or len(extracted.text or "") < self.min_chars:
            self.stats.inc_value("newsagg/skipped/not_an_article")
            reason = "; ".join(extracted.warnings) or f"{len(extracted.text or '')} chars of text"
            raise DropItem(f"not an article: {adapter['url']} ({reason})")
        adapter["extraction"] = extracted
        return item
