"""HTTP serving on loopback: the one server implementation of the project's local webs.

:class:`LoopbackServer` is a ``ThreadingHTTPServer`` on 127.0.0.1 that hands every request to one *responder*:
a callable that writes the whole answer through the :class:`RequestHandler` it is given and returns the status
it sent (0 when it sent none on purpose: a reset, a hang). The news web below is one responder per outlet; the
test suite's hostile outlets and engine proxies and the bench web's fallback server are responders too, so
connection handling, quiet logging and shutdown live here once.

The news web's answers are HTTP/1.1 with ``Content-Length``, ``Content-Type`` (with charset), ``ETag`` and
``Last-Modified``; conditional requests (``If-None-Match`` / ``If-Modified-Since``) get 304; clients that
send ``Accept-Encoding: gzip`` get gzip. Nothing is logged to stderr; every request is appended to
:attr:`NewsWeb.request_log` as ``(method, path_with_query, status, outlet_id)``.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

import yaml

from .outlets import OUTLETS
from .site import Resource, Site, build_site
from .stories import ARTICLES
from .templates import simple_page

#: Writes the whole answer to a request and returns the status sent (0: none sent, on purpose).
Responder = Callable[["RequestHandler"], int]


class RequestHandler(BaseHTTPRequestHandler):
    """One connection to a :class:`LoopbackServer`: each request goes to the server's responder."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    server: LoopbackServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def version_string(self) -> str:
        return self.server.software

    def _dispatch(self) -> None:
        if self.command not in self.server.methods:
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        self.server.responder(self)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch

    @property
    def route(self) -> str:
        """The request path without its query string."""
        return urlsplit(self.path).path or "/"

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> int:
        """Send a complete answer with ``Content-Length`` (no body for HEAD); returns ``status``."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status


class LoopbackServer(ThreadingHTTPServer):
    """A threaded HTTP server whose every request goes to ``responder``; ``start()`` serves from a daemon thread.

    >>> with LoopbackServer(lambda handler: handler.send(200, b"hi")) as server:
    ...     server.base            # "http://127.0.0.1:<port>"
    """

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        responder: Responder,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        methods: Iterable[str] = ("GET", "HEAD"),
        software: str = "newsweb/1.0",
    ) -> None:
        self.responder = responder
        self.methods = frozenset(methods)
        self.software = software
        self._thread: threading.Thread | None = None
        super().__init__((host, port), RequestHandler)

    @property
    def base(self) -> str:
        """The server's base URL, ``http://host:port`` (no trailing slash)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, name: str = "loopback-server") -> LoopbackServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port; safe to call twice, or on a server never started."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up (at a size cap, on a timeout) are not the server's problem


def stop_all(servers: Iterable[LoopbackServer]) -> None:
    """Stop servers in parallel: each shutdown waits up to one poll interval."""
    stoppers = [threading.Thread(target=server.stop, daemon=True) for server in servers]
    for thread in stoppers:
        thread.start()
    for thread in stoppers:
        thread.join(timeout=10)


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


def _not_modified(handler: RequestHandler, etag: str, res: Resource) -> bool:
    inm = handler.headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/").replace('-gzip"', '"') for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = handler.headers.get("If-Modified-Since")
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
        self._servers: dict[str, LoopbackServer] = {}
        # per outlet: (route table, dark); swapped as one value, so a request sees one consistent state
        self._tables: dict[str, tuple[dict[str, Resource], bool]] = {}
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
                self._servers[cfg["id"]] = LoopbackServer(partial(self._respond, cfg["id"]), self.host, port)
            self._bases = {outlet_id: s.base for outlet_id, s in self._servers.items()}
            self._rebuild()
            for outlet_id, server in self._servers.items():
                server.start(name=f"newsweb-{outlet_id}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_all(self._servers.values())
        self._servers.clear()

    def __enter__(self) -> NewsWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _respond(self, outlet_id: str, handler: RequestHandler) -> int:
        routes, dark = self._tables.get(outlet_id, ({}, False))
        res = routes.get(handler.route)
        if dark:
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
            if _not_modified(handler, etag, res):
                status, body = 304, b""
                headers.pop("Content-Type", None)
        if status != 304 and body and _wants_gzip(handler.headers.get("Accept-Encoding")):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            if "ETag" in headers:
                headers["ETag"] = headers["ETag"][:-1] + '-gzip"'
        headers["Vary"] = "Accept-Encoding"
        self._log(handler.command, handler.path, status, outlet_id)
        if status == 304:  # no body and no Content-Length
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            return status
        return handler.send(status, body, None, headers)

    # -- changing the web between crawls -------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Render the whole web again and swap every outlet's route table at once (requests in flight see
        either the old or the new table, never a mix within one outlet)."""
        with self._build_lock:
            self._site = build_site(self._bases, self._article_data, self._layouts)
            for outlet_id in self._servers:
                dark = outlet_id in self._dark
                self._tables[outlet_id] = ({} if dark else self._site.routes[outlet_id], dark)

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
