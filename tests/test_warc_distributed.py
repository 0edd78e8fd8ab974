"""Distributed ingest over real pieces: the local news web archived by a crawl ``--warc`` into several small
files, then ``newsagg ingest warc --redis-url`` in three concurrent subprocesses (one run id, one SQLite
store, one real ``redis-server``) against a single-process ingest of the same files.

Each file must be read by exactly one process, the processes together must store what one process stores
and link the same copies, and the last process must leave no key of the run in Redis. A process killed while
holding a file gives it up when its lease runs out: another process of the run takes it over and resumes it
from the checkpoint in the shared state file.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from tests.polling import wait_for
from tests.support.crawl import CRAWL_SETTINGS, NEWSAGG, crawl, env_without_newsagg_settings, ingest_args, stored_rows

pytestmark = [pytest.mark.redis, pytest.mark.slow]

PROCESSES = 3
#: Small files: the news web's archive (about 200 kB) comes out as several.
WARC_MAX_BYTES = 40_000
INGEST_SETTINGS = {"NEWSAGG_INDEX_FLUSH_SECONDS": 600.0, "NEWSAGG_EXTRACT_WORKERS": 1}


def ingest_command(home: Path, registry: Path, sources: list[Path], *extra: str, settings: dict | None = None) -> list:
    return [*NEWSAGG, *ingest_args(registry, home, sources, settings or INGEST_SETTINGS, *extra)]


def run_all(commands: list[list[str]]) -> list[dict]:
    """The commands concurrently; their JSON summaries (each must exit 0)."""
    processes = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_without_newsagg_settings()
        )
        for command in commands
    ]
    summaries = []
    try:
        for process in processes:
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr[-3000:]
            summaries.append(json.loads(stdout))
    finally:
        for process in processes:
            if process.poll() is None:  # a hung process must not outlive the test
                process.kill()
                process.wait()
    return summaries


def copy_groups(articles: dict[str, dict]) -> set[frozenset[str]]:
    by_group: dict[str, set[str]] = {}
    for article_id, article in articles.items():
        by_group.setdefault(article["dup_group"] or article_id, set()).add(article_id)
    return {frozenset(members) for members in by_group.values() if len(members) > 1}


def run_keys(redis_url: str, run_id: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return list(client.scan_iter(f"newsagg:{run_id}:*"))
    finally:
        client.close()


@dataclass
class Archive:
    registry: Path
    files: list[Path]
    single: Path
    single_summary: dict


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("warc-distributed")
    crawl_home = root / "crawl"
    warc_dir = root / "warc"
    with NewsWeb() as web:
        settings = {**CRAWL_SETTINGS, "NEWSAGG_WARC_MAX_BYTES": WARC_MAX_BYTES}
        crawl(web.registry_yaml(), crawl_home, settings, "--warc", str(warc_dir))
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert len(files) >= PROCESSES, f"the archive came out as {len(files)} file(s)"
    registry = crawl_home / "registry.yaml"
    single = root / "single"
    [summary] = run_all([ingest_command(single, registry, [warc_dir])])
    return Archive(registry, files, single, summary)


@pytest.fixture(scope="module")
def distributed(archive: Archive, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, str]:
    home = tmp_path_factory.mktemp("shared")
    run_id = f"ingest-{uuid.uuid4().hex[:8]}"
    command = ingest_command(home, archive.registry, archive.files, "--redis-url", redis_url, "--run-id", run_id)
    return home, run_all([command] * PROCESSES), run_id


def test_each_file_is_read_by_exactly_one_process(archive: Archive, distributed: tuple[Path, list, str]) -> None:
    _home, summaries, _run_id = distributed
    figures = [s["archives"] for s in summaries]
    assert sum(f["files_read"] + f["files_already_ingested"] for f in figures) == len(archive.files)
    assert sum(f["records"] for f in figures) == archive.single_summary["archives"]["records"]


def test_the_processes_store_what_one_process_stores(archive: Archive, distributed: tuple[Path, list, str]) -> None:
    home, summaries, _run_id = distributed
    single, shared = stored_rows(archive.single), stored_rows(home)
    assert single, "the reference ingest stored nothing"
    assert set(shared) == set(single)
    assert sum(s["inserted"] for s in summaries) == len(single), "an article was inserted twice"
    for article_id, article in single.items():
        assert shared[article_id]["text"] == article["text"] and shared[article_id]["outlet_id"] == article["outlet_id"]
    assert all(a["story_id"] for a in shared.values())


def test_copies_are_linked_as_by_one_process(archive: Archive, distributed: tuple[Path, list, str]) -> None:
    """Dedupe state is shared through Redis: a copy read by one process is linked to an original another
    process read from another file."""
    home, _summaries, _run_id = distributed
    groups = copy_groups(stored_rows(archive.single))
    assert groups, "the news web's wire copies were not linked by the reference ingest"
    assert copy_groups(stored_rows(home)) == groups


def test_the_last_process_cleans_up_the_run(distributed: tuple[Path, list, str], redis_url: str) -> None:
    _home, _summaries, run_id = distributed
    assert run_keys(redis_url, run_id) == []


def _checkpoint(home: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{home / 'state.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            row = db.execute("SELECT MAX(offset) FROM warc_checkpoints").fetchone()
        finally:
            db.close()
    except sqlite3.Error:  # no state file or no table yet
        return 0
    return int(row[0] or 0)


def test_a_file_whose_holder_died_is_taken_over_from_its_checkpoint(
    archive: Archive, redis_url: str, tmp_path: Path
) -> None:
    """The first process is killed (SIGKILL) holding a file half read; a second process of the same run reads
    the other files, waits for the dead one's lease to run out, and resumes that file at its checkpoint."""
    home = tmp_path / "home"
    run_id = f"takeover-{uuid.uuid4().hex[:8]}"
    slow = {**INGEST_SETTINGS, "NEWSAGG_INDEX_BATCH_SIZE": 1, "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 1}
    settings = {**slow, "NEWSAGG_WARC_CLAIM_SECONDS": 3}
    command = ingest_command(
        home, archive.registry, archive.files, "--redis-url", redis_url, "--run-id", run_id, settings=settings
    )
    first = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env_without_newsagg_settings(),
        start_new_session=True,
    )

    def checkpointed() -> int:
        assert first.poll() is None, "the first ingest finished before it could be killed"
        return _checkpoint(home)

    try:
        wait_for(checkpointed, "a checkpoint of the first process", limit=300, interval=0.02)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    [summary] = run_all([command])
    figures = summary["archives"]
    assert figures["files_resumed"] >= 1
    # files the first process finished before it was killed are done for the run: not read again
    assert figures["files_read"] + figures["files_already_ingested"] + figures["files_done_by_others"] == len(
        archive.files
    )
    assert figures["records"] < archive.single_summary["archives"]["records"]
    assert set(stored_rows(home)) == set(stored_rows(archive.single))
