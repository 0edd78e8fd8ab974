"""Find or start a real search engine for tests (stdlib only).

``engine_url(engine)`` returns the base URL of a healthy node, or ``None``. ``engine`` is one
node per supported major: ``opensearch`` (3.x), ``opensearch2``, ``elasticsearch`` (9.x),
``elasticsearch8`` (names as in ``engine.sh``):

1. its variable in ``ENV_VARS`` if set (e.g. a docker-compose node,
   ``https://elastic:secret@localhost:9200``), after a health check;
2. else a node already started by ``tests/engine/engine.sh`` (e.g. by ``.ci/run``);
3. else one started here through ``engine.sh start`` (needs a JDK, plus Maven the first time
   to fetch the jars); nodes started here are stopped by ``stop_all()`` and at exit. The older
   majors (``OLDER_MAJORS``) are started here only when ``CI=true`` or
   ``NEWSAGG_TEST_ALL_ENGINES=1``: on a developer's machine two more JVMs for every test run
   cost more than they find, and CI runs all four.

``unavailable_reason(engine)`` says why ``engine_url`` returned ``None``.
``client_options(url)`` splits credentials out of a URL for the Python clients.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "engine"
ENGINE_SH = HERE / "engine.sh"

ENV_VARS = {
    "opensearch": "NEWSAGG_TEST_OPENSEARCH_URL",
    "opensearch2": "NEWSAGG_TEST_OPENSEARCH2_URL",
    "elasticsearch": "NEWSAGG_TEST_ES_URL",
    "elasticsearch8": "NEWSAGG_TEST_ES8_URL",
}
#: each node's family: the ``NEWSAGG_BACKEND`` that talks to it
FAMILY = {
    "opensearch": "opensearch",
    "opensearch2": "opensearch",
    "elasticsearch": "elasticsearch",
    "elasticsearch8": "elasticsearch",
}
OLDER_MAJORS = frozenset({"opensearch2", "elasticsearch8"})
_ALIASES = {
    **{name: name for name in ENV_VARS},
    "os": "opensearch",
    "os3": "opensearch",
    "os2": "opensearch2",
    "es": "elasticsearch",
    "es9": "elasticsearch",
    "es8": "elasticsearch8",
}

_lock = threading.Lock()
_started: set[str] = set()
_urls: dict[str, str] = {}
_reasons: dict[str, str] = {}


def canonical(engine: str) -> str:
    try:
        return _ALIASES[engine.lower()]
    except KeyError:
        raise ValueError(f"unknown engine {engine!r}; expected one of {sorted(ENV_VARS)}") from None


def client_options(url: str) -> dict:
    """``{"url": ..., "username": ..., "password": ..., "verify_certs": ...}`` for a client.

    Credentials embedded in the URL are split out; certificate checks are on unless
    ``NEWSAGG_TEST_VERIFY_CERTS=0`` (self-signed certificates of a local docker node).
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    return {
        "url": clean,
        "username": urllib.parse.unquote(parts.username) if parts.username else None,
        "password": urllib.parse.unquote(parts.password) if parts.password else None,
        "verify_certs": os.environ.get("NEWSAGG_TEST_VERIFY_CERTS", "1") != "0",
    }


