"""robots.txt is obeyed by every request, including those that wait for a slow robots.txt together.

A host is opened with several requests at once (an outlet's feeds, sitemaps and sections). Scrapy 2.19's own
middleware gave the parsed rules to the first of the waiting requests only and let the others through as if
there were no robots.txt (``crawler/robots.py``); the news web's robots-disallowed trap pages ended up in the
store of a loaded distributed crawl. Here the robots.txt answers after a delay, so every start request of the
outlet is waiting for it when it arrives: none of the disallowed ones may be requested.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsagg.newsweb import LoopbackServer, RequestHandler
from tests.support.crawl import crawl_args, run_cli

pytestmark = pytest.mark.reliability

ROBOTS_DELAY_SECONDS = 1.5
DISALLOWED_SECTIONS = [f"/privado/seccion-{n}/" for n in range(6)]
ALLOWED_SECTIONS = ["/portada/", "/mundo/"]


class _SlowRobotsSite:
    """An outlet whose robots.txt takes a while and disallows ``/privado/``; every path asked for is kept."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._respond).start()

    def _respond(self, handler: RequestHandler) -> int:
        with self._lock:
            self.seen.append(handler.path)
        if handler.route == "/robots.txt":
            time.sleep(ROBOTS_DELAY_SECONDS)
            return handler.send(200, b"User-agent: *\nDisallow: /privado/\n", "text/plain")
        links = "".join(f'<a href="{path}">{path}</a>' for path in DISALLOWED_SECTIONS)
        return handler.send(200, f"<html><body><h1>{handler.route}</h1>{links}</body></html>".encode())


@pytest.fixture
def site() -> Iterator[_SlowRobotsSite]:
    site = _SlowRobotsSite()
    yield site
    site.server.stop()


def test_no_request_waiting_for_robots_txt_skips_it(site: _SlowRobotsSite, tmp_path: Path) -> None:
    base = site.server.base
    sections = ", ".join(f"'{base}{path}'" for path in DISALLOWED_SECTIONS + ALLOWED_SECTIONS)
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "outlets:\n"
        f"  - {{id: lento, name: Lento, country: CL, language: es, home: '{base}/', sections: [{sections}]}}\n",
        encoding="utf-8",
    )
    result = run_cli(*crawl_args(registry, tmp_path / "home"), timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)

    assert site.seen.count("/robots.txt") == 1
    assert {"/", *ALLOWED_SECTIONS} <= set(site.seen), f"the allowed pages were not crawled: {site.seen}"
    forbidden = [path for path in site.seen if path.startswith("/privado/")]
    assert not forbidden, f"requested despite robots.txt: {forbidden}"
    assert summary["skipped"].get("robots_disallowed", 0) >= len(DISALLOWED_SECTIONS), summary["skipped"]
