"""Pages that attack the extractor itself: nesting deeper than Python's stack, and pages that would take
minutes of CPU. Neither stops the crawl, neither is lost silently: each ends as a counted reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsagg.extraction import extract_article
from newsagg.extraction.budget import ExtractionBudgetExceeded
from pipelines.extract import extract_with_signature
from tests.support.crawl import CRAWL_SETTINGS, crawl_pages
from tests.support.hostile import article_html

pytestmark = pytest.mark.reliability

DEEP_JSON_LD = '<script type="application/ld+json">' + "[" * 200_000 + "</script>"


def test_json_ld_nested_past_the_stack_is_ignored_and_the_page_kept() -> None:
    page = article_html("Harbour terminal opens in spring", extra_head=DEEP_JSON_LD)
    extracted = extract_article(page.encode(), "http://example.test/news/deep-ld.html")
    assert extracted.kind == "article" and extracted.title == "Harbour terminal opens in spring"
    assert "container terminal" in extracted.text


def test_a_page_past_its_cpu_budget_is_stopped() -> None:
    body = "".join(f"<p>Short paragraph number {n}.</p>" for n in range(60_000))
    page = article_html("Sixty thousand paragraphs", body=body).encode()
    with pytest.raises(ExtractionBudgetExceeded, match=r"more than 0\.5 s"):
        extract_with_signature(page, "http://example.test/news/long.html", {}, 0.5)
    # the budget is gone once the page is: the next page extracts normally, with no stray timer
    normal = extract_with_signature(article_html("Next page").encode(), "http://example.test/news/next.html", {}, 0.5)
    assert normal[0].kind == "article"


def test_a_crawl_counts_both_and_keeps_going(tmp_path: Path) -> None:
    pages = {
        "/news/deep-ld.html": article_html("Harbour terminal opens in spring", extra_head=DEEP_JSON_LD).encode(),
        "/news/long.html": article_html(
            "Sixty thousand paragraphs", body="".join(f"<p>Short paragraph {n}.</p>" for n in range(60_000))
        ).encode(),
        "/news/ok.html": article_html("Dredging permits granted").encode(),
    }

    settings = {**CRAWL_SETTINGS, "NEWSAGG_EXTRACT_CPU_SECONDS": 3, "NEWSAGG_EXTRACT_WORKERS": 1}
    summary, _ = crawl_pages(pages, tmp_path, settings)
    assert summary["skipped"].get("extraction_budget") == 1, summary
    assert summary["articles"] == 2 and "extraction_failed" not in summary["errors"], summary
