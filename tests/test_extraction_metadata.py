"""Rules of the title, author and date extraction, one small page per rule (patterns taken from real pages of
the news-metadata set; the page texts are ours), plus one copied real page (DW, see the fixtures README)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsagg.extraction import ExtractedArticle, datefind, extract_article
from newsagg.extraction.title import choose_title

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
FETCHED = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
BODY = (
    "<p>Die Landeskirche will die Fälle der vergangenen Jahrzehnte von einer unabhängigen Kommission "
    "aufarbeiten lassen und die Ergebnisse noch in diesem Jahr veröffentlichen, sagte die Bischöfin.</p>"
    "<p>Betroffene hatten seit Langem gefordert, dass die Kirche ihre Akten öffnet und die Verantwortlichen "
    "benennt; die Synode hatte dafür im Frühjahr zusätzliche Mittel bewilligt.</p>"
    "<p>Die Kommission soll mit Historikern, Juristen und Vertretern der Betroffenen besetzt werden und "
    "unabhängig von der Kirchenleitung arbeiten, so der Beschluss der Synode.</p>"
)


def ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def extract(head: str = "", body: str = "", url: str = "https://www.br.de/nachrichten/a/kirche-100.html", **kw):
    html = f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    kw.setdefault("fetched_at", FETCHED)
    return extract_article(html, url, **kw)


def article(inner: str = "") -> str:
    return f"<article>{inner}{BODY}</article>"


# -------------------------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "site", "url", "expected"),
    [
        # a short host key ("br") is never matched inside a word ("Missbrauch")
        (
            "Evangelische Kirche: Landeskirche will Missbrauch aufarbeiten | BR24",
            "BR24",
            "https://www.br.de/nachrichten/a",
            "Evangelische Kirche: Landeskirche will Missbrauch aufarbeiten",
        ),
        # the outlet name inside a kicker ("VOGUE-Cover") is not a site suffix
        (
            'Kate Moss auf dem VOGUE-Cover: "Was ich nicht will" | Vogue Germany',
            "Vogue Germany",
            "https://www.vogue.de/a",
            'Kate Moss auf dem VOGUE-Cover: "Was ich nicht will"',
        ),
        # outlet abbreviation plus a date part
        (
            "Russland-Wahl: Ende der Putin-Ära – DW – 30.01.2024",
            "dw.com",
            "https://www.dw.com/de/a",
            "Russland-Wahl: Ende der Putin-Ära",
        ),
        # outlet with a TLD, and the section between it and the headline
        (
            "Russia hits Kyiv with ballistic missile - National | Globalnews.ca",
            "Global News",
            "https://globalnews.ca/news/1/",
            "Russia hits Kyiv with ballistic missile",
        ),
        # "*" separators and a byline part
        (
            "Zelensky Is Now Considering Firing Top General * The Gateway Pundit * by Paul Serran",
            "The Gateway Pundit",
            "https://www.thegatewaypundit.com/2026/07/a/",
            "Zelensky Is Now Considering Firing Top General",
        ),
        # fullwidth colon before a CJK outlet name
        (
            "南海トラフ、一時調査　巨大地震、基準達せず：中日新聞Web",
            "中日新聞Web",
            "https://www.chunichi.co.jp/article/1",
            "南海トラフ、一時調査 巨大地震、基準達せず",
        ),
        # a long outlet name with a generic word ("Online") and a site name starting with "The"
        (
            "Far-right protesters injured - updates - Mirror Online",
            "The Mirror",
            "https://www.mirror.co.uk/news/a",
            "Far-right protesters injured - updates",
        ),
    ],
)
def test_title_outlet_date_section_byline_parts_removed(raw: str, site: str, url: str, expected: str) -> None:
    head = f"<title>{raw}</title><meta property='og:site_name' content='{site}'>"
    assert extract(head, article(), url=url).title == expected


def test_title_hangul_bar_and_section_joined_by_dash() -> None:
    head = (
        "<title>장동혁, 한동훈 제명했지만 부담 커졌다-정치ㅣ한국일보</title>"
        "<meta property='og:site_name' content='한국일보'><meta name='content:category' content='정치'>"
    )
    art = extract(head, article(), url="https://www.hankookilbo.com/news/article/A2026012914320005196")
    assert art.title == "장동혁, 한동훈 제명했지만 부담 커졌다"


def test_title_json_ld_headline_beats_a_differing_og_title() -> None:
    head = (
        ld(headline="Brand in Betrieb in Lichterfelde – Starke Rauchentwicklung")
        + "<meta property='og:title' content='Feuer in Berlin: Warnung vor giftigen Brandgasen'>"
    )
    assert extract(head, article()).title == "Brand in Betrieb in Lichterfelde – Starke Rauchentwicklung"


def test_title_all_other_sources_agreeing_outvote_json_ld() -> None:
    cands = [
        ("og", "Chelsea send clear message"),
        ("ld", "Chelsea win at Cobham"),
        ("twitter", "Chelsea send clear message"),
        ("title", "Chelsea send clear message"),
        ("h1", "Chelsea send clear message"),
    ]
    assert choose_title(cands) == "Chelsea send clear message"


def test_title_kicker_free_form_supported_by_kicker_forms() -> None:
    cands = [
        ("og", "Vierschanzentournee | Beleidigen und beschuldigen: Skisprung-Zoff ums Material"),
        ("ld", "Beleidigen und beschuldigen: Skisprung-Zoff ums Material"),
        ("title", "Vierschanzentournee | Beleidigen und beschuldigen: Skisprung-Zoff ums Material"),
        ("h1", "Beleidigen und beschuldigen: Skisprung-Zoff ums Material"),
    ]
    assert choose_title(cands) == "Beleidigen und beschuldigen: Skisprung-Zoff ums Material"


def test_title_kicker_form_kept_when_most_sources_carry_it() -> None:
    cands = [
        ("og", "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"),
        ("ld", "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"),
        ("twitter", "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"),
        ("h1", "Trump-Anwältin soll Justizministerin werden"),
    ]
    assert choose_title(cands) == "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"


def test_title_most_common_quote_spelling_wins() -> None:
    cands = [
        ("og", "Mexico to fight 'illogical' steel tariffs"),
        ("ld", "Mexico to fight ‘illogical’ steel tariffs"),
        ("h1", "Mexico to fight ‘illogical’ steel tariffs"),
    ]
    assert choose_title(cands) == "Mexico to fight ‘illogical’ steel tariffs"


def test_title_h1_in_breadcrumb_ignored() -> None:
    body = "<nav><ul><li><h1>Startseite</h1></li></ul></nav><article><h1>Kirche will aufarbeiten</h1>" + BODY
    assert extract("", body + "</article>").title == "Kirche will aufarbeiten"


# ------------------------------------------------------------------------------------------- authors


def test_authors_nested_json_ld_list_flattened() -> None:
    head = ld(
        headline="x",
        author=[{"@type": "Person", "name": "Engin Haupt"}, [{"@type": "Person", "name": "MDR SACHSEN-ANHALT"}]],
    )
    art = extract(head, article(), url="https://www.mdr.de/nachrichten/a.html")
    assert art.authors == ["Engin Haupt", "MDR SACHSEN-ANHALT"]


def test_authors_twitter_written_by_label_when_meta_author_is_an_email() -> None:
    head = (
        "<meta name='author' content='a.sleegers@boersen-zeitung.de'>"
        "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Anna Sleegers'>"
    )
    assert extract(head, article()).authors == ["Anna Sleegers"]


def test_authors_outlet_with_its_domain_gives_way_to_labelled_byline() -> None:
    head = "<meta name='author' content='Deutsche Welle (www.dw.com)'>"
    body = (
        article()
        + "<ul><li><strong>Datum</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Roman Goncharenko</li></ul>"
    )
    assert extract(head, body, url="https://www.dw.com/de/a/a-65464327").authors == ["Roman Goncharenko"]


def test_authors_chinese_editor_label() -> None:
    body = article() + '<div class="edit cf">(责编：牛镛、岳弘彬)</div>'
    assert extract("", body, url="http://politics.people.com.cn/n1/2024/0424/c1024-40222698.html").authors == [
        "牛镛",
        "岳弘彬",
    ]


def test_authors_bold_signature_paragraph_replaces_outlet_credit() -> None:
    head = ld(headline="x", author={"@type": "Organization", "name": "VnExpress"}) + (
        "<meta property='og:site_name' content='VnExpress'>"
    )
    body = f"<article>{BODY}<p class='Normal' style='text-align:right;'><strong>Lê Phương</strong></p></article>"
    assert extract(head, body, url="https://vnexpress.net/a-4954454.html").authors == ["Lê Phương"]


def test_authors_cms_admin_account_is_not_a_byline() -> None:
    head = ld(headline="x", author={"@id": "https://ilanganews.co.za/author/admin/", "name": "Ilanga D"})
    body = (
        '<div class="byline"><a href="https://ilanganews.co.za/author/admin/" rel="author">Ilanga D</a></div>'
        f"<article><p><strong>MTHOBISI SITHOLE&nbsp;</strong></p>{BODY}</article>"
    )
    assert extract(head, body, url="https://ilanganews.co.za/2024/11/05/a/").authors == ["MTHOBISI SITHOLE"]


def test_authors_second_bylined_author_from_rel_author_markup() -> None:
    head = ld(headline="x", author=[{"@type": "Person", "name": "Marlene Lundberg Holm"}])
    body = (
        '<div class="byline"><a rel="author" href="/a/1">Ingrid Treborg</a>'
        '<a rel="author" href="/a/2">Marlene Lundberg Holm</a></div>' + article()
    )
    art = extract(head, body, url="https://www.dagbladet.no/nyheter/a/81348547")
    assert art.authors == ["Marlene Lundberg Holm", "Ingrid Treborg"]


def test_authors_by_line_in_a_teaser_link_is_not_this_articles_byline() -> None:
    head = ld(headline="x", author={"@type": "Organization", "name": "DER SPIEGEL"}) + (
        "<meta property='og:site_name' content='DER SPIEGEL'>"
    )
    body = (
        article() + '<a href="/b"><span>Rettet die Reichen</span><span class="x">Von Ines Zöttl, Washington</span></a>'
    )
    assert extract(head, body, url="https://www.spiegel.de/wirtschaft/a").authors == ["DER SPIEGEL"]


def test_authors_outlet_and_agency_credit_kept_whole() -> None:
    head = ld(headline="x", author=[{"@type": "Person", "name": "Le Figaro et AFP"}]) + (
        "<meta property='og:site_name' content='Le Figaro'>"
    )
    assert extract(head, article(), url="https://www.lefigaro.fr/international/a").authors == ["Le Figaro et AFP"]


def test_authors_outlet_with_address_keeps_the_outlet() -> None:
    head = ld(headline="x", author=[{"@type": "NewsMediaOrganization", "name": "Redaktion hessenschau.de"}]) + (
        "<meta name='author' content='hessenschau.de, Frankfurt, Germany'>"
    )
    art = extract(head, article(), url="https://www.hessenschau.de/politik/a.html")
    assert art.authors == ["Redaktion hessenschau.de"]


def test_authors_by_line_with_semicolon_credits() -> None:
    head = "<meta name='author' content='srf/hosb;kesm'><meta property='og:site_name' content='SRF'>"
    art = extract(head, article(), url="https://www.srf.ch/news/a")
    assert art.authors == ["srf/hosb", "kesm"]


# --------------------------------------------------------------------------------------------- dates


def test_date_teaser_dates_skipped_and_labelled_date_used() -> None:
    body = (
        '<div class="related"><a href="/b"><h2>Anderes Thema <span class="date">24.04.2023</span></h2></a></div>'
        + article()
        + "<ul><li><strong>Datum</strong>\n28.04.2023</li></ul>"
    )
    art = extract("", body, url="https://www.dw.com/de/a/a-65464327", timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date().isoformat() == "2023-04-28"
    assert art.published.precision == "day"


def test_date_from_data_attribute_in_outlet_timezone() -> None:
    body = article() + '<div data-deploy-dt="2026.01.29 18:40" data-re-deploy-dt="2026.01.29 18:49"></div>'
    art = extract("", body, url="https://www.hankookilbo.com/news/article/A1", timezone="Asia/Seoul")
    assert art.published is not None
    assert art.published.value == datetime.fromisoformat("2026-01-29T18:40:00+09:00")
    assert art.published.precision == "minute"


@pytest.mark.parametrize(
    "text",
    [
        "18 November 2019",
        "Wednesday 20 November 2019 11:42",
        "Monday November 18 2019",
        "November 20 2019 11:28 AM",
        "Nov. 20 2019 1:35 am",
        "Sept 3, 2024 at 12:05 pm",
        "May 15th 2023",
        "13.11.2019 23:06",
        "28.04.2023",
        "2026.01.29 18:40",
        "2024-04-28T10:30",
    ],
)
@pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
def test_date_fast_path_agrees_with_dateparser(text: str, tz: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    def ctx() -> datefind.DateContext:
        return datefind.DateContext(FETCHED, datefind.resolve_tz(tz, []), tz, ["en"], [])

    fast = datefind.parse_text(text, "text", 0.6, ctx())
    assert datefind._fast_parse(text) is not None
    monkeypatch.setattr(datefind, "_fast_parse", lambda _text: None)
    slow = datefind.parse_text(text, "text", 0.6, ctx())
    assert fast is not None and slow is not None
    assert (fast.value, fast.value.utcoffset(), fast.precision, fast.confidence) == (
        slow.value,
        slow.value.utcoffset(),
        slow.precision,
        slow.confidence,
    )


@pytest.mark.parametrize("text", ["11:11 PM EST Nov 19 2019", "03/04/2024", "hace 3 horas", "13. Mai 2026 um 15:44"])
def test_date_fast_path_leaves_ambiguous_and_localized_forms_to_dateparser(text: str) -> None:
    assert datefind._fast_parse(text) is None


# ----------------------------------------------------------------------------------------- real page


@pytest.fixture(scope="module")
def dw() -> tuple[ExtractedArticle, dict]:
    gold = json.loads((FIXTURES / "real" / "expected.json").read_text("utf-8"))["de_DW_2023_04_28"]
    html = gzip.decompress((FIXTURES / "real" / "de_DW_2023_04_28.html.gz").read_bytes())
    fetched = datetime.fromisoformat(gold["crawl_date"]).replace(tzinfo=UTC)
    return extract_article(html, gold["url"], fetched_at=fetched, timezone="Europe/Berlin"), gold


def test_real_dw_page_title_author_and_date(dw: tuple[ExtractedArticle, dict]) -> None:
    art, gold = dw
    assert art.title == gold["title"]  # og:title "... | DW | 28.04.2023" and <title> "... | Europa | DW | ..."
    assert art.authors == gold["authors"]  # meta author names the outlet; the "Autorin/Autor" label the person
    assert art.published is not None
    assert art.published.value.date().isoformat() == gold["published"][:10]  # not the teasers' 24.04.2023
    assert art.published.precision == "day"
