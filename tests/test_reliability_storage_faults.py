"""Storage faults with real processes and real file systems.

* **Spool disk full.** The store is down (an engine URL whose port is closed) *and* the spool's file system
  is full: a real, 256 KiB tmpfs mounted in a user namespace (``unshare -rm``, no root needed) and filled
  with ballast; where user namespaces are unavailable, ``RLIMIT_FSIZE`` makes every spool write fail (EFBIG)
  instead. The index pipeline must say so, leave no half-written file, keep the batch in memory, spool it
  once space returns, and a later replay must store every article, including a batch spooled before.
* **SQLite locked by another process.** A second process holds the store's write lock during a whole crawl
  of the news web: every batch is spooled, none lost; once the lock is released ``newsagg index replay``
  stores exactly the articles a crawl stores, each once.

The disk-full scenario runs in a child process (``python tests/test_reliability_storage_faults.py``): the
mount namespace, or the resource limit, must not touch the test runner.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.reliability

TMPFS_SIZE = "256k"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _userns_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def _run_driver(mode: str, home: Path) -> dict:
    env = {
        **os.environ,
        "NEWSAGG_BACKEND": "opensearch",
        "NEWSAGG_OPENSEARCH_URL": f"http://127.0.0.1:{_closed_port()}",
        "NEWSAGG_ENGINE_MAX_RETRIES": "0",
        "NEWSAGG_ENGINE_COOLDOWN": "0",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    command = [sys.executable, __file__, mode, str(home)]
    if mode == "tmpfs":
        spool = home / "spool"
        spool.mkdir(parents=True)
        mount = f'mount -t tmpfs -o size={TMPFS_SIZE} tmpfs {spool} && exec "$0" "$@"'
        command = ["unshare", "-rm", "sh", "-c", mount, *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["tmpfs", "rlimit"])
def test_spool_disk_full_keeps_the_batch_and_recovers(mode: str, tmp_path: Path) -> None:
    if mode == "tmpfs" and not _userns_available():
        pytest.skip("unprivileged user namespaces are disabled here: the rlimit variant covers the write failure")
    report = _run_driver(mode, tmp_path / "home")
    expected_errno = errno.ENOSPC if mode == "tmpfs" else errno.EFBIG
    assert report["spool_errno"] == expected_errno
    # while full: a clear error, both batches kept in memory, nothing half-written, the earlier file intact
    assert report["full"]["spool_failed"] == 2
    assert report["full"]["kept_in_memory"] == 3
    assert report["full"]["tmp_files"] == [] and report["full"]["earlier_intact"]
    assert "spool not writable" in report["full"]["log"] and "kept in memory" in report["full"]["log"]
    # space back: the kept articles are spooled with the next batch
    assert report["recovered"]["spooled"] == 4 and report["recovered"]["kept_in_memory"] == 0
    # store back: the replay stores everything, each article once
    assert report["replayed"]["stored_ids"] == sorted(["earlier", "a1", "a2", "a3", "a4"])
    assert report["replayed"]["spool_left"] == 0


def test_sqlite_locked_by_another_process_loses_nothing(tmp_path: Path) -> None:
    from newsagg.newsweb import NewsWeb
    from newsagg.storage.sqlite import SQLiteStore
    from newsagg.urls import article_id, canonicalize_url
    from tests.support.crawl import FAULT_SETTINGS, crawl, run_cli

    home = tmp_path / "home"
    database = home / "newsagg.sqlite"
    SQLiteStore(database).close()
    locker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n"
            "db.execute('ROLLBACK')\n",
            str(database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        with NewsWeb() as web:
            outlets = ["harbor-ledger", "prensa-cuscatleca"]
            expected = {article_id(canonicalize_url(e["url"])) for e in web.expected() if e["outlet"] in outlets}
            registry = yaml.safe_dump({"outlets": [o for o in web.outlets if o["id"] in outlets]}, allow_unicode=True)
            summary, _ = crawl(
                registry,
                home,
                {**FAULT_SETTINGS, "NEWSAGG_INDEX_BATCH_SIZE": 3},
                env={**os.environ, "NEWSAGG_SQLITE_TIMEOUT": "0.2"},
                exit_code=1,
            )
    finally:
        if locker.stdin:
            locker.stdin.close()
        locker.wait(timeout=30)
    assert expected and summary["inserted"] == 0
    assert summary["spooled"] == summary["articles"] > 0
    spooled = [
        json.loads(line)["article"]["id"]
        for f in sorted((home / "spool").glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    assert expected <= set(spooled)
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert "database is locked" in log and "spooled to" in log

    replay = run_cli("index", "replay", "--format", "json", home=home)
    assert replay.returncode == 0, replay.stderr[-3000:]
    assert json.loads(replay.stdout)["left"] == 0
    with SQLiteStore(database) as store:
        ids = [a["id"] for a in store.iter_articles()]
    assert len(ids) == len(set(ids)) == len(set(spooled))  # nothing lost, nothing doubled
    assert expected <= set(ids)


# --- the disk-full driver (runs in a child process) ---------------------------------------------------------
def _drive(mode: str, home: Path) -> dict:
    import logging

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newsagg.spool import Spool
    from newsagg.storage.sqlite import SQLiteStore
    from pipelines.index import IndexPipeline
    from tests.factories import article

    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    spool_dir = home / "spool"
    earlier = Spool(spool_dir).append([{"article": article("earlier"), "minhash": None}])
    earlier_bytes = earlier.read_bytes()

    ballast = spool_dir / "ballast"
    spool_errno = None
    if mode == "tmpfs":
        with ballast.open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError as exc:
                spool_errno = exc.errno
    else:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, no signal
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
        spool_errno = errno.EFBIG

    crawler = get_crawler(
        Spider,
        {
            "NEWSAGG_HOME": str(home),
            "NEWSAGG_BACKEND": "opensearch",
            "NEWSAGG_INDEX_BATCH_SIZE": 2,
            "NEWSAGG_INDEX_FLUSH_SECONDS": 3600,
        },
    )
    crawler.spider = crawler._create_spider("driver")
    crawler.spider.logger.logger.addHandler(Capture())
    pipeline = IndexPipeline.from_crawler(crawler)
    for name in ("a1", "a2", "a3"):
        pipeline.process_item(article(name))
    stats = crawler.stats
    full = {
        "spool_failed": stats.get_value("newsagg/errors/spool_failed", 0),
        "kept_in_memory": len(pipeline.buffer),
        "tmp_files": sorted(p.name for p in spool_dir.glob("*.tmp")),
        "earlier_intact": earlier.read_bytes() == earlier_bytes,
        "log": "\n".join(records),
    }

    if mode == "tmpfs":
        ballast.unlink()
    else:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    pipeline.process_item(article("a4"))
    recovered = {"spooled": stats.get_value("newsagg/spooled", 0), "kept_in_memory": len(pipeline.buffer)}

    sqlite_crawler = get_crawler(Spider, {"NEWSAGG_HOME": str(home), "NEWSAGG_BACKEND": "sqlite"})
    sqlite_crawler.spider = sqlite_crawler._create_spider("replayer")
    replayer = IndexPipeline.from_crawler(sqlite_crawler)
    replayer.open_spider()
    with SQLiteStore(home / "newsagg.sqlite") as store:
        stored = sorted(a["id"] for a in store.iter_articles())
    replayed = {"stored_ids": stored, "spool_left": Spool(spool_dir).count()}
    return {"spool_errno": spool_errno, "full": full, "recovered": recovered, "replayed": replayed}


if __name__ == "__main__":
    print(json.dumps(_drive(sys.argv[1], Path(sys.argv[2]))))
