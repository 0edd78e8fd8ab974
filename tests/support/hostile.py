"""A hostile corner of the local news web: outlets whose servers misbehave and whose documents attack.

The main news web (``newsagg.newsweb``) is a well-behaved set of outlets with a few broken pages. This test
support module serves two more fictional outlets on loopback, each on its own
:class:`newsagg.newsweb.LoopbackServer` (the news web's server, with this module's routes as the responder),
for the reliability tests (``tests/test_reliability_*.py``) — everything a crawler of the open web meets
sooner or later. It is not part of the installed package: attack pages and a gzip-bomb generator have no
business on a user's machine.

``hostile-faults`` (the network misbehaves)
    a page that never answers (timeout), a connection reset before any byte, 429 with ``Retry-After`` that
    then succeeds, 429 asking for a day's wait, a 503 storm that never ends, a 503 once then 200, a redirect
    cycle (a ↔ b), an endless redirect chain, a slow drip (one byte at a time, never done).

``hostile-input`` (the documents are hostile)
    a 50 MB page (declared and streamed), a gzip bomb, invalid UTF-8, latin-1 bytes labelled UTF-8,
    malformed and 5,000-deep nested HTML, absurd dates (year 9999 with an offset, year 1, the epoch, Feb 30),
    a non-article page, script-injection payloads in title/author/text, feed links with odd schemes
    (``javascript:``, ``data:``, ``file:``, ``ftp:``, ``mailto:``), XML bombs and external entities in a feed
    and a sitemap, a sitemap index of 60,000 child sitemaps, and a sitemap index cycle.

Usage (the ``hostile_web`` fixture of ``tests/support/fixtures.py`` gives one per test module)::

    with HostileWeb() as web:
        web.registry_yaml()        # both outlets as a registry (or web.outlets: the dicts)
        web.must_store()           # article URLs a surviving crawl stores
        web.hits("/news/ok.html")  # requests that arrived for a path (any outlet), answered or not
        web.request_log            # [(outlet_id, path, status)] once handled; status 0 = no HTTP answer sent

Everything is generated in memory except the big bodies, which are streamed (the 50 MB page) or computed
once per process (the gzip bomb: 64 MiB of zeros in 64 KiB). ``article_html``, ``malformed_page`` and
``deep_page`` build single pages (the fuzz tests mutate them).
"""

from __future__ import annotations

import html
import socket
import struct
import threading
import zlib
from functools import cache, partial
from urllib.parse import urlsplit

import yaml

from newsagg.newsweb import LoopbackServer, RequestHandler, Responder, stop_all

HOST = "127.0.0.1"
FAULTS = "hostile-faults"
INPUT = "hostile-input"
SITEMAPS = "hostile-sitemaps"  # served by the hostile-input server: the 60,000-child index, on its own budget
#: Sitemap children listed by the huge index (more than the 50,000 a sitemap index may hold).
HUGE_INDEX_CHILDREN = 60_000
BIG_PAGE_BYTES = 50 * 1024 * 1024
BOMB_DECOMPRESSED_BYTES = 64 * 1024 * 1024
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'

_PARAGRAPHS = (
    "The harbour authority confirmed on Tuesday that the new container terminal will open in the spring.",
    "Officials said the project was delayed by a dispute over dredging permits that lasted almost a year.",
    "Local fishermen had objected to the plan, saying the works would damage the breeding grounds nearby.",
    "A compromise reached in October moved part of the dredging to the winter months, outside the season.",
    "The terminal is expected to double the port's capacity and to create about four hundred local jobs.",
    "Shipping companies welcomed the news but warned that road access to the port remains a bottleneck.",
)


def article_html(title: str, *, extra_head: str = "", author: str = "Staff", body: str = "", lang: str = "en") -> str:
    """A plain article page that extraction accepts (og:type article, enough text)."""
    paragraphs = body or "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"><meta name="author" content="{author}">{extra_head}</head>'
        f"<body><article><h1>{title}</h1><p class=byline>By {author}</p>{paragraphs}</article></body></html>"
    )


def _ld_date(value: str) -> str:
    return f'<script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"{value}"}}</script>'


