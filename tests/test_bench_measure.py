"""bench/measure.py reports the peak memory of a child's process tree as both PSS and RSS sums."""

from __future__ import annotations

import sys

import pytest

from bench.measure import run_measured

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
