"""The bundled local news web: served over real HTTP, honest about its ground truth."""

from __future__ import annotations

import calendar
import gzip
import json
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml

from newsagg.newsweb import NewsWeb

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def fetch(url: str, headers: dict | None = None) -> Response:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


@pytest.fixture(scope="module")
def web():
    with NewsWeb() as w:
        yield w


@pytest.fixture(scope="module")
def discovered(web):
    """Walk robots.txt, feeds, sitemaps and section pages like a crawler would; record where URLs are linked."""
    links: dict[str, set[str]] = defaultdict(set)  # url -> {"feed", "sitemap", "section"}
    feed_dates: dict[str, int] = {}  # url -> POSIX timestamp
    sitemap_dates: dict[str, str] = {}
    feeds: dict[str, feedparser.FeedParserDict] = {}
    for outlet in web.outlets:
        for feed_url in outlet["feeds"]:
            parsed = feedparser.parse(fetch(feed_url).body)
            feeds[feed_url] = parsed
            for entry in parsed.entries:
                links[entry.link].add("feed")
                if entry.get("published_parsed"):
                    feed_dates[entry.link] = calendar.timegm(entry.published_parsed)
        queue = list(outlet["sitemaps"])
        while queue:
            root = lxml.etree.fromstring(fetch(queue.pop()).body)
            if root.tag == f"{SM}sitemapindex":
                queue += [loc.text for loc in root.iter(f"{SM}loc")]
                continue
            for url in root.iter(f"{SM}url"):
                loc = url.findtext(f"{SM}loc")
                links[loc].add("sitemap")
                date = url.findtext(f"{NEWS}news/{NEWS}publication_date") or url.findtext(f"{SM}lastmod")
                if date:
                    sitemap_dates[loc] = date
        for section in [*outlet["sections"], outlet["home"]]:
            doc = lxml.html.fromstring(fetch(section).body)
            for href in doc.xpath("//a/@href"):
                links[urljoin(section, href)].add("section" if section != outlet["home"] else "home")
    return {"links": links, "feeds": feeds, "feed_dates": feed_dates, "sitemap_dates": sitemap_dates}


def strip_query(url: str) -> str:
    s = urlsplit(url)
    return urlunsplit((s.scheme, s.netloc, s.path, "", ""))


# --------------------------------------------------------------------------------------------------------


def test_registry_shape(web):
    outlets = web.outlets
    assert len(outlets) >= 7
    assert len({o["country"] for o in outlets}) >= 5
    assert {o["language"] for o in outlets} == {"es", "en"}
    assert yaml.safe_load(web.registry_yaml()) == {"outlets": outlets}
    for o in outlets:
        assert set(o) == {"id", "name", "country", "region", "language", "timezone", "home", "feeds", "sitemaps",
                          "sections"}  # fmt: skip
        assert o["home"].startswith("http://127.0.0.1:") and o["home"].endswith("/")
        assert o["feeds"] and o["sitemaps"] and o["sections"]
        assert len(o["country"]) == 2 and o["country"].isupper()
    assert len({urlsplit(o["home"]).port for o in outlets}) == len(outlets), "one port per outlet"


def test_robots_txt(web):
    expected_urls = {e["url"] for e in web.expected()}
    disallowed = web.disallowed()
    assert len(disallowed) >= len(web.outlets)
    for o in web.outlets:
        r = fetch(o["home"] + "robots.txt")
        assert r.status == 200 and r.content_type.startswith("text/plain")
        text = r.body.decode()
        assert "Disallow:" in text
        assert [line.split(" ", 1)[1] for line in text.splitlines() if line.startswith("Sitemap:")] == o["sitemaps"]
        rp = RobotFileParser()
        rp.parse(text.splitlines())
        for url in expected_urls:
            if url.startswith(o["home"]):
                assert rp.can_fetch("newsagg", url), url
        for url in disallowed:
            if url.startswith(o["home"]):
                assert not rp.can_fetch("newsagg", url), url


def test_disallowed_urls_are_linked(web, discovered):
    links = discovered["links"]
    for url in web.disallowed():
        assert url in links, f"disallowed URL is never linked: {url}"


def test_feeds_parse_except_the_broken_one(web, discovered):
    broken = {b["url"] for b in web.bad_pages() if b["kind"] == "feed-not-xml"}
    assert len(broken) == 1
    kinds = set()
    for url, parsed in discovered["feeds"].items():
        if url in broken:
            assert parsed.bozo and not parsed.entries and not parsed.version
            assert fetch(url).content_type.startswith("text/html")
            continue
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.entries, url
        kinds.add(parsed.version)
        for entry in parsed.entries:
            assert entry.get("published_parsed"), (url, entry.link)
    assert any(k.startswith("rss") for k in kinds) and any(k.startswith("atom") for k in kinds)


