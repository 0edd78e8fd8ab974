"""A job's lock: at most one crawl per job at a time, across threads, processes and schedulers on a host.

``fcntl.flock`` on ``NEWSAGG_HOME/locks/<job>.lock``: the kernel releases it when the last holder's file
descriptor closes, so a crashed or SIGKILLed scheduler never leaves a stale lock behind, and no pid file needs
cleaning. The scheduler passes the locked descriptor to its crawl child: the lock is held as long as *either*
lives, so a crawl orphaned by a killed scheduler still keeps the next run of its job out. The file's content
(pid, host, since, run id) is for people only; the lock is the flock. Local filesystems only: flock over NFS
is not reliable, so give every host its own NEWSAGG_HOME (see docs/operations.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import Any

from newsagg.state.runs import utc_now


class JobLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    @classmethod
    def for_job(cls, home: Path, job: str) -> JobLock:
        return cls(home / "locks" / f"{job}.lock")

    def acquire(self, **holder: Any) -> bool:
        """Take the lock without waiting; False if someone holds it. ``holder`` is written for ``holder()``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now(), **holder}
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        self.fd = fd
        return True

    def update(self, **holder: Any) -> None:
        """Add to the holder description (e.g. the run id once the crawl started)."""
        if self.fd is None:
            return
        info = {**(self.holder() or {}), **holder}
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, (json.dumps(info) + "\n").encode(), 0)

    def holder(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
            return json.loads(text) if text.strip() else None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        """Close our descriptor. Not ``LOCK_UN``: that would also free the lock for a crawl child that inherited
        the descriptor and still runs; closing frees it only once every holder closed it."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> JobLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
