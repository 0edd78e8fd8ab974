"""The HTML responses of a WARC archive (gzipped or not, a file or a stream), damaged parts skipped.

warcio parses the records; this module decides which are pages to ingest and keeps reading past damage:

- records that are not HTTP responses (``warcinfo``, ``request``, ``revisit``, ``metadata``, ``dns:``...),
  answers other than 2xx, non-HTML bodies and records larger than ``max_bytes`` are skipped and counted by
  reason (:class:`ReadReport`);
- a record whose declared length disagrees with the bytes that follow it, a truncated or corrupt gzip member
  and an unparseable header block are skipped too: in a file, reading resumes at the next gzip member (or
  ``WARC/`` header line in an uncompressed file) after the damage; a stream (standard input) cannot be searched
  forward, so its reading ends there.

Bodies are handed out decoded (transfer and content encodings undone) with the headers that described the
encodings removed, so whoever reads them sees plain bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsagg.warc.pointers import WarcPointer

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_LINE = b"\nWARC/1."
#: Response headers about encodings the reader has undone.
_ENCODING_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Feeds and sitemaps: their entries' dates and titles are the hints a crawl gives the pages they list.
_XML_TYPES = ("xml", "rss", "atom")
_XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex")
_SEARCH_CHUNK = 1 << 20
#: Exceptions warcio and zlib raise on damaged input.
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError, OSError, IndexError)


@dataclass(frozen=True)
class ArchivedResponse:
    """An HTML page as archived: where it was fetched from, when, what came back, and where the record is."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime | None
    pointer: WarcPointer | None
    #: ``html`` (a page) or ``xml`` (a feed or sitemap, read for the hints it gives the pages it lists)
    kind: str = "html"


@dataclass
class ReadReport:
    """What reading an archive found: records seen, pages (and feeds/sitemaps) handed out, records skipped
    by reason."""

    records: int = 0
    pages: int = 0
    #: Where the next record starts: every record before it has been read (handed out or skipped).
    position: int = 0
    listings: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: Reasons that mean a damaged archive (the others are records that are simply not pages).
    damaged: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str, *, damage: bool = False) -> None:
        (self.damaged if damage else self.skipped)[reason] += 1


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC[:2])


def read_file(
    path: str | Path, report: ReadReport, *, max_bytes: int, start: int = 0, end: int | None = None
) -> Iterator[ArchivedResponse]:
    """The pages of one WARC file, with pointers to their records: from the record (gzip member) at byte
    ``start`` (a resumed ingest's checkpoint) up to, not including, the first record at or after ``end``."""
    path = Path(path)
    with open(path, "rb") as handle:
        yield from _read(
            handle, report, max_bytes=max_bytes, name=str(path.resolve()), seekable=True, start=start, end=end
        )


def read_stream(stream: BinaryIO, report: ReadReport, *, max_bytes: int) -> Iterator[ArchivedResponse]:
    """The pages of a WARC stream (standard input): no pointers, no reading past damage."""
    yield from _read(stream, report, max_bytes=max_bytes, name=None, seekable=False)


def _read(
    handle: BinaryIO,
    report: ReadReport,
    *,
    max_bytes: int,
    name: str | None,
    seekable: bool,
    start: int = 0,
    end: int | None = None,
) -> Iterator[ArchivedResponse]:
    report.position = start
    while True:
        if seekable:
            handle.seek(start)
        iterator = ArchiveIterator(handle, check_digests=False)
        current = start
        try:
            for record in iterator:
                current = iterator.offset
                if end is not None and current >= end:
                    return
                report.records += 1
                page = _page(record, iterator, report, max_bytes=max_bytes, name=name, offset=current)
                _read_to_end(iterator)
                report.position = iterator.offset
                if page is not None:
                    if page.kind == "html":
                        report.pages += 1
                    else:
                        report.listings += 1
                    yield page
            if not seekable or iterator.offset >= _size(handle):
                report.position = iterator.offset
                return
            # warcio ends quietly at a member cut short: bytes left past the last whole record are a damaged one
            current = iterator.offset
            report.skip("truncated_record", damage=True)
        except _DAMAGE as exc:
            report.skip(_damage_reason(exc), damage=True)
        if not seekable:
            return
        resumed = _next_record_start(handle, current + 1)
        if resumed is None:
            report.position = _size(handle)
            return
        report.position = start = resumed


