"""Tests of newsagg.extraction (no network, no /work/shared: fixtures live in tests/fixtures/extraction)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsagg.dates import DatedValue
from newsagg.evaluation.metrics import shingle_prf
from newsagg.extraction import ExtractedArticle, extract_article
from newsagg.extraction import decode as decode_mod

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
FETCHED = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
PARAS = (
    "<p>El presidente electo de Chile recorrió este viernes la cárcel más grande de El Salvador para conocer "
    "de primera mano el modelo de seguridad del presidente Nayib Bukele antes de reunirse con él.</p>"
    "<p>La visita se produce semanas después de la segunda vuelta electoral, en la que el candidato prometió "
    "mano dura contra el crimen organizado y el narcotráfico en todo el territorio nacional.</p>"
    "<p>Organizaciones de derechos humanos criticaron las condiciones del penal, donde los reclusos no "
    "reciben visitas ni salen al aire libre, y pidieron al futuro gobierno no copiar ese modelo.</p>"
)


def page(head: str = "", body: str = "", *, lang: str = "es", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>Kast visita el CECOT | Diario Test</title>{head}</head>"
        f"<body><article><h1>Kast visita el CECOT</h1>{body}{PARAS}</article></body></html>"
    )


def extract(html: str | bytes, url: str = "https://diario.example/noticia/kast-cecot", **kw) -> ExtractedArticle:
    kw.setdefault("fetched_at", FETCHED)
    return extract_article(html, url, **kw)


# ----------------------------------------------------------------------------------------- seed story


@pytest.fixture(scope="module")
def seed() -> ExtractedArticle:
    html = (FIXTURES / "seed-story-es.html").read_bytes()
    return extract_article(
        html,
        "https://www.diariodelsur.example/internacional/2026/11/27/kast-visita-cecot?utm_source=twitter&amp=1",
        fetched_at=FETCHED,
        timezone="America/Santiago",
        language_hint="es",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def test_seed_body_keeps_article(seed: ExtractedArticle) -> None:
    assert "recorrió este viernes el Centro de Confinamiento del Terrorismo (CECOT)" in seed.text
    assert "“Necesitamos importar buenas ideas" in seed.text
    assert "Honduras propuso construir un penal para pandilleros en una isla remota." in seed.text
    assert "\n\n" in seed.text
    assert seed.is_article


@pytest.mark.parametrize(
    "furniture",
    [
        "Escuchar el artículo",
        "Fact Checker",
        "Verifica la exactitud",
        "14 comentarios",
        "Lector1",
        "pese a las preocupaciones por los abusos",  # comment 1
        "soluciones matizadas",  # comment 14
        "Escribe tu comentario",
        "Noticias relacionadas",
        "Todos los derechos reservados",
    ],
)
def test_seed_body_drops_furniture_and_comments(seed: ExtractedArticle, furniture: str) -> None:
    assert furniture not in seed.text


def test_seed_metadata(seed: ExtractedArticle) -> None:
    assert seed.title == "Kast visita la megacárcel de Bukele antes de reunirse con el presidente salvadoreño"
    assert seed.authors == ["María José Pérez"]
    assert seed.site_name == "El Diario del Sur"
    assert seed.section == "Internacional"
    assert "CECOT" in seed.keywords
    assert seed.image == "https://www.diariodelsur.example/fotos/2026/11/kast-cecot.jpg"
    assert seed.language == "es"
    assert seed.canonical_url == "https://www.diariodelsur.example/internacional/2026/11/27/kast-visita-cecot"


def test_seed_date_spanish_long_form_with_outlet_timezone(seed: ExtractedArticle) -> None:
    assert seed.published is not None
    assert seed.published.value == datetime.fromisoformat("2026-11-27T14:05:00-03:00")
    assert seed.published.value.utcoffset() == timedelta(hours=-3)
    assert seed.published.source == "text"
    assert seed.published.precision == "minute"
    assert seed.published.raw and "viernes 27 de noviembre de 2026" in seed.published.raw


# ----------------------------------------------------------------------------------------- real pages

EXPECTED = json.loads((FIXTURES / "real" / "expected.json").read_text("utf-8"))


def _real(key: str) -> tuple[ExtractedArticle, dict]:
    gold = EXPECTED[key]
    html = gzip.decompress((FIXTURES / "real" / f"{key}.html.gz").read_bytes())
    fetched = datetime.fromisoformat(gold["crawl_date"]).replace(tzinfo=UTC) if "crawl_date" in gold else None
    return extract_article(html, gold["url"], fetched_at=fetched), gold


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_real_page_body(key: str) -> None:
    art, gold = _real(key)
    assert shingle_prf(gold["articleBody"], art.text).f1 >= 0.9
    assert art.is_article


@pytest.mark.parametrize(
    "key", [k for k in sorted(EXPECTED) if "published" in EXPECTED[k] and "date_source" not in EXPECTED[k]]
)
def test_real_page_metadata(key: str) -> None:
    art, gold = _real(key)
    assert art.title == gold["title"].strip()
    if key != "de_NDR_2025_06_18":  # fundus' NDR parser names the site ("ndr.de"); the page names no author
        assert art.authors == gold["authors"]
    gold_date = datetime.fromisoformat(gold["published"])
    assert art.published is not None
    assert abs(art.published.value - gold_date) < timedelta(minutes=1)
    assert art.published.source in ("json-ld", "meta")


def test_real_page_language() -> None:
    assert _real("de_NDR_2025_06_18")[0].language == "de"
    assert _real("us_APNews_2023_04_28")[0].language == "en"


# ------------------------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Kast visita el CECOT | Diario Test", "Diario Test", "Kast visita el CECOT"),
        ("Kast visita el CECOT - Diario Test", "Diario Test", "Kast visita el CECOT"),
        ("Diario Test: Kast visita el CECOT", "Diario Test", "Kast visita el CECOT"),
        ("Kast visita el CECOT – Diario Test", None, "Kast visita el CECOT"),  # from the host name
        ("Trump plant – während sein Projekt stockt", "Diario Test", "Trump plant – während sein Projekt stockt"),
    ],
)
def test_title_site_suffix_removed(title: str, site: str | None, expected: str) -> None:
    head = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = f"<html><head><title>{title}</title>{head}</head><body><article>{PARAS}</article></body></html>"
    assert extract(html, "https://www.diariotest.example/a/b").title == expected


def test_title_prefers_headline_confirmed_by_h1() -> None:
    head = '<meta property="og:title" content="Kast visita el CECOT">'
    assert extract(page(head)).title == "Kast visita el CECOT"


# ------------------------------------------------------------------------------------------ authors


def test_authors_from_json_ld_deduplicated() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Kast visita el CECOT",
        "author": [
            {"@type": "Person", "name": "By Ana Gómez"},
            {"@type": "Person", "name": "Luis Rojas | Reporter"},
            {"@type": "Person", "name": "ana gómez"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert extract(page(head)).authors == ["Ana Gómez", "Luis Rojas"]


def test_authors_from_meta_split_and_cleaned() -> None:
    head = '<meta name="author" content="Por Ana Gómez y Luis Rojas">'
    assert extract(page(head)).authors == ["Ana Gómez", "Luis Rojas"]


def test_authors_from_visible_byline_drop_roles() -> None:
    body = '<p class="byline">By Jane Doe and John Roe, staff writer</p>'
    assert extract(page(body=body)).authors == ["Jane Doe", "John Roe"]


# -------------------------------------------------------------------------------------------- dates


def _ld(**fields: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Kast visita el CECOT", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_date_json_ld_with_offset() -> None:
    art = extract(page(_ld(datePublished="2026-11-27T14:05:00-03:00", dateModified="2026-11-27T16:00:00-03:00")))
    assert art.published.source == "json-ld"
    assert art.published.isoformat() == "2026-11-27T14:05:00-03:00"
    assert art.modified is not None and art.modified.value.hour == 16


def test_date_json_ld_in_graph() -> None:
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Diario Test"},
        {"@type": ["NewsArticle"], "headline": "Kast", "datePublished": "2026-11-27T17:05:00Z"},
    ]}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    art = extract(page(head))
    assert art.published.source == "json-ld"
    assert art.published.value == datetime(2026, 11, 27, 17, 5, tzinfo=UTC)


def test_date_meta() -> None:
    head = '<meta property="article:published_time" content="2026-11-27T14:05:00-0300">'
    art = extract(page(head))
    assert art.published.source == "meta"
    assert art.published.value == datetime.fromisoformat("2026-11-27T14:05:00-03:00")


def test_date_time_tag() -> None:
    art = extract(page(body='<time datetime="2026-11-27T14:05:00-03:00">27 nov</time>'))
    assert art.published.source == "time-tag"
    assert art.published.value == datetime.fromisoformat("2026-11-27T14:05:00-03:00")


def test_date_from_url_is_day_precision() -> None:
    art = extract(page(), "https://diario.example/2026/11/26/kast-cecot", timezone="America/Santiago")
    assert art.published.source == "url"
    assert art.published.precision == "day"
    assert art.published.isoformat() == "2026-11-26"


def test_date_from_feed() -> None:
    feed = DatedValue(datetime(2026, 11, 27, 17, 5, tzinfo=UTC), "feed", "minute", 0.85, "Fri, 27 Nov 2026 17:05 GMT")
    art = extract(page(), feed_published=feed)
    assert art.published == feed


def test_date_http_header_lowest_confidence() -> None:
    headers = {"Last-Modified": "Fri, 27 Nov 2026 17:05:00 GMT"}
    art = extract(page(), headers=headers)
    assert art.published.source == "http-header"
    assert art.published.confidence < 0.5
    art = extract(page(_ld(datePublished="2026-11-26T10:00:00+00:00")), headers=headers)
    assert art.published.source == "json-ld"


def test_date_numeric_naive_localized_to_outlet_timezone() -> None:
    art = extract(page(body='<span class="fecha">27/11/2026 14:05</span>'), timezone="America/Santiago")
    assert art.published.source == "text"
    assert art.published.value == datetime.fromisoformat("2026-11-27T14:05:00-03:00")


def test_date_naive_without_timezone_is_utc_with_warning() -> None:
    head = '<meta property="article:published_time" content="2026-11-27T14:05:00">'
    art = extract(page(head))
    assert art.published.value == datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    assert art.published.confidence < 0.9
    assert any("naive" in w for w in art.warnings)


def test_date_english_with_zone_abbreviation() -> None:
    art = extract(page(body='<div class="date">Nov. 27, 2026 2:05 p.m. EST</div>', lang="en"))
    assert art.published.value == datetime(2026, 11, 27, 19, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Publicado em 27 de novembro de 2026, 14h05", "pt", "2026-11-27T14:05:00-03:00"),
        ("Stand: 27.11.2026, 14:05 Uhr", "de", "2026-11-27T14:05:00-03:00"),
        ("27. November 2026 um 14:05 Uhr", "de", "2026-11-27T14:05:00-03:00"),
    ],
)
def test_date_other_languages(text: str, lang: str, expected: str) -> None:
    art = extract(page(body=f'<p class="date">{text}</p>', lang=lang), timezone="America/Sao_Paulo")
    assert art.published is not None
    assert art.published.isoformat() == expected


def test_date_relative_hace_3_horas() -> None:
    body = '<span class="fecha-publicacion">hace 3 horas</span>'
    art = extract(page(body=body), timezone="America/Santiago")
    assert art.published.source == "text"
    assert art.published.value == FETCHED - timedelta(hours=3)
    assert art.published.confidence < 0.6
    art = extract(page(body="<p><strong>Publicado:</strong> hace 2 días</p>"), timezone="America/Santiago")
    assert art.published.source == "text"
    assert art.published.value.date() == (FETCHED - timedelta(days=2)).date()
    assert art.published.precision == "day"


def test_date_relative_without_publication_label_is_not_a_date() -> None:
    for body in ('<span class="fecha">hace 3 horas</span>', '<div class="date">vor 5 Stunden</div>'):
        art = extract(page(body=body), timezone="America/Santiago")
        assert art.published is None


def test_date_in_the_future_rejected_with_warning() -> None:
    art = extract(page(_ld(datePublished="2031-01-01T10:00:00+00:00")))
    assert art.published is None
    assert any("date rejected: in the future (2031-01-01" in w for w in art.warnings)


def test_date_future_falls_back_to_next_candidate() -> None:
    head = _ld(datePublished="2031-01-01T10:00:00+00:00")
    art = extract(page(head), "https://diario.example/2026/11/27/kast")
    assert art.published.source == "url"


def test_date_before_1990_rejected_with_warning() -> None:
    art = extract(page('<meta property="article:published_time" content="1970-01-01T00:00:00Z">'))
    assert art.published is None
    assert any("before 1990" in w for w in art.warnings)


def test_date_day_precision_never_fake_midnight() -> None:
    art = extract(page(_ld(datePublished="2026-11-27")), timezone="America/Santiago")
    assert art.published.precision == "day"
    assert art.published.isoformat() == "2026-11-27"


def test_date_day_candidate_takes_time_of_agreeing_candidate() -> None:
    head = _ld(datePublished="2026-11-27")
    body = '<span class="fecha">viernes 27 de noviembre de 2026 | 14:05</span>'
    art = extract(page(head, body), timezone="America/Santiago")
    assert art.published.precision == "minute"
    assert art.published.value == datetime.fromisoformat("2026-11-27T14:05:00-03:00")


# ---------------------------------------------------------------------------------------------- URLs


def test_canonical_url_tracking_params_removed() -> None:
    head = '<link rel="canonical" href="/noticia/kast-cecot?utm_source=fb&utm_campaign=x&id=7#top">'
    art = extract(page(head), "https://www.diario.example/noticia/kast-cecot?fbclid=123")
    assert art.canonical_url == "https://www.diario.example/noticia/kast-cecot?id=7"
    assert art.url == "https://www.diario.example/noticia/kast-cecot?fbclid=123"


def test_canonical_url_falls_back_to_url() -> None:
    art = extract(page(), "https://www.diario.example/noticia/kast-cecot?utm_medium=social")
    assert art.canonical_url == "https://www.diario.example/noticia/kast-cecot"


def test_amp_page_points_to_canonical() -> None:
    html = page('<link rel="canonical" href="https://www.diario.example/noticia/kast-cecot">').replace(
        "<html ", "<html amp "
    )
    art = extract(html, "https://www.diario.example/noticia/kast-cecot/amp/")
    assert art.canonical_url == "https://www.diario.example/noticia/kast-cecot"
    # without a canonical link the fetched URL is the canonical one: the path is never rewritten
    art = extract(page(), "https://www.diario.example/noticia/kast-cecot/amp")
    assert art.canonical_url == "https://www.diario.example/noticia/kast-cecot/amp"


def test_canonical_to_site_root_or_other_site_ignored() -> None:
    art = extract(page('<link rel="canonical" href="https://www.diario.example/">'), "https://www.diario.example/a/b")
    assert art.canonical_url == "https://www.diario.example/a/b"
    art = extract(page('<link rel="canonical" href="https://wire.example/x">'), "https://www.diario.example/a/b")
    assert art.canonical_url == "https://www.diario.example/a/b"
    assert any("cross-site canonical" in w for w in art.warnings)


# ------------------------------------------------------------------------------------------ encoding


def test_latin1_bytes_labelled_utf8() -> None:
    data = page(charset="utf-8").encode("cp1252")
    art = extract(data, encoding="utf-8")
    assert "recorrió este viernes la cárcel" in art.text
    assert any("encoding mislabeled: header utf-8, decoded as" in w for w in art.warnings)


def test_iso_8859_1_page() -> None:
    data = page(charset="ISO-8859-1").encode("latin-1")
    art = extract(data)
    assert "recorrió este viernes la cárcel" in art.text
    assert not any("mislabeled" in w for w in art.warnings)
    art = extract(data, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "recorrió este viernes la cárcel" in art.text


def test_utf8_bytes_labelled_latin1() -> None:
    data = page(charset="iso-8859-1").encode("utf-8")
    art = extract(data, encoding="iso-8859-1")
    assert "recorrió este viernes la cárcel" in art.text
    assert any("mislabeled" in w for w in art.warnings)


def test_unknown_charset_does_not_raise() -> None:
    art = extract(page(charset="x-klingon").encode("utf-8"), encoding="bogus-8")
    assert "recorrió" in art.text
    assert any("unknown charset" in w for w in art.warnings)


def test_decode_str_passthrough_and_bom() -> None:
    assert decode_mod.decode_html("<p>á</p>")[0] == "<p>á</p>"
    text, codec, _ = decode_mod.decode_html(b"\xef\xbb\xbf<p>\xc3\xa1</p>", "cp1252")
    assert (text, codec) == ("<p>á</p>", "utf-8")


# ----------------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("html", [b"", "", b"   \n  ", "   "])
def test_empty_page(html: bytes | str) -> None:
    art = extract(html)
    assert not art.is_article
    assert art.text == ""
    assert art.warnings
    assert art.canonical_url == "https://diario.example/noticia/kast-cecot"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
        bytes(range(256)) * 40,
        b"\x00\x01\x02\x03" * 500,
    ],
)
def test_non_html_bytes(data: bytes) -> None:
    art = extract(data)
    assert not art.is_article
    assert art.text == ""
    assert any("not HTML" in w for w in art.warnings)


def test_plain_text_is_not_an_article() -> None:
    art = extract(b"just some words, no markup at all")
    assert not art.is_article


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><div><p>Unclosed <b>tags <i>everywhere" + PARAS + "<div><span>",
        "<p>" * 500 + "deep",
        "</html></body><p>backwards</p><html>",
        '<?xml version="1.0" encoding="utf-8"?><html><body>' + PARAS + "</body></html>",
        "<html><head><script type='application/ld+json'>{not json,,}</script></head><body>" + PARAS,
        '<html><head><meta property="article:published_time" content="not a date at all"></head></html>',
        "<html><body>\x00\x01<p>nul bytes</p></body></html>",
    ],
)
def test_malformed_html_does_not_raise(html: str) -> None:
    art = extract(html)
    assert isinstance(art, ExtractedArticle)


def test_malformed_html_still_extracts_text() -> None:
    art = extract("<html><body><article><h1>Título<p>" + PARAS.replace("</p>", "") + "<div><span>")
    assert "cárcel más grande de El Salvador" in art.text


def test_huge_input_is_capped_with_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_mod, "MAX_CHARS", 20_000)
    html = page() + "<div>" + "<p>relleno de página sin interés alguno</p>" * 2000 + "</div>"
    art = extract(html)
    assert any("truncated" in w for w in art.warnings)


def test_index_page_is_not_an_article() -> None:
    links = "".join(f'<li><a href="/n/{i}">Titular número {i} de la portada</a></li>' for i in range(40))
    html = (
        '<html lang="es"><head><title>Portada | Diario</title><meta property="og:type" content="website">'
        f"</head><body><nav><ul>{links}</ul></nav></body></html>"
    )
    art = extract(html, "https://diario.example/")
    assert not art.is_article


def test_to_dict_is_json_serialisable(seed: ExtractedArticle) -> None:
    data = json.loads(json.dumps(seed.to_dict()))
    assert data["published"]["source"] == "text"


def test_pages_that_are_not_html_say_why() -> None:
    binary = extract_article(b"%PDF-1.7\n\x00\x01\x02\x03" * 50, "http://example.test/report.pdf")
    assert binary.kind is None and binary.kind_reason == "not_html"
    empty = extract_article(b"   ", "http://example.test/empty.html")
    assert empty.kind is None and empty.kind_reason == "empty_page"
