"""WARC files written by newsagg's writer and read back by its reader, damaged on purpose in every way the
reader promises to survive: truncated and corrupt gzip members, wrong record lengths, non-HTTP records and
records past the size cap. Real files, real warcio; the validator is ``warcio check``."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsagg.sanitize import terminal_text
from newsagg.warc.checkpoint import ArchiveProgress
from newsagg.warc.pointers import ArchiveIdentity, WarcPointer, WarcPointers
from newsagg.warc.reader import ReadReport, open_record, read_file, read_stream
from newsagg.warc.writer import SERVER_NOT_MODIFIED, Exchange, RotatingWarcWriter

WHEN = datetime(2026, 11, 20, 12, 0, 0, 123456, tzinfo=UTC)
MAX = 1_000_000


def page(n: int, size: int = 2_000) -> bytes:
    filler = " ".join(f"palabra{n}-{i}" for i in range(size // 12))
    return f"<html><head><title>Página {n}</title></head><body><p>{filler}</p></body></html>".encode()


def exchange(n: int, status: int = 200, body: bytes | None = None, **headers: str) -> Exchange:
    response_headers = [("Content-Type", "text/html; charset=utf-8"), *headers.items()]
    return Exchange(
        url=f"http://news.example/a/{n}",
        method="GET",
        request_headers=[("User-Agent", "newsagg-test"), ("Accept-Encoding", "gzip")],
        status=status,
        response_headers=[(k.replace("_", "-"), v) for k, v in response_headers],
        body=page(n) if body is None else body,
        date=WHEN,
    )


def write(tmp_path: Path, count: int, max_bytes: int = 10_000_000) -> tuple[RotatingWarcWriter, list[WarcPointer]]:
    writer = RotatingWarcWriter(tmp_path / "warc", "test", max_bytes, {"isPartOf": "run-1", "software": "newsagg"})
    pointers = [writer.write_exchange(exchange(n)) for n in range(count)]
    writer.close()
    return writer, pointers


def read_all(path: Path, max_bytes: int = MAX) -> tuple[list[str], ReadReport]:
    report = ReadReport()
    urls = [p.url for p in read_file(path, report, max_bytes=max_bytes)]
    return urls, report


def warcio_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(path)], capture_output=True, text=True, check=False
    )


# --- writing ------------------------------------------------------------------------------------------
def test_written_files_pass_warcio_check_and_start_with_warcinfo(tmp_path: Path) -> None:
    writer, _ = write(tmp_path, 3)
    [path] = writer.files
    result = warcio_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("digest pass") == 7  # warcinfo + 3 x (response, request)
    with open(path, "rb") as handle:
        types = [r.rec_type for r in ArchiveIterator(handle)]
    assert types == ["warcinfo", "response", "request", "response", "request", "response", "request"]


def test_files_rotate_past_the_size_bound_each_with_its_warcinfo(tmp_path: Path) -> None:
    writer, pointers = write(tmp_path, 12, max_bytes=3_000)
    assert len(writer.files) >= 3
    for path in writer.files:
        with open(path, "rb") as handle:
            assert next(iter(ArchiveIterator(handle))).rec_type == "warcinfo"
        assert warcio_check(path).returncode == 0
    # every pointer leads to its own response record, in whichever file it landed
    for n, pointer in enumerate(pointers):
        with open_record(pointer) as record:
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == f"http://news.example/a/{n}"
            assert record.content_stream().read() == page(n)


def test_a_304_is_a_server_not_modified_revisit(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, "test", MAX, {})
    pointer = writer.write_revisit(exchange(1, status=304, body=b"", ETag='"abc"'))
    writer.close()
    with open_record(pointer) as record:
        assert record.rec_type == "revisit"
        assert record.rec_headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
        assert record.http_headers.get_statuscode() == "304"
        assert record.http_headers.get_header("ETag") == '"abc"'
    assert warcio_check(writer.files[0]).returncode == 0


def test_a_body_received_gzipped_stays_gzipped_and_valid(tmp_path: Path) -> None:
    """The body as the server sent it, with its Content-Encoding; the transfer coding the client undid is
    dropped, and a Content-Length that disagrees with the recorded body is corrected."""
    compressed = gzip.compress(page(7))
    writer = RotatingWarcWriter(tmp_path, "test", MAX, {})
    pointer = writer.write_exchange(
        exchange(7, body=compressed, Content_Encoding="gzip", Transfer_Encoding="chunked", Content_Length="5")
    )
    writer.close()
    assert warcio_check(writer.files[0]).returncode == 0
    with open_record(pointer) as record:
        assert record.http_headers.get_header("Content-Encoding") == "gzip"
        assert record.http_headers.get_header("Transfer-Encoding") is None
        assert record.http_headers.get_header("Content-Length") == str(len(compressed))
        assert record.raw_stream.read() == compressed
    report = ReadReport()
    [archived] = list(read_file(writer.files[0], report, max_bytes=MAX))
    assert archived.body == page(7)  # the reader hands out the decoded page
    assert all(name.lower() != "content-encoding" for name, _ in archived.headers)


def test_a_file_of_another_run_is_never_overwritten(tmp_path: Path) -> None:
    first, _ = write(tmp_path, 1)
    second, _ = write(tmp_path, 1)
    assert first.files[0] != second.files[0]
    assert read_all(first.files[0])[0] == read_all(second.files[0])[0]


# --- reading what is not a page -----------------------------------------------------------------------
def test_only_2xx_html_responses_are_pages_the_rest_counted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("mixed.warc.gz", {"software": "test"}))

        def response(url: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        response("http://news.example/ok", "200 OK", "text/html", page(1))
        response("http://news.example/missing", "404 Not Found", "text/html", b"<html>gone</html>")
        response("http://news.example/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response("http://news.example/feed.xml", "200 OK", "application/rss+xml", b"<?xml version='1.0'?><rss/>")
        writer.write_record(
            writer.create_warc_record(
                "dns:news.example",
                "response",
                payload=io.BytesIO(b"news.example. 60 IN A 10.0.0.1"),
                warc_content_type="text/dns",
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "http://news.example/res", "resource", payload=io.BytesIO(b"<html/>"), warc_content_type="text/html"
            )
        )
    report = ReadReport()
    documents = list(read_file(path, report, max_bytes=MAX))
    assert [(d.url, d.kind) for d in documents] == [
        ("http://news.example/ok", "html"),
        ("http://news.example/feed.xml", "xml"),
    ]
    assert report.pages == 1 and report.listings == 1
    assert report.skipped == {
        "not_response/warcinfo": 1,
        "status_4xx": 1,
        "not_html": 1,
        "not_http": 1,
        "not_response/resource": 1,
    }
    assert not report.damaged


def test_records_past_the_size_cap_are_skipped_and_the_rest_read(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, "test", MAX, {})
    for n, size in enumerate((1_000, 50_000, 1_000)):
        writer.write_exchange(exchange(n, body=page(n, size)))
    writer.close()
    urls, report = read_all(writer.files[0], max_bytes=20_000)
    assert urls == ["http://news.example/a/0", "http://news.example/a/2"]
    assert report.damaged == {"too_large": 1}


# --- damaged archives ------------------------------------------------------------------------------------
def test_a_truncated_file_is_read_up_to_the_break(tmp_path: Path) -> None:
    writer, pointers = write(tmp_path, 5)
    data = writer.files[0].read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: pointers[3].offset + 200])  # in the middle of the 4th response's gzip member
    urls, report = read_all(cut)
    assert urls == [f"http://news.example/a/{n}" for n in range(3)]
    assert sum(report.damaged.values()) == 1


def test_a_corrupt_gzip_member_is_skipped_and_reading_resumes_after_it(tmp_path: Path) -> None:
    writer, pointers = write(tmp_path, 5)
    data = bytearray(writer.files[0].read_bytes())
    start = pointers[2].offset + 40
    data[start : start + 200] = b"\x00" * 200  # inside the 3rd response's deflate stream
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    urls, report = read_all(broken)
    assert urls == [f"http://news.example/a/{n}" for n in (0, 1, 3, 4)]
    assert sum(report.damaged.values()) >= 1


def uncompressed_warc(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "plain.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for n in range(count):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"http://news.example/p/{n}", "response", payload=io.BytesIO(page(n)), http_headers=headers
                )
            )
    return path


@pytest.mark.parametrize("delta", [-300, +300])
def test_a_record_with_a_wrong_length_is_skipped_and_the_rest_read(tmp_path: Path, delta: int) -> None:
    path = uncompressed_warc(tmp_path, 4)
    data = path.read_bytes()
    # the 2nd record's Content-Length claims 300 bytes fewer / more than it holds
    second = data.index(b"WARC/1.0", data.index(b"http://news.example/p/1") - 400)
    length_at = data.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    end = data.index(b"\r\n", length_at)
    wrong = str(int(data[length_at:end]) + delta).encode()
    path.write_bytes(data[:length_at] + wrong + data[end:])
    urls, report = read_all(path)
    assert "http://news.example/p/1" not in urls
    assert {"http://news.example/p/0", "http://news.example/p/3"} <= set(urls)
    assert sum(report.damaged.values()) >= 1


def test_uncompressed_and_stdin_streams_are_read(tmp_path: Path) -> None:
    path = uncompressed_warc(tmp_path, 3)
    assert read_all(path)[0] == [f"http://news.example/p/{n}" for n in range(3)]
    writer, _ = write(tmp_path, 3)
    report = ReadReport()
    with open(writer.files[0], "rb") as raw:
        stream = io.BufferedReader(io.BytesIO(raw.read()))  # a pipe: nothing to seek back to
        documents = list(read_stream(stream, report, max_bytes=MAX))
    assert [d.url for d in documents] == [f"http://news.example/a/{n}" for n in range(3)]
    assert all(d.pointer is None for d in documents)


# --- pointers -------------------------------------------------------------------------------------------
def test_pointers_keep_the_latest_record_per_article_and_finished_files(tmp_path: Path) -> None:
    pointers = WarcPointers.open(tmp_path)
    pointers.record([("a1", "http://x/1", WarcPointer("/w/one.warc.gz", 10))])
    pointers.record([("a1", "http://x/1", WarcPointer("/w/two.warc.gz", 99))])
    assert pointers.get("a1") == WarcPointer("/w/two.warc.gz", 99)
    assert pointers.get("nope") is None
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"x")
    assert not pointers.finished(archive)
    pointers.mark_finished(archive, 1, "run-1")
    assert pointers.finished(archive)
    archive.write_bytes(b"xy")  # changed since: read again
    assert not pointers.finished(archive)
    pointers.close()


def test_checkpoints_belong_to_the_file_as_it_is_and_go_once_it_is_finished(tmp_path: Path) -> None:
    pointers = WarcPointers.open(tmp_path)
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"x" * 100)
    identity = ArchiveIdentity.of(archive)
    assert pointers.checkpoint(identity) == 0
    pointers.save_checkpoints([(identity, 40)], "run-1")
    pointers.save_checkpoints([(identity, 70)], "run-1")
    assert pointers.checkpoint(identity) == 70
    archive.write_bytes(b"y" * 120)  # rewritten: the old checkpoint does not apply
    assert pointers.checkpoint(ArchiveIdentity.of(archive)) == 0
    pointers.mark_finished(identity, 3, "run-1")
    assert pointers.checkpoint(identity) == 0
    pointers.close()


# --- resuming inside a file -----------------------------------------------------------------------------
def test_reading_starts_at_a_record_and_stops_before_another(tmp_path: Path) -> None:
    writer, pointers = write(tmp_path, 5)
    [path] = writer.files
    report = ReadReport()
    read = [(p.url, p.pointer) for p in read_file(path, report, max_bytes=MAX, start=pointers[2].offset)]
    assert [url for url, _ in read] == [f"http://news.example/a/{n}" for n in (2, 3, 4)]
    assert [pointer for _, pointer in read] == pointers[2:]
    assert report.position == path.stat().st_size  # read to the end
    report = ReadReport()
    urls = [p.url for p in read_file(path, report, max_bytes=MAX, end=pointers[3].offset)]
    assert urls == [f"http://news.example/a/{n}" for n in range(3)]
    assert report.position == pointers[3].offset


def test_the_position_is_where_the_next_record_starts(tmp_path: Path) -> None:
    writer, pointers = write(tmp_path, 3)
    [path] = writer.files
    report = ReadReport()
    positions = [report.position for _page in read_file(path, report, max_bytes=MAX)]
    # each response is followed by its request record: the next page starts two records on
    assert positions[0] > pointers[0].offset and positions[0] < pointers[1].offset
    assert positions[1] < pointers[2].offset


def test_the_watermark_is_the_earliest_record_in_flight() -> None:
    progress = ArchiveProgress(ArchiveIdentity("/w/a.warc.gz", 1000, 1.0), start=100)
    assert progress.low == 100 and not progress.complete
    for offset in (100, 200, 300):
        progress.opened(offset)
    progress.read_to = 400
    progress.handled(200)  # finished out of order: the watermark stays at the earliest still in flight
    assert progress.low == 100
    progress.handled(100)
    assert progress.low == 300
    progress.handled(300)
    assert progress.low == 400  # nothing in flight: where reading got to
    progress.read_all = True
    assert progress.complete


def test_terminal_text_keeps_lines_and_shows_controls() -> None:
    assert terminal_text("a\r\nb\tc\x1b[2J\u202e") == "a\nb\tc<U+001B>[2J<U+202E>"
