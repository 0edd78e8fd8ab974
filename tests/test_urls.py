"""Canonical URLs and article ids: tracking removed, everything that identifies a page kept."""

from __future__ import annotations

import pytest

from newsagg.evaluation.extraction import url_collisions
from newsagg.urls import TRACKING_PARAMETERS, article_id, canonicalize_url, is_tracking_parameter


@pytest.mark.parametrize(
    "first, second",
    [
        ("http://www.example.com/autonews.php?newsid=6486285", "http://www.example.com/autonews.php?newsid=6486286"),
        (
            "http://example.com/news_view.htm?lang=e&Seq_Code=181595",
            "http://example.com/news_view.htm?lang=e&Seq_Code=181596",
        ),
        ("https://example.org/index.php?storyid=504", "https://example.org/index.php?storyid=505"),
        (
            "https://example.de/aktuelles/artikel.html?tx_ttnews[tt_news]=1234&cHash=ab12",
            "https://example.de/aktuelles/artikel.html?tx_ttnews[tt_news]=1235&cHash=cd34",
        ),
        ("https://forum.example.net/viewtopic.php?f=4&t=167", "https://forum.example.net/viewtopic.php?f=4&t=168"),
        ("https://example.com/2024/05/story/amp", "https://example.com/2024/05/story"),
        ("https://example.com/news/story/.", "https://example.com/news/story/"),
    ],
)
def test_distinct_pages_keep_distinct_ids(first: str, second: str) -> None:
    assert canonicalize_url(first) != canonicalize_url(second)
    assert article_id(canonicalize_url(first)) != article_id(canonicalize_url(second))


def test_identifying_parameters_are_kept_and_sorted() -> None:
    assert canonicalize_url("http://example.com/news_view.htm?Seq_Code=181595&lang=e") == (
        "http://example.com/news_view.htm?Seq_Code=181595&lang=e"
    )
    assert canonicalize_url("http://example.com/news_view.htm?lang=e&Seq_Code=181595") == (
        "http://example.com/news_view.htm?Seq_Code=181595&lang=e"
    )
    assert canonicalize_url("http://www.example.com/autonews.php?newsid=6486285") == (
        "http://www.example.com/autonews.php?newsid=6486285"
    )


def test_path_is_never_rewritten() -> None:
    assert canonicalize_url("https://example.com/2024/05/story/amp") == "https://example.com/2024/05/story/amp"
    assert canonicalize_url("https://example.com/news/story/.") == "https://example.com/news/story/."
    assert canonicalize_url("https://example.com/a/./b/../c") == "https://example.com/a/./b/../c"
    assert canonicalize_url("https://example.com/story.amp.html") == "https://example.com/story.amp.html"


def test_tracking_parameters_fragment_host_case_and_default_port_are_dropped() -> None:
    messy = (
        "HTTPS://WWW.Example.COM:443/Politik/Story-1.html?utm_source=tw&UTM_Medium=social&fbclid=IwAR0"
        "&gclid=abc&mc_cid=1&mc_eid=2&page=2#comments"
    )
    assert canonicalize_url(messy) == "https://www.example.com/Politik/Story-1.html?page=2"
    assert canonicalize_url("http://example.com:8080/a?utm_campaign=x") == "http://example.com:8080/a"
    assert canonicalize_url("http://example.com") == "http://example.com/"


def test_tracking_list_is_a_declared_constant() -> None:
    assert "utm_*" in TRACKING_PARAMETERS and "fbclid" in TRACKING_PARAMETERS
    assert is_tracking_parameter("utm_content")
    assert not is_tracking_parameter("newsid")
    assert canonicalize_url("https://example.com/a?ref=home&id=3", tracking=("ref",)) == "https://example.com/a?id=3"


def test_unsafe_characters_are_percent_encoded_once() -> None:
    once = canonicalize_url("https://example.com/a b/ü?q=ä ö")
    assert once == "https://example.com/a%20b/%C3%BC?q=%C3%A4%20%C3%B6"
    assert canonicalize_url(once) == once


def test_collision_check_finds_pages_sharing_an_id() -> None:
    urls = [
        "https://example.com/a?utm_source=x",
        "https://example.com/a",
        "https://example.com/autonews.php?newsid=1",
        "https://example.com/autonews.php?newsid=2",
    ]
    assert url_collisions(urls) == [["https://example.com/a", "https://example.com/a?utm_source=x"]]


def test_sites_are_registrable_domains_and_ports() -> None:
    from newsagg.urls import site_of

    assert site_of("https://news.example.co.uk/a") == site_of("http://www.example.co.uk/b")
    assert site_of("https://a.blogspot.com/x") != site_of("https://b.blogspot.com/x")
    assert site_of("http://127.0.0.1:8001/a") != site_of("http://127.0.0.1:8002/a")
    assert site_of("http://127.0.0.1:8001/a") == site_of("http://127.0.0.1:8001/b")


def test_a_canonical_on_another_port_of_the_same_host_is_ignored() -> None:
    from newsagg.extraction import extract_article

    page = '<html><head><link rel="canonical" href="http://127.0.0.1:8002/news/theirs.html"></head><body></body></html>'
    extracted = extract_article(page.encode(), "http://127.0.0.1:8001/news/mine.html")
    assert extracted.canonical_url == "http://127.0.0.1:8001/news/mine.html"
    assert any("cross-site canonical ignored" in w for w in extracted.warnings)


def test_canonicalization_is_memoized_and_unchanged_by_it() -> None:
    messy = "HTTPS://Www.Example.com:443/Politik/Story-1.html?utm_source=x&page=2#top"
    first = canonicalize_url(messy)
    hits = canonicalize_url.cache_info().hits
    assert canonicalize_url(messy) == first == "https://www.example.com/Politik/Story-1.html?page=2"
    assert canonicalize_url.cache_info().hits == hits + 1
    assert canonicalize_url.cache_info().maxsize == 8192
    canonicalize_url.cache_clear()
    assert canonicalize_url(messy) == first  # computed afresh: the same
    with pytest.raises(ValueError):  # an unparseable URL still raises (callers count and skip it)
        canonicalize_url("http://[broken/news/bracket.html")
