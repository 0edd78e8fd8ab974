"""Authors and titles: interface text, CMS accounts and related-article bylines are not authors; site names
and marked kickers are not headline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsagg.extraction import ExtractedArticle, extract_article
from newsagg.extraction.authors import clean_authors
from newsagg.extraction.title import choose_title

FETCHED = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
TEXT = (
    "<p>The city council approved the new budget on Tuesday evening after a long debate about school "
    "investments and the cost of the planned bridge over the river.</p>"
    "<p>Opposition members criticised the spending on roads and asked for more money for public transport, "
    "but their amendments did not find a majority in the chamber.</p>"
    "<p>The mayor said he was satisfied with the result and expects the first projects to be tendered in "
    "spring, once the supervisory authority has approved the budget.</p>"
)


def page(byline: str = "", *, head: str = "", h1: str = "Council approves budget", after: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Council approves budget</title>{head}'
        f"</head><body><article><h1>{h1}</h1>{byline}{TEXT}</article>{after}</body></html>"
    )


def extract(html: str) -> ExtractedArticle:
    return extract_article(html, "https://citypaper.example/news/council-budget", fetched_at=FETCHED)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("View all posts by Daniel Lemire", ["Daniel Lemire"]),
        ("Zeige alle Beiträge von Anna Schmidt", ["Anna Schmidt"]),
        ("Alle Artikel von Jörg Müller", ["Jörg Müller"]),
        ("Ver todas las entradas de María López", ["María López"]),
        ("Voir tous les articles de Claire Dubois", ["Claire Dubois"]),
        ("ThemeGrill", []),
        ("wordpressadmin", []),
        ("Weitere Informationen", []),
        ("Alle Artikel", []),
        ("View all posts", []),
        ("Jane Doe, ThemeGrill", ["Jane Doe"]),
        ("Ian McEwan", ["Ian McEwan"]),
        # a section name in the author field
        ("Nachrichten", []),
        ("Politik", []),
    ],
)
def test_interface_text_and_accounts_are_not_authors(raw: str, expected: list[str]) -> None:
    assert clean_authors([raw], []) == expected


def test_view_all_posts_link_gives_the_name() -> None:
    byline = '<p class="byline"><a rel="author" href="/author/dlemire/">View all posts by Daniel Lemire</a></p>'
    assert extract(page(byline)).authors == ["Daniel Lemire"]


def test_theme_credit_and_admin_account_are_not_authors() -> None:
    footer = '<footer>Theme by <a href="https://themegrill.example/author/themegrill/">ThemeGrill</a></footer>'
    byline = '<span class="author"><a href="/author/wordpressadmin/">wordpressadmin</a></span>'
    assert extract(page(byline, after=footer)).authors == []


def test_related_article_bylines_are_not_added() -> None:
    byline = '<p class="byline">By <a rel="author" href="/author/jane-doe">Jane Doe</a></p>'
    related = (
        '<div class="related-articles"><div class="card"><h3>Other story</h3>'
        '<a rel="author" href="/author/john-roe">John Roe</a></div>'
        '<div class="card"><h3>Third story</h3><a rel="author" href="/author/mary-major">Mary Major</a></div></div>'
    )
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Jane Doe"}}</script>'
    art = extract(page(byline, head=ld, after=related))
    assert art.authors == ["Jane Doe"]
    art = extract(page(byline, after=related))
    assert art.authors == ["Jane Doe"]


def test_site_suffix_the_visible_headline_leaves_out_is_removed() -> None:
    head = '<meta property="og:title" content="Unermüdlicher Einsatz - Die Neue Stadtzeitung">'
    html = page(head=head, h1="Unermüdlicher Einsatz").replace(
        "<title>Council approves budget</title>", "<title>Unermüdlicher Einsatz – Die Neue Stadtzeitung</title>"
    )
    assert extract(html).title == "Unermüdlicher Einsatz"


def test_headline_with_a_dash_is_not_truncated() -> None:
    full = "Chelsea win at Cobham - and Tottenham lose again"
    head = f'<meta property="og:title" content="{full}">'
    html = page(head=head, h1=full).replace("<title>Council approves budget</title>", f"<title>{full}</title>")
    assert extract(html).title == full


# ------------------------------------------------------------------------- titles: site names and kickers


def titled(raw_title: str, *, url: str = "https://citypaper.example/news/council-budget", head: str = "") -> str:
    html = page(head=head, h1="").replace("<title>Council approves budget</title>", f"<title>{raw_title}</title>")
    return extract_article(html.replace("<h1></h1>", ""), url, fetched_at=FETCHED).title or ""


def test_site_name_with_tagline_removed_as_one_suffix() -> None:
    head = '<meta property="og:site_name" content="Valley Courier – The Voice of the Valley">'
    assert titled("Bridge reopens after repairs – Valley Courier – The Voice of the Valley", head=head) == (
        "Bridge reopens after repairs"
    )
    assert titled("Valley Courier | The Voice of the Valley | Bridge reopens", head=head) == "Bridge reopens"


def test_site_name_initials_removed() -> None:
    head = '<meta property="og:site_name" content="The Northern Daily Times">'
    assert titled("Bridge reopens after repairs - NDT", head=head) == "Bridge reopens after repairs"
    # initials of the host name, with no site name on the page
    url = "https://www.westbrooktribune.example/news/bridge"
    assert titled("Bridge reopens after repairs | WBT", url=url) == "Bridge reopens after repairs"
    # capitals that do not spell the host are kept
    assert titled("Bridge reopens after repairs | NASA", url=url) == "Bridge reopens after repairs | NASA"


def test_government_host_name_removed() -> None:
    url = "https://www.interieur.gouv.fr/actualites/communiques/pont"
    assert titled("Le pont rouvre après les travaux - Interieur", url=url) == "Le pont rouvre après les travaux"


def test_single_angle_quote_separates_parts() -> None:
    head = '<meta property="og:site_name" content="Citypaper">'
    assert titled("Bridge reopens after repairs ‹ Local ‹ Citypaper", head=head) == "Bridge reopens after repairs"


def test_source_naming_only_the_site_is_dropped() -> None:
    head = (
        '<meta property="og:site_name" content="Citypaper">'
        '<meta property="og:title" content="Bridge reopens after repairs">'
    )
    html = page(head=head, h1="Citypaper").replace("<title>Council approves budget</title>", "<title>Citypaper</title>")
    assert extract(html).title == "Bridge reopens after repairs"


def test_von_kicker_is_not_a_byline() -> None:
    assert titled("Von München bis Aachen: Im Netz der Agenten") == "Von München bis Aachen: Im Netz der Agenten"
    assert titled("Im Netz der Agenten | von Anna Schmidt") == "Im Netz der Agenten"


def test_spelling_that_kept_the_separator_wins() -> None:
    cands = [
        ("og", "Nationale Demo / Der 9. Juli naht"),
        ("twitter", "Nationale Demo Der 9. Juli naht"),
        ("title", "Nationale Demo Der 9. Juli naht"),
        ("h1", "Nationale DemoDer 9. Juli naht"),
    ]
    assert choose_title(cands) == "Nationale Demo / Der 9. Juli naht"


def test_headline_in_a_site_name_field_is_not_a_site_name() -> None:
    headline = "Bridge reopens after repairs - drivers relieved"
    head = f'<meta name="application-name" content="{headline}"><meta property="og:site_name" content="Citypaper">'
    assert titled(headline, head=head) == headline


# ------------------------------------------------------------------ authors: initials, job titles, prefixes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # an initial is not a conjunction ("e"/"y"/"i" are, in lower case between spaces)
        ("Jane E. Doe", ["Jane E. Doe"]),
        ("Maria Y. Lopez", ["Maria Y. Lopez"]),
        ("E. J. Dionne", ["E. J. Dionne"]),
        ("Ana Ruiz y Pedro Gil", ["Ana Ruiz", "Pedro Gil"]),
        ("Jane Doe AND John Roe", ["Jane Doe", "John Roe"]),
        # job titles and credentials are not names
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Jane Doe, Chief Political Correspondent", ["Jane Doe"]),
        ("JANE DOE, SENIOR EDITOR", ["JANE DOE"]),
        ("Jane Doe, PhD", ["Jane Doe"]),
        ("Jane Doe, Ph.D.", ["Jane Doe"]),
        ("John Smith MD", ["John Smith"]),
        ("Jane Doe, M.D.", ["Jane Doe"]),
        # "Analysis by" and guest-author credits in several languages
        ("Analysis by Stephen Collinson", ["Stephen Collinson"]),
        ("Commentary by Jane Doe", ["Jane Doe"]),
        ("Guest post by Jane Doe", ["Jane Doe"]),
        ("Ein Gastbeitrag von Anna Schmidt", ["Anna Schmidt"]),
        ("Gastautor: Jan Müller", ["Jan Müller"]),
        ("Tribune de Claire Dubois", ["Claire Dubois"]),
        ("Un article de Claire Dubois", ["Claire Dubois"]),
        ("Column van Jan de Vries", ["Jan de Vries"]),
        ("Tribuna de Ana Ruiz", ["Ana Ruiz"]),
    ],
)
def test_initials_job_titles_and_credit_prefixes(raw: str, expected: list[str]) -> None:
    assert clean_authors([raw], []) == expected


def test_job_title_naming_the_outlet_is_its_credit_only_when_nobody_is_named() -> None:
    assert clean_authors(["Citypaper staff reporter"], ["citypaper"]) == ["Citypaper staff reporter"]
    assert clean_authors(["Analysis by Jane Doe, Citypaper Editor-at-large"], ["citypaper"]) == ["Jane Doe"]
    assert clean_authors(["JOHN ROE, AP Sports Writer"], ["citypaper"]) == ["JOHN ROE"]


def test_von_line_is_a_byline_only_before_a_person() -> None:
    # (a place after the name stays: the reference data keeps it as the outlets print it)
    assert extract(page("<p>Von Anna Schmidt, Berlin</p>")).authors[:1] == ["Anna Schmidt"]
    assert extract(page("<p>Von München bis Aachen</p>")).authors == []


def test_og_title_without_the_kicker_the_others_carry_wins() -> None:
    cands = [
        ("og", "Trump spricht nach Tanker-Stürmung über Bodeneinsätze"),
        ("ld", '"Es wird bald beginnen": Trump spricht nach Tanker-Stürmung über Bodeneinsätze'),
        ("twitter", '"Es wird bald beginnen": Trump spricht nach Tanker-Stürmung über Bodeneinsätze'),
        ("title", '"Es wird bald beginnen": Trump spricht nach Tanker-Stürmung über Bodeneinsätze'),
    ]
    assert choose_title(cands) == "Trump spricht nach Tanker-Stürmung über Bodeneinsätze"


def test_body_drops_a_leading_headline_in_any_sources_spelling() -> None:
    kicked = "Bald geht es los: Stadtrat beschließt den Haushalt"
    head = (
        '<meta property="og:title" content="Stadtrat beschließt den Haushalt">'
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{kicked}"}}</script>'
    )
    html = page(f"<p>{kicked}</p>", head=head, h1="").replace("<h1></h1>", "")
    html = html.replace("<title>Council approves budget</title>", f"<title>{kicked}</title>")
    art = extract(html)
    assert art.title == "Stadtrat beschließt den Haushalt"
    assert not art.text.startswith("Bald geht es los")


def test_site_name_field_holding_the_headline_does_not_empty_the_title() -> None:
    head = (
        '<meta property="og:site_name" content="Our 2015 Annual Report">'
        '<meta property="og:title" content="Our 2015 Annual Report">'
    )
    assert titled("Citypaper in 2015 - Annual Report", head=head) == "Our 2015 Annual Report"


def test_spelling_with_other_punctuation_is_not_a_lost_separator() -> None:
    cands = [
        ("og", "Frain. Incendie dans une maison"),
        ("ld", "Frain. Incendie dans une maison"),
        ("title", "Frain | Incendie dans une maison"),
    ]
    assert choose_title(cands) == "Frain. Incendie dans une maison"
