"""A process pool whose results arrive as Twisted Deferreds, and that replaces itself when a worker dies.

CPU-heavy steps (extraction, story clustering) run in worker processes so the reactor thread never waits
for them. :class:`DeferredProcessPool` is the one bridge between a :class:`ProcessPoolExecutor` and the
reactor: a call returns a Deferred fired *on the reactor thread*; a worker that dies (OOM killer, a crash in
a C extension) breaks the executor, and the first call to see that retires it, so the next call starts a
fresh one. The caller decides what to do with the call that failed (typically: run it in the crawl process,
so nothing is lost); it gets the :class:`BrokenProcessPool` error through the Deferred's errback.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from twisted.internet import defer, threads
from twisted.python.failure import Failure

_T = TypeVar("_T")


def _fired_on_reactor(future: Future[_T]) -> defer.Deferred[_T]:
    """A Deferred fired on the reactor thread when ``future`` (completed in a pool thread) is done."""
    from twisted.internet import reactor

    deferred: defer.Deferred[_T] = defer.Deferred()

    def fire(done: Future[_T]) -> None:
        error = done.exception()
        if error is not None:
            reactor.callFromThread(deferred.errback, error)
        else:
            reactor.callFromThread(deferred.callback, done.result())

    future.add_done_callback(fire)
    return deferred


class DeferredProcessPool:
    """A lazily started :class:`ProcessPoolExecutor` (built by ``factory``) seen through Deferreds.

    ``submit_in_thread``: submit from a reactor thread-pool thread, since ``submit()`` can block on the
    executor's wake-up pipe while its manager thread is busy. Off when calls must reach the workers in the
    order they were made (threads may submit out of order).
    """

    def __init__(self, factory: Callable[[], ProcessPoolExecutor], *, submit_in_thread: bool = True) -> None:
        self._factory = factory
        self._submit_in_thread = submit_in_thread
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now rather than at the first call (they are warm when work arrives)."""
        if self._executor is None:
            self._executor = self._factory()

    def call(self, fn: Callable[..., _T], *args: Any) -> defer.Deferred[_T]:
        """``fn(*args)`` in a worker; the Deferred fires on the reactor thread with its result or error."""
        self.start()
        executor = self._executor
        assert executor is not None
        submitted: defer.Deferred[Future[_T]]
        if self._submit_in_thread:
            submitted = threads.deferToThread(executor.submit, fn, *args)
        else:
            try:
                submitted = defer.succeed(executor.submit(fn, *args))
            except Exception:
                submitted = defer.fail()
        result: defer.Deferred[_T] = submitted.addCallback(_fired_on_reactor)
        result.addErrback(self._retire_if_broken, executor)
        return result

    def _retire_if_broken(self, failure: Failure, executor: ProcessPoolExecutor) -> Failure:
        """A broken executor is shut down once (by the first call to see it); the failure goes on."""
        if isinstance(failure.value, BrokenProcessPool) and self._executor is executor:
            executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        return failure

    def shutdown(self, *, wait: bool = True, cancel_futures: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._executor = None
