"""Hostile and broken documents: one real crawl of the hostile-input outlets (``tests.support.hostile``).

Every page the server can poison — size, compression, encoding, markup, dates, schemes, XML entities,
sitemap fan-out and cycles, script injection — must leave the crawl running, store what is an article, and
show up under a clear ``skipped``/``errors`` reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.support.crawl import FAULT_SETTINGS, crawl, run_cli
from tests.support.hostile import FAULTS, HUGE_INDEX_CHILDREN, INPUT, SANE_DATE, XSS, HostileWeb

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SITEMAP_DOCS = 20  # NEWSAGG_SITEMAP_MAX_DOCS for this crawl
SITEMAP_LINK_CAP = 50_000  # NEWSAGG_SITEMAP_MAX_LINKS default


@dataclass
class Crawled:
    web: HostileWeb
    home: Path
    summary: dict
    log: str
    articles: dict[str, dict]

    def article(self, path: str) -> dict:
        return self.articles[article_id(canonicalize_url(self.web.url(INPUT, path)))]


@pytest.fixture(scope="module")
def crawled(hostile_web: HostileWeb, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    home = tmp_path_factory.mktemp("hostile-home")
    outlets = [o for o in hostile_web.outlets if o["id"] != FAULTS]
    summary, _ = crawl(
        yaml.safe_dump({"outlets": outlets}), home, {**FAULT_SETTINGS, "NEWSAGG_SITEMAP_MAX_DOCS": SITEMAP_DOCS}
    )
    with SQLiteStore(home / "newsagg.sqlite") as store:
        articles = {a["id"]: a for a in store.iter_articles()}
    return Crawled(hostile_web, home, summary, Path(summary["log_file"]).read_text(encoding="utf-8"), articles)


def test_every_article_that_survives_is_stored(crawled: Crawled) -> None:
    stored = {a["url"] for a in crawled.articles.values()}
    missing = [u for u in crawled.web.must_store() if u.startswith(crawled.web.base(INPUT)) and u not in stored]
    assert not missing
    assert crawled.summary["inserted"] == len(crawled.articles)


def test_oversized_pages_and_gzip_bombs_are_skipped_by_the_size_cap(crawled: Crawled) -> None:
    # 50 MB with Content-Length (refused before the body), 50 MB streamed (cut at 10 MB), 64 MiB gzip bomb
    assert crawled.summary["skipped"].get("too_large") == 3, crawled.summary["skipped"]
    assert "exceeded DOWNLOAD_MAXSIZE" in crawled.log and "larger than download max size" in crawled.log


def test_xml_bombs_and_external_entities_are_refused(crawled: Crawled) -> None:
    assert crawled.summary["errors"].get("broken_feed") == 2 and crawled.summary["errors"].get("broken_sitemap") == 2
    assert crawled.log.count("refused: the document declares DTD entities") == 4
    assert crawled.web.hits("/xxe-exfil") == 0, "an external entity was fetched"
    for article in crawled.articles.values():
        assert "root:" not in (article["text"] or "") + (article["title"] or "")
        assert "lol" not in article["url"]


def test_huge_sitemap_index_is_parsed_and_bounded(crawled: Crawled) -> None:
    children = sum(1 for _, path in crawled.web.arrivals if path.startswith("/sitemaps/child-"))
    assert children == SITEMAP_DOCS - 1  # the index itself is one of the outlet's documents
    assert HUGE_INDEX_CHILDREN > SITEMAP_LINK_CAP
    assert crawled.summary["skipped"].get("sitemap_budget") == SITEMAP_LINK_CAP - children
    assert crawled.summary["errors"].get("http_404") == children


def test_sitemap_index_cycle_is_cut_and_counted(crawled: Crawled) -> None:
    assert crawled.web.hits("/sitemap-cycle-a.xml") == 1 and crawled.web.hits("/sitemap-cycle-b.xml") == 1
    assert crawled.summary["skipped"].get("sitemap_cycle") == 2  # a lists itself; b lists a


def test_odd_scheme_links_are_never_requested(crawled: Crawled) -> None:
    assert crawled.summary["skipped"].get("odd_scheme") == 6
    assert crawled.summary["skipped"].get("invalid_url") == 1  # "http://[broken/...": skipped, feed still read
    assert not any(":" in path for _, path in crawled.web.arrivals)


def test_broken_encodings_give_valid_text(crawled: Crawled) -> None:
    invalid = crawled.article("/news/invalid-utf8.html")
    invalid["text"].encode("utf-8")  # no lone surrogates: the stored text is valid Unicode
    assert "container terminal" in invalid["text"]
    assert "Valparaíso" in crawled.article("/news/mislabeled.html")["title"]


def test_malformed_and_deeply_nested_html(crawled: Crawled) -> None:
    assert "harbour authority" in crawled.article("/news/malformed.html")["text"]
    deep_id = article_id(canonicalize_url(crawled.web.url(INPUT, "/news/deep.html")))
    assert deep_id not in crawled.articles  # no title, no metadata, no main text: skipped, not a crash
    assert crawled.summary["skipped"].get("no_text") == 1
    # a page of 200 links is kept, as a listing: stories and default searches leave it out
    assert crawled.article("/news/not-article.html")["kind"] == "listing"
    default = json.loads(run_cli("search", "Section", "--format", "json", home=crawled.home).stdout)
    listings = json.loads(
        run_cli("search", "Section", "--kind", "listing", "--format", "json", home=crawled.home).stdout
    )
    assert default["total"] == 0 and [hit["kind"] for hit in listings["hits"]] == ["listing"]
    assert "Traceback" not in crawled.log
    assert "remote_control" not in crawled.log  # no code-running HTTP server in the crawl process


def test_absurd_dates_are_dropped_and_sane_ones_kept(crawled: Crawled) -> None:
    sane = crawled.article("/news/date-sane.html")
    assert sane["published_at"] == SANE_DATE
    for name in ("year-9999", "year-1", "epoch", "feb-30", "far-future", "garbage"):
        article = crawled.article(f"/news/date-{name}.html")
        assert article["published_at"] is None and article["published_utc"] is None, name
    # the feed's absurd pubDates (year 9999, year 1, day 99) did not reach the article either
    assert crawled.article("/news/ok.html")["published_at"] is None


def test_script_injection_is_stored_as_text_and_escaped_in_html_exports(crawled: Crawled, tmp_path: Path) -> None:
    xss = crawled.article("/news/xss.html")
    assert XSS in xss["title"] and XSS in xss["text"] and "<script>" in xss["authors"][0]
    out = tmp_path / "report.html"
    result = run_cli("export", "--format", "html", "--output", str(out), home=crawled.home)
    assert result.returncode == 0, result.stderr
    report = out.read_text(encoding="utf-8")
    assert "Headline &lt;script&gt;" in report, "the XSS article is missing from the report"
    assert "<script>alert" not in report and "<img src=x" not in report
