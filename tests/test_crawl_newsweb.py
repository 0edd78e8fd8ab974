"""End to end over real pieces: the local news web over HTTP, a real Scrapy crawl in a subprocess (the
``newsagg crawl`` command), real trafilatura/dateparser, and a real SQLite file."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.support.crawl import CRAWL_SETTINGS, crawl, crawl_args, run_cli

SEED = "kast-cecot"


@dataclass
class Crawled:
    web: NewsWeb
    home: Path
    summary: dict
    store: SQLiteStore

    def stored(self, url: str) -> dict | None:
        return self.store.get_article(article_id(canonicalize_url(url)))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    home = tmp_path_factory.mktemp("home")
    with NewsWeb() as web:
        summary, _ = crawl(web.registry_yaml(), home)
        store = SQLiteStore(home / "newsagg.sqlite")
        yield Crawled(web, home, summary, store)
        store.close()


def test_every_expected_article_is_stored(crawled: Crawled) -> None:
    missing = [e["url"] for e in crawled.web.expected() if crawled.stored(e["url"]) is None]
    assert not missing
    assert crawled.summary["inserted"] == crawled.store.count_articles()


def test_seed_story_gathers_every_version_and_nothing_else(crawled: Crawled) -> None:
    expected = crawled.web.expected()
    seed = [e for e in expected if e["story"] == SEED]
    story_ids = {crawled.stored(e["url"])["story_id"] for e in seed}
    assert len(story_ids) == 1, "the seed story is split"
    story_id = story_ids.pop()
    members = list(crawled.store.iter_articles(ArticleFilter(story_id=story_id)))
    seed_ids = {crawled.stored(e["url"])["id"] for e in seed}
    assert {m["id"] for m in members} == seed_ids, "an unrelated article joined the seed story"
    assert len({m["country"] for m in members}) >= 4
    assert {m["language"] for m in members} >= {"es", "en"}


def test_other_stories_are_not_merged_into_one(crawled: Crawled) -> None:
    by_story: dict[str, set[str]] = defaultdict(set)
    for entry in crawled.web.expected():
        by_story[entry["story"]].add(crawled.stored(entry["url"])["story_id"])
    owners: dict[str, str] = {}
    for story, ids in by_story.items():
        for story_id in ids:
            assert owners.setdefault(story_id, story) == story, f"{story} and {owners[story_id]} share a story"


def test_wire_copies_are_linked_not_dropped(crawled: Crawled) -> None:
    copies = [e for e in crawled.web.expected() if e.get("copy_of") or e.get("edited_copy_of")]
    assert len(copies) >= 3
    for entry in copies:
        original = crawled.stored(entry.get("copy_of") or entry["edited_copy_of"])
        copy = crawled.stored(entry["url"])
        assert copy["duplicate_of"] == original["id"], entry["url"]
        assert original["duplicate_of"] is None
        assert copy["duplicate_kind"] in ("exact", "near-verbatim", "near")


def test_furniture_and_comments_are_not_stored(crawled: Crawled) -> None:
    for entry in crawled.web.expected():
        text = crawled.stored(entry["url"])["text"]
        for sentence in entry["must_contain"]:
            assert sentence in text, (entry["url"], sentence)
        for furniture in entry["must_not_contain"]:
            assert furniture not in text, (entry["url"], furniture)


def _declared(value: str) -> datetime | date:
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def test_published_dates_are_tz_aware_and_as_declared(crawled: Crawled) -> None:
    for entry in crawled.web.expected():
        stored = crawled.stored(entry["url"])
        if entry["published"] is None:
            continue
        declared = _declared(entry["published"])
        assert stored["published_at"], entry["url"]
        if isinstance(declared, datetime):
            got = datetime.fromisoformat(stored["published_at"])
            assert got.tzinfo is not None
            assert got == declared and got.utcoffset() == declared.utcoffset(), (entry["url"], stored["published_at"])
        else:
            assert stored["published_precision"] == "day"
            assert stored["published_at"] == declared.isoformat(), entry["url"]


def test_bad_pages_are_counted_and_the_crawl_goes_on(crawled: Crawled) -> None:
    summary = crawled.summary
    kinds = {b["kind"] for b in crawled.web.bad_pages()}
    assert summary["errors"] or summary["skipped"]
    if "404" in kinds or "not_found" in kinds:
        assert summary["errors"].get("http_404", 0) >= 1
    if "500" in kinds or "server_error" in kinds:
        assert summary["errors"].get("http_500", 0) >= 1
    assert summary["articles"] >= len(crawled.web.expected())


def test_robots_txt_is_obeyed(crawled: Crawled) -> None:
    requested = {path for _, path, _, _ in crawled.web.request_log}
    assert any(path == "/robots.txt" for path in requested)
    for url in crawled.web.disallowed():
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        assert "/" + path not in requested, url


def test_cli_search_stories_and_export(crawled: Crawled, tmp_path: Path) -> None:
    found = run_cli("search", "Bukele", "--format", "json", home=crawled.home)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits["total"] >= 5 and all("«" in h["snippet"] for h in hits["hits"])
    listed = json.loads(run_cli("stories", "list", "--format", "json", home=crawled.home).stdout)
    assert listed[0]["articles"] >= 6
    shown = run_cli("stories", "show", listed[0]["id"], "--format", "json", home=crawled.home)
    document = json.loads(shown.stdout)
    assert len(document["coverage"]) == listed[0]["articles"]
    for fmt in ("json", "ndjson", "csv", "html"):
        out = tmp_path / f"stories.{fmt}"
        result = run_cli("export", "--format", fmt, "--output", str(out), home=crawled.home)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    rows = (tmp_path / "stories.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == crawled.store.count_articles() + 1
    assert len((tmp_path / "stories.ndjson").read_text(encoding="utf-8").splitlines()) == len(
        crawled.store.list_stories(limit=10_000)
    )


def test_recrawl_updates_instead_of_duplicating(crawled: Crawled) -> None:
    before = {a["id"]: (a["story_id"], a["duplicate_of"]) for a in crawled.store.iter_articles()}
    registry = crawled.home / "registry.yaml"
    result = run_cli(*crawl_args(registry, crawled.home))
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["inserted"] == 0
    after = {a["id"]: (a["story_id"], a["duplicate_of"]) for a in crawled.store.iter_articles()}
    assert after == before


def test_story_focus_keeps_only_that_story(crawled: Crawled, tmp_path: Path) -> None:
    home = tmp_path / "focused"
    registry = crawled.home / "registry.yaml"
    result = run_cli(
        *crawl_args(
            registry,
            home,
            CRAWL_SETTINGS,
            "--story",
            "Kast Bukele CECOT",
            "--since",
            "2026-11-19",
            "--until",
            "2026-11-22",
        )
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["skipped"].get("outside_story", 0) >= 5
    focused = SQLiteStore(home / "newsagg.sqlite")
    try:
        stored_ids = {a["id"] for a in focused.iter_articles()}
    finally:
        focused.close()
    seed_ids = {crawled.stored(e["url"])["id"] for e in crawled.web.expected() if e["story"] == SEED}
    unrelated = {
        crawled.stored(e["url"])["id"]
        for e in crawled.web.expected()
        if e["story"] in ("us-rates", "cr-coffee-harvest", "chile-copper-strike", "honduras-storm")
    }
    assert seed_ids <= stored_ids
    assert not stored_ids & unrelated
