"""A loopback HTTP proxy in front of a real engine node that misbehaves on cue (one helper for every engine
fault test: refused writes, late answers, an engine that goes dark)."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Callable

from newsagg.newsweb import LoopbackServer, RequestHandler

_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"})
_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE")


class EngineProxy:
    """``rule(n)`` is asked for the n-th ``_bulk`` request (1-based) and returns ``"forward"``, ``"429"`` (answer
    429 Too Many Requests without forwarding) or a number of seconds: forward, let the engine apply the bulk,
    then hold the answer that long (a slow engine: the client times out although the write happened).
    ``trip(method, path, body)`` is asked after each forwarded request: once it returns True the proxy goes
    dark (connections dropped, port closed), as does :meth:`cut`.
    """

    def __init__(
        self,
        target: str,
        rule: Callable[[int], str | float] | None = None,
        trip: Callable[[str, str, bytes], bool] | None = None,
    ) -> None:
        self.target = urllib.parse.urlsplit(target)
        self.rule = rule or (lambda n: "forward")
        self.trip = trip or (lambda *_: False)
        self.bulks = 0
        self.forwarded = 0
        self.actions: list[str | float] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.down = threading.Event()
        self.server = LoopbackServer(self._relay, methods=_METHODS, software="engine-proxy/1.0").start()
        self.url = self.server.base

    def _relay(self, handler: RequestHandler) -> int:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        if self.down.is_set():
            handler.close_connection = True
            return 0
        action: str | float = "forward"
        if "_bulk" in handler.path:
            with self.lock:
                self.bulks += 1
                action = self.rule(self.bulks)
                self.actions.append(action)
        if action == "429":
            error = b'{"error":{"type":"es_rejected_execution_exception"},"status":429}'
            return _answer(handler, 429, error, [("Content-Type", "application/json"), ("Retry-After", "1")])
        upstream = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=60)
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP}
        upstream.request(handler.command, handler.path, body=body or None, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        upstream.close()
        if isinstance(action, float | int) and not isinstance(action, bool):
            self.stop.wait(float(action))
        status = _answer(
            handler,
            response.status,
            data,
            [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP],
            response.reason,
        )
        with self.lock:
            self.forwarded += 1
        if self.trip(handler.command, handler.path, body):
            self.cut()
        return status

    def cut(self) -> None:
        """Go dark: drop every connection from now on and close the port (in the background: a handler may call it)."""
        if self.down.is_set():
            return
        self.down.set()
        threading.Thread(target=self.close, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.stop()


def _answer(handler: RequestHandler, status: int, data: bytes, headers: list[tuple[str, str]], reason: str = "") -> int:
    """Relay an answer as is (repeated headers included); a client that gave up is not an error."""
    try:
        handler.send_response(status, reason or None)
        for key, value in headers:
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)
    except OSError:
        handler.close_connection = True  # the client gave up (timeout): that is the point
    return status
