"""Property-based tests (hypothesis) over the pure parts a hostile page reaches: decoding, extraction, feed and
sitemap dates, URL canonicalization, and duplicate signatures.

Example counts are modest (CI time); ``HYPOTHESIS_PROFILE=deep`` runs ten times more.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.retry import retry_after_seconds
from newsagg.dedupe import signature_for
from newsagg.discovery import DiscoveryError, parse_feed, parse_sitemap, parse_timestamp
from newsagg.extraction import extract_article
from newsagg.extraction.decode import decode_html
from newsagg.text import content_hash
from newsagg.urls import article_id, canonicalize_url

pytestmark = pytest.mark.reliability

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FETCHED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
html_fragments = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<head>",
            "<body>",
            "<article>",
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<h1>",
            "</h1>",
            "<time>",
            '<meta property="og:type" content="article">',
            '<meta name="author" content="',
            '">',
            '<script type="application/ld+json">{"datePublished": "',
            '"}</script>',
            "2026-11-20T10:00:00-03:00",
            "9999-12-31",
            "0000-00-00",
            "viernes 20 de noviembre de 2026",
            "<!--",
            "-->",
            "<![CDATA[",
            "\x00",
            "\ufffd",
            "&amp;",
            "&#x0;",
            "&#99999999;",
            "<title>",
            "</title>",
            "<",
            ">",
            '"',
            "'",
            " ",
            "\n",
        ]
    )
    | st.text(max_size=40),
    max_size=60,
).map("".join)


def _check_article(result, url: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(result.text, str) and isinstance(result.warnings, list)
    for dated in (result.published, result.modified):
        assert dated is None or dated.value.utcoffset() is not None, "a date without a timezone"
    result.text.encode("utf-8")  # valid Unicode, whatever came in
    if result.title is not None:
        result.title.encode("utf-8")


@given(st.binary(max_size=4000))
def test_extract_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    _check_article(extract_article(data, "http://news.test/a.html", fetched_at=FETCHED), "http://news.test/a.html")


@given(html_fragments, st.sampled_from([None, "utf-8", "latin-1", "x-unknown", "utf-16", "cp1252"]))
def test_extract_never_raises_on_html_soup(markup: str, charset: str | None) -> None:
    data = markup.encode("utf-8", "surrogatepass")
    result = extract_article(
        data, "http://news.test/2026/11/20/a.html", encoding=charset, fetched_at=FETCHED, timezone="America/Santiago"
    )
    _check_article(result, "http://news.test/a.html")


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "iso-8859-1", "bogus", "utf-32"]))
def test_decode_always_gives_valid_text(data: bytes, label: str | None) -> None:
    text, _codec, warnings = decode_html(data, label)
    text.encode("utf-8", "surrogatepass")
    assert isinstance(warnings, list)


@given(st.text(max_size=60))
def test_feed_dates_are_tz_aware_or_none(raw: str) -> None:
    dated = parse_timestamp(raw, "feed")
    assert dated is None or dated.value.utcoffset() is not None


@given(st.binary(max_size=40) | st.from_regex(rb"\A *[0-9]{1,12} *\Z"))
@example(b"\xb2")
@example(b"\xb9 ")
@example(b"Wed, 21 Oct 2015 07:28:00 GMT")
def test_retry_after_is_seconds_or_none_whatever_the_header(value: bytes) -> None:
    # a site's Retry-After header reaches this unfiltered (b"\xb2" is a digit to str.isdigit, not to float)
    seconds = retry_after_seconds(value, now=FETCHED)
    assert seconds is None or seconds >= 0
    if value.strip().isdigit():
        assert seconds == float(value.strip())


@given(st.binary(max_size=3000))
def test_feed_and_sitemap_parsers_fail_only_with_a_reason(data: bytes) -> None:
    for parse in (parse_feed, parse_sitemap):
        try:
            parse(data)
        except DiscoveryError as exc:
            assert str(exc)


http_urls = st.builds(
    lambda host, path, query: f"https://{host}.example/{path}" + (f"?{query}" if query else ""),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-zA-Z0-9/_.%-]{0,30}", fullmatch=True),
    st.from_regex(r"([a-z_]{1,8}=[a-zA-Z0-9]{0,6}&?){0,3}", fullmatch=True),
)


@given(http_urls)
def test_canonical_url_is_idempotent_and_ids_are_stable(url: str) -> None:
    canonical = canonicalize_url(url)
    assert canonicalize_url(canonical) == canonical
    assert article_id(canonical) == article_id(canonicalize_url(url)) and len(article_id(canonical)) == 16


words = st.lists(st.from_regex(r"[a-záéíóúñ]{2,10}", fullmatch=True), min_size=0, max_size=120).map(" ".join)


@given(words)
def test_identical_text_has_identical_signature_and_hash(text: str) -> None:
    assert signature_for(text) == signature_for(str(text))
    assert content_hash(text) == content_hash(str(text))


@settings(max_examples=25)
@given(words, words)
def test_dedupe_links_an_identical_copy_and_is_symmetric(a: str, b: str) -> None:
    """Whichever of two texts arrives first, a verbatim copy of it is an exact duplicate of that first one, and
    the near-duplicate similarity of the pair does not depend on the order."""
    import tempfile

    import numpy as np

    from newsagg.dedupe import DuplicateDetector
    from newsagg.storage.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as directory, SQLiteStore(f"{directory}/s.sqlite") as store:
        detector = DuplicateDetector(store)
        first, _ = detector.check("first", a, content_hash(a))
        copy, _ = detector.check("copy", a, content_hash(a))
        assert first.kind is None and copy.kind == "exact" and copy.dup_group == first.dup_group
    sig_a, sig_b = signature_for(a), signature_for(b)
    if sig_a is not None and sig_b is not None:
        x, y = np.frombuffer(sig_a, dtype=np.uint32), np.frombuffer(sig_b, dtype=np.uint32)
        assert (sig_a == sig_b) == bool(np.all(x == y))
        assert float(np.mean(x == y)) == float(np.mean(y == x))
