"""A loopback mirror of an evaluation set: its real pages, served under their real host names.

``newsagg eval crawl`` must measure what a user gets, so the pages go through the real crawler: discovery,
HTTP, decoding, extraction and storage. The machine has no internet, so the mirror plays every site of the
set at once as an HTTP proxy on 127.0.0.1: the crawler keeps the pages' own host names and paths (and so
its URL handling, its registry lookups and its article ids are exercised as on the web), and every request
reaches the mirror through the standard ``http_proxy`` variable that Scrapy's proxy middleware honours.

Each site is one outlet with one sitemap, ``/.newsagg-eval/sitemap.xml``, listing its pages *without*
dates, so dates must come from the pages. Pages are served as ``text/html`` without a charset, as many
real servers do, so the crawler has to find the encoding itself. The mirror speaks plain HTTP: an
``https://`` address of the set is served as ``http://``; scoring compares URLs without their scheme.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from dataclasses import dataclass, field
from html import escape as html_escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

import yaml

from newsagg.urls import is_tracking_parameter

SITEMAP_PATH = "/.newsagg-eval/sitemap.xml"
#: The outlet's home page: a plain listing of the site's pages. Not ``/``, which may be a page of the set.
HOME_PATH = "/.newsagg-eval/"


def mirror_url(url: str) -> str:
    """The address the mirror serves ``url`` at: the same host, path and query over plain HTTP."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return f"http://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def scheme_free(url: str) -> str:
    """``url`` as a web server tells pages apart: no scheme or fragment, percent-decoded (``%2F`` and ``/`` in a
    query read alike), query parameters in any order, tracking parameters ignored (only client-side analytics
    read them: :data:`newsagg.urls.TRACKING_PARAMETERS`). The key that matches a request or a stored URL to
    the page it names."""
    parts = urlsplit(url.strip())
    pairs = sorted(pair for pair in parts.query.split("&") if pair and not is_tracking_parameter(pair.split("=", 1)[0]))
    query = "&".join(pairs)
    return unquote(parts.netloc.lower() + (parts.path or "/") + (f"?{query}" if query else ""))


def _outlet_id(host: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "site"


@dataclass(frozen=True, slots=True)
class GoldPage:
    key: str
    url: str
    record: dict[str, Any]
    path: Path

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


@dataclass
class EvaluationSet:
    """``ground-truth.json`` + ``html/<key>.html.gz`` (the layout of every set in ``../shared/data``)."""

    directory: Path
    pages: list[GoldPage] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path, limit: int | None = None) -> EvaluationSet:
        directory = Path(directory)
        truth: dict[str, dict[str, Any]] = json.loads((directory / "ground-truth.json").read_text("utf-8"))
        pages = []
        for key in sorted(truth):
            record = truth[key]
            path = directory / "html" / f"{key}.html.gz"
            if record.get("url") and path.exists():
                pages.append(GoldPage(key, record["url"], record, path))
        return cls(directory, pages[:limit] if limit else pages)

    def by_host(self) -> dict[str, list[GoldPage]]:
        hosts: dict[str, list[GoldPage]] = {}
        for page in self.pages:
            hosts.setdefault(urlsplit(mirror_url(page.url)).netloc, []).append(page)
        return hosts


def registry_yaml(pages_by_host: dict[str, list[GoldPage]], timezones: dict[str, str]) -> str:
    """One outlet per site. The set's ``country`` (when it has one) gives the outlet's country and timezone,
    as a registry entry would; a set without countries gets ``XX`` and no timezone."""
    outlets = []
    used: set[str] = set()
    for host, pages in sorted(pages_by_host.items()):
        country = str(pages[0].record.get("country") or "").lower()
        outlet_id = _outlet_id(host)
        while outlet_id in used:
            outlet_id += "-x"
        used.add(outlet_id)
        entry: dict[str, Any] = {
            "id": outlet_id,
            "name": host,
            "country": country.upper() if country else "XX",
            "language": "und",
            "home": f"http://{host}{HOME_PATH}",
            "sitemaps": [f"http://{host}{SITEMAP_PATH}"],
        }
        if country in timezones:
            entry["timezone"] = timezones[country]
        outlets.append(entry)
    return yaml.safe_dump({"outlets": outlets}, allow_unicode=True, sort_keys=False)


def home_html(pages: list[GoldPage]) -> bytes:
    links = "".join(f'<li><a href="{html_escape(mirror_url(p.url))}">{html_escape(p.key)}</a></li>' for p in pages)
    return f"<!doctype html><html><head><title>index</title></head><body><ul>{links}</ul></body></html>".encode()


def sitemap_xml(pages: list[GoldPage]) -> bytes:
    urls = "".join(f"<url><loc>{xml_escape(mirror_url(p.url))}</loc></url>" for p in pages)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


class _ProxyHandler(BaseHTTPRequestHandler):
    """Answers proxy requests (``GET http://host/path``) from the mirror's routes; 404 for anything else."""

    protocol_version = "HTTP/1.1"
    server: _MirrorServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        target = self.path if "://" in self.path else f"http://{self.headers.get('Host', '')}{self.path}"
        body, content_type = self.server.routes.get(scheme_free(target), (None, ""))
        self.server.requests.append(target)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.routes = routes
        self.requests: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is not an error
        pass


class Mirror:
    """Serves an :class:`EvaluationSet` as a proxy on 127.0.0.1 (``with Mirror(pages) as m: m.proxy_url``)."""

    def __init__(self, evaluation_set: EvaluationSet) -> None:
        routes: dict[str, tuple[bytes, str]] = {}
        for host, pages in evaluation_set.by_host().items():
            routes[scheme_free(f"http://{host}{SITEMAP_PATH}")] = (sitemap_xml(pages), "application/xml")
            routes[scheme_free(f"http://{host}{HOME_PATH}")] = (home_html(pages), "text/html; charset=utf-8")
            for page in pages:
                routes[scheme_free(mirror_url(page.url))] = (page.html(), "text/html")
        self._server = _MirrorServer(routes)
        self._thread = threading.Thread(target=self._server.serve_forever, name="eval-mirror", daemon=True)

    @property
    def proxy_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return self._server.requests

    def __enter__(self) -> Mirror:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
