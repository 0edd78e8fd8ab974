"""robots.txt parsed up to a size cap.

A robots.txt is a few kilobytes; one of megabytes (by mistake or on purpose) costs seconds to parse and tens
of milliseconds per URL checked against it, on the reactor thread. Like Google (which reads the first
500 KiB), the crawler parses only the first ``NEWSAGG_ROBOTS_MAX_BYTES`` and ignores the rest, cut at a line
boundary so no rule is read half.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.robotstxt import ProtegoRobotParser

from crawler.config import config_for


class CappedRobotParser(ProtegoRobotParser):
    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Self:
        limit = config_for(crawler).crawl.robots_max_bytes if crawler else 0
        if limit and len(robotstxt_body) > limit:
            robotstxt_body = robotstxt_body[:limit].rsplit(b"\n", 1)[0]
            if crawler.stats:
                crawler.stats.inc_value("newsagg/robots_txt_truncated")
        return super().from_crawler(crawler, robotstxt_body)