@cache
def gzip_bomb() -> bytes:
    """64 MiB of zeros gzipped to about 64 KiB (computed once, streamed through zlib)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    chunk = b"\0" * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(BOMB_DECOMPRESSED_BYTES // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


#: Not a URL at all (an unbalanced IPv6 bracket): urllib raises on it, the crawl must not.
INVALID_URL = "http://[broken/news/bracket.html"


def _not_found(handler: RequestHandler) -> int:
    return handler.send(404, b"<html><body><h1>Not found</h1></body></html>")


def _static(
    body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200, **headers: str
) -> Responder:
    """A route that always answers the same (``Retry_After="1"`` sends a ``Retry-After: 1`` header)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    named = {key.replace("_", "-"): value for key, value in headers.items()}
    return lambda handler: handler.send(status, data, content_type, named)


class HostileWeb:
    """Two misbehaving outlets on loopback; see the module docstring for what each route does."""

    def __init__(self) -> None:
        self.request_log: list[tuple[str, str, int]] = []
        self.arrivals: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._servers: dict[str, LoopbackServer] = {}
        self._routes: dict[str, dict[str, Responder]] = {}
        self._counts: dict[str, int] = {}

    # --- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> HostileWeb:
        for outlet_id in (FAULTS, INPUT):
            responder = partial(self._respond, outlet_id)
            self._servers[outlet_id] = LoopbackServer(responder, HOST, methods=("GET",), software="hostile/1.0")
        self._routes[FAULTS] = self._fault_routes(self.base(FAULTS))
        self._routes[INPUT] = self._input_routes(self.base(INPUT))
        for outlet_id, server in self._servers.items():
            server.start(name=outlet_id)
        return self

    def stop(self) -> None:
        self._stop.set()  # releases the handlers that hang on purpose
        stop_all(self._servers.values())

    def __enter__(self) -> HostileWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- interface ------------------------------------------------------------------------------------
    def base(self, outlet_id: str) -> str:
        return self._servers[outlet_id].base

    def url(self, outlet_id: str, path: str) -> str:
        return self.base(outlet_id) + path

    @property
    def outlets(self) -> list[dict]:
        faults, hostile = self.base(FAULTS), self.base(INPUT)
        return [
            {
                "id": FAULTS,
                "name": "Hostile Faults Gazette",
                "country": "US",
                "region": "North America",
                "language": "en",
                "timezone": "America/New_York",
                "home": f"{faults}/",
                "feeds": [f"{faults}/rss.xml"],
                "sitemaps": [],
                "sections": [],
            },
            {
                "id": INPUT,
                "name": "Hostile Input Herald",
                "country": "US",
                "region": "North America",
                "language": "en",
                "timezone": "America/New_York",
                "home": f"{hostile}/",
                "feeds": [f"{hostile}/rss.xml", f"{hostile}/feed-xxe.xml", f"{hostile}/feed-bomb.xml"],
                "sitemaps": [
                    f"{hostile}/sitemap-xxe.xml",
                    f"{hostile}/sitemap-bomb.xml",
                    f"{hostile}/sitemap-cycle-a.xml",
                ],
                "sections": [],
            },
            {
                "id": SITEMAPS,
                "name": "Hostile Sitemap Monitor",
                "country": "US",
                "region": "North America",
                "language": "en",
                "timezone": "America/New_York",
                "home": f"{hostile}/",
                "feeds": [],
                "sitemaps": [f"{hostile}/sitemap-index-huge.xml"],
                "sections": [],
            },
        ]

    def registry_yaml(self) -> str:
        return yaml.safe_dump({"outlets": self.outlets}, sort_keys=False, width=200)

    def must_store(self) -> list[str]:
        """Article URLs a crawl that survives every fault still stores."""
        faults, hostile = self.base(FAULTS), self.base(INPUT)
        return [
            f"{faults}/news/ok.html",
            f"{faults}/news/ratelimited.html",
            f"{faults}/news/flaky.html",
            f"{hostile}/news/ok.html",
            f"{hostile}/news/invalid-utf8.html",
            f"{hostile}/news/mislabeled.html",
            f"{hostile}/news/malformed.html",
            f"{hostile}/news/xss.html",
            *(f"{hostile}/news/date-{name}.html" for name in _ABSURD_DATES),
        ]

    def hits(self, path: str, outlet_id: str | None = None) -> int:
        with self._lock:
            return sum(1 for o, p in self.arrivals if p == path and outlet_id in (None, o))

    def _respond(self, outlet_id: str, handler: RequestHandler) -> int:
        path = handler.route
        with self._lock:
            self.arrivals.append((outlet_id, path))
        route = self._routes[outlet_id].get(path)
        if route is None and path.startswith("/news/redirect/"):
            route = self._endless_redirect
        status = (route or _not_found)(handler)
        with self._lock:
            self.request_log.append((outlet_id, path, status))
        return status

    def _count(self, key: str) -> int:
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]

    # --- the faults outlet ----------------------------------------------------------------------------
    def _fault_routes(self, base: str) -> dict[str, Responder]:
        pages = (
            "ok",
            "timeout",
            "reset",
            "ratelimited",
            "ratelimited-day",
            "storm",
            "flaky",
            "loop-a",
            "redirect/0",
            "drip",
        )
        return {
            "/robots.txt": _static("User-agent: *\nAllow: /\n", "text/plain"),
            "/": _static(article_html("Front page")),
            "/rss.xml": _static(_rss(base, [f"{base}/news/{p}.html" for p in pages]), "application/rss+xml"),
            "/news/ok.html": _static(article_html("Control article on the faults outlet")),
            "/news/timeout.html": self._hang,
            "/news/reset.html": _reset,
            "/news/ratelimited.html": self._ratelimited,
            "/news/ratelimited-day.html": _static(b"slow down", "text/plain", 429, Retry_After="86400"),
            "/news/storm.html": _static(b"<h1>Service unavailable</h1>", status=503),
            "/news/flaky.html": self._flaky,
            "/news/loop-a.html": _static(b"", status=302, Location=f"{base}/news/loop-b.html"),
            "/news/loop-b.html": _static(b"", status=302, Location=f"{base}/news/loop-a.html"),
            "/news/drip.html": self._drip,
            # Two pages that each ask for a 2 s pause once (tests/test_reliability_faults_web.py: the wait must not
            # hold a download slot).
            "/rss-patience.xml": _static(
                _rss(base, [f"{base}/news/patience-{p}.html" for p in "ab"]), "application/rss+xml"
            ),
            "/news/patience-a.html": lambda handler: self._patience(handler, "a"),
            "/news/patience-b.html": lambda handler: self._patience(handler, "b"),
        }

    def _patience(self, handler: RequestHandler, name: str) -> int:
        if self._count(f"patience-{name}") == 1:
            return handler.send(429, b"too many requests", "text/plain", {"Retry-After": "2"})
        return handler.send(200, article_html(f"Patience article {name}, served after a pause").encode())

    def _hang(self, handler: RequestHandler) -> int:
        """Read the request, answer nothing until the web stops (the client times out)."""
        self._stop.wait(60)
        handler.close_connection = True
        return 0

    def _ratelimited(self, handler: RequestHandler) -> int:
        if self._count("ratelimited") <= 2:
            return handler.send(429, b"too many requests", "text/plain", {"Retry-After": "1"})
        return handler.send(200, article_html("Rate limited article, served after waiting").encode())

    def _flaky(self, handler: RequestHandler) -> int:
        if self._count("flaky") <= 1:
            return handler.send(503, b"<h1>try again</h1>")
        return handler.send(200, article_html("Flaky article, served on the second try").encode())

    def _endless_redirect(self, handler: RequestHandler) -> int:
        step = int(urlsplit(handler.path).path.rsplit("/", 1)[-1].split(".")[0] or 0)
        handler.send_response(302)
        handler.send_header("Location", f"/news/redirect/{step + 1}.html")
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return 302

    def _drip(self, handler: RequestHandler) -> int:
        """Headers promise 100 kB; then one byte every 50 ms until the client gives up or the web stops."""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(100_000):
                handler.wfile.write(b"<")
                handler.wfile.flush()
                if self._stop.wait(0.05):
                    break
        except OSError:
            pass
        handler.close_connection = True
        return 200

    # --- the hostile-input outlet ---------------------------------------------------------------------
    def _input_routes(self, base: str) -> dict[str, Responder]:
        pages = [
            "ok",
            "huge",
            "huge-stream",
            "gzip-bomb",
            "invalid-utf8",
            "mislabeled",
            "malformed",
            "deep",
            "not-article",
            "xss",
            *(f"date-{name}" for name in _ABSURD_DATES),
        ]
        odd = [
            "javascript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://127.0.0.1/pub/news.html",
            "mailto:desk@example.org",
            "gopher://127.0.0.1:70/1",
        ]
        links = [f"{base}/news/{p}.html" for p in pages] + odd + [INVALID_URL]
        huge_index = _sitemap_index([f"{base}/sitemaps/child-{n}.xml" for n in range(HUGE_INDEX_CHILDREN)])
        invalid_utf8 = (
            article_html("Invalid UTF-8 \udcff bytes")
            .encode("utf-8", "surrogateescape")
            .replace(b"the spring.", b"the spring \xff\xfe\xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80.")
        )
        mislabeled = article_html("Puerto de Valparaíso: la terminal abrirá en primavera").encode("latin-1")
        return {
            "/robots.txt": _static("User-agent: *\nAllow: /\n", "text/plain"),
            "/": _static(article_html("Front page")),
            "/rss.xml": _static(_rss(base, links, dates=_ABSURD_FEED_DATES), "application/rss+xml"),
            "/feed-xxe.xml": _static(_xxe_feed(base), "application/rss+xml"),
            "/feed-bomb.xml": _static(_bomb("rss", base), "application/rss+xml"),
            "/sitemap-xxe.xml": _static(_xxe_sitemap(base), "application/xml"),
            "/sitemap-bomb.xml": _static(_bomb("urlset", base), "application/xml"),
            "/sitemap-index-huge.xml": _static(huge_index, "application/xml"),
            "/sitemap-cycle-a.xml": _static(
                _sitemap_index([f"{base}/sitemap-cycle-b.xml", f"{base}/sitemap-cycle-a.xml"]), "application/xml"
            ),
            "/sitemap-cycle-b.xml": _static(_sitemap_index([f"{base}/sitemap-cycle-a.xml"]), "application/xml"),
            "/xxe-exfil": _static(b"this must never be fetched", "text/plain"),
            "/news/ok.html": _static(article_html("Control article on the hostile outlet")),
            "/news/huge.html": _huge(declared=True),
            "/news/huge-stream.html": _huge(declared=False),
            "/news/gzip-bomb.html": lambda h: h.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"}),
            "/news/invalid-utf8.html": _static(invalid_utf8),
            "/news/mislabeled.html": _static(mislabeled, "text/html; charset=utf-8"),
            "/news/malformed.html": _static(malformed_page()),
            "/news/deep.html": _static(deep_page()),
            "/news/not-article.html": _static(
                '<html><head><title>Sections</title><meta property="og:type" content="website"></head><body>'
                + "".join(f'<a href="/section/{n}">Section {n}</a>' for n in range(200))
                + "</body></html>"
            ),
            "/news/xss.html": _static(
                article_html(
                    f"Headline {html.escape(XSS)}",
                    author=html.escape(XSS),
                    body="".join(f"<p>{p} {html.escape(XSS)}</p>" for p in _PARAGRAPHS),
                )
            ),
            **{
                f"/news/date-{name}.html": _static(article_html(f"Absurd date {name}", extra_head=_ld_date(value)))
                for name, value in _ABSURD_DATES.items()
            },
        }


