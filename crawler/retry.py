"""Retries that honour ``Retry-After`` (RFC 9110 §10.2.3) on 429 and 503 answers.

Scrapy's RetryMiddleware retries 429/503 at once, which is exactly what a rate-limited site asked us not to
do. This subclass keeps its policy (``RETRY_TIMES``, ``RETRY_HTTP_CODES``, ``dont_retry``, stats) and only
adds the wait: when the answer carries ``Retry-After`` (seconds or an HTTP date), the retry request is
released after that delay. A site asking for more than ``NEWSAGG_RETRY_AFTER_MAX`` seconds (default 60) is
not waited for: the response goes to the spider as the error it is (``newsagg/errors/http_429``) and
``newsagg/retry_after/too_long`` counts it, so a crawl cannot be parked for a day by one header.

The wait is a Twisted timer awaited in ``process_response``: the reactor keeps downloading other pages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

from crawler.config import config_for

RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header value; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():  # str.isdigit() also accepts "²" (b"\xb2"), which float() rejects
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Drop-in replacement for Scrapy's RetryMiddleware (same order slot, same settings)."""

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        middleware = super().from_crawler(crawler)
        middleware.max_wait = config_for(crawler).crawl.retry_after_max
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if (
            request.meta.get("dont_retry", False)
            or response.status not in self.retry_http_codes
            or response.status not in RETRY_AFTER_STATUSES
        ):
            return super().process_response(request, response)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            return super().process_response(request, response)
        stats = self.crawler.stats
        if delay > self.max_wait:
            stats.inc_value("newsagg/retry_after/too_long")  # type: ignore[union-attr]
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        stats.inc_value("newsagg/retry_after/waits")  # type: ignore[union-attr]
        stats.inc_value("newsagg/retry_after/seconds", delay)  # type: ignore[union-attr]
        from twisted.internet import reactor

        await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retry
