"""Distributed crawl over real pieces: a real ``redis-server`` on a free loopback port, the local news web,
and ``newsagg crawl --redis-url`` in three concurrent subprocesses writing one SQLite store.

The single-process crawl of the same web is the reference: the three processes together must store the
same articles (and group the same copies), and the news web's request log must show every article page
fetched exactly once across the three.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.storage.sqlite import SQLiteStore
from tests.support.crawl import CRAWL_SETTINGS, crawl_args, crawl_command, env_without_newsagg_settings, run_cli

pytestmark = [pytest.mark.redis, pytest.mark.slow]

SETTINGS = {**CRAWL_SETTINGS, "NEWSAGG_EXTRACT_WORKERS": 1}
PROCESSES = 3


@dataclass
class Run:
    summaries: list[dict]
    requests: list[tuple[str, str, int, str]]
    articles: list[dict]


def _stored(home: Path) -> list[dict]:
    store = SQLiteStore(home / "newsagg.sqlite")
    try:
        return list(store.iter_articles())
    finally:
        store.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[dict[str, Run]]:
    root = tmp_path_factory.mktemp("distributed")
    out: dict[str, Run] = {}
    with NewsWeb() as web:
        registry = root / "registry.yaml"
        registry.write_text(web.registry_yaml(), encoding="utf-8")

        single = root / "single"
        result = run_cli(*crawl_args(registry, single, SETTINGS), env=env_without_newsagg_settings(), timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        out["single"] = Run([json.loads(result.stdout)], list(web.request_log), _stored(single))

        web.clear_log()
        shared = root / "shared"
        run_id = f"test-{uuid.uuid4().hex[:8]}"
        processes = [
            subprocess.Popen(
                crawl_command(registry, shared, SETTINGS, "--redis-url", redis_url, "--run-id", run_id),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env_without_newsagg_settings(),
            )
            for _ in range(PROCESSES)
        ]
        summaries = []
        for process in processes:
            stdout, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stderr[-3000:]
            summaries.append(json.loads(stdout))
        out["distributed"] = Run(summaries, list(web.request_log), _stored(shared))
        out["distributed"].summaries[0]["_run_id"] = run_id
        out["expected"] = web.expected()  # type: ignore[assignment]
        yield out


def _gets(run: Run) -> Counter[tuple[str, str]]:
    """GET requests per (outlet, path): outlets are separate servers and share paths like ``/mundo/``."""
    return Counter((outlet, urlsplit(path).path) for method, path, _status, outlet in run.requests if method == "GET")


def test_every_article_page_is_fetched_exactly_once_across_processes(runs: dict) -> None:
    gets = _gets(runs["distributed"])
    article_paths = {(e["outlet"], urlsplit(e["url"]).path) for e in runs["expected"]}
    assert article_paths, "the news web has no articles"
    wrong = {p: gets[p] for p in article_paths if gets[p] != 1}
    assert not wrong, f"article pages not fetched exactly once: {wrong}"


def test_feeds_sitemaps_and_sections_are_not_fetched_twice(runs: dict) -> None:
    """The shared dupe filter covers discovery too (robots.txt is per process, by design: each checks it)."""
    retried = {(o, urlsplit(p).path) for _m, p, status, o in runs["distributed"].requests if status >= 500}
    gets = _gets(runs["distributed"])
    twice = {p: n for p, n in gets.items() if n > 1 and p[1] != "/robots.txt" and p not in retried}
    assert not twice


def test_the_processes_store_what_one_process_stores(runs: dict) -> None:
    single, distributed = runs["single"], runs["distributed"]
    assert single.articles, "the reference crawl stored nothing"
    assert sorted(a["id"] for a in distributed.articles) == sorted(a["id"] for a in single.articles)
    assert sum(s["inserted"] for s in distributed.summaries) == len(single.articles), "an article was inserted twice"
    assert sum(s["articles"] for s in distributed.summaries) == single.summaries[0]["articles"]


def test_copies_are_grouped_as_in_one_process(runs: dict) -> None:
    """Dedupe state is shared through Redis: a copy crawled by one process is linked to an original crawled
    by another, giving the same duplicate groups as the single-process crawl."""

    def groups(articles: list[dict]) -> set[frozenset[str]]:
        by_group: dict[str, set[str]] = {}
        for a in articles:
            by_group.setdefault(a["dup_group"] or a["id"], set()).add(a["id"])
        return {frozenset(members) for members in by_group.values() if len(members) > 1}

    single_groups = groups(runs["single"].articles)
    assert single_groups, "the news web's wire copies were not grouped in the reference crawl"
    assert groups(runs["distributed"].articles) == single_groups


def test_the_last_process_cleans_up_the_run(runs: dict, redis_url: str) -> None:
    import redis

    run_id = runs["distributed"].summaries[0]["_run_id"]
    client = redis.Redis.from_url(redis_url)
    try:
        assert list(client.scan_iter(f"newsagg:{run_id}:*")) == []
    finally:
        client.close()
