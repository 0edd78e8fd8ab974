"""Huge discovery documents: a robots.txt of megabytes is read up to a cap (the rest ignored, as Google does),
a feed of thousands of entries is read up to ``NEWSAGG_FEED_MAX_ENTRIES``, and both are counted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsagg.newsweb import LoopbackServer, RequestHandler
from tests.support.crawl import CRAWL_SETTINGS, crawl, scrapy_stat
from tests.support.hostile import article_html

pytestmark = pytest.mark.reliability

ENTRIES = 3_000
CAP = 40


def test_huge_robots_txt_and_feed_are_capped(tmp_path: Path) -> None:
    # 5 MB of harmless rules, then a rule past the cap that would block every article
    robots = "User-agent: *\n"
    robots += "".join(f"Disallow: /nothing-here/{n}\n" for n in range(200_000)) + "Disallow: /news/\n"

    def respond(handler: RequestHandler) -> int:
        path = handler.path.split("?")[0]
        if path == "/robots.txt":
            return handler.send(200, robots.encode(), "text/plain")
        if path == "/rss.xml":
            link = server.base + "/news/{}.html"
            items = "".join(f"<item><title>n</title><link>{link.format(n)}</link></item>" for n in range(ENTRIES))
            feed = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
            return handler.send(200, feed, "application/rss+xml")
        if path.startswith("/news/"):
            return handler.send(200, article_html(f"Port story {path}").encode())
        return handler.send(404, b"", "text/plain")

    server = LoopbackServer(respond)
    with server.start():
        outlet = {"id": "big", "name": "Big", "country": "CL", "language": "en", "home": server.base + "/"}
        outlet["feeds"] = [server.base + "/rss.xml"]
        settings = {**CRAWL_SETTINGS, "NEWSAGG_FEED_MAX_ENTRIES": CAP}
        summary, _ = crawl(yaml.safe_dump({"outlets": [outlet]}), tmp_path, settings)
    assert len(robots.encode()) > 5_000_000
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert scrapy_stat(log, "newsagg/robots_txt_truncated") == 1
    assert summary["skipped"].get("feed_entries_over_cap") == ENTRIES - CAP
    # the rule past the cap was never read: the articles the feed's first entries name were fetched
    assert summary["articles"] == CAP and "robots_disallowed" not in summary["skipped"], summary
