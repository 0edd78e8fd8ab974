"""A fast static server for the bench web: Debian's nginx if installed, else pre-forked Python workers.

The stdlib single-threaded server would be the bottleneck (and would steal the crawler's core); nginx serves
a static page with ``sendfile`` for a few microseconds of CPU. Without nginx (``apt-get install nginx-light``)
the fallback forks two ``ThreadingHTTPServer`` workers per address on shared listening sockets: slower per
request than nginx but not single-threaded, and the bench prints which server it used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 60;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    server {{
{listens}
        root {root}/$server_addr;
        index index.html;
    }}
}}
"""


def free_port(hosts: list[str]) -> int:
    """A port free on every one of ``hosts`` (all loopback addresses)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = probe.getsockname()[1]
        try:
            for host in hosts[1:]:
                with socket.socket() as other:
                    other.bind((host, port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port shared by the bench addresses")


def _wait_listening(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the bench server did not start listening on {host}:{port}")


class StaticServer:
    """``with StaticServer(root, hosts) as server: server.port, server.kind`` serves ``root/<host>/``."""

    def __init__(self, root: Path, hosts: list[str], *, workers: int = 2, prefer_nginx: bool = True) -> None:
        self.root = root
        self.hosts = hosts
        self.workers = workers
        self.port = free_port(hosts)
        self.nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        self.kind = "nginx" if (prefer_nginx and self.nginx) else "python-prefork"
        self._process: subprocess.Popen[bytes] | None = None
        self._children: list[int] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> StaticServer:
        if self.kind == "nginx":
            self._start_nginx()
        else:
            self._start_prefork()
        for host in self.hosts:
            _wait_listening(host, self.port)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def pids(self) -> list[int]:
        return [self._process.pid] if self._process else list(self._children)

    def _start_nginx(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="newsagg-bench-nginx-")
        tmp = self._tmp.name
        os.chmod(tmp, 0o755)
        listens = "\n".join(f"        listen {h}:{self.port};" for h in self.hosts)
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(workers=self.workers, tmp=tmp, listens=listens, root=self.root))
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(user + conf.read_text())
        self._process = subprocess.Popen([self.nginx, "-c", str(conf), "-p", tmp], stderr=subprocess.PIPE)

    def _start_prefork(self) -> None:
        root = self.root

        class Handler(SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def translate_path(self, path: str) -> str:
                local = self.connection.getsockname()[0]
                return str(root / local / path.split("?", 1)[0].lstrip("/"))

            def log_message(self, format: str, *args: object) -> None:
                pass

        servers = [ThreadingHTTPServer((h, self.port), Handler, bind_and_activate=True) for h in self.hosts]
        for _ in range(self.workers):
            pid = os.fork()
            if pid == 0:  # worker: serve every address from threads until killed
                import threading

                for s in servers[1:]:
                    threading.Thread(target=s.serve_forever, daemon=True).start()
                try:
                    servers[0].serve_forever()
                finally:
                    os._exit(0)
            self._children.append(pid)
        for s in servers:
            s.socket.close()

    def stop(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGQUIT)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        for pid in self._children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._children.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