def test_sitemaps(web):
    saw_news = saw_index = False
    for o in web.outlets:
        for url in o["sitemaps"]:
            r = fetch(url)
            assert r.status == 200 and "xml" in r.content_type
            root = lxml.etree.fromstring(r.body)
            saw_index |= root.tag == f"{SM}sitemapindex"
            saw_news |= bool(root.findall(f".//{NEWS}publication_date"))
            if root.tag == f"{SM}sitemapindex":
                for loc in root.iter(f"{SM}loc"):
                    child = lxml.etree.fromstring(fetch(loc.text).body)
                    assert child.tag == f"{SM}urlset"
                    saw_news |= bool(child.findall(f".//{NEWS}publication_date"))
    assert saw_news and saw_index


def test_expected_articles_are_linked_and_reachable(web, discovered):
    links = discovered["links"]
    section_only = 0
    for e in web.expected():
        where = links.get(e["url"], set()) - {"home"}
        assert where, f"not linked from any feed/sitemap/section: {e['url']}"
        if where == {"section"}:
            section_only += 1
        r = fetch(e["url"])
        assert r.status == 200, e["url"]
        assert r.content_type.startswith("text/html"), e["url"]
    assert section_only >= 1


def test_tracking_params_in_feed_with_clean_canonical(web, discovered):
    tracked = [url for url in discovered["links"] if "utm_source=rss" in url]
    assert tracked
    expected = {e["url"] for e in web.expected()}
    for url in tracked:
        clean = strip_query(url)
        assert clean in expected
        page = lxml.html.fromstring(fetch(url).body)
        assert page.xpath("//link[@rel='canonical']/@href") == [clean]


def test_page_contents_match_ground_truth(web):
    for e in web.expected():
        r = fetch(e["url"])
        raw = r.body.decode(e["encoding"])
        assert len(e["must_contain"]) >= 2
        for s in e["must_contain"]:
            assert s in raw, (e["url"], s)
        assert len(e["must_not_contain"]) >= 5
        for s in e["must_not_contain"]:
            assert s in raw, (e["url"], s)
        assert any(s in raw for s in ("Escuchar la nota", "Listen to the article"))
        assert "Fact Checker" in raw
        doc = lxml.html.fromstring(raw)
        assert doc.xpath("string(//h1)").strip() == e["title"]
        assert doc.xpath("string(//title)").startswith(e["title"] + " ")
        assert 8 <= len(doc.xpath("//*[contains(@class,'__item')]")) <= 14, "8-14 reader comments"


def test_declared_dates_are_honest(web, discovered):
    feed_dates, sitemap_dates = discovered["feed_dates"], discovered["sitemap_dates"]
    feed_dates = {strip_query(k): v for k, v in feed_dates.items()}
    for e in web.expected():
        declared = set(e["published_declared_in"])
        if e["published"] is None:
            assert not declared
            continue
        assert declared, e["url"]
        minute = e["published_precision"] == "minute"
        want = datetime.fromisoformat(e["published"]) if minute else None
        raw = fetch(e["url"]).body.decode(e["encoding"])
        doc = lxml.html.fromstring(raw)
        if "feed" in declared:
            assert feed_dates[e["url"]] == want.timestamp(), e["url"]
        else:
            assert e["url"] not in feed_dates or e["outlet"] == "diario-morazanico"
        if "sitemap" in declared:
            assert sitemap_dates[e["url"]] == e["published"]
        if "json-ld" in declared:
            blocks = [json.loads(t) for t in doc.xpath("//script[@type='application/ld+json']/text()")]
            assert any(b.get("datePublished") == e["published"] for b in blocks)
        else:
            assert "datePublished" not in raw
        if "meta" in declared:
            assert doc.xpath("//meta[@property='article:published_time']/@content") == [e["published"]]
        else:
            assert not doc.xpath("//meta[@property='article:published_time']")
        if "time-tag" in declared:
            assert doc.xpath("//time/@datetime") == [e["published"]]
        else:
            assert not doc.xpath("//time")
        if not minute:
            assert ":" not in "".join(doc.xpath("//*[contains(@class,'posted-on')]//text()"))


def test_date_only_in_feed_and_date_only_in_sitemap(web):
    expected = web.expected()
    # a day-only page whose feed entry carries the full time
    assert any(
        "feed" in e["published_declared_in"]
        and set(e["published_declared_in"]) & {"json-ld", "meta", "time-tag"} == set()
        and e["published_precision"] == "minute"
        for e in expected
    )
    # no date at all on the page: only the sitemap knows
    assert any(e["published_declared_in"] == ["sitemap"] for e in expected)
    assert any(e["published_precision"] == "day" for e in expected)


