"""A fast static server for the bench web: Debian's nginx if installed, else pre-forked Python workers.

One Python server process would be the bottleneck (and would steal the crawler's core); nginx serves a static
page with ``sendfile`` for a few microseconds of CPU. Without nginx (``apt-get install nginx-light``) the
fallback forks two workers running the news web's server (:class:`newsagg.newsweb.LoopbackServer`, one per
address, on listening sockets shared by the workers): slower per request than nginx but not single-threaded,
and the bench prints which server it used.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

from newsagg.newsweb import LoopbackServer, RequestHandler, Responder

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


def end_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
    """Ask ``process`` to end with ``sig``; kill it if it has not ended within ``timeout`` seconds."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_listening(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the bench server did not start listening on {host}:{port}")


def static_files(root: Path) -> Responder:
    """A responder serving the files under ``root`` (``index.html`` for a directory), as the nginx config does."""
    root = root.resolve()

    def respond(handler: RequestHandler) -> int:
        path = (root / handler.route.lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(root) or not path.is_file():
            return handler.send(404, b"not found", "text/plain")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return handler.send(200, path.read_bytes(), content_type)

    return respond


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
        servers = [LoopbackServer(static_files(self.root / h), h, self.port, software="bench/1.0") for h in self.hosts]
        for _ in range(self.workers):
            pid = os.fork()
            if pid == 0:  # worker: serve every address from threads until killed
                for s in servers[1:]:
                    threading.Thread(target=s.serve_forever, daemon=True).start()
                try:
                    servers[0].serve_forever()
                finally:
                    os._exit(0)
            self._children.append(pid)
        for s in servers:
            s.server_close()

    def stop(self) -> None:
        if self._process is not None:
            end_process(self._process, signal.SIGQUIT)  # nginx: graceful shutdown
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
