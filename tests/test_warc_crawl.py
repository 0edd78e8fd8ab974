"""WARC out and back in, end to end: a real crawl of the local news web with ``--warc``, then ``newsagg ingest
warc`` of the files it wrote into a fresh store, over real subprocesses, real Scrapy and real SQLite files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsagg.newsweb import NewsWeb
from newsagg.storage.base import CONTENT_FIELDS
from newsagg.warc.pointers import WarcPointers
from newsagg.warc.reader import open_record
from tests.polling import wait_for
from tests.support.crawl import CRAWL_SETTINGS, NEWSAGG, crawl, ingest_args, run_cli, stored_rows

SECRET = "warc-test-secret-9f8e7d"
#: One index batch per run (as the crawl settings do), so stories do not depend on batch timing.
INGEST_SETTINGS = {"NEWSAGG_INDEX_FLUSH_SECONDS": 600.0}


@dataclass
class Archived:
    web: NewsWeb
    home: Path
    warc_dir: Path
    summary: dict

    @property
    def files(self) -> list[Path]:
        return sorted(self.warc_dir.glob("*.warc.gz"))


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archived]:
    home = tmp_path_factory.mktemp("crawl")
    warc_dir = home / "warc"
    with NewsWeb() as web:
        env = {**os.environ, "NEWSAGG_ES_PASSWORD": SECRET}
        summary, _ = crawl(web.registry_yaml(), home, CRAWL_SETTINGS, "--warc", str(warc_dir), env=env)
        yield Archived(web, home, warc_dir, summary)


def ingest(home: Path, registry: Path, *sources: str, again: bool = False, **kwargs: object) -> dict:
    args = ingest_args(registry, home, sources, INGEST_SETTINGS, *(["--again"] if again else []))
    result = run_cli(*args, **kwargs)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ingested(archived: Archived, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    home = tmp_path_factory.mktemp("ingest")
    return home, ingest(home, archived.home / "registry.yaml", str(archived.warc_dir))


def story_partition(stored: dict[str, dict]) -> list[list[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for article_id, article in stored.items():
        groups[article["story_id"]].add(article_id)
    return sorted(sorted(group) for group in groups.values())


# --- what the crawl archived ----------------------------------------------------------------------------
def test_archive_passes_warcio_check(archived: Archived) -> None:
    assert archived.files
    for path in archived.files:
        result = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_warcinfo_names_run_version_and_masked_settings(archived: Archived) -> None:
    with open(archived.files[0], "rb") as handle:
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "warcinfo"
        fields = dict(
            line.split(": ", 1) for line in record.content_stream().read().decode().splitlines() if ": " in line
        )
    assert fields["newsagg-run-id"] == archived.summary["run_id"]
    assert fields["newsagg-version"]
    settings = json.loads(fields["newsagg-settings"])
    assert settings["NEWSAGG_ES_PASSWORD"] == "***"
    assert settings["NEWSAGG_WARC_DIR"] == str(archived.warc_dir)
    for path in archived.files:
        assert SECRET.encode() not in path.read_bytes()


def test_every_response_is_archived_with_its_request(archived: Archived) -> None:
    responses, requests = set(), set()
    for path in archived.files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                target = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type in ("response", "revisit"):
                    responses.add(target)
                elif record.rec_type == "request":
                    requests.add(target)
    assert responses == requests
    assert len(responses) >= archived.summary["pages"] - 1  # robots.txt answers are archived too
    stored = stored_rows(archived.home)
    assert {a["url"] for a in stored.values()} <= responses


def test_every_stored_article_points_at_its_response(archived: Archived) -> None:
    pointers = WarcPointers.open(archived.home)
    try:
        for article_id, article in stored_rows(archived.home).items():
            pointer = pointers.get(article_id)
            assert pointer is not None, article["url"]
            with open_record(pointer) as record:
                assert record.rec_type == "response"
                assert record.rec_headers.get_header("WARC-Target-URI") == article["url"]
    finally:
        pointers.close()


def test_article_raw_prints_the_archived_response(archived: Archived) -> None:
    article = next(a for a in stored_rows(archived.home).values() if a["title"])
    result = run_cli("article", "raw", article["id"], home=archived.home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP/1.1 200 OK\n")
    assert "Content-Type: text/html" in result.stdout
    assert article["title"].split()[0] in result.stdout
    missing = run_cli("article", "raw", "no-such-article", home=archived.home)
    assert missing.returncode == 1 and "no archived response" in missing.stderr


# --- ingest of the archive --------------------------------------------------------------------------------
def test_ingest_gives_the_crawls_articles_stories_and_duplicate_links(
    archived: Archived, ingested: tuple[Path, dict]
) -> None:
    home, summary = ingested
    crawled, read = stored_rows(archived.home), stored_rows(home)
    assert set(read) == set(crawled)
    assert summary["inserted"] == len(crawled)
    compared = ("url", "title", "text", "published_utc", "outlet_id", "country", "language", "duplicate_of", "kind")
    for article_id, article in crawled.items():
        assert {f: read[article_id][f] for f in compared} == {f: article[f] for f in compared}, article["url"]
    assert story_partition(read) == story_partition(crawled)
    assert summary["archives"]["files_read"] == len(archived.files)
    assert not summary["archives"]["damaged"]


def test_ingested_articles_point_at_the_archive_they_came_from(archived: Archived, ingested: tuple[Path, dict]) -> None:
    home, _ = ingested
    article = next(iter(stored_rows(home).values()))
    result = run_cli("article", "raw", article["id"], home=home)
    assert result.returncode == 0, result.stderr
    assert str(archived.warc_dir) in result.stderr


def test_reingest_adds_nothing(archived: Archived, ingested: tuple[Path, dict]) -> None:
    home, _ = ingested
    before = stored_rows(home)
    registry = archived.home / "registry.yaml"
    again = ingest(home, registry, str(archived.warc_dir))
    assert again["archives"]["files_already_ingested"] == len(archived.files)
    assert again["archives"]["files_read"] == 0 and again["articles"] == 0
    forced = ingest(home, registry, str(archived.warc_dir), again=True)
    assert forced["inserted"] == 0
    assert forced["updated"] + forced["unchanged"] == len(before)
    # nothing stored changes but the near-duplicate verdict details (which copy a copy matched best, and how
    # closely): dedupe re-judges a page it sees again, as on any re-fetch
    after = stored_rows(home)
    keep = (*CONTENT_FIELDS, "story_id", "duplicate_of", "dup_group", "discovered_utc")
    assert {i: [a[k] for k in keep] for i, a in after.items()} == {i: [a[k] for k in keep] for i, a in before.items()}


def test_a_truncated_archive_ingests_up_to_the_break(archived: Archived, tmp_path: Path) -> None:
    [path] = archived.files  # the news web fits in one file
    pointers = WarcPointers.open(archived.home)
    try:
        offsets = sorted((pointers.get(i).offset, i) for i in stored_rows(archived.home))  # type: ignore[union-attr]
    finally:
        pointers.close()
    cut_at, _ = offsets[len(offsets) // 2]
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(path.read_bytes()[: cut_at + 300])  # inside the middle article's response
    home = tmp_path / "home"
    summary = ingest(home, archived.home / "registry.yaml", str(truncated))
    assert set(stored_rows(home)) == {i for offset, i in offsets if offset < cut_at}
    assert sum(summary["archives"]["damaged"].values()) == 1


def _checkpoint(home: Path) -> int:
    """The checkpoint an ingest has written to the state file so far (0: none yet)."""
    try:
        db = sqlite3.connect(f"file:{home / 'state.sqlite'}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        row = db.execute("SELECT MAX(offset) FROM warc_checkpoints").fetchone()
    except sqlite3.Error:  # not created yet
        return 0
    finally:
        db.close()
    return int(row[0] or 0)


def _stored_count(home: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{home / 'newsagg.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:  # not created yet
        return 0


def test_a_killed_ingest_resumes_at_its_checkpoint(
    archived: Archived, ingested: tuple[Path, dict], tmp_path: Path
) -> None:
    """SIGKILL once a third of the articles are stored (checkpoints come with every article here), then the
    same command again: the store ends as an uninterrupted ingest's, and the second run reads only the
    records after the checkpoint."""
    reference_home, reference = ingested
    [path] = archived.files
    registry = archived.home / "registry.yaml"
    home = tmp_path / "home"
    # one page in the scraper at a time and one article per batch: the checkpoint moves with every article
    slow = {**INGEST_SETTINGS, "NEWSAGG_INDEX_BATCH_SIZE": 1, "NEWSAGG_EXTRACT_WORKERS": 1}
    slow["SCRAPER_SLOT_MAX_ACTIVE_SIZE"] = 1
    process = subprocess.Popen(
        [*NEWSAGG, *ingest_args(registry, home, [path], slow)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wanted = len(stored_rows(reference_home)) // 3

    def checkpoint_after_a_third_of_the_articles() -> int:
        assert process.poll() is None, "the ingest finished before it could be killed"
        offset = _checkpoint(home)
        return offset if offset and _stored_count(home) >= wanted else 0

    try:
        killed_at = wait_for(
            checkpoint_after_a_third_of_the_articles, "a third of the articles stored", limit=300, interval=0.02
        )
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the ingest, its extraction and story workers
        process.wait()
    assert process.returncode == -signal.SIGKILL
    partial = stored_rows(home)
    assert 0 < len(partial) < len(stored_rows(reference_home))

    resumed = ingest(home, registry, str(path))
    archives = resumed["archives"]
    assert archives["files_resumed"] == 1 and archives["files_read"] == 1
    assert archives["bytes_skipped"] >= killed_at
    assert 0 < archives["records"] < reference["archives"]["records"]
    assert resumed["articles"] < reference["articles"], "the resumed ingest extracted every page again"

    stored, expected = stored_rows(home), stored_rows(reference_home)
    assert set(stored) == set(expected)
    compared = ("url", "title", "text", "published_utc", "outlet_id", "language", "duplicate_of", "kind")
    for article_id, article in expected.items():
        assert {f: stored[article_id][f] for f in compared} == {f: article[f] for f in compared}, article["url"]
    assert all(a["story_id"] for a in stored.values()), "an article stored before the kill was left without story"
    pointers = WarcPointers.open(home)
    try:
        assert all(pointers.get(article_id) for article_id in stored)
    finally:
        pointers.close()
    assert _checkpoint(home) == 0, "a finished archive keeps no checkpoint"
    again = ingest(home, registry, str(path))
    assert again["archives"]["files_already_ingested"] == 1 and again["articles"] == 0


def test_ingest_reads_standard_input(archived: Archived, tmp_path: Path) -> None:
    [path] = archived.files
    home = tmp_path / "home"
    registry = archived.home / "registry.yaml"
    command = [*NEWSAGG, *ingest_args(registry, home, ["-"], INGEST_SETTINGS, "--outlets", "diario-cordillera")]
    with open(path, "rb") as stdin:
        result = subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    stored = stored_rows(home)
    crawled = {i for i, a in stored_rows(archived.home).items() if a["outlet_id"] == "diario-cordillera"}
    assert stored and set(stored) == crawled


def test_a_recrawl_archives_not_modified_answers_as_revisits(archived: Archived, tmp_path: Path) -> None:
    home = tmp_path / "again"
    shutil.copytree(archived.home, home, ignore=shutil.ignore_patterns("warc", "logs"))
    warc_dir = tmp_path / "warc"
    summary, _ = crawl(archived.web.registry_yaml(), home, CRAWL_SETTINGS, "--warc", str(warc_dir))
    assert summary["not_modified"] > 0
    revisits = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            revisits += [
                (r.rec_headers.get_header("WARC-Profile"), r.http_headers.get_statuscode())
                for r in ArchiveIterator(handle)
                if r.rec_type == "revisit"
            ]
    assert len(revisits) == summary["not_modified"]
    assert set(revisits) == {("http://netpreserve.org/warc/1.1/revisit/server-not-modified", "304")}
