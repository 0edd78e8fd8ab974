"""WARC out and in, as Scrapy downloader middlewares.

- :class:`WarcRecorderMiddleware` (``NEWSAGG_WARC_DIR``, ``newsagg crawl --warc DIR``) archives every response the
  downloader receives (pages, feeds, sitemaps, robots.txt, redirects, errors; a 304 as a ``revisit``) with the
  request that got it. It sits next to the downloader (order 950), so it sees the response *before*
  ``HttpCompressionMiddleware`` (590) decodes it: the record keeps the body as the server sent it, and its
  ``Content-Encoding`` header stays true (see :mod:`newsagg.warc.writer`). The record's place goes into the
  request's meta (``newsagg_warc``), from where the spider puts it on the article.
- :class:`ArchivedResponseMiddleware` serves the responses of ``newsagg ingest warc`` from the archive: a request
  that carries an archived page in its meta is answered with it, nothing is downloaded, and the response then
  goes through the same response middlewares, spider callback and item pipelines as a crawled one.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

import warcio
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from crawler.config import config_for
from crawler.incremental import crawl_clock
from crawler.runs import recorded_settings
from newsagg import __version__
from newsagg.secrets import redact_value
from newsagg.state.runs import new_run_id
from newsagg.warc.reader import ArchivedResponse
from newsagg.warc.writer import Exchange, RotatingWarcWriter

logger = logging.getLogger(__name__)
#: Request meta key of the archived record of the response (a ``{"file", "offset"}`` dict).
WARC_META = "newsagg_warc"
#: Request meta key of the archived page ``newsagg ingest warc`` answers a request with.
ARCHIVED_META = "newsagg_archived"


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def warcinfo(crawler: Crawler, run_id: str) -> dict[str, str]:
    """The ``warcinfo`` fields of every file a crawl writes: software, run id and settings (masked)."""
    settings = redact_value(recorded_settings(crawler))
    return {
        "software": f"newsagg/{__version__} (warcio/{getattr(warcio, '__version__', '?')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": run_id,
        "newsagg-run-id": run_id,
        "newsagg-version": __version__,
        "http-header-user-agent": str(crawler.settings.get("USER_AGENT") or ""),
        "robots": "obey" if crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "newsagg-settings": json.dumps(settings, sort_keys=True, default=str),
    }


class WarcRecorderMiddleware:
    """Every received response and its request, written to rotating ``.warc.gz`` files."""

    def __init__(self, crawler: Crawler, directory: str, max_bytes: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.clock = crawl_clock(crawler)
        run_id = config_for(crawler).runs.run_id or new_run_id()
        # the process id keeps the files of a distributed crawl's processes (one run id) apart
        self.writer = RotatingWarcWriter(
            directory, f"newsagg-{run_id}-{os.getpid()}", max_bytes, warcinfo(crawler, run_id)
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        config = config_for(crawler)
        directory = config["NEWSAGG_WARC_DIR"]
        if not directory:
            raise NotConfigured("no WARC archive (NEWSAGG_WARC_DIR unset)")
        middleware = cls(crawler, directory, config["NEWSAGG_WARC_MAX_BYTES"])
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=response.status,
            response_headers=_header_pairs(response.headers),
            body=response.body,
            date=datetime.fromtimestamp(self.clock(), UTC),
            request_body=request.body or b"",
        )
        try:
            if response.status == 304:
                pointer = self.writer.write_revisit(exchange)
                self.stats.inc_value("newsagg/warc/revisits")
            else:
                pointer = self.writer.write_exchange(exchange)
                self.stats.inc_value("newsagg/warc/responses")
        except OSError as exc:  # a full or read-only disk: the crawl goes on, the run says what is missing
            self.stats.inc_value("newsagg/errors/warc_failed")
            logger.error("response %s not archived: %s", response.url, exc)
            request.meta.pop(WARC_META, None)  # not an earlier redirect's record either
            return response
        request.meta[WARC_META] = {"file": pointer.file, "offset": pointer.offset}
        return response

    def spider_closed(self) -> None:
        self.writer.close()
        self.stats.set_value("newsagg/warc/files", len(self.writer.files))


class ArchivedResponseMiddleware:
    """Answers a request that carries an archived page (``newsagg ingest warc``) with that page."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivedResponseMiddleware:
        return cls()

    def process_request(self, request: Request) -> Response | None:
        page: ArchivedResponse | None = request.meta.pop(ARCHIVED_META, None)
        if page is None:
            return None
        headers: dict[str, list[str]] = {}
        for name, value in page.headers:
            headers.setdefault(name, []).append(value)
        scrapy_headers = Headers(headers)
        response_class = responsetypes.from_args(headers=scrapy_headers, url=page.url, body=page.body[:5000])
        return response_class(
            url=page.url,
            status=page.status,
            headers=scrapy_headers,
            body=page.body,
            request=request,
            protocol="HTTP/1.1",
        )


def pointer_of(meta: dict[str, Any]) -> dict[str, Any] | None:
    value = meta.get(WARC_META)
    return dict(value) if value else None
