"""robots.txt: every request waiting for a host's robots.txt gets its rules, parsed up to a size cap.

**Every waiter gets the rules.** Scrapy 2.19's ``RobotsTxtMiddleware`` keeps one Deferred per host while the
robots.txt download is in flight and lets each waiting request await it through ``Deferred.asFuture``, which
*consumes* the result: the first waiter gets the parser, every other request to the host that was waiting
gets ``None``, which the middleware reads as "no robots.txt, everything allowed". A crawl that opens a host
with several requests at once (feeds, sitemaps and sections of one outlet; a distributed process joining a
frontier full of that outlet's links) then fetched pages robots.txt forbids. :class:`RobotsTxtMiddleware`
relays the parser to each waiter on its own Deferred, so the shared one keeps its result.

**A size cap.** A robots.txt is a few kilobytes; one of megabytes (by mistake or on purpose) costs seconds to
parse and tens of milliseconds per URL checked against it, on the reactor thread. Like Google (which reads
the first 500 KiB), the crawler parses only the first ``NEWSAGG_ROBOTS_MAX_BYTES`` and ignores the rest, cut
at a line boundary so no rule is read half (:class:`CappedRobotParser`).
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import ProtegoRobotParser, RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.config import config_for


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with the parser relayed to every request waiting for it."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):  # known, or not asked yet: Scrapy's own path
            return await super().robot_parser(request)
        waiter: Deferred[RobotParser | None] = Deferred()

        def relay(parser: RobotParser | None) -> RobotParser | None:
            waiter.callback(parser)
            return parser  # the shared Deferred keeps its result for the next waiter

        pending.addCallback(relay)
        return await maybe_deferred_to_future(waiter)


class CappedRobotParser(ProtegoRobotParser):
    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Self:
        limit = config_for(crawler).crawl.robots_max_bytes if crawler else 0
        if limit and len(robotstxt_body) > limit:
            robotstxt_body = robotstxt_body[:limit].rsplit(b"\n", 1)[0]
            if crawler.stats:
                crawler.stats.inc_value("newsagg/robots_txt_truncated")
        return super().from_crawler(crawler, robotstxt_body)