def cluster_health(url: str, timeout: float = 5.0) -> dict | None:
    """The ``_cluster/health`` document, or ``None`` if the node cannot be reached."""
    opts = client_options(url)
    req = urllib.request.Request(opts["url"] + "/_cluster/health")
    if opts["username"] is not None:
        token = base64.b64encode(f"{opts['username']}:{opts['password'] or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    ctx = None
    if opts["url"].startswith("https:") and not opts["verify_certs"]:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as resp:
            return json.loads(resp.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def is_healthy(url: str) -> bool:
    health = cluster_health(url)
    return bool(health) and health.get("status") in ("green", "yellow")


def wait_healthy(url: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if is_healthy(url):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


def can_start_locally() -> tuple[bool, str]:
    """Whether engine.sh could start a node here: bash and a JDK (Maven only to fetch)."""
    if shutil.which("bash") is None:
        return False, "bash not found"
    java_home = os.environ.get("NEWSAGG_ENGINE_JAVA_HOME") or os.environ.get("JAVA_HOME")
    has_java = (
        shutil.which("java") is not None
        or (java_home is not None and (Path(java_home) / "bin" / "java").exists())
        or any(Path("/usr/lib/jvm").glob("*/bin/java"))
    )
    if not has_java:
        return False, "no Java found (install a JDK 21+, or set NEWSAGG_ENGINE_JAVA_HOME)"
    fetched = any((HERE / "lib").glob("*/.fetched")) if (HERE / "lib").is_dir() else False
    if shutil.which("mvn") is None and not fetched:
        return False, "Maven (mvn) not found and no engine jars fetched yet in tests/engine/lib/"
    return True, ""


def _run_engine_sh(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ENGINE_SH), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def starts_here(engine: str) -> bool:
    """Whether ``engine_url`` may start ``engine`` itself (see the module docstring)."""
    if canonical(engine) not in OLDER_MAJORS:
        return True
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("NEWSAGG_TEST_ALL_ENGINES") == "1"


def engine_url(engine: str, *, start: bool | None = None, timeout: float = 600.0) -> str | None:
    """Base URL of a healthy node of ``engine``, or ``None`` (see ``unavailable_reason``).

    ``start``: may a node be started here (default: ``starts_here(engine)``)."""
    engine = canonical(engine)
    if start is None:
        start = starts_here(engine)
    with _lock:
        if engine in _urls and is_healthy(_urls[engine]):
            return _urls[engine]
        var = ENV_VARS[engine]
        explicit = os.environ.get(var, "").strip()
        if explicit:
            if wait_healthy(explicit, timeout=min(timeout, float(os.environ.get("NEWSAGG_TEST_ENGINE_WAIT", "30")))):
                _urls[engine] = explicit.rstrip("/")
                return _urls[engine]
            _reasons[engine] = f"{var}={explicit} is set but its cluster health is not green/yellow"
            return None

        if shutil.which("bash") and ENGINE_SH.exists():
            probe = _run_engine_sh("url", engine, timeout=60)
            if probe.returncode == 0 and probe.stdout.strip():
                url = probe.stdout.strip().splitlines()[-1]
                if wait_healthy(url, timeout=30):
                    _urls[engine] = url
                    return url

        if not start:
            _reasons[engine] = f"{var} not set and no {engine} started by tests/engine/engine.sh" + (
                " (older majors start here only with CI=true or NEWSAGG_TEST_ALL_ENGINES=1)"
                if engine in OLDER_MAJORS
                else ""
            )
            return None
        ok, why = can_start_locally()
        if not ok:
            _reasons[engine] = f"{var} not set and cannot start {engine} locally: {why}"
            return None
        try:
            proc = _run_engine_sh("start", engine, timeout=timeout)
        except subprocess.TimeoutExpired:
            _run_engine_sh("stop", engine, timeout=120)
            _reasons[engine] = f"engine.sh start {engine} took longer than {timeout:.0f}s"
            return None
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
            _reasons[engine] = f"engine.sh start {engine} failed (exit {proc.returncode}):\n{tail}"
            return None
        url = proc.stdout.strip().splitlines()[-1]
        if "already running" not in proc.stderr:
            _started.add(engine)
        _urls[engine] = url
        return url


def unavailable_reason(engine: str) -> str:
    engine = canonical(engine)
    return _reasons.get(engine, f"{engine} is not available")


def stop(engine: str) -> None:
    """Stop ``engine`` if this process started it."""
    engine = canonical(engine)
    with _lock:
        if engine in _started:
            _run_engine_sh("stop", engine, timeout=120)
            _started.discard(engine)
            _urls.pop(engine, None)


def stop_all() -> None:
    """Stop every node this process started (nodes found already running are left alone)."""
    for engine in list(_started):
        stop(engine)


atexit.register(stop_all)
