"""Authors and titles: interface text, CMS accounts and related-article bylines are not authors; site names
and marked kickers are not headline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsagg.extraction import ExtractedArticle, extract_article
from newsagg.extraction.authors import clean_authors

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
