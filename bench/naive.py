"""The naive baseline: a minimal Scrapy spider that calls ``trafilatura.extract`` in its callback and writes
JSON lines. What a newcomer writes in ten minutes; the bench compares newsagg's full pipeline against it.

Scrapy's default settings, except ``LOG_LEVEL=INFO`` (both runs log at INFO: DEBUG logs a line per request
and item, which would only measure logging) and no robots.txt (Scrapy's default).

``python bench/naive.py OUTPUT.jsonl SITEMAP_URL [SITEMAP_URL ...]``
"""

from __future__ import annotations

import sys
from typing import Any

import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider


class NaiveSpider(SitemapSpider):
    name = "naive"

    def parse(self, response: Any) -> Any:
        text = trafilatura.extract(response.text, url=response.url)
        if text:
            yield {"url": response.url, "text": text}


def main(argv: list[str]) -> int:
    output, *sitemaps = argv
    process = CrawlerProcess({"LOG_LEVEL": "INFO", "FEEDS": {output: {"format": "jsonlines", "encoding": "utf-8"}}})
    process.crawl(NaiveSpider, sitemap_urls=sitemaps)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
