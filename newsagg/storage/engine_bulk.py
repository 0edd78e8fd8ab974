"""Bulk writes that lose nothing: chunked by documents and bytes, chunks in parallel, per-document retries.

A bulk request can succeed as a whole and still reject some documents. Each item's status is read:
2xx is done; 429 and 5xx (the engine is busy or a shard is moving) are sent again with exponential backoff;
409 (a concurrent write beat us to an optimistic-concurrency check) is handed back to the caller, who decides
again from fresh data; anything else (a mapping error, a document too large...) is a permanent error with
its reason. Request-level failures (engine unreachable, 429/5xx for the whole request) are retried by
:class:`EngineClient` and then raised. Serialisation is done once per document, here, not by the client.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from newsagg.storage.engine_client import RETRY_STATUS, EngineClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BulkOp:
    """One bulk action. ``action``: index | create | update (``source`` is the partial doc) | delete.

    ``upsert`` (update only): create the document when it is missing. An update whose fields already hold
    those values is a no-op on the server (``detect_noop``): nothing written, ``_version`` and ``_seq_no``
    kept, which is how unchanged documents are left alone without reading them first.
    """

    action: str
    index: str
    doc_id: str
    source: dict[str, Any] | None = None
    if_seq_no: int | None = None
    if_primary_term: int | None = None
    upsert: bool = False

    def encode(self) -> bytes:
        meta: dict[str, Any] = {"_index": self.index, "_id": self.doc_id}
        if self.if_seq_no is not None and self.if_primary_term is not None:
            meta["if_seq_no"] = self.if_seq_no
            meta["if_primary_term"] = self.if_primary_term
        lines = [json.dumps({self.action: meta}, separators=(",", ":"))]
        if self.action == "update":
            body: dict[str, Any] = {"doc": self.source}
            if self.upsert:
                body["doc_as_upsert"] = True
            lines.append(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        elif self.action != "delete":
            lines.append(json.dumps(self.source, ensure_ascii=False, separators=(",", ":")))
        return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class BulkFailure:
    doc_id: str
    status: int
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.doc_id}: HTTP {self.status} {self.kind}: {self.reason}"


@dataclass(slots=True)
class BulkReport:
    ok: int = 0
    noop: int = 0  # of ``ok``: updates the server did not write (the document already held those values)
    retried: int = 0
    conflicts: list[str] = field(default_factory=list)
    failures: list[BulkFailure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # update/delete of a document that is not there (404)

    def merge(self, other: BulkReport) -> None:
        self.ok += other.ok
        self.noop += other.noop
        self.retried += other.retried
        self.conflicts += other.conflicts
        self.failures += other.failures
        self.missing += other.missing


class BulkIndexer:
    def __init__(
        self,
        client: EngineClient,
        *,
        chunk_docs: int = 500,
        chunk_bytes: int = 10 * 1024 * 1024,
        threads: int = 2,
        max_retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.client = client
        self.chunk_docs = chunk_docs
        self.chunk_bytes = chunk_bytes
        self.threads = threads
        self.max_retries = max_retries
        self.backoff = backoff

    def run(self, ops: Iterable[BulkOp]) -> BulkReport:
        """Send every op; returns what happened. Raises EngineError if a whole request keeps failing."""
        report = BulkReport()
        chunks = self._chunks(ops)
        if self.threads <= 1:
            for chunk in chunks:
                report.merge(self._send(chunk))
            return report
        with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="newsagg-bulk") as pool:
            pending = []
            for chunk in chunks:
                pending.append(pool.submit(self._send, chunk))
                if len(pending) >= self.threads * 2:  # bounded window: memory stays flat on big inputs
                    report.merge(pending.pop(0).result())
            for future in pending:
                report.merge(future.result())
        return report

    def _chunks(self, ops: Iterable[BulkOp]) -> Iterator[list[tuple[BulkOp, bytes]]]:
        chunk: list[tuple[BulkOp, bytes]] = []
        size = 0
        for op in ops:
            data = op.encode()
            if chunk and (len(chunk) >= self.chunk_docs or size + len(data) > self.chunk_bytes):
                yield chunk
                chunk, size = [], 0
            chunk.append((op, data))
            size += len(data)
        if chunk:
            yield chunk

    def _send(self, chunk: list[tuple[BulkOp, bytes]]) -> BulkReport:
        report = BulkReport()
        delay = self.backoff
        for attempt in range(self.max_retries + 1):
            result = self.client.bulk(b"".join(data for _, data in chunk))
            items = result.get("items", [])
            if len(items) != len(chunk):
                raise _protocol_error(len(chunk), len(items))
            again: list[tuple[BulkOp, bytes]] = []
            for (op, data), item in zip(chunk, items, strict=True):
                outcome = next(iter(item.values()))
                status = int(outcome.get("status", 500))
                if 200 <= status < 300:
                    report.ok += 1
                    report.noop += outcome.get("result") == "noop"
                elif status == 409:
                    report.conflicts.append(op.doc_id)
                elif status == 404 and op.action in ("update", "delete"):
                    report.missing.append(op.doc_id)
                elif status in RETRY_STATUS or status >= 500:
                    if attempt < self.max_retries:
                        again.append((op, data))
                    else:
                        report.failures.append(_failure(op.doc_id, status, outcome))
                else:
                    report.failures.append(_failure(op.doc_id, status, outcome))
            if not again:
                return report
            report.retried += len(again)
            logger.warning(
                "bulk: %d documents refused for now (429/5xx); retry %d/%d in %.1fs",
                len(again),
                attempt + 1,
                self.max_retries,
                delay,
            )
            time.sleep(delay)
            delay *= 2
            chunk = again
        return report


def _failure(doc_id: str, status: int, outcome: dict[str, Any]) -> BulkFailure:
    error = outcome.get("error") or {}
    if isinstance(error, dict):
        kind = str(error.get("type", "error"))
        reason = str(error.get("reason", ""))
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" (caused by {cause.get('type')}: {cause.get('reason')})"
    else:
        kind, reason = "error", str(error)
    return BulkFailure(doc_id, status, kind, reason)


def _protocol_error(sent: int, got: int) -> Exception:
    from newsagg.storage.engine_client import EngineError

    return EngineError(f"bulk response has {got} items for {sent} actions")