def test_seed_story_coverage(web):
    seed = [e for e in web.expected() if e["story"] == "kast-cecot"]
    assert len({e["outlet"] for e in seed}) >= 6
    countries = {o["id"]: o["country"] for o in web.outlets}
    assert len({countries[e["outlet"]] for e in seed}) >= 4
    assert {e["language"] for e in seed} == {"es", "en"}
    for e in seed:
        assert e["published"][:10] in ("2026-11-20", "2026-11-21")
    copies = [e for e in seed if e["copy_of"]]
    edited = [e for e in seed if e["edited_copy_of"]]
    assert len(copies) == 2 and len(edited) == 1
    original = {e["url"]: e for e in seed}[copies[0]["copy_of"]]
    original_text = fetch(original["url"]).body.decode()
    for copy in copies:
        assert copy["copy_of"] == original["url"]
        copy_text = fetch(copy["url"]).body.decode(copy["encoding"])
        for p in lxml.html.fromstring(original_text).xpath("//div[@class='story-body']/p/text()"):
            assert p in copy_text
    stories = defaultdict(set)
    for e in web.expected():
        stories[e["story"]].add(e["outlet"])
    others = [s for s in stories if s != "kast-cecot"]
    assert len(others) >= 4
    assert sum(len(v) >= 2 for s, v in stories.items() if s != "kast-cecot") >= 3
    assert "honduras-island-prison" in stories  # the hard negative


def test_bad_pages_behave_as_claimed(web):
    bad = web.bad_pages()
    kinds = {b["kind"] for b in bad}
    assert kinds >= {
        "404", "500", "malformed-html", "not-html", "empty", "feed-not-xml", "unparseable-date", "latin-1",
        "mislabeled-charset",
    }  # fmt: skip
    expected = {e["url"]: e for e in web.expected()}
    for b in bad:
        r = fetch(b["url"])
        kind = b["kind"]
        if kind == "404":
            assert r.status == 404 and b["url"] not in expected
        elif kind == "500":
            assert r.status == 500 and b["url"] not in expected
        elif kind == "not-html":
            assert r.status == 200 and r.content_type == "application/pdf" and r.body.startswith(b"%PDF")
        elif kind == "empty":
            assert r.status == 200 and r.body == b"" and r.headers["Content-Length"] == "0"
        elif kind == "feed-not-xml":
            assert r.status == 200 and b"<html" in r.body
        elif kind == "malformed-html":
            text = r.body.decode()
            assert r.status == 200 and "</html>" not in text and "</body>" not in text
            assert b["url"] in expected
        elif kind == "latin-1":
            assert r.content_type == "text/html; charset=iso-8859-1"
            with pytest.raises(UnicodeDecodeError):
                r.body.decode("utf-8")
            text = r.body.decode("latin-1")
            assert 'charset="iso-8859-1"' in text
            assert any(ch in text for ch in "ñáéíóú")
            assert expected[b["url"]]["encoding"] == "iso-8859-1"
        elif kind == "mislabeled-charset":
            assert r.content_type == "text/html; charset=utf-8"
            with pytest.raises(UnicodeDecodeError):
                r.body.decode("utf-8")
            assert any(ch in r.body.decode("latin-1") for ch in "ñáéíóú")
            assert expected[b["url"]]["encoding"] == "iso-8859-1"
        elif kind == "unparseable-date":
            assert "fecha: pronto" in r.body.decode()
            assert expected[b["url"]]["published"] is None
            assert "Last-Modified" not in r.headers


def test_conditional_get_and_gzip(web):
    url = web.expected()[0]["url"]
    r = fetch(url)
    assert r.status == 200 and r.headers["ETag"] and r.headers["Last-Modified"]
    assert int(r.headers["Content-Length"]) == len(r.body)
    assert fetch(url, {"If-None-Match": r.headers["ETag"]}).status == 304
    assert fetch(url, {"If-Modified-Since": r.headers["Last-Modified"]}).status == 304
    assert fetch(url, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status == 200
    assert fetch(url, {"If-None-Match": '"nope"'}).status == 200
    z = fetch(url, {"Accept-Encoding": "gzip"})
    assert z.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(z.body) == r.body
    assert fetch(url, {"Accept-Encoding": "gzip;q=0"}).headers.get("Content-Encoding") is None


def test_request_log_and_quiet(web, capfd):
    before = len(web.request_log)
    fetch(web.outlets[0]["home"] + "no-such-page?x=1")
    out, err = capfd.readouterr()
    assert err == "" and out == ""
    entry = web.request_log[before]
    assert entry == ("GET", "/no-such-page?x=1", 404, web.outlets[0]["id"])


def test_stop_releases_ports():
    with NewsWeb() as w:
        home = w.outlets[0]["home"]
        assert fetch(home).status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(home, timeout=2)
