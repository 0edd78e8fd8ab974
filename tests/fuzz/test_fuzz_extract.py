"""Fuzz target for the HTML → article path: ``extract_article`` must return (never raise, never hang) on any
byte string, with valid Unicode text and timezone-aware dates (or none).

In CI this runs as a short hypothesis campaign (``NEWSAGG_FUZZ_EXAMPLES``, default 150, ≈ 10 s) that mutates
real pages (the seed-story fixture, the real-world benchmark pages, the hostile web's pages): byte flips,
truncations, splices and insertions of hostile fragments. For a long campaign with coverage guidance run
``python tests/fuzz/test_fuzz_extract.py`` with atheris installed (``pip install atheris``); without it the
same command runs hypothesis with 20× the examples.
"""

from __future__ import annotations

import gzip
import os
import sys
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from newsagg.extraction import extract_article  # noqa: E402
from tests.support.hostile import XSS, article_html, deep_page, malformed_page  # noqa: E402

pytestmark = pytest.mark.reliability

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
FETCHED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
EXAMPLES = int(os.environ.get("NEWSAGG_FUZZ_EXAMPLES", "150"))
HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<!--",
    b"<![CDATA[",
    b"<script>",
    b"</html>",
    b"&#0;",
    b"&#x110000;",
    b'<meta charset="utf-16">',
    b'<meta charset="x-bogus">',
    XSS.encode(),
    b'<script type="application/ld+json">{"datePublished":"9999-12-31T23:59:59+14:00"}</script>',
    b"<time datetime='0000-00-00'>",
    b"<div>" * 300,
    b"\xc3\x28\xa0\xa1",
]


@cache
def seeds() -> tuple[bytes, ...]:
    pages = [article_html("Seed").encode(), malformed_page(), deep_page()[:20_000]]
    for path in sorted(FIXTURES.rglob("*.htm*")):
        data = path.read_bytes()
        pages.append(gzip.decompress(data) if path.suffix == ".gz" else data)
    return tuple(p[:60_000] for p in pages)  # bounded: the campaign explores structure, not size


def mutate(seed: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for position, length, insert in cuts:
        at = position % (len(data) + 1)
        data[at : at + length] = insert
    return bytes(data)


def check(data: bytes) -> None:
    result = extract_article(
        data, "http://fuzz.test/2026/11/20/a.html", fetched_at=FETCHED, timezone="America/Santiago", language_hint="es"
    )
    result.text.encode("utf-8")
    for value in (result.title, result.description, *result.authors):
        if value is not None:
            value.encode("utf-8")
    for dated in (result.published, result.modified):
        assert dated is None or dated.value.utcoffset() is not None


mutations = st.lists(
    st.tuples(st.integers(0, 60_000), st.integers(0, 64), st.sampled_from(HOSTILE) | st.binary(max_size=32)), max_size=8
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 10_000), mutations)
def test_fuzz_extract_article(seed_index: int, cuts: list[tuple[int, int, bytes]]) -> None:
    pool = seeds()
    check(mutate(pool[seed_index % len(pool)], cuts))


def _atheris_main() -> None:
    import atheris  # type: ignore[import-not-found]

    def one_input(data: bytes) -> None:
        check(data)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    try:
        _atheris_main()
    except ImportError:
        os.environ.setdefault("NEWSAGG_FUZZ_EXAMPLES", str(EXAMPLES * 20))
        sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))


@pytest.mark.parametrize(
    "head",
    [
        # found by this fuzz target: an unbalanced "[" makes urllib raise "Invalid IPv6 URL"
        b'<meta property="og:image" content="//[broken/x.webp">',
        b'<link rel="canonical" href="http://[broken/a.html">',
    ],
)
def test_fuzz_regressions(head: bytes) -> None:
    page = b"<html><head>" + head + b"</head><body><h1>A headline</h1><p>" + b"word " * 300 + b"</p></body></html>"
    check(page)
