"""bench/measure.py reports the peak memory of a child's process tree as both PSS and RSS sums."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.measure import run_measured

ROOT = Path(__file__).resolve().parent.parent

CHILD = (
    "import time, multiprocessing as mp\n"
    "def work():\n"
    '    block = b"x" * (64 * 2**20)\n'
    "    time.sleep(1.0)\n"
    "if __name__ == '__main__':\n"
    "    p = mp.get_context('fork').Process(target=work); p.start()\n"
    '    block = b"x" * (32 * 2**20); time.sleep(1.0); p.join()\n'
    "    print('ok')\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_peak_memory_counts_the_whole_tree_as_pss_and_rss() -> None:
    measured = run_measured([sys.executable, "-c", CHILD])
    assert measured.returncode == 0
    assert measured.stdout.strip() == "ok"
    # the parent's 32 MB and the forked child's 64 MB are private pages: both sums see them
    assert measured.peak_pss_mb >= 90
    assert measured.peak_rss_mb >= measured.peak_pss_mb
    assert measured.peak_main_mb < measured.peak_pss_mb


NAMED_CHILD = (
    "import time, multiprocessing as mp\n"
    "from crawler.procname import name_process\n"
    "def work():\n"
    "    name_process('newsagg-burner')\n"
    "    end = time.process_time() + 1.0\n"
    "    while time.process_time() < end: pass\n"
    "    time.sleep(0.5)\n"  # outlive a sample after the burn
    "if __name__ == '__main__':\n"
    "    p = mp.get_context('fork').Process(target=work); p.start(); p.join()\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cpu_is_split_by_the_name_a_worker_gives_itself() -> None:
    """bench/crawl.py's per-process CPU (crawl / story worker / extraction pool) rests on this split."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's crawler.pool, whatever is installed
    measured = run_measured([sys.executable, "-c", NAMED_CHILD], env=env, cwd=ROOT)
    assert measured.returncode == 0, measured.stderr
    assert measured.cpu_by_name.get("newsagg-burner", 0.0) >= 0.8
    assert measured.cpu_main_seconds < 0.8  # the parent only waited: its CPU is not the worker's
