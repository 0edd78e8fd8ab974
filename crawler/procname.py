"""Naming a worker process, in a module without Scrapy or Twisted: the story worker's initializer
(:mod:`crawler.story_tasks`) runs in a process forked from a server that preloads neither."""

from __future__ import annotations

import multiprocessing

#: Linux keeps at most 15 bytes of a process name (``/proc/PID/comm``, ``TASK_COMM_LEN`` - 1).
_COMM_MAX = 15


def name_process(name: str) -> None:
    """Name the calling worker process ``name``, for Python (``multiprocessing.current_process().name``, seen in
    log records and tracebacks) and for the OS (``/proc/self/comm``, what ``ps``, ``top`` and ``bench/measure.py``
    read): every worker of a forkserver pool is otherwise just another ``python``, and the bench could not tell
    the story worker's CPU from the extraction pool's. Call it from the worker's initializer (its main thread).
    Elsewhere than on Linux only the Python name is set; the OS name is best effort."""
    multiprocessing.current_process().name = name
    try:
        with open("/proc/self/comm", "wb") as comm:
            comm.write(name.encode("utf-8")[:_COMM_MAX])
    except OSError:
        pass
