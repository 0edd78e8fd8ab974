"""A CPU-time budget for extracting one page.

Extraction cost grows with the page: a hostile (or broken) page of 200,000 short paragraphs keeps trafilatura
busy for most of a minute, and a crawl worker stuck on it extracts nothing else. ``cpu_budget`` arms a
profiling timer (``ITIMER_PROF``: CPU time of this process, not wall time, so a loaded machine does not
cut a page short) that interrupts the work with :class:`ExtractionBudgetExceeded` once the page has used its
budget. Timers need the main thread; elsewhere (or with a budget of 0) the page runs unbounded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class ExtractionBudgetExceeded(Exception):
    """The page used more CPU time than its extraction budget allows."""


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    armed = [True]

    def expire(signum: int, frame: FrameType | None) -> None:
        if not armed[0]:  # the page is done: a late tick disarms the timer instead of raising elsewhere
            signal.setitimer(signal.ITIMER_PROF, 0)
            return
        raise ExtractionBudgetExceeded(f"extraction used more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    # then again every 50 ms of CPU: an exception raised while a destructor runs is swallowed by Python, so
    # one shot could be lost
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.05)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
