"""Incremental crawls over real pieces: the local news web changing between runs, ``newsagg crawl`` in a
subprocess, the fetch state in a real ``state.sqlite``. What was fetched is read from the web's request log.

The crawl clock is fixed with ``NEWSAGG_NOW`` so the re-fetch schedule is tested without sleeping.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.state.fetch import MAX_ERRORS, FetchState, parse_now, parse_schedule
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.support.crawl import CRAWL_SETTINGS, crawl_args, run_cli

T0 = datetime.fromisoformat("2026-11-21T00:00:00+00:00")
SETTINGS = {**CRAWL_SETTINGS, "NEWSAGG_EXTRACT_WORKERS": 0}
EDITED = "ledger-fed-rates"
UNLISTED = "acn-en-treasury-yields"
CORRECTION = (
    "Correction: An earlier version of this article misstated the share of participants who favored "
    "waiting. It was most participants, not all of them."
)
NEW_TITLE = "Fed minutes show officials in no hurry to cut rates again"


def run_crawl(home: Path, now: datetime, *extra: str) -> dict:
    result = run_cli(*crawl_args(home / "registry.yaml", home, {**SETTINGS, "NEWSAGG_NOW": now.isoformat()}, *extra))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@dataclass
class Run:
    summary: dict
    log: list[tuple[str, str, int, str]]
    article_paths: set[str] = field(default_factory=set)

    def fetched(self, statuses: tuple[int, ...] = (200,)) -> set[str]:
        """Article pages requested with one of ``statuses``."""
        return {path for _, path, status, _ in self.log if status in statuses and path in self.article_paths}

    def statuses(self) -> Counter[int]:
        return Counter(status for _, _, status, _ in self.log)


@dataclass
class Scenario:
    web: NewsWeb
    home: Path
    runs: dict[str, Run]
    paths: dict[str, str]  # article key -> path

    def store(self) -> SQLiteStore:
        return SQLiteStore(self.home / "newsagg.sqlite")


def _new_article(web: NewsWeb) -> dict:
    base = web.article_data(EDITED)[0]
    new = copy.deepcopy(base)
    new.update(
        key="ledger-port-strike",
        story="port-strike",
        path="/business/2026/11/20/dockworkers-vote-to-extend-port-strike.html",
        title="Dockworkers vote to extend strike at Gulf Coast container ports",
        published="2026-11-20T19:05:00-05:00",
        summary="The union rejected the latest contract offer, prolonging a stoppage that has idled dozens of ships.",
        body=[
            "Dockworkers at six Gulf Coast container ports voted on Friday to extend their strike into a third week, "
            "rejecting a contract offer that the port operators had described as their final proposal.",
            "The union said the offer did not address automation at the terminals, which members fear will cost "
            "thousands of jobs over the next decade. Operators said the proposal included the largest wage increase "
            "in the history of the contract.",
            "More than forty ships were waiting at anchor outside the ports on Friday, according to shipping data, and "
            "retailers warned that holiday inventories could run short if the stoppage lasts into December.",
            "Federal mediators met both sides twice this week without a breakthrough. A spokeswoman for the operators "
            "said the companies remained willing to talk but would not reopen the wage package, which union leaders "
            "called a diversion from the central dispute over automated cranes and gate systems.",
            "Trucking companies that serve the terminals have laid off hundreds of drivers since the strike began, and "
            "some shippers have started rerouting cargo to West Coast ports, adding days and thousands of dollars to "
            "each container's journey. Farm groups said exports of poultry and cotton were piling up in warehouses.",
            "Economists said the stoppage was unlikely to push up consumer prices much on its own, but warned that a "
            "strike lasting into the new year could snarl supply chains that only recently recovered from earlier "
            "disruptions. The governors of two affected states urged both sides to return to the table before the "
            "holiday shipping season reaches its peak.",
        ],
    )
    return new


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    home = tmp_path_factory.mktemp("incremental")
    with NewsWeb() as web:
        (home / "registry.yaml").write_text(web.registry_yaml(), encoding="utf-8")
        runs: dict[str, Run] = {}

        def crawl(name: str, now: datetime, *extra: str) -> None:
            web.clear_log()
            summary = run_crawl(home, now, *extra)
            paths = {urlsplit(e["url"]).path for e in web.expected()}
            runs[name] = Run(summary, list(web.request_log), paths)

        crawl("first", T0)
        crawl("unchanged", T0)
        new = _new_article(web)
        web.publish(new)
        edited = web.article_data(EDITED)[0]
        web.edit(EDITED, title=NEW_TITLE, body=[*edited["body"], CORRECTION], modified="2026-11-20T21:00:00-05:00")
        web.unlist(UNLISTED)
        crawl("changed", T0)
        crawl("due", T0 + timedelta(hours=2))
        crawl("full", T0 + timedelta(hours=2, minutes=5), "--full")
        paths = {d["key"]: d["path"] for d in web.article_data()}
        yield Scenario(web, home, runs, paths)


def _stored(store: SQLiteStore, web: NewsWeb, key: str) -> dict | None:
    url = web.url(web.article_data(key)[0]["outlet"], web.article_data(key)[0]["path"])
    return store.get_article(article_id(canonicalize_url(url)))


def test_unchanged_second_run_fetches_no_article_page(scenario: Scenario) -> None:
    first, second = scenario.runs["first"], scenario.runs["unchanged"]
    assert len(first.fetched()) >= 20
    assert second.fetched((200, 304)) == set(), "a known article was requested again before it was due"
    feeds_and_sitemaps = [p for _, p, s, _ in second.log if p.endswith((".xml", "/feed/", ".atom", ".rss"))]
    assert feeds_and_sitemaps, "feeds and sitemaps must always be requested"
    assert second.statuses()[304] >= len(scenario.web.outlets), "discovery pages were not requested conditionally"
    assert second.summary["inserted"] == 0 and second.summary["updated"] == 0
    assert len(second.log) < len(first.log)
    print(
        f"\nrequests: first run {len(first.log)} {dict(first.statuses())}; "
        f"second run {len(second.log)} {dict(second.statuses())}"
    )


def test_new_and_edited_articles_are_fetched_and_nothing_else(scenario: Scenario) -> None:
    changed = scenario.runs["changed"]
    fetched = changed.fetched((200, 304))
    assert fetched == {scenario.paths["ledger-port-strike"], scenario.paths[EDITED]}
    assert scenario.paths[UNLISTED] not in {p for _, p, _, _ in changed.log}
    assert changed.summary["inserted"] == 1 and changed.summary["updated"] == 1
    # the changed outlet's feeds list its other, known articles again: skipped without a request
    assert changed.summary["skipped"].get("not_due", 0) >= 2, changed.summary["skipped"]
    store = scenario.store()
    try:
        assert _stored(store, scenario.web, "ledger-port-strike") is not None
    finally:
        store.close()


def test_an_edit_keeps_the_previous_version_with_a_change_summary(scenario: Scenario) -> None:
    store = scenario.store()
    try:
        edited = _stored(store, scenario.web, EDITED)
        others = [a for a in store.iter_articles() if a["id"] != edited["id"]]
    finally:
        store.close()
    assert edited["title"] == NEW_TITLE and CORRECTION in edited["text"]
    assert len(edited["versions"]) == 1, "a 304 or an unchanged re-fetch must not add versions"
    version = edited["versions"][0]
    assert version["title"].startswith("Fed officials signal patience")
    assert CORRECTION not in version["text"]
    assert {"headline changed", "correction appended", "modified date changed"} <= set(version["changes"]), version
    assert version["replaced_at"].startswith("2026-11-21T00:00")
    assert not [a["id"] for a in others if a["versions"]], "unchanged articles got versions"


def test_young_articles_are_refetched_when_due_and_answer_304(scenario: Scenario) -> None:
    due = scenario.runs["due"]
    store = scenario.store()
    try:
        stored = {urlsplit(a["url"]).path: a for a in store.iter_articles()}
    finally:
        store.close()
    horizon = (T0 - timedelta(hours=72)).timestamp()
    young = {p for p, a in stored.items() if a["published_utc"] is None or a["published_utc"] >= horizon}
    assert len(young) >= 20
    assert due.fetched((200, 304)) == young & due.article_paths
    # Conditional GETs: a page answers 200 only if its bytes changed (e.g. its outlet's "latest news" box now
    # lists the new article); the text did not, so no article is updated and no version is made.
    assert len(due.fetched((304,))) >= len(young) * 0.7, due.statuses()
    assert due.summary["updated"] == 0 and due.summary["inserted"] == 0
    print(f"\ndue run: {len(due.fetched((304,)))} article pages 304, {len(due.fetched((200,)))} 200")


def test_full_crawl_downloads_everything_and_creates_no_version(scenario: Scenario) -> None:
    full = scenario.runs["full"]
    listed = {d["path"] for d in scenario.web.article_data() if d.get("in_feed") or d.get("in_sitemap")}
    assert listed - {scenario.paths[UNLISTED]} <= full.fetched((200,))
    assert full.statuses()[304] == 0, "--full must not send validators"
    assert full.summary["inserted"] == 0  # ('updated' may count dedupe re-scoring similarity, not content)
    store = scenario.store()
    try:
        assert sum(len(a["versions"]) for a in store.iter_articles()) == 1
    finally:
        store.close()


def test_fetch_state_records_every_stored_article(scenario: Scenario) -> None:
    state = FetchState.open(scenario.home)
    store = scenario.store()
    try:
        stored_ids = {a["id"] for a in store.iter_articles()}
        assert set(state.stored_article_ids()) == stored_ids
        row = state.get(scenario.web.url("harbor-ledger", scenario.paths[EDITED]))
        assert row["kind"] == "article" and row["outlet_id"] == "harbor-ledger" and row["etag"]
        assert row["first_fetched"] == T0.timestamp()
        assert row["fetch_count"] == 4  # first, lastmod changed, due (304), full
    finally:
        store.close()
        state.close()


# --- the fetch state on its own ------------------------------------------------------------------------
def test_schedule_and_clock_settings_are_parsed_or_refused_clearly() -> None:
    assert parse_schedule("1h, 6h,24h,72h") == (3600, 21600, 86400, 259200)
    assert parse_schedule("90m,2d,30") == (30, 5400, 172800)
    assert parse_schedule("") == ()
    with pytest.raises(ValueError, match="NEWSAGG_REFETCH_SCHEDULE"):
        parse_schedule("1h,soon")
    assert parse_now("2026-11-21T00:00:00Z") == T0.timestamp() == parse_now("2026-11-21T00:00:00")
    assert parse_now(None) is None
    with pytest.raises(ValueError, match="NEWSAGG_NOW"):
        parse_now("yesterday")


def test_refetch_schedule_decays_and_ends(tmp_path: Path) -> None:
    state = FetchState.open(tmp_path, parse_schedule("1h,6h,24h,72h"))
    t, h = T0.timestamp(), 3600
    try:
        assert state.next_fetch(t, t) == t + h
        assert state.next_fetch(t, t + 2 * h) == t + 6 * h
        assert state.next_fetch(t, t + 30 * h) == t + 72 * h
        assert state.next_fetch(t, t + 72 * h) is None
        assert state.next_fetch(t, t, published_utc=t - 100 * h) is None, "an archive article is not young"
        url = "http://news.example/a.html"
        state.done(
            [
                {
                    "url": url,
                    "kind": "article",
                    "outlet_id": "o",
                    "fetched_at": t,
                    "status": 200,
                    "outcome": "stored",
                    "etag": '"v1"',
                    "lastmod_utc": t - h,
                    "article_id": "a1",
                }
            ]
        )
        state.flush()
        row = state.get(url)
        assert state.fetch_reason(row, t + h / 2) is None
        assert state.fetch_reason(row, t + h) == "due"
        assert state.fetch_reason(row, t + h / 2, lastmod_utc=t) == "lastmod_changed"
        assert state.fetch_reason(row, t + h / 2, lastmod_utc=t - h) is None
        unknown = {**row, "lastmod_utc": None}  # listed without a lastmod when fetched: compare with the fetch
        assert state.fetch_reason(unknown, t + h / 2, lastmod_utc=t - h) is None
        assert state.fetch_reason(unknown, t + h / 2, lastmod_utc=t + 60) == "lastmod_changed"
        assert [r["url"] for r in state.due(["o"], t + h)] == [url]
        assert state.due(["other"], t + h) == []
        # a 304 keeps the validators and the content outcome, and moves the schedule on
        state.done(
            [
                {
                    "url": url,
                    "kind": "article",
                    "outlet_id": "o",
                    "fetched_at": t + 2 * h,
                    "status": 304,
                    "outcome": "not_modified",
                }
            ]
        )
        state.flush()
        row = state.get(url)
        assert (row["etag"], row["outcome"], row["fetch_count"], row["next_fetch"]) == ('"v1"', "stored", 2, t + 6 * h)
    finally:
        state.close()


def test_failed_pages_are_retried_a_bounded_number_of_times(tmp_path: Path) -> None:
    state = FetchState.open(tmp_path)
    t = T0.timestamp()
    url = "http://news.example/flaky.html"
    try:
        for attempt in range(MAX_ERRORS):
            assert [r["url"] for r in state.due(None, t)] == ([url] if attempt else [])
            state.failed(url, outlet_id="o", kind="article", at=t, reason="http_500")
            state.flush()
        assert state.due(None, t) == [], "a page failing every time is not retried from the state forever"
        assert state.fetch_reason(state.get(url), t) == "retry", "a rediscovered failed page is tried again"
    finally:
        state.close()
