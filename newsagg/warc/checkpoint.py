"""How far the ingest of one archive has got: the low watermark over its records still in flight.

Extraction runs in a process pool and the store writes in batches, so the records of an archive finish out
of order: record 40 may be stored while record 12 is still being extracted. The checkpoint of a file is the
start of its earliest record not yet *handled* — stored durably (its index batch committed or spooled),
or skipped/dropped with a reason — or, when none is in flight, the start of the next record not yet read.
Every record before it is done for good, so a killed ingest resumes reading there and handles nothing twice
(records at or after it that had finished are read again: their writes are upserts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsagg.warc.pointers import ArchiveIdentity


@dataclass
class ArchiveProgress:
    """One archive being ingested by this process."""

    archive: ArchiveIdentity
    #: where reading started (0, or the checkpoint an earlier ingest left)
    start: int = 0
    #: start of the next record not read yet
    read_to: int = 0
    #: the whole file has been read (what remains is in flight)
    read_all: bool = False
    records: int = 0
    in_flight: Counter[int] = field(default_factory=Counter)
    #: the last checkpoint written to the state file
    saved: int = 0

    def __post_init__(self) -> None:
        self.read_to = self.saved = self.start

    def opened(self, offset: int) -> None:
        """The record at ``offset`` became a request: in flight until it is handled."""
        self.in_flight[offset] += 1

    def handled(self, offset: int) -> None:
        if self.in_flight[offset] <= 1:
            self.in_flight.pop(offset, None)
        else:
            self.in_flight[offset] -= 1

    @property
    def low(self) -> int:
        """Every record before this offset is handled."""
        return min(self.in_flight) if self.in_flight else self.read_to

    @property
    def complete(self) -> bool:
        return self.read_all and not self.in_flight
