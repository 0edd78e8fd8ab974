"""Decoding real bytes: a UTF-8 page with a few stray bytes stays UTF-8; cp1252 only when the bytes say so."""

from __future__ import annotations

from datetime import UTC, datetime

from newsagg.extraction import extract_article
from newsagg.extraction.decode import decode_html, mostly_utf8

PARAGRAPH = (
    "Die Mäscot-Gruppe übernimmt das Geschäft in Düsseldorf und München. Größere Änderungen für die "
    "Belegschaft seien nicht geplant, hieß es am Dienstag aus Unternehmenskreisen. "
)


def _page(charset_meta: str | None, body: bytes) -> bytes:
    meta = f'<meta charset="{charset_meta}">'.encode() if charset_meta else b""
    return (
        b"<!doctype html><html lang='de'><head>" + meta + b"<title>M\xc3\xa4scot \xc3\xbcbernimmt</title></head>"
        b"<body><article><h1>M\xc3\xa4scot</h1>" + body + b"</article></body></html>"
    )


def _utf8_body_with_stray_bytes() -> bytes:
    paragraphs = [f"<p>{PARAGRAPH * 2}</p>".encode() for _ in range(6)]
    # a cp1252 "ä" pasted into the page, a lone 0xFF and a multi-byte character cut in half
    paragraphs.insert(2, b"<p>Anzeige: G\xe4ste willkommen \xff</p>")
    paragraphs.insert(4, b"<p>Preis: 5 \xe2\x82 Euro</p>")
    return b"".join(paragraphs)


def test_utf8_page_with_stray_bytes_stays_utf8_declared_in_header_and_meta() -> None:
    data = _page("utf-8", _utf8_body_with_stray_bytes())
    assert mostly_utf8(data)
    text, codec, warnings = decode_html(data, "utf-8")
    assert codec == "utf-8"
    assert text.count("Mäscot") == 14
    assert "Ã" not in text
    assert text.count("\ufffd") == 3
    assert any("invalid utf-8 bytes replaced" in w for w in warnings)


def test_utf8_page_with_stray_bytes_stays_utf8_without_declaration() -> None:
    text, codec, _ = decode_html(_page(None, _utf8_body_with_stray_bytes()))
    assert codec == "utf-8"
    assert "Größere Änderungen" in text


def test_utf8_page_with_stray_bytes_mislabeled_latin1_is_read_as_utf8() -> None:
    text, codec, warnings = decode_html(_page("iso-8859-1", _utf8_body_with_stray_bytes()), "iso-8859-1")
    assert codec == "utf-8"
    assert "Düsseldorf und München" in text
    assert any("mislabeled" in w for w in warnings)


def test_real_cp1252_page_is_decoded_as_cp1252() -> None:
    body = "".join(f"<p>{PARAGRAPH} Kosten: 5 €</p>" for _ in range(5)).encode("cp1252")
    data = (
        b"<html><head><meta charset='iso-8859-1'><title>M\xe4scot</title></head><body><article>"
        + body
        + b"</article></body></html>"
    )
    assert not mostly_utf8(data)
    text, codec, _ = decode_html(data, None)
    assert codec == "cp1252"
    assert "Mäscot" in text and "5 €" in text
    assert "\ufffd" not in text


def test_undeclared_cp1252_page_is_not_read_as_utf8() -> None:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(5)).encode("cp1252")
    text, codec, _ = decode_html(b"<html><body>" + body + b"</body></html>")
    assert codec != "utf-8"
    assert "Düsseldorf" in text


def test_extracted_article_keeps_its_umlauts() -> None:
    data = _page("utf-8", _utf8_body_with_stray_bytes())
    art = extract_article(
        data,
        "https://example.de/wirtschaft/maescot.html",
        headers={"Content-Type": "text/html; charset=utf-8"},
        fetched_at=datetime(2024, 5, 2, tzinfo=UTC),
    )
    assert "Mäscot" in art.text and "Ã" not in art.text
    assert art.title and "Mäscot" in art.title
