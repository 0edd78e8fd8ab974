"""The crawl harness of the test suite: ``newsagg`` commands in a subprocess, a crawl of a registry with the
local-web settings, and Scrapy's own stats read back from the crawl log.

The crawl settings come from the library (:data:`newsagg.newsweb.CRAWL_SETTINGS`, which the demo uses too);
:data:`FAULT_SETTINGS` adds the short timeouts and retries of the fault tests. The bench scripts build their
``newsagg crawl`` command lines with :func:`crawl_command` too.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from newsagg.newsweb import CRAWL_SETTINGS, LoopbackServer, RequestHandler

#: The ``newsagg`` command of the interpreter running the tests (the worktree's code, not an installed script).
NEWSAGG = (sys.executable, "-m", "newsagg.cli")
#: Small timeouts and delays, so a crawl against misbehaving servers finishes in seconds.
FAULT_SETTINGS: Mapping[str, object] = {
    **CRAWL_SETTINGS,
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 2,
    "NEWSAGG_RETRY_AFTER_MAX": 5,
    "NEWSAGG_EXTRACT_WORKERS": 0,
}

__all__ = [
    "CRAWL_SETTINGS",
    "FAULT_SETTINGS",
    "NEWSAGG",
    "crawl",
    "crawl_args",
    "crawl_command",
    "crawl_pages",
    "run_cli",
    "scrapy_stat",
    "set_args",
]


def set_args(settings: Mapping[str, object]) -> list[str]:
    """``--set KEY=VALUE`` arguments for every setting."""
    return [arg for key, value in settings.items() for arg in ("--set", f"{key}={value}")]


def crawl_args(registry: Path, home: Path, settings: Mapping[str, object] = CRAWL_SETTINGS, *extra: str) -> list[str]:
    """The arguments of ``newsagg crawl`` of ``registry`` into ``home`` with a JSON summary on stdout."""
    return [
        "crawl",
        "--registry",
        str(registry),
        "--home",
        str(home),
        "--format",
        "json",
        *set_args(settings),
        *extra,
    ]


def ingest_args(
    registry: Path, home: Path, sources: Sequence[str | Path], settings: Mapping[str, object], *extra: str
) -> list[str]:
    """The arguments of ``newsagg ingest warc SOURCES`` into ``home`` with a JSON summary on stdout."""
    return [
        "ingest",
        "warc",
        *map(str, sources),
        "--registry",
        str(registry),
        "--home",
        str(home),
        "--format",
        "json",
        *set_args(settings),
        *extra,
    ]


def crawl_command(
    registry: Path, home: Path, settings: Mapping[str, object] = CRAWL_SETTINGS, *extra: str
) -> list[str]:
    """The whole ``newsagg crawl`` command line (see :func:`crawl_args`)."""
    return [*NEWSAGG, *crawl_args(registry, home, settings, *extra)]


def env_without_newsagg_settings() -> dict[str, str]:
    """This process's environment minus every ``NEWSAGG_*`` variable, so a subprocess run sees only the settings
    a test passes (a developer's or CI's own ``NEWSAGG_*`` values would change what is tested)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_")}


def run_cli(
    *args: str, home: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``newsagg ARGS --home HOME`` in a subprocess; never raises on a failing exit code."""
    command = [*NEWSAGG, *args, *(("--home", str(home)) if home is not None else ())]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=dict(env) if env is not None else None,
    )


def crawl(
    registry_yaml: str,
    home: Path,
    settings: Mapping[str, object] = CRAWL_SETTINGS,
    *extra: str,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    exit_code: int = 0,
) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Write ``registry_yaml`` to ``home/registry.yaml`` and crawl it into ``home``; returns (summary, process).

    With ``check`` (the default) a crawl that does not exit with ``exit_code`` fails the test with the end of its
    stderr. A crawl that spooled or lost articles exits 1 and still prints its summary, which is returned.
    """
    home.mkdir(parents=True, exist_ok=True)
    registry = home / "registry.yaml"
    registry.write_text(registry_yaml, encoding="utf-8")
    result = run_cli(*crawl_args(registry, home, settings, *extra), env=env)
    if check:
        assert result.returncode == exit_code, result.stderr[-4000:]
    summary = json.loads(result.stdout) if result.stdout.lstrip().startswith("{") else {}
    return summary, result


def scrapy_stat(log_text: str, key: str) -> int:
    """A counter from Scrapy's "Dumping Scrapy stats" block at the end of a crawl log (0 if absent)."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", log_text)
    return int(match.group(1)) if match else 0


def stored_rows(home: Path) -> dict[str, dict]:
    """Every row of the SQLite store's ``articles`` table under ``home``, by article id, as written (raw
    columns: what a test compares between two stores, without the storage layer's decoding)."""
    db = sqlite3.connect(home / "newsagg.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return {row["id"]: dict(row) for row in db.execute("SELECT * FROM articles")}
    finally:
        db.close()


def crawl_pages(
    pages: Mapping[str, bytes], home: Path, settings: Mapping[str, object] = CRAWL_SETTINGS
) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Crawl one English-language outlet on loopback whose RSS feed lists ``pages`` (path -> HTML) into ``home``
    (see :func:`crawl`); every other path is a 404."""

    def respond(handler: RequestHandler) -> int:
        path = handler.path.split("?")[0]
        if path == "/rss.xml":
            items = "".join(f"<item><title>x</title><link>{server.base}{p}</link></item>" for p in pages)
            feed = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
            return handler.send(200, feed, "application/rss+xml")
        if path in pages:
            return handler.send(200, pages[path])
        return handler.send(404, b"", "text/plain")

    server = LoopbackServer(respond)
    with server.start():
        outlet = {"id": "x", "name": "X", "country": "CL", "language": "en", "home": server.base + "/"}
        outlet["feeds"] = [server.base + "/rss.xml"]
        return crawl(yaml.safe_dump({"outlets": [outlet]}), home, settings)
