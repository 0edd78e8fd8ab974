"""A durable on-disk spool of article batches the store could not take yet.

Each batch is one JSON-lines file written to a temp name, fsynced, then renamed: a crash leaves either the
whole batch or nothing, never half a file. Files are replayed oldest first and removed only after the store
accepted them; since writes are idempotent by article id, a replay interrupted halfway is safe to repeat.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

#: An article and its MinHash signature, as the index pipeline batches them (:data:`newsagg.writer.BatchEntry`).
SpooledArticle = tuple[dict[str, Any], bytes | None]


def encode_entry(article: dict[str, Any], minhash: bytes | None) -> dict[str, Any]:
    """One spool line: the article as JSON, the signature as hex."""
    return {"article": article, "minhash": minhash.hex() if minhash else None}


def decode_entry(record: dict[str, Any]) -> SpooledArticle:
    minhash = record.get("minhash")
    return record["article"], bytes.fromhex(minhash) if minhash else None


class SpoolError(OSError):
    """The spool cannot take a batch (disk full, quota, read-only): nothing was half-written."""


class Spool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def append(self, records: list[dict[str, Any]]) -> Path:
        """Write one batch durably; raises :class:`SpoolError` (temp file removed) when the disk refuses it."""
        final = self.directory / f"{time.time_ns():020d}-{os.getpid()}.jsonl"
        temp = final.with_suffix(".tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with temp.open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            temp.rename(final)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise SpoolError(
                exc.errno, f"cannot spool {len(records)} articles to {self.directory}: {exc.strerror or exc}"
            ) from exc
        return final

    def pending(self) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
        if not self.directory.is_dir():
            return
        for path in sorted(self.directory.glob("*.jsonl")):
            with path.open(encoding="utf-8") as handle:
                yield path, [json.loads(line) for line in handle if line.strip()]

    def append_batch(self, batch: Sequence[SpooledArticle]) -> Path:
        """:meth:`append` for (article, signature) pairs."""
        return self.append([encode_entry(article, minhash) for article, minhash in batch])

    def pending_batches(self) -> Iterator[tuple[Path, list[SpooledArticle]]]:
        """:meth:`pending` as (article, signature) pairs."""
        for path, records in self.pending():
            yield path, [decode_entry(record) for record in records]

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def count(self) -> int:
        return sum(len(records) for _, records in self.pending())
