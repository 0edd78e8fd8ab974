"""What the extract pipeline hands on, in a real crawl: a page's extraction notes (a naive date, a cross-site
canonical) are kept on the stored article and counted, not written to the INFO log, where a crawl repeated them
for every page; the content hash computed by the extraction worker is the stored text's, also when the
pipelines changed the text after extraction (sanitized)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from newsagg.dedupe import signature_for
from newsagg.text import content_hash
from pipelines.extract_worker import extract_with_signature
from tests.support.crawl import CRAWL_SETTINGS, crawl_pages, scrapy_stat, stored_rows
from tests.support.hostile import article_html

NAIVE_DATE = '<meta property="article:published_time" content="2026-11-20T10:35:00">'
#: An escape sequence and a bidi override in the body text: neither reaches the store.
HOSTILE_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the port story, with the terminal's dredging plans\x1b[2J and the \u202eharbour "
    "board's vote on the permits that the council approved last week.</p>"
    for n in range(6)
)


def test_notes_are_stored_and_counted_not_logged_at_info(tmp_path: Path) -> None:
    page = article_html("Harbour terminal opens in spring", extra_head=NAIVE_DATE).encode()
    summary, result = crawl_pages({"/news/terminal.html": page}, tmp_path, {**CRAWL_SETTINGS, "LOG_LEVEL": "INFO"})
    assert summary["articles"] == 1, summary
    (row,) = stored_rows(tmp_path).values()
    notes = json.loads(row["warnings"])
    assert any("naive date" in note for note in notes), notes
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert scrapy_stat(log, "newsagg/extraction_warnings") == len(notes)
    assert "naive date" not in log
    assert "Warning" not in result.stderr, result.stderr  # nothing on the terminal but the summary's errors


def test_the_stored_content_hash_is_the_stored_texts(tmp_path: Path) -> None:
    pages = {
        "/news/plain.html": article_html("Harbour terminal opens in spring").encode(),
        "/news/hostile.html": article_html("Dredging permits granted", body=HOSTILE_PARAGRAPHS).encode(),
    }
    summary, _ = crawl_pages(pages, tmp_path, {**CRAWL_SETTINGS, "NEWSAGG_EXTRACT_WORKERS": 1})
    assert summary["articles"] == 2, summary
    rows = {row["url"].rsplit("/", 1)[1]: row for row in stored_rows(tmp_path).values()}
    assert "\u202e" not in rows["hostile.html"]["text"] and "Paragraph 5" in rows["hostile.html"]["text"]
    for row in rows.values():
        assert row["content_hash"] == content_hash(row["text"]), row["url"]


def test_the_worker_hashes_and_signs_the_text_it_extracted() -> None:
    extracted, signature, text_hash = extract_with_signature(
        article_html("Dredging permits granted").encode(), "http://example.test/news/permits.html", {}
    )
    assert extracted.is_article and signature is not None
    assert text_hash == content_hash(extracted.text)
    assert signature == signature_for(extracted.text)


def test_normalize_hashes_again_when_it_changed_the_text() -> None:
    # a text the sanitizer changes (extraction normally removes controls itself): the worker's hash was of the
    # text before, so it is not the stored text's
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newsagg.extraction import ExtractedArticle
    from newsagg.registry import Registry
    from pipelines.normalize import NormalizePipeline

    crawler = get_crawler(Spider)
    crawler.spider = Spider("x")
    crawler.spider.registry = Registry.from_yaml(  # type: ignore[attr-defined]
        yaml.safe_dump(
            {"outlets": [{"id": "x", "name": "X", "country": "CL", "language": "en", "home": "http://x.test/"}]}
        )
    )
    crawler.stats.open_spider()
    hostile = "The har\x1bbour board voted.\n\nParagraph two."  # "har", "bour" until sanitized
    assert content_hash(hostile) != content_hash("The harbour board voted.\n\nParagraph two.")
    for text, sanitized in ((hostile, "The harbour board voted.\n\nParagraph two."), ("Plain.", "Plain.")):
        item = {
            "url": "http://x.test/news/a.html",
            "outlet_id": "x",
            "extraction": ExtractedArticle(url="http://x.test/news/a.html", canonical_url="", text=text),
            "content_hash": content_hash(text),
        }
        out = NormalizePipeline.from_crawler(crawler).process_item(item)
        assert out["text"] == sanitized
        assert out["content_hash"] == content_hash(sanitized)
