"""Shared by the reliability tests: a ``newsagg crawl`` subprocess with small fault settings, and reading
Scrapy's own stats back from the crawl log."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Small timeouts and delays, so a crawl against misbehaving servers finishes in seconds.
QUICK = {
    "AUTOTHROTTLE_START_DELAY": "0.05",
    "AUTOTHROTTLE_MAX_DELAY": "1",
    "NEWSAGG_INDEX_FLUSH_SECONDS": "1",
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "2",
    "NEWSAGG_RETRY_AFTER_MAX": "5",
    "NEWSAGG_EXTRACT_WORKERS": "0",
}


def run_cli(
    *args: str, home: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsagg.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def crawl(
    registry_yaml: str,
    home: Path,
    *,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """``newsagg crawl --format json`` of ``registry_yaml`` into ``home``; returns (summary, process)."""
    home.mkdir(parents=True, exist_ok=True)
    registry = home / "registry.yaml"
    registry.write_text(registry_yaml, encoding="utf-8")
    sets = [arg for key, value in {**QUICK, **(settings or {})}.items() for arg in ("--set", f"{key}={value}")]
    result = run_cli(
        "crawl",
        "--registry",
        str(registry),
        "--format",
        "json",
        *sets,
        home=home,
        env=env if env is not None else dict(os.environ),
    )
    if check:
        assert result.returncode == 0, result.stderr[-4000:]
    summary = json.loads(result.stdout) if result.returncode == 0 else {}
    return summary, result


def scrapy_stat(log_text: str, key: str) -> int:
    """A counter from Scrapy's "Dumping Scrapy stats" block at the end of a crawl log (0 if absent)."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", log_text)
    return int(match.group(1)) if match else 0


class EngineProxy:
    """A loopback HTTP proxy in front of a real engine node that misbehaves on cue (one helper for every
    engine fault test: refused writes, late answers, an engine that goes dark).

    ``rule(n)`` is asked for the n-th ``_bulk`` request (1-based) and returns ``"forward"``, ``"429"`` (answer
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
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.down.is_set():
                    self.close_connection = True
                    return
                action: str | float = "forward"
                if "_bulk" in self.path:
                    with proxy.lock:
                        proxy.bulks += 1
                        action = proxy.rule(proxy.bulks)
                        proxy.actions.append(action)
                if action == "429":
                    self._send(
                        429,
                        "Too Many Requests",
                        [("Content-Type", "application/json"), ("Retry-After", "1")],
                        b'{"error":{"type":"es_rejected_execution_exception"},"status":429}',
                    )
                    return
                upstream = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                upstream.close()
                if isinstance(action, float | int) and not isinstance(action, bool):
                    proxy.stop.wait(float(action))
                self._send(
                    response.status,
                    response.reason,
                    [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP],
                    data,
                )
                with proxy.lock:
                    proxy.forwarded += 1
                if proxy.trip(self.command, self.path, body):
                    proxy.cut()

            def _send(self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes) -> None:
                try:
                    self.send_response(status, reason)
                    for key, value in headers:
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:
                    self.close_connection = True  # the client gave up (timeout): that is the point

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cut(self) -> None:
        """Go dark: drop every connection from now on and close the port (in the background: a handler may call it)."""
        if self.down.is_set():
            return
        self.down.set()
        threading.Thread(target=self.close, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"})