def _read_to_end(iterator: ArchiveIterator) -> None:
    """Past the current record, so ``iterator.offset`` is where the next one starts."""
    with contextlib.redirect_stderr(io.StringIO()):  # warcio prints its length warnings to stderr
        iterator.read_to_end()


def _size(handle: BinaryIO) -> int:
    return os.fstat(handle.fileno()).st_size


def _damage_reason(exc: BaseException) -> str:
    if isinstance(exc, zlib.error | EOFError):
        return "broken_gzip"
    if isinstance(exc, ArchiveLoadFailed) and "gzip" in str(exc).lower():
        return "broken_gzip"
    return "unparseable_record"


def _next_record_start(handle: BinaryIO, position: int) -> int | None:
    """The offset of the next gzip member (or, uncompressed, ``WARC/`` line) at or after ``position``."""
    handle.seek(0)
    marker = GZIP_MAGIC if is_gzip(handle.read(2)) else WARC_LINE
    handle.seek(position)
    carried = b""
    base = position
    while True:
        chunk = handle.read(_SEARCH_CHUNK)
        if not chunk:
            return None
        data = carried + chunk
        found = data.find(marker)
        if found >= 0:
            return base + found + (1 if marker == WARC_LINE else 0)
        keep = len(marker) - 1
        carried = data[-keep:]
        base += len(data) - keep


def _page(
    record: Any, iterator: ArchiveIterator, report: ReadReport, *, max_bytes: int, name: str | None, offset: int
) -> ArchivedResponse | None:
    """The record as a page, or None with the reason counted."""
    if record.rec_type != "response":
        report.skip(f"not_response/{record.rec_type}")
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if not url.lower().startswith(("http://", "https://")) or http is None or not _is_http(http.protocol):
        report.skip("not_http")
        return None
    if (record.length or 0) > max_bytes:
        report.skip("too_large", damage=True)
        return None
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    if not 200 <= status < 300:
        report.skip(f"status_{status // 100}xx" if status else "no_status")
        return None
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    kind = _kind_of(content_type)
    if content_type and kind is None:
        report.skip("not_html")
        return None
    try:
        body = record.content_stream().read(max_bytes + 1)
    except (zlib.error, OSError, ValueError, EOFError):
        report.skip("bad_content_encoding", damage=True)
        return None
    if len(body) > max_bytes:
        report.skip("too_large", damage=True)
        return None
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than the record's Content-Length said
        report.skip("wrong_length", damage=True)
        return None
    errors = iterator.err_count
    with contextlib.redirect_stderr(io.StringIO()):  # warcio prints its length warnings to stderr
        iterator.read_to_end()
    if iterator.err_count != errors:  # more bytes than the record's Content-Length said
        report.skip("wrong_length", damage=True)
        return None
    if not content_type:
        kind = _sniff(body)
        if kind is None:
            report.skip("not_html")
            return None
    headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _ENCODING_HEADERS]
    return ArchivedResponse(
        url=url,
        status=status,
        headers=headers,
        body=body,
        date=_date(record.rec_headers.get_header("WARC-Date")),
        pointer=WarcPointer(name, offset) if name is not None else None,
        kind=kind or "html",
    )


def _kind_of(content_type: str) -> str | None:
    if any(kind in content_type for kind in _HTML_TYPES):
        return "html"
    if any(kind in content_type for kind in _XML_TYPES):
        return "xml"
    return None


def _sniff(body: bytes) -> str | None:
    start = body.lstrip()[:64].lower()
    if start.startswith(_XML_STARTS):
        return "xml"
    return "html" if start[:1] == b"<" else None


def _is_http(protocol: str | None) -> bool:
    return bool(protocol) and str(protocol).upper().startswith("HTTP/")


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@contextlib.contextmanager
def open_record(pointer: WarcPointer) -> Iterator[Any]:
    """The warcio record at ``pointer``, readable inside the ``with`` block."""
    with open(pointer.file, "rb") as handle:
        handle.seek(pointer.offset)
        for record in ArchiveIterator(handle, check_digests=False):
            yield record
            return
    raise ArchiveLoadFailed(f"no WARC record at {pointer.file}:{pointer.offset}")
