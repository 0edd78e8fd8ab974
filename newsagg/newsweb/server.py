"""HTTP serving of the local news web: one ``ThreadingHTTPServer`` per outlet on 127.0.0.1.

Responses are HTTP/1.1 with ``Content-Length``, ``Content-Type`` (with charset), ``ETag`` and
``Last-Modified``; conditional requests (``If-None-Match`` / ``If-Modified-Since``) get 304; clients that
send ``Accept-Encoding: gzip`` get gzip. Nothing is logged to stderr; every request is appended to
:attr:`NewsWeb.request_log` as ``(method, path_with_query, status, outlet_id)``.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import threading
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import yaml

from .outlets import OUTLETS
from .site import Resource, Site, build_site
from .stories import ARTICLES
from .templates import simple_page


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, handler, outlet_id: str, web: NewsWeb):
        super().__init__(address, handler)
        self.outlet_id = outlet_id
        self.web = web
        self.routes: dict[str, Resource] = {}
        self.dark = False  # an outlet gone dark answers 503 to everything

    def handle_error(self, request, client_address):  # quiet: clients hanging up are not our problem
        pass


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _wants_gzip(header: str | None) -> bool:
    """True if Accept-Encoding allows gzip (a ``q=0`` excludes it)."""
    for part in (header or "").split(","):
        token, *params = (x.strip() for x in part.split(";"))
        if token.lower() not in ("gzip", "x-gzip", "*"):
            continue
        for p in params:
            if p.lower().startswith("q="):
                try:
                    return float(p[2:]) > 0
                except ValueError:
                    return False
        return True
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsweb/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    server: _Server

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path or "/"
        res = self.server.routes.get(path)
        if self.server.dark:
            body = simple_page("503 - Servicio no disponible", "El sitio está fuera de servicio.")
            res = Resource(503, "text/html; charset=utf-8", body.encode())
        elif res is None:
            body = simple_page("404 - Página no encontrada", "La página que busca no existe o fue retirada.")
            res = Resource(404, "text/html; charset=utf-8", body.encode())
        status, body = res.status, res.body
        headers: dict[str, str] = {}
        if res.content_type:
            headers["Content-Type"] = res.content_type
        headers.update(res.headers)
        if status == 200:
            etag = _etag(body)
            headers["ETag"] = etag
            if res.last_modified is not None:
                headers["Last-Modified"] = format_datetime(res.last_modified, usegmt=True)
            headers["Cache-Control"] = "public, max-age=60"
            if self._not_modified(etag, res):
                status, body = 304, b""
                for h in ("Content-Type",):
                    headers.pop(h, None)
        if status != 304 and body and _wants_gzip(self.headers.get("Accept-Encoding")):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            if "ETag" in headers:
                headers["ETag"] = headers["ETag"][:-1] + '-gzip"'
        headers["Vary"] = "Accept-Encoding"
        self.server.web._log(self.command, self.path, status, self.server.outlet_id)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)

    def _not_modified(self, etag: str, res: Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/").replace('-gzip"', '"') for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and res.last_modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                return False
            return res.last_modified <= since
        return False


class NewsWeb:
    """The bundled fictional news web, served over real HTTP on loopback.

    >>> with NewsWeb() as web:
    ...     web.outlets            # registry dicts with absolute URLs
    ...     web.expected()         # ground truth per article page
    """

    def __init__(self, host: str = "127.0.0.1", base_port: int | None = None):
        self.host = host
        self.base_port = base_port
        self.request_log: list[tuple[str, str, int, str]] = []
        self._log_lock = threading.Lock()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._site: Site | None = None
        self._bases: dict[str, str] = {}
        self._article_data: list[dict] = copy.deepcopy(ARTICLES)
        self._layouts: dict[str, str] = {}
        self._dark: set[str] = set()
        self._build_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> NewsWeb:
        if self._servers:
            return self
        try:
            for i, cfg in enumerate(OUTLETS):
                port = 0 if self.base_port is None else self.base_port + i
                self._servers.append(_Server((self.host, port), _Handler, cfg["id"], self))
            self._bases = {s.outlet_id: f"http://{self.host}:{s.server_address[1]}" for s in self._servers}
            self._rebuild()
            for s in self._servers:
                t = threading.Thread(
                    target=s.serve_forever, kwargs={"poll_interval": 0.1}, name=f"newsweb-{s.outlet_id}", daemon=True
                )
                t.start()
                self._threads.append(t)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        # shut the servers down in parallel: each shutdown() waits up to one poll interval
        stoppers = [threading.Thread(target=s.shutdown, daemon=True) for s in self._servers[: len(self._threads)]]
        for t in stoppers:
            t.start()
        for t in [*stoppers, *self._threads]:
            t.join(timeout=5)
        for s in self._servers:
            s.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> NewsWeb:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- changing the web between crawls -------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Render the whole web again and swap every outlet's route table at once (requests in flight see
        either the old or the new table, never a mix within one outlet)."""
        with self._build_lock:
            self._site = build_site(self._bases, self._article_data, self._layouts)
            for s in self._servers:
                s.routes = {} if s.outlet_id in self._dark else self._site.routes[s.outlet_id]
                s.dark = s.outlet_id in self._dark

    def article_data(self, key: str | None = None) -> list[dict]:
        """A copy of the content the web is built from (all articles, or the one with ``key``)."""
        found = [d for d in self._article_data if key is None or d["key"] == key]
        if key is not None and not found:
            raise KeyError(f"no article {key!r} in the news web")
        return copy.deepcopy(found)

    def publish(self, article: dict) -> str:
        """Add an article (same keys as the bundled content) and return its absolute URL."""
        if any(d["key"] == article["key"] for d in self._article_data):
            raise ValueError(f"article {article['key']!r} already exists; use edit()")
        self._article_data.append(copy.deepcopy(article))
        self._rebuild()
        return self.url(article["outlet"], article["path"])

    def edit(self, key: str, **changes: object) -> str:
        """Change fields of a published article (title, body, modified, in_feed ...); returns its URL."""
        for d in self._article_data:
            if d["key"] == key:
                d.update(copy.deepcopy(changes))
                self._rebuild()
                return self.url(d["outlet"], d["path"])
        raise KeyError(f"no article {key!r} in the news web")

    def unlist(self, key: str) -> str:
        """Drop an article from its outlet's feeds and sitemaps; the page itself stays online."""
        return self.edit(key, in_feed=False, in_sitemap=False)

    def go_dark(self, outlet_id: str, dark: bool = True) -> None:
        """Make an outlet answer 503 to every request (site down), or bring it back."""
        self._dark.discard(outlet_id)
        if dark:
            self._dark.add(outlet_id)
        self._rebuild()

    def change_layout(self, outlet_id: str, layout: str | None = "bare") -> None:
        """Serve an outlet's articles in another layout (``"bare"``: no title markup, date or byline)."""
        self._layouts.pop(outlet_id, None)
        if layout:
            self._layouts[outlet_id] = layout
        self._rebuild()

    # -- interface ---------------------------------------------------------------------------------------
    def _require(self) -> Site:
        if self._site is None:
            raise RuntimeError("NewsWeb is not started; use `with NewsWeb() as web:` or call start()")
        return self._site

    @property
    def outlets(self) -> list[dict]:
        return [o.registry_entry() for o in self._require().outlets.values()]

    def registry_yaml(self) -> str:
        return yaml.safe_dump({"outlets": self.outlets}, allow_unicode=True, sort_keys=False, width=200)

    def expected(self) -> list[dict]:
        return copy.deepcopy(self._require().expected)

    def bad_pages(self) -> list[dict]:
        return copy.deepcopy(self._require().bad_pages)

    def disallowed(self) -> list[str]:
        return list(self._require().disallowed)

    def url(self, outlet_id: str, path: str = "/") -> str:
        """Absolute URL of ``path`` on an outlet's server."""
        return self._require().outlets[outlet_id].url(path)

    def _log(self, method: str, path: str, status: int, outlet_id: str) -> None:
        with self._log_lock:
            self.request_log.append((method, path, status, outlet_id))

    def clear_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()
