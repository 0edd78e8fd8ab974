"""Meta-refresh redirects behind a check of the raw bytes (crawler/refresh.py): every page gets the answer Scrapy's
own middleware gives it, and a page without a refresh tag is not decoded to find that out.

The first tests put real responses through both middlewares (Scrapy's and ours, built from the same settings)
and compare; the last one crawls a real loopback site whose feed lists a refresh page, a page that only looks
like one, and plain articles.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.refresh import SCAN_CHARS, ByteCheckedMetaRefreshMiddleware, may_refresh
from newsagg.newsweb import LoopbackServer, RequestHandler
from newsagg.storage.sqlite import SQLiteStore
from tests.support.crawl import crawl_args, run_cli
from tests.support.hostile import article_html

BASE = "http://127.0.0.1:8123"
UTF8 = "text/html; charset=utf-8"
REFRESH = '<meta http-equiv="refresh" content="0; url=/news/target.html">'
AD_SCRIPT = '<script>googletag.pubads().refresh([slot]); var autorefresh = {"refresh": true};</script>'


def page(head: str = "", body: str = "<p>text</p>") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


#: (name, body, Content-Type, whether Scrapy redirects it)
PAGES: list[tuple[str, bytes, str, bool]] = [
    ("refresh", page(REFRESH).encode(), UTF8, True),
    ("upper case", page('<META HTTP-EQUIV="REFRESH" CONTENT="0;URL=/news/target.html">').encode(), UTF8, True),
    ("no charset anywhere", page(REFRESH).encode(), "text/html", True),
    (
        "meta charset",
        page('<meta charset="windows-1252">' + REFRESH, "<p>caf\xe9</p>").encode("cp1252"),
        "text/html",
        True,
    ),
    (
        "http-equiv as a character reference",
        page('<meta http&#45;equiv="refresh" content="0; url=/news/target.html">').encode(),
        UTF8,
        True,
    ),
    (
        "delay over METAREFRESH_MAXDELAY",
        page('<meta http-equiv="refresh" content="900; url=/x">').encode(),
        UTF8,
        False,
    ),
    ("plain article", page('<meta http-equiv="X-UA-Compatible" content="IE=edge">').encode(), UTF8, False),
    (
        "http-equiv, and refresh in an ad script",
        page('<meta http-equiv="X-UA-Compatible" content="IE=edge">' + AD_SCRIPT).encode(),
        UTF8,
        False,
    ),
    ("refresh in a comment", page("<!--[if lte IE 9]>" + REFRESH + "<![endif]-->").encode(), UTF8, False),
    # METAREFRESH_IGNORE_TAGS is empty by default: Scrapy follows a refresh tag even inside a script
    ("refresh in a script", page(f"<script>document.write('{REFRESH}')</script>").encode(), UTF8, True),
    ("refresh past Scrapy's window", page(body="<p>" + "x" * SCAN_CHARS + "</p>" + REFRESH).encode(), UTF8, False),
    (
        "refresh past the window in 2-byte characters",
        page(body="<p>" + "é" * SCAN_CHARS + "</p>" + REFRESH).encode(),
        UTF8,
        False,
    ),
    (
        "refresh within the window after 2-byte characters",
        page(body="<p>" + "é" * (SCAN_CHARS // 2) + "</p>" + REFRESH).encode(),
        UTF8,
        True,
    ),
    ("UTF-16 with a byte order mark", page(REFRESH).encode("utf-16"), "text/html", True),
    ("EBCDIC, declared", page(REFRESH).encode("cp037"), "text/html; charset=cp037", True),
    ("undeclared, not UTF-8", page(REFRESH, "<p>caf\xe9</p>").encode("cp1252"), "text/html", True),
]


def response(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse(f"{BASE}/news/page.html", body=body, headers={"Content-Type": content_type})


def middlewares() -> tuple[MetaRefreshMiddleware, ByteCheckedMetaRefreshMiddleware]:
    crawler = get_crawler(settings_dict={"METAREFRESH_MAXDELAY": 100})
    return MetaRefreshMiddleware.from_crawler(crawler), ByteCheckedMetaRefreshMiddleware.from_crawler(crawler)


def outcome(result: Request | Response) -> str | None:
    """The URL a middleware redirects to, or None when it lets the response through."""
    if isinstance(result, Request):
        return result.url
    return None


@pytest.mark.parametrize(("name", "body", "content_type", "redirects"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_gets_scrapys_answer(name: str, body: bytes, content_type: str, redirects: bool) -> None:
    scrapy_mw, ours = middlewares()
    request = Request(f"{BASE}/news/page.html")
    theirs = outcome(scrapy_mw.process_response(request, response(body, content_type)))
    mine = outcome(ours.process_response(request, response(body, content_type)))
    assert mine == theirs
    assert (theirs is not None) is redirects


def test_ignored_tags_are_ignored_by_both() -> None:
    crawler = get_crawler(settings_dict={"METAREFRESH_IGNORE_TAGS": ["script", "noscript"]})
    scrapy_mw, ours = (
        MetaRefreshMiddleware.from_crawler(crawler),
        ByteCheckedMetaRefreshMiddleware.from_crawler(crawler),
    )
    body = page(f"<script>document.write('{REFRESH}')</script>").encode()
    request = Request(f"{BASE}/news/page.html")
    assert outcome(scrapy_mw.process_response(request, response(body, UTF8))) is None
    assert outcome(ours.process_response(request, response(body, UTF8))) is None


def test_a_page_without_refresh_is_not_decoded() -> None:
    _, ours = middlewares()
    plain = response(page('<meta http-equiv="X-UA-Compatible" content="IE=edge">' + AD_SCRIPT).encode(), UTF8)
    assert ours.process_response(Request(plain.url), plain) is plain
    assert plain._cached_ubody is None  # Scrapy's decoded body (response.text) was never made
    assert not may_refresh(plain)
    assert may_refresh(response(page(REFRESH).encode(), UTF8))


# --- a real crawl ---------------------------------------------------------------------------------------------
class RefreshSite:
    """A loopback outlet whose feed lists a meta-refresh page (to ``/news/target.html``), an article that only
    mentions refresh (in an ad script, next to an ``http-equiv``) and a plain article; records every path asked."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.server = LoopbackServer(self._respond, methods=("GET",)).start()
        self.base = self.server.base
        target = article_html("Harbour terminal opens in spring")
        ads = article_html(
            "Council approves the road budget",
            extra_head='<meta http-equiv="X-UA-Compatible" content="IE=edge">' + AD_SCRIPT,
        )
        plain = article_html("Ferry timetable changes next week")
        items = "".join(
            f"<item><title>{path}</title><link>{self.base}/news/{path}</link></item>"
            for path in ("moved.html", "ads.html", "plain.html")
        )
        feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>"
        self.routes: dict[str, tuple[bytes, str]] = {
            "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
            "/rss.xml": (feed.encode(), "application/rss+xml"),
            "/news/moved.html": (page(REFRESH).encode(), UTF8),
            "/news/target.html": (target.encode(), UTF8),
            "/news/ads.html": (ads.encode(), UTF8),
            "/news/plain.html": (plain.encode(), UTF8),
        }

    def _respond(self, handler: RequestHandler) -> int:
        self.seen.append(handler.path)
        if handler.path not in self.routes:
            return handler.send(404, b"not found")
        body, content_type = self.routes[handler.path]
        return handler.send(200, body, content_type)

    def registry(self) -> str:
        return (
            "outlets:\n"
            f"  - {{id: refresh, name: Refresh Gazette, country: US, language: en, home: '{self.base}/', "
            f"feeds: ['{self.base}/rss.xml']}}\n"
        )


@pytest.fixture
def site() -> Iterator[RefreshSite]:
    refresh_site = RefreshSite()
    yield refresh_site
    refresh_site.server.stop()


@pytest.mark.slow
def test_a_crawl_follows_refresh_pages_and_keeps_the_others(site: RefreshSite, tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(site.registry(), encoding="utf-8")
    home = tmp_path / "home"
    result = run_cli(*crawl_args(registry, home), "--log-level", "DEBUG", timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert "crawler.refresh.ByteCheckedMetaRefreshMiddleware" in log  # the enabled middlewares, at start
    assert "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware" not in log
    assert f"Redirecting (meta refresh) to <GET {site.base}/news/target.html>" in log
    assert "/news/target.html" in site.seen
    with SQLiteStore(home / "newsagg.sqlite") as store:
        urls = sorted(a["url"] for a in store.iter_articles())
    assert urls == [f"{site.base}/news/{p}" for p in ("ads.html", "plain.html", "target.html")]
