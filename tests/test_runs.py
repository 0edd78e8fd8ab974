"""Run records of real crawls: a crawl killed with SIGKILL shows as interrupted, a scheduler stopped with
SIGTERM mid-crawl lets the crawl close gracefully (nothing it fetched is lost) and records it; secrets never
reach the state file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.state.runs import RunLog, redact_settings
from newsagg.storage.sqlite import SQLiteStore
from tests.polling import wait_for
from tests.support.crawl import NEWSAGG

pytestmark = pytest.mark.slow
# slow enough to be caught mid-crawl: one request at a time per outlet, half a second apart
SLOW = [
    "--set",
    "AUTOTHROTTLE_ENABLED=0",
    "--set",
    "DOWNLOAD_DELAY=0.5",
    "--set",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "--set",
    "NEWSAGG_RUNS_HEARTBEAT=0.5",
    "--set",
    "NEWSAGG_INDEX_FLUSH_SECONDS=1",
    "--set",
    "NEWSAGG_EXTRACT_WORKERS=1",
]
SECRET = "hunter2-do-not-store"


def cli(*args: str, home: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*NEWSAGG, *args],
        env={**os.environ, "NEWSAGG_HOME": str(home), "COLUMNS": "200", **env},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def runs(home: Path) -> list[dict]:
    with RunLog.open(home) as log:
        return log.list()


def crawling(home: Path) -> dict | None:
    """The running run once it has fetched some pages (its heartbeat carries live counts)."""
    recorded = runs(home) if (home / "state.sqlite").exists() else []
    return next((r for r in recorded if r["status"] == "running" and r["counts"].get("pages", 0) >= 3), None)


def test_a_sigkilled_crawl_is_listed_as_interrupted(news_web: NewsWeb, tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(news_web.registry_yaml(), encoding="utf-8")
    crawl = cli("crawl", "--registry", str(registry), *SLOW, home=tmp_path, NEWSAGG_ES_PASSWORD=SECRET)
    try:
        running = wait_for(lambda: crawling(tmp_path), "a running crawl")
        assert running["pid"] == crawl.pid
    finally:
        crawl.send_signal(signal.SIGKILL)
        crawl.communicate(timeout=60)
    (run,) = runs(tmp_path)
    assert run["recorded_status"] == "running" and run["status"] == "interrupted" and run["ended_utc"] is None
    listed = cli("runs", "list", "--format", "json", home=tmp_path)
    out, err = listed.communicate(timeout=60)
    assert listed.returncode == 0, err
    assert [(r["id"], r["status"]) for r in json.loads(out)] == [(run["id"], "interrupted")]
    shown = cli("runs", "show", run["id"][:18], "--format", "json", home=tmp_path)
    out, err = shown.communicate(timeout=60)
    assert shown.returncode == 0, err
    detail = json.loads(out)
    assert detail["settings"]["NEWSAGG_ES_PASSWORD"] == "***"
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("state.sqlite*"))


def test_sigterm_to_the_scheduler_lets_the_crawl_close_and_records_it(news_web: NewsWeb, tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(news_web.registry_yaml(), encoding="utf-8")
    settings = "\n".join(f"      {pair.split('=')[0]}: {pair.split('=')[1]}" for pair in SLOW[1::2])
    config = tmp_path / "schedule.yaml"
    config.write_text(
        f"jobs:\n  - name: slow\n    registry: {registry}\n    every: 1d\n    run_at_start: true\n"
        f"    settings:\n{settings}\n",
        encoding="utf-8",
    )
    scheduler = cli("schedule", "--config", str(config), "--log-format", "json", home=tmp_path)
    try:
        wait_for(lambda: scheduler.poll() is not None or crawling(tmp_path), "a running crawl")
        assert scheduler.poll() is None, scheduler.communicate()[1]
        scheduler.send_signal(signal.SIGTERM)
        _, err = scheduler.communicate(timeout=120)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.communicate()
    assert scheduler.returncode == 0, err[-3000:]
    (run,) = runs(tmp_path)
    assert (run["status"], run["finish_reason"], run["job"]) == ("interrupted", "shutdown", "slow")
    assert run["ended_utc"] and run["counts"]["pages"] >= 3
    store = SQLiteStore(tmp_path / "newsagg.sqlite")
    try:
        assert store.count_articles() == run["counts"]["inserted"]  # everything it extracted was flushed
    finally:
        store.close()
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    finished = [line for line in lines if line.get("run_id") == run["id"] and "interrupted" in line["message"]]
    assert finished and finished[0]["job"] == "slow"


def test_secrets_are_redacted_from_recorded_settings() -> None:
    clean = redact_settings(
        {
            "NEWSAGG_ES_API_KEY": "k",
            "NEWSAGG_REDIS_URL": "redis://user:pw@cache:6379/0",
            "NEWSAGG_ES_URL": "https://es.example:9200",
            "NEWSAGG_ES_PASSWORD": None,
        }
    )
    assert clean == {
        "NEWSAGG_ES_API_KEY": "***",
        "NEWSAGG_REDIS_URL": "redis://user:***@cache:6379/0",
        "NEWSAGG_ES_URL": "https://es.example:9200",
        "NEWSAGG_ES_PASSWORD": None,
    }
