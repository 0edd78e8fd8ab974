"""Several ingest processes splitting one list of archives through Redis: each file read by one process.

A process *claims* a file before reading it: ``SET claim NX PX lease`` on a per-file key, refused when the
file is already in the run's ``done`` set (one Lua script, so a file finished between the two checks cannot
be claimed again). The holder renews its claims while it reads the file and while the file's records are in
flight; once every record is handled it adds the file to ``done`` and drops the claim. A process that dies
holding a claim stops renewing it: after the lease runs out another process of the run claims the file and
reads it from the checkpoint the dead one left in the state file, when they share one (same
``NEWSAGG_HOME``), else from the start (the store's upserts keep that from adding anything twice).

Keys, under the run's prefix (``newsagg:<run id>``): ``warc:done`` (set of file identities) and
``warc:claim:<sha1 of the identity>`` (the holder's worker id, with the lease as expiry).
"""

from __future__ import annotations

import hashlib
from typing import Any

from newsagg.warc.pointers import ArchiveIdentity

_CLAIM = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_FINISH = """
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class FileClaims:
    """This worker's side of a run's file claims."""

    def __init__(self, server: Any, prefix: str, worker: str, lease_seconds: float) -> None:
        self.server = server
        self.done_key = f"{prefix}:warc:done"
        self.claim_prefix = f"{prefix}:warc:claim:"
        self.worker = worker
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self._claim = server.register_script(_CLAIM)
        self._renew = server.register_script(_RENEW)
        self._finish = server.register_script(_FINISH)
        self._release = server.register_script(_RELEASE)

    def _key(self, archive: ArchiveIdentity) -> str:
        return self.claim_prefix + hashlib.sha1(archive.key.encode()).hexdigest()

    def is_done(self, archive: ArchiveIdentity) -> bool:
        return bool(self.server.sismember(self.done_key, archive.key))

    def claim(self, archive: ArchiveIdentity) -> bool:
        """True if this worker now holds ``archive`` (nobody holds it and it is not done)."""
        return bool(
            self._claim(keys=[self.done_key, self._key(archive)], args=[archive.key, self.worker, self.lease_ms])
        )

    def renew(self, archive: ArchiveIdentity) -> bool:
        """Extend this worker's lease; False if the claim was lost (expired and taken by another worker)."""
        return bool(self._renew(keys=[self._key(archive)], args=[self.worker, self.lease_ms]))

    def finish(self, archive: ArchiveIdentity) -> None:
        self._finish(keys=[self.done_key, self._key(archive)], args=[archive.key, self.worker])

    def release(self, archive: ArchiveIdentity) -> None:
        """Give an unfinished file back (this process is closing): another worker may claim it at once."""
        self._release(keys=[self._key(archive)], args=[self.worker])
