"""Rotating gzipped WARC files written with warcio: request/response pairs, revisits, one warcinfo per file.

Each record is its own gzip member (what every WARC reader and ``warcio check`` expect), so a record can be
read back from its file offset alone (:class:`newsagg.warc.pointers.WarcPointer`). A file is closed and the
next one opened once it has grown past ``max_bytes``; a file never holds a partial record of another file.

What is recorded is what the server sent, with two corrections that keep the record valid HTTP: the body is
the one received *before* content decoding (so a ``Content-Encoding: gzip`` header still describes it), but
after the transfer decoding the HTTP client already did, so ``Transfer-Encoding: chunked`` is dropped and a
``Content-Length`` that disagrees with the recorded body is set to its length.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsagg.warc.pointers import WarcPointer

Headers = Sequence[tuple[str, str]]
#: WARC 1.1 (ISO 28500:2017): dates to the microsecond, so an ingest orders pages as the crawl fetched them.
WARC_VERSION = "1.1"
#: ``WARC-Profile`` of a revisit record for a 304 answer (WARC 1.1, section 6.7.3).
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#: Response headers that describe the transfer, not the recorded body.
_TRANSFER_HEADERS = frozenset({"transfer-encoding"})


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response it got, as the crawler saw them."""

    url: str
    method: str
    request_headers: Headers
    status: int
    response_headers: Headers
    body: bytes
    date: datetime
    request_body: bytes = b""


def warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_line(exchange: Exchange) -> str:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{exchange.method} {target}"


def _request_headers(exchange: Exchange) -> list[tuple[str, str]]:
    headers = list(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", urlsplit(exchange.url).netloc))
    return headers


def _status_and_headers(exchange: Exchange) -> StatusAndHeaders:
    """The recorded response's status line and headers, as a response and a revisit record carry them."""
    return StatusAndHeaders(
        f"{exchange.status} {_reason(exchange.status)}", _response_headers(exchange), protocol="HTTP/1.1"
    )


def _response_headers(exchange: Exchange) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for name, value in exchange.response_headers:
        lowered = name.lower()
        if lowered in _TRANSFER_HEADERS:
            continue
        if lowered == "content-length" and value.strip() != str(len(exchange.body)):
            value = str(len(exchange.body))
        headers.append((name, value))
    return headers


class RotatingWarcWriter:
    """Writes exchanges to ``DIRECTORY/PREFIX-00001.warc.gz``, ``-00002``, ... rotating past ``max_bytes``."""

    def __init__(self, directory: str | Path, prefix: str, max_bytes: int, info: Mapping[str, str]) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.info = dict(info)
        self.serial = 0
        self.files: list[Path] = []
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None

    # --- files ------------------------------------------------------------------------------------
    def _open_next(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self.serial += 1
            path = self.directory / f"{self.prefix}-{self.serial:05d}.warc.gz"
            try:
                handle = open(path, "xb")  # noqa: SIM115 - kept open until rotation; never overwrites a file
            except FileExistsError:
                continue
            break
        self._file, self._path = handle, path
        self._writer = WARCWriter(handle, gzip=True, warc_version=WARC_VERSION)
        self.files.append(path)
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, self.info))

    def _current(self) -> tuple[WARCWriter, BinaryIO, Path]:
        if self._file is not None and self._file.tell() >= self.max_bytes:
            self.close()
        if self._writer is None:
            self._open_next()
        assert self._writer is not None and self._file is not None and self._path is not None
        return self._writer, self._file, self._path

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        self._file = self._writer = self._path = None

    # --- records ----------------------------------------------------------------------------------
    def write_exchange(self, exchange: Exchange) -> WarcPointer:
        """The response record (pointed at) followed by its request record."""
        writer, handle, path = self._current()
        date = warc_date(exchange.date)
        http_headers = _status_and_headers(exchange)
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date},
        )
        offset = handle.tell()
        writer.write_record(response)
        self._write_request(writer, exchange, response.rec_headers.get_header("WARC-Record-ID"), date)
        return WarcPointer(str(path), offset)

    def write_revisit(self, exchange: Exchange) -> WarcPointer:
        """A 304: a ``revisit`` record (server-not-modified profile) with the response headers, no body."""
        writer, handle, path = self._current()
        date = warc_date(exchange.date)
        http_headers = _status_and_headers(exchange)
        revisit = writer.create_warc_record(
            exchange.url,
            "revisit",
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Profile": SERVER_NOT_MODIFIED,
                "WARC-Refers-To-Target-URI": exchange.url,
            },
        )
        offset = handle.tell()
        writer.write_record(revisit)
        self._write_request(writer, exchange, revisit.rec_headers.get_header("WARC-Record-ID"), date)
        return WarcPointer(str(path), offset)

    def _write_request(self, writer: WARCWriter, exchange: Exchange, concurrent_to: str, date: str) -> None:
        http_headers = StatusAndHeaders(
            _request_line(exchange), _request_headers(exchange), protocol="HTTP/1.1", is_http_request=True
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )
        writer.write_record(request)
