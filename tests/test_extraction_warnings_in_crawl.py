"""A page's extraction notes (a naive date, a cross-site canonical) in a real crawl: kept on the stored article
and counted, not written to the INFO log, where a crawl repeated them for every page."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from newsagg.newsweb import LoopbackServer, RequestHandler
from tests.support.crawl import CRAWL_SETTINGS, crawl, scrapy_stat, stored_rows
from tests.support.hostile import article_html

NAIVE_DATE = '<meta property="article:published_time" content="2026-11-20T10:35:00">'


def test_notes_are_stored_and_counted_not_logged_at_info(tmp_path: Path) -> None:
    page = article_html("Harbour terminal opens in spring", extra_head=NAIVE_DATE).encode()

    def respond(handler: RequestHandler) -> int:
        path = handler.path.split("?")[0]
        if path == "/rss.xml":
            item = f"<item><title>x</title><link>{server.base}/news/terminal.html</link></item>"
            feed = f'<rss version="2.0"><channel>{item}</channel></rss>'.encode()
            return handler.send(200, feed, "application/rss+xml")
        if path == "/news/terminal.html":
            return handler.send(200, page)
        return handler.send(404, b"", "text/plain")

    server = LoopbackServer(respond)
    with server.start():
        outlet = {"id": "x", "name": "X", "country": "CL", "language": "en", "home": server.base + "/"}
        outlet["feeds"] = [server.base + "/rss.xml"]
        settings = {**CRAWL_SETTINGS, "LOG_LEVEL": "INFO", "NEWSAGG_EXTRACT_WORKERS": 0}
        summary, result = crawl(yaml.safe_dump({"outlets": [outlet]}), tmp_path, settings)
    assert summary["articles"] == 1, summary
    (row,) = stored_rows(tmp_path).values()
    notes = json.loads(row["warnings"])
    assert any("naive date" in note for note in notes), notes
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert scrapy_stat(log, "newsagg/extraction_warnings") == len(notes)
    assert "naive date" not in log
    assert "Warning" not in result.stderr, result.stderr  # nothing on the terminal but the summary's errors