#: JSON-LD dates no real article has; the page must still be stored, with a sane date or none. "sane" is the
#: control: the same page with a plausible date keeps it.
SANE_DATE = "2026-11-20T10:00:00-03:00"
_ABSURD_DATES = {
    "sane": SANE_DATE,
    "year-9999": "9999-12-31T23:59:59-05:00",
    "year-1": "0001-01-01T00:00:00+14:00",
    "epoch": "1970-01-01T00:00:00Z",
    "feb-30": "2026-02-30T10:00:00Z",
    "far-future": "2999-01-01T00:00:00+00:00",
    "garbage": "tomorrow-ish, probably",
}
#: RSS pubDates for the first feed entries.
_ABSURD_FEED_DATES = [
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "Thu, 99 Foo 99999",
    "1970-01-01T00:00:00Z",
]


def _reset(handler: RequestHandler) -> int:
    """Close the socket with SO_LINGER 0: the client gets a TCP RST instead of an answer."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()
    return 0


def _huge(*, declared: bool) -> Responder:
    """A 50 MB page, with Content-Length (refused before the body) or without (cut while streaming)."""

    def serve(handler: RequestHandler) -> int:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            handler.send_header("Content-Length", str(BIG_PAGE_BYTES))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        chunk = b"<p>" + b"filler " * 9360 + b"</p>\n"  # ~64 KiB
        try:
            handler.wfile.write(b"<html><body>")
            for _ in range(BIG_PAGE_BYTES // len(chunk)):
                handler.wfile.write(chunk)
        except OSError:
            pass  # the client hung up at its size cap, as it should
        return 200

    return serve


def _rss(base: str, links: list[str], dates: list[str] | None = None) -> str:
    items = []
    for n, link in enumerate(links):
        date = f"<pubDate>{dates[n]}</pubDate>" if dates and n < len(dates) else ""
        items.append(f"<item><title>Item {n}</title><link>{html.escape(link)}</link>{date}</item>")
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Hostile</title>"
        f"<link>{base}/</link>{''.join(items)}</channel></rss>"
    )


def _sitemap_index(children: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}</sitemapindex>"
    )


def _xxe_feed(base: str) -> str:
    """External entities: a local file and a loopback URL (the 'exfil' route records any fetch)."""
    return (
        "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY file SYSTEM 'file:///etc/passwd'>"
        f"<!ENTITY net SYSTEM '{base}/xxe-exfil'>]><rss version='2.0'><channel><title>&file;</title>"
        f"<item><title>&file;&net;</title><link>{base}/news/ok.html?xxe</link></item></channel></rss>"
    )


def _xxe_sitemap(base: str) -> str:
    return (
        "<?xml version='1.0'?><!DOCTYPE urlset [<!ENTITY file SYSTEM 'file:///etc/passwd'>"
        f"<!ENTITY net SYSTEM '{base}/xxe-exfil'>]><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<url><loc>{base}/news/ok.html?&file;&net;</loc></url></urlset>"
    )


def _bomb(root: str, base: str) -> str:
    """Billion laughs: ten levels of ten references, 10^9 'lol's if expanded."""
    entities = "<!ENTITY lol0 'lol'>" + "".join(
        f"<!ENTITY lol{n} '{('&lol' + str(n - 1) + ';') * 10}'>" for n in range(1, 10)
    )
    if root == "rss":
        body = (
            f"<rss version='2.0'><channel><title>&lol9;</title><item><title>&lol9;</title>"
            f"<link>{base}/news/ok.html?bomb</link></item></channel></rss>"
        )
    else:
        body = (
            f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>{base}/news/ok.html?&lol9;"
            "</loc></url></urlset>"
        )
    return f"<?xml version='1.0'?><!DOCTYPE {root} [{entities}]>{body}"


def malformed_page() -> bytes:
    """Unclosed tags, stray closers, broken attributes, NULs, a truncated end."""
    page = article_html("Malformed markup survives")
    broken = page.replace("</p>", "").replace("<article>", "<article><div><span <b>>>\x00</i></td></table>")
    return broken.encode("utf-8")[:-40]


def deep_page() -> bytes:
    """5,000 nested <div>s around the article text (parser depth limits, recursive walkers)."""
    return (
        "<html><body>"
        + "<div>" * 5000
        + "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
        + "</div>" * 5000
        + "</body></html>"
    ).encode()


__all__ = [
    "FAULTS",
    "HUGE_INDEX_CHILDREN",
    "INPUT",
    "SANE_DATE",
    "SITEMAPS",
    "XSS",
    "HostileWeb",
    "article_html",
    "deep_page",
    "gzip_bomb",
    "malformed_page",
]
