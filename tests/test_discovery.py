"""Feeds with relative links and gzipped sitemaps: parsed, resolved and size-capped, then crawled for real."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from newsagg.discovery import DiscoveryError, TooLargeError, gunzip_capped, parse_feed, parse_sitemap
from newsagg.newsweb import NewsWeb
from newsagg.newsweb.site import Resource
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url

FEED_URL = "http://127.0.0.1:8000/rss/portada.xml"


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def urlset(*locs: str) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def sitemap_index(*locs: str) -> bytes:
    maps = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'
    ).encode()


def test_relative_rss_links_resolve_against_the_feed_url() -> None:
    links = parse_feed(rss("/news/a.html", "news/b.html", "https://other.example/c"), FEED_URL)
    assert [link.url for link in links] == [
        "http://127.0.0.1:8000/news/a.html",
        "http://127.0.0.1:8000/rss/news/b.html",
        "https://other.example/c",
    ]


def test_atom_hrefs_and_xml_base_resolve() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://127.0.0.1:8000/politica/"><title>t</title>
<entry><title>B</title><link href="/news/b.html"/><id>1</id><updated>2026-11-27T10:00:00Z</updated></entry>
<entry xml:base="deep/"><title>C</title><link href="c.html"/><id>2</id><updated>2026-11-27T10:00:00Z</updated></entry>
</feed>"""
    links = parse_feed(atom, "http://127.0.0.1:8000/atom.xml")
    assert [link.url for link in links] == [
        "http://127.0.0.1:8000/news/b.html",
        "http://127.0.0.1:8000/politica/deep/c.html",
    ]
    assert links[0].lastmod is not None


def test_gzipped_sitemap_and_index_are_read() -> None:
    kind, links = parse_sitemap(gzip.compress(urlset("http://x.example/a", "http://x.example/b")))
    assert kind == "urlset" and [link.url for link in links] == ["http://x.example/a", "http://x.example/b"]
    kind, links = parse_sitemap(gzip.compress(sitemap_index("/sitemaps/1.xml.gz")), "http://x.example/sm.xml.gz")
    assert kind == "index" and [link.url for link in links] == ["http://x.example/sitemaps/1.xml.gz"]


def test_gzip_inflation_is_capped() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    with pytest.raises(TooLargeError):
        parse_sitemap(bomb, max_size=1024 * 1024)
    with pytest.raises(TooLargeError):
        parse_feed(bomb, FEED_URL, max_size=1024 * 1024)
    assert gunzip_capped(b"<urlset/>") == b"<urlset/>"
    with pytest.raises(DiscoveryError):
        gunzip_capped(b"\x1f\x8b" + b"not gzip at all")


# --------------------------------------------------------------------------------- crawl of the news web

FAST = ["--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "AUTOTHROTTLE_MAX_DELAY=1"]


def _serve(web: NewsWeb, outlet_id: str, path: str, resource: Resource) -> None:
    """A test-only document on one outlet of the running news web (the fiction itself is unchanged)."""
    routes, dark = web._tables[outlet_id]
    web._tables[outlet_id] = ({**routes, path: resource}, dark)


def test_crawl_follows_relative_feed_links_and_gzipped_sitemaps(tmp_path: Path) -> None:
    with NewsWeb() as web:
        registry = yaml.safe_load(web.registry_yaml())
        outlet = registry["outlets"][0]
        pages = [e["url"] for e in web.expected() if e["outlet"] == outlet["id"]]
        assert len(pages) >= 3
        paths = [urlsplit(url).path for url in pages]
        via_feed, via_sitemap = paths[:2], paths[2:]
        base = web.url(outlet["id"], "/")
        _serve(web, outlet["id"], "/feeds/relative.xml", Resource(200, "application/rss+xml", rss(*via_feed)))
        child = gzip.compress(urlset(*via_sitemap))
        _serve(web, outlet["id"], "/sitemaps/articles.xml.gz", Resource(200, "application/x-gzip", child))
        index = gzip.compress(sitemap_index("/sitemaps/articles.xml.gz"))
        _serve(web, outlet["id"], "/sitemap_index.xml.gz", Resource(200, "application/x-gzip", index))
        # only the test documents lead to the articles: no sections, a home page without links
        outlet.update(
            feeds=[base + "feeds/relative.xml"],
            sitemaps=[base + "sitemap_index.xml.gz"],
            sections=[],
            home=base + "no-such-home/",
        )
        (tmp_path / "registry.yaml").write_text(yaml.safe_dump({"outlets": [outlet]}), encoding="utf-8")
        result = subprocess.run(
            [
                *(sys.executable, "-m", "newsagg.cli", "crawl", "--registry", str(tmp_path / "registry.yaml")),
                *("--format", "json", *FAST, "--home", str(tmp_path)),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        summary = json.loads(result.stdout)
        assert not summary["errors"].get("broken_sitemap") and not summary["errors"].get("broken_feed")
        assert not summary["skipped"].get("odd_scheme")
        store = SQLiteStore(tmp_path / "newsagg.sqlite")
        try:
            missing = [url for url in pages if store.get_article(article_id(canonicalize_url(url))) is None]
        finally:
            store.close()
        assert not missing
