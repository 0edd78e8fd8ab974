"""Attribution and trust, through real crawls over loopback: a listing cannot take over another outlet's
article, a canonical link cannot overwrite another outlet's stored copy, and control characters that arrive
through a feed never reach the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from newsagg.newsweb import LoopbackServer, RequestHandler
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.support.crawl import CRAWL_SETTINGS, crawl
from tests.support.hostile import article_html

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

ESC = "\x1b"
HOSTILE_FEED_TITLE = f"Budget{ESC}[2J{ESC}]0;pwned\x07 vote{ESC}]8;;http://evil.example/\x07 \u202eevil"
UNTITLED_BODY = "".join(
    f"<p>{sentence}</p>"
    for sentence in (
        "The regional council approved the budget after a session that lasted well into the night.",
        "Opposition members said the spending plan cut too deeply into the health and school programmes.",
        "The finance secretary answered that the plan kept the deficit within the limits set by law.",
        "A final vote on the transport chapter was postponed until the council meets again next month.",
    )
)


class Outlet:
    """One loopback outlet: a home page, an RSS feed and some pages."""

    def __init__(self, outlet_id: str) -> None:
        self.id = outlet_id
        self.pages: dict[str, bytes] = {}
        self.feed_items: list[tuple[str, str]] = []
        self.server = LoopbackServer(self._respond)

    @property
    def base(self) -> str:
        return self.server.base

    def _respond(self, handler: RequestHandler) -> int:
        path = handler.path.split("?")[0]
        if path == "/rss.xml":
            items = "".join(f"<item><title>{t}</title><link>{u}</link></item>" for t, u in self.feed_items)
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.id}</title>{items}</channel></rss>'
            return handler.send(200, body.encode("utf-8"), "application/rss+xml")
        if path == "/":
            return handler.send(200, b"<html><body><p>Home</p></body></html>")
        if path in self.pages:
            return handler.send(200, self.pages[path])
        return handler.send(404, b"not found", "text/plain")

    def registry_entry(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": f"Outlet {self.id.upper()}",
            "country": "CL" if self.id == "a" else "SV",
            "language": "en",
            "home": self.base + "/",
            "feeds": [self.base + "/rss.xml"],
        }


@pytest.fixture(scope="module")
def outlets() -> Iterator[tuple[Outlet, Outlet]]:
    a, b = Outlet("a"), Outlet("b")
    with a.server.start(), b.server.start():
        original = b.base + "/news/original.html"
        b.pages["/news/original.html"] = article_html("Port strike ends after three weeks").encode()
        b.feed_items.append(("Port strike ends", original))
        # A lists B's article in its own feed, and publishes a copy whose canonical names B's page.
        a.feed_items.append(("Port strike ends (via A)", original))
        a.pages["/news/copy.html"] = article_html(
            "COPIED HEADLINE that must not replace B's", extra_head=f'<link rel="canonical" href="{original}">'
        ).encode()
        a.feed_items.append(("Copy", a.base + "/news/copy.html"))
        # A page without any title: the feed item's title stands in, controls and all.
        a.pages["/news/untitled.html"] = f"<html><body><div>{UNTITLED_BODY}</div></body></html>".encode()
        a.feed_items.append((HOSTILE_FEED_TITLE, a.base + "/news/untitled.html"))
        yield a, b


def _stored(home: Path) -> dict[str, dict]:
    with SQLiteStore(home / "newsagg.sqlite") as store:
        return {a["id"]: a for a in store.iter_articles()}


def test_listings_and_canonicals_cannot_take_over_another_outlets_article(
    outlets: tuple[Outlet, Outlet], tmp_path: Path
) -> None:
    a, b = outlets
    registry = yaml.safe_dump({"outlets": [a.registry_entry(), b.registry_entry()]})
    crawl(registry, tmp_path, CRAWL_SETTINGS, "--outlets", "b")
    original_id = article_id(canonicalize_url(b.base + "/news/original.html"))
    before = _stored(tmp_path)[original_id]
    assert before["outlet_id"] == "b" and before["country"] == "SV"

    # A's crawl fetches B's page again (--full) because A's feed lists it, and A's copy names it as canonical.
    crawl(registry, tmp_path, CRAWL_SETTINGS, "--outlets", "a", "--full")
    stored = _stored(tmp_path)
    after = stored[original_id]
    assert (after["outlet_id"], after["country"], after["title"]) == ("b", "SV", before["title"])
    assert after["text"] == before["text"]
    copy_id = article_id(canonicalize_url(a.base + "/news/copy.html"))
    copy = stored[copy_id]
    assert copy["outlet_id"] == "a" and copy["title"].startswith("COPIED HEADLINE")
    # the other outlet's canonical is named in a warning (a syndicated copy), never taken as this page's id
    original = canonicalize_url(b.base + "/news/original.html")
    assert any("canonical" in w and original.split("//")[1] in w for w in copy["warnings"]), copy["warnings"]


def test_controls_from_a_feed_title_never_reach_the_store(outlets: tuple[Outlet, Outlet], tmp_path: Path) -> None:
    a, _ = outlets
    crawl(yaml.safe_dump({"outlets": [a.registry_entry()]}), tmp_path)
    untitled = _stored(tmp_path)[article_id(canonicalize_url(a.base + "/news/untitled.html"))]
    title = untitled["title"]
    assert title.startswith("Budget") and "vote" in title
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in title), repr(title)
    assert "\u202e" not in title
