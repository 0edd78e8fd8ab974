"""Support for the ``newsagg serve`` tests: one crawl of the local news web per test session, a hostile
story added through the storage contract, and a real uvicorn server on a free loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.serve import ServeConfig, create_app
from newsagg.serve.gateway import Gateway
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from tests.polling import wait_for

SEED_QUERY = "Kast CECOT Bukele"
HOSTILE_STORY = "st-hostile0000"
HOSTILE_ARTICLE = "hostile0000000001"
#: Payloads that would set ``window.__xss`` if any stored field reached the page unescaped.
XSS_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">Harbour terminal opens'
XSS_TEXT = (
    "The harbour terminal opened on Tuesday.</p><script>window.__xss=3</script>\n"
    '<svg onload="window.__xss=4"></svg> Officials said dredging had been delayed.'
)
FAST = [
    "--set",
    "AUTOTHROTTLE_START_DELAY=0.05",
    "--set",
    "AUTOTHROTTLE_MAX_DELAY=1",
    "--set",
    "NEWSAGG_INDEX_FLUSH_SECONDS=1",
]


def run_cli(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsagg.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


@dataclass
class Crawled:
    home: Path
    web_expected: list[dict[str, Any]]
    seed_story: str


_crawled: Crawled | None = None


def crawled_home(factory: pytest.TempPathFactory) -> Crawled:
    """The news web crawled once per process (both serve test modules share it), plus a hostile story."""
    global _crawled
    if _crawled is not None:
        return _crawled
    home = factory.mktemp("serve-home")
    with NewsWeb() as web:
        registry = home / "registry.yaml"
        registry.write_text(web.registry_yaml(), encoding="utf-8")
        result = run_cli("crawl", "--registry", str(registry), "--format", "json", *FAST, home=home)
        assert result.returncode == 0, result.stderr[-3000:]
        expected = web.expected()
    with SQLiteStore(home / "newsagg.sqlite") as store:
        hits = store.search(SEED_QUERY, limit=50).hits
        seed = {h.article["story_id"] for h in hits if h.article.get("story_id")}
        assert seed, "the crawl found no seed story"
        seed_story = max(seed, key=lambda s: store.count_articles(ArticleFilter(story_id=s)))
        add_hostile_story(store)
    _crawled = Crawled(home=home, web_expected=expected, seed_story=seed_story)
    return _crawled


def add_hostile_story(store: SQLiteStore) -> None:
    """A story whose every stored field tries to run script (as a hostile page could make the crawler store)."""
    store.upsert_articles(
        [
            {
                "id": HOSTILE_ARTICLE,
                "url": "javascript:window.__xss=5",
                "canonical_url": "javascript:window.__xss=5",
                "outlet_id": "hostile-input",
                "outlet_name": '<b onmouseover="window.__xss=6">Hostile Input</b>',
                "country": '"><script>window.__xss=7</script>',
                "language": "en",
                "title": XSS_TITLE,
                "text": XSS_TEXT,
                "authors": ['<img src=x onerror="window.__xss=8">'],
                "published_at": "2026-11-19T10:00:00+00:00",
                "published_utc": 1795082400.0,
                "published_source": "<script>window.__xss=9</script>",
                "discovered_at": "2026-11-19T11:00:00+00:00",
                "discovered_utc": 1795086000.0,
                "word_count": 12,
                "story_id": HOSTILE_STORY,
            }
        ]
    )
    store.save_story(
        {
            "id": HOSTILE_STORY,
            "label": XSS_TITLE,
            "keywords": ["<script>window.__xss=10</script>"],
            "created_at": "2026-11-19T11:00:00+00:00",
            "updated_at": "2026-11-19T11:00:00+00:00",
            "first_published_utc": 1795082400.0,
            "last_published_utc": 1795082400.0,
            "article_count": 1,
        }
    )


class RunningServer:
    """``create_app(config)`` under a real uvicorn server on 127.0.0.1, port chosen by the OS."""

    def __init__(self, config: ServeConfig, gateway: Gateway | None = None) -> None:
        import uvicorn

        app = create_app(config, gateway=gateway)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> RunningServer:
        self.thread.start()
        wait_for(lambda: self.server.started, "uvicorn to start", limit=60)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def cli_json(*args: str, home: Path) -> Any:
    result = run_cli(*args, "--format", "json", home=home, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)
