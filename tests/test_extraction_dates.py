"""Publication dates on open-web markup and bad input: what is certain is kept, the rest stays empty."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsagg.extraction import ExtractedArticle, extract_article

FETCHED = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
TEXT = (
    "<p>Der Gemeinderat hat am Abend nach langer Debatte den Haushalt für das kommende Jahr beschlossen. "
    "Die Fraktionen hatten sich zuvor auf einen Kompromiss bei den Investitionen in Schulen geeinigt.</p>"
    "<p>Die Opposition kritisierte die hohen Ausgaben für den Straßenbau und forderte mehr Geld für den "
    "öffentlichen Nahverkehr, konnte sich mit ihren Anträgen aber nicht durchsetzen.</p>"
    "<p>Der Bürgermeister zeigte sich zufrieden mit dem Ergebnis und kündigte an, die ersten Projekte "
    "noch im Frühjahr auszuschreiben, sobald die Aufsichtsbehörde den Haushalt genehmigt hat.</p>"
)


def page(head: str = "", body: str = "", *, title: str | None = "Gemeinderat beschließt Haushalt") -> str:
    title_tag = f"<title>{title}</title>" if title is not None else ""
    h1 = f"<h1>{title}</h1>" if title is not None else ""
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">{title_tag}{head}</head>'
        f"<body><article>{h1}{body}{TEXT}</article></body></html>"
    )


def extract(html: str, url: str = "https://stadtblatt.example/lokales/haushalt", **kw: object) -> ExtractedArticle:
    kw.setdefault("fetched_at", FETCHED)
    return extract_article(html, url, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "noise",
    [
        '<span class="date">65.06 sek.</span>',
        '<div class="meta-time">60 min.</div>',
        '<p class="info">Zubereitung 15 Min</p>',
        '<span class="meta">Preis: 12.50 €</span>',
        '<div class="info">Tel. 030 12 34 56</div>',
        "<p><strong>Datum</strong> 45 Min. Lesezeit</p>",
        '<span class="date">5 Stunden</span>',
    ],
)
def test_durations_prices_and_phone_numbers_never_become_a_date(noise: str) -> None:
    art = extract(page(body=noise))
    assert art.published is None
    assert "Gemeinderat" in art.text


def test_duration_next_to_a_real_date_keeps_the_date() -> None:
    body = '<div class="date">26.02.2020</div><span class="time">Lesezeit 60 min.</span>'
    art = extract(page(body=body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2020, 2, 26)


def test_date_in_a_meta_list_item() -> None:
    art = extract(page(body='<ul><li class="item content__meta__date">26.02.2020</li></ul>'), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.isoformat() == "2020-02-26"
    assert art.published.source in ("text", "htmldate")


def test_dates_of_linked_teasers_are_not_the_page_date() -> None:
    teasers = "".join(
        f'<li><a href="/news/{n}">Andere Meldung {n}</a><span class="post-date">0{n}/09/2019</span></li>'
        for n in range(1, 4)
    )
    body = f'<p><strong>Datum:</strong> 27.09.2016</p><ul class="latest">{teasers}</ul>'
    art = extract(page(body=body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2016, 9, 27)


def test_labelled_date_beats_later_dates_in_the_page() -> None:
    body = (
        '<ul class="facts"><li><strong>Datum</strong> 28.04.2023</li></ul>'
        '<h2>Mehr <span class="date">24.04.2023</span></h2>'
    )
    art = extract(page(body=body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2023, 4, 28)


def test_utc_stamp_gives_way_to_the_printed_day_without_outlet_timezone() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Gemeinderat beschließt Haushalt",'
        ' "datePublished": "2023-11-09T03:28:35Z"}</script><meta name="sailthru.date" content="2023-11-08 22:28:35">'
    )
    art = extract(page(head))
    assert art.published is not None
    assert art.published.isoformat() == "2023-11-08"
    assert "2023-11-09T03:28:35Z" in (art.published.raw or "")
    # with the outlet timezone the instant is exact and kept
    art = extract(page(head), timezone="America/New_York")
    assert art.published is not None
    assert art.published.value == datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC)
    assert art.published.source == "json-ld"


def test_utc_stamp_gives_way_to_the_day_printed_as_microdata() -> None:
    # the stamp is also malformed ("0Z": one-digit seconds), as some CMS templates write it: still UTC
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-12-05T23:15:0Z"}</script>'
    )
    body = '<p itemprop="datePublished" class="data">06 Dezember 2020</p>'
    art = extract(page(head, body))
    assert art.published is not None
    assert art.published.isoformat() == "2020-12-06"
    assert "2020-12-05T23:15:0Z" in (art.published.raw or "")
    # the same stamp without the printed day is read as the UTC instant it states
    art = extract(page(head))
    assert art.published is not None
    assert art.published.value == datetime(2020, 12, 5, 23, 15, tzinfo=UTC)
    assert not any("naive date" in w for w in art.warnings)


def test_an_embedded_videos_upload_date_is_not_the_articles() -> None:
    video = (
        '<script type="application/ld+json">{"@type": "VideoObject", "name": "Watch now",'
        ' "uploadDate": "2023-10-11T14:59:54-07:00"}</script>'
    )
    meta = '<meta property="article:published_time" content="2023-11-18T16:18:00-07:00">'
    art = extract(page(video + meta))
    assert art.published is not None
    assert art.published.source == "meta"
    assert art.published.isoformat() == "2023-11-18T16:18:00-07:00"
    # a video page dated by nothing else keeps its upload time
    art = extract(page(video))
    assert art.published is not None
    assert art.published.source == "json-ld"
    assert art.published.isoformat() == "2023-10-11T14:59:54-07:00"


def test_utc_stamp_takes_the_offset_of_the_same_instant_stated_locally() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-11-09T06:35:29Z"}</script>'
    )
    body = '<p>Posted: <time datetime="2023-11-08T22:35:29-08:00">Nov 8, 2023 / 10:35 PM PST</time></p>'
    art = extract(page(head, body))
    assert art.published is not None
    assert art.published.source == "json-ld"
    assert art.published.isoformat() == "2023-11-08T22:35:29-08:00"


def test_htmldate_finds_a_date_in_free_text_with_its_own_provenance() -> None:
    body = "<p>Stadtblatt, Ausgabe vom 12. März 2024: Der Gemeinderat tagte.</p>"
    art = extract(page(body=body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2024, 3, 12)
    assert art.published.source == "htmldate"
    assert art.published.precision == "day"


def test_bare_year_is_not_a_publication_day() -> None:
    art = extract(page(body="<p>© 2016 Stadtblatt</p>"))
    assert art.published is None


# ------------------------------------------------------------------------------------------- bad input


def test_page_without_date_and_title_is_stored_with_its_text() -> None:
    art = extract(page(title=None))
    assert art.published is None
    assert not art.title
    assert "Haushalt für das kommende Jahr" in art.text


def test_conflicting_dates_choose_structured_data() -> None:
    head = (
        '<meta property="article:published_time" content="2024-05-02T09:00:00+02:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-02T09:00:00+02:00"}'
        "</script>"
    )
    body = '<span class="date">03.01.2019</span><time datetime="2022-07-01">1. Juli 2022</time>'
    art = extract(page(head, body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value == datetime.fromisoformat("2024-05-02T09:00:00+02:00")


@pytest.mark.parametrize("stamp", ["2031-01-01T10:00:00+00:00", "1970-01-02T10:00:00+00:00", "0001-01-01"])
def test_future_and_far_past_dates_are_rejected(stamp: str) -> None:
    head = f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{stamp}"}}</script>'
    art = extract(page(head))
    assert art.published is None
    assert "Gemeinderat" in art.text


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "<html>", "<<<>>>", "\x00\x01\x02" * 50, "<time datetime='99999-99-99'>x</time>" * 20],
)
def test_garbage_never_crashes(garbage: str) -> None:
    art = extract(garbage)
    assert art.published is None


def test_date_printed_as_a_permalink_is_the_page_date() -> None:
    """Blogs print a post's date as a link to the post; a date linking elsewhere stays a teaser's."""
    url = "https://stadtblatt.example/lokales/haushalt"
    body = (
        '<a href="/lokales/anderes">Vorher: <span class="entry-time">03.01.2019</span></a>'
        f'<h2><a href="{url}/"><span class="entry-time">12.07.2020</span></a></h2>'
    )
    art = extract(page(body=body), url, timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2020, 7, 12)
    assert art.published.source == "text"


def test_date_inside_a_long_publication_sentence() -> None:
    sentence = (
        "Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:15 Uhr veröffentlicht und unter Allgemein, "
        "Recht abgelegt. Du kannst die Kommentare zu diesem Eintrag durch den RSS 2.0 Feed verfolgen."
    )
    art = extract(page(body=f'<p class="postmetadata"><small>{sentence}</small></p>'), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2011, 12, 3)
    assert art.published.source == "text"


def test_labelled_date_in_another_language_than_the_page() -> None:
    """A German date on a page that declares English (a translation plugin's default): the label says it is
    the publication date, so the date's own language is detected."""
    html = page(body='<p class="postmetadata">Veröffentlicht am Samstag, 3. Dezember 2011</p>').replace(
        '<html lang="de">', '<html lang="en">'
    )
    art = extract(html, timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2011, 12, 3)
    assert art.published.source == "text"


def test_date_on_the_line_beside_the_headline() -> None:
    # the site header prints today's date, the teasers theirs; the article's date is the unlabelled line under
    # its headline, inside a link to the day's archive, next to a view count
    teasers = "".join(
        f'<li><small class="date">0{n}.12.2020</small> <a href="/news/{n}">Andere Meldung {n}</a></li>' for n in (5, 6)
    )
    html = (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Gemeinderat beschließt Haushalt</title>'
        '</head><body><header><h1>Stadtblatt</h1><ul><li><i class="fa-calendar"></i>Dienstag, (08 Dez 2020)</li>'
        "</ul></header><article><h1>Gemeinderat beschließt Haushalt</h1>"
        '<ul class="nav meta"><li><a href="/time/2020-10-13">13 Okt 2020 18:29</a></li><li><span>1479</span></li>'
        f'</ul>{TEXT}</article><aside><ul class="latest">{teasers}</ul></aside></body></html>'
    )
    art = extract(html, fetched_at=datetime(2020, 12, 8, 12, tzinfo=UTC))
    assert art.published is not None
    assert art.published.isoformat() == "2020-10-13"  # no outlet timezone: the day, not a guessed instant
    assert art.published.source == "text"
    # with the outlet's timezone the printed time is kept
    art = extract(html, fetched_at=datetime(2020, 12, 8, 12, tzinfo=UTC), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.isoformat() == "2020-10-13T18:29:00+02:00"


def test_update_stamp_beside_the_headline_is_not_the_publication_date() -> None:
    body = '<p>Aktualisiert: 14.03.2024 09:00</p><p class="date">Veröffentlicht: 12.03.2024</p>'
    art = extract(page(body=body), timezone="Europe/Berlin")
    assert art.published is not None
    assert art.published.value.date() == date(2024, 3, 12)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Published 11:11 PM EST Nov 19, 2023", "2023-11-19T23:11:00-05:00"),
        ("Published 13 Nov 2023, 22:11 GMT+10", "2023-11-13T22:11:00+10:00"),
    ],
)
def test_a_printed_offset_is_kept(printed: str, expected: str) -> None:
    art = extract(page(body=f'<div class="byline-date">{printed}</div>'))
    assert art.published is not None
    assert art.published.isoformat() == expected


def test_a_byline_with_names_before_the_publication_label_is_read_after_the_label() -> None:
    # names and outlet first, then the label: no locale reads the whole line, so the date is the part the
    # label introduces (the whole line used to go to dateparser's language detection and come back empty)
    byline = "Tom Davies Associated Press Published 11:34 PM EST Nov 19, 2023"
    art = extract(page(body=f'<div class="byline-date">{byline}</div>'))
    assert art.published is not None
    assert art.published.isoformat() == "2023-11-19T23:34:00-05:00"
    assert art.published.source == "text"
