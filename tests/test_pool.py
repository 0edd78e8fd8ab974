"""The process-pool bridge (crawler/pool.py): results come back through Deferreds on a running reactor, and
a pool whose worker died is replaced, so the next call works again. Each case runs a real reactor and real
worker processes in a subprocess (a reactor cannot be restarted inside the test process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from twisted.internet import defer, task
from crawler.pool import DeferredProcessPool
from tests.test_pool import die, square

async def main(reactor):
    context = multiprocessing.get_context("forkserver")
    pool = DeferredProcessPool(
        lambda: ProcessPoolExecutor(max_workers=1, mp_context=context), submit_in_thread=sys.argv[1] == "thread"
    )
    print("result", await pool.call(square, 3))
    try:
        await pool.call(die)
        print("no error")
    except BrokenProcessPool:
        print("broken")
    print("result", await pool.call(square, 4))
    try:
        await pool.call(square, "x")
    except TypeError:
        print("error passed on")
    pool.shutdown()

task.react(lambda reactor: defer.ensureDeferred(main(reactor)))
"""


def square(value: int) -> int:
    return value * value


def die() -> None:
    os._exit(3)  # what the OOM killer does to a worker: no exception, no clean-up


@pytest.mark.parametrize("submit", ["thread", "reactor"])
def test_a_dead_worker_fails_its_call_and_the_pool_starts_afresh(submit: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, submit], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == ["result 9", "broken", "result 16", "error passed on"]


def named_worker() -> tuple[str, str, int]:
    """Worker side: the Python and OS names the initializer gave this process, and its pid."""
    import multiprocessing

    with open("/proc/self/comm", encoding="utf-8") as comm:
        return multiprocessing.current_process().name, comm.read().strip(), os.getpid()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_names_itself_for_ps_and_the_bench() -> None:
    """The story worker's name is what bench/measure.py reads (/proc/PID/comm) to count its CPU apart."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from bench.measure import process_name
    from crawler.procname import name_process
    from crawler.story_tasks import PROCESS_NAME

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context, initializer=name_process, initargs=(PROCESS_NAME,)) as pool:
        python_name, os_name, pid = pool.submit(named_worker).result(timeout=60)
        assert process_name(pid) == PROCESS_NAME
    assert python_name == os_name == PROCESS_NAME
    assert process_name(os.getpid()) != PROCESS_NAME  # the calling process keeps its own name
