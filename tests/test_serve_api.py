"""``newsagg serve``'s JSON API and pages over a real crawl of the local news web, served by real uvicorn.

Also the safety rules: the token (header, login cookie, no open redirect), read-only routes, strict headers,
escaping of hostile stored fields, limits on query and page size, and a clear 503 when the store is down or
does not answer.
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from newsagg.serve import ServeConfig, ServeConfigError
from newsagg.serve.config import MAX_PAGE_SIZE, MAX_QUERY_CHARS
from newsagg.serve.gateway import Gateway, ReadOnlyStore
from newsagg.serve.security import CONTENT_SECURITY_POLICY
from newsagg.serve.server import YOUNG_COLLECTION_EVERY, tune_garbage_collector
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import fold
from tests.polling import wait_for
from tests.serve_support import (
    HOSTILE_ARTICLE,
    HOSTILE_STORY,
    SEED_QUERY,
    Crawled,
    RunningServer,
    cli_json,
    crawled_home,
)

pytestmark = pytest.mark.slow
TOKEN = "serve-test-token-5f2a9c"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawled_home(tmp_path_factory)


@pytest.fixture(scope="module")
def server(crawled: Crawled) -> Iterator[RunningServer]:
    with RunningServer(ServeConfig(home=crawled.home)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def locked(crawled: Crawled) -> Iterator[RunningServer]:
    with RunningServer(ServeConfig(home=crawled.home, token=TOKEN)) as running:
        yield running


def seed_articles(crawled: Crawled) -> list[dict]:
    with SQLiteStore(crawled.home / "newsagg.sqlite") as store:
        return list(store.iter_articles(ArticleFilter(story_id=crawled.seed_story)))


# --- the API, endpoint by endpoint ------------------------------------------------------------------------
def test_search_matches_the_cli_and_highlights(client: httpx.Client, crawled: Crawled) -> None:
    answer = client.get("/api/search", params={"q": SEED_QUERY, "size": 50})
    assert answer.status_code == 200
    body = answer.json()
    cli = cli_json("search", SEED_QUERY, "--limit", "50", home=crawled.home)
    assert body["total"] == cli["total"] > 0
    assert [h["id"] for h in body["hits"]] == [h["id"] for h in cli["hits"]]
    assert set(body["hits"][0]) == set(cli["hits"][0])  # one serializer: the same field names
    assert all("«" in h["snippet"] for h in body["hits"])
    assert crawled.seed_story in {h["story_id"] for h in body["hits"]}


def test_search_filters_sort_and_paging(client: httpx.Client) -> None:
    chile = client.get("/api/search", params={"q": "Kast", "country": "cl"}).json()
    assert chile["total"] > 0 and {h["country"] for h in chile["hits"]} == {"CL"}
    assert {h["kind"] for h in chile["hits"]} == {"article"}  # the default kind, as 'newsagg search'
    every_kind = client.get("/api/search", params={"q": "Kast", "country": "cl", "kind": "all"}).json()
    assert every_kind["total"] >= chile["total"]
    english = client.get("/api/search", params={"q": "Kast", "language": "en"}).json()
    assert english["total"] > 0 and {h["language"] for h in english["hits"]} == {"en"}
    newest = client.get("/api/search", params={"q": "Kast", "sort": "date", "size": 100}).json()["hits"]
    dates = [h["published_at"] for h in newest if h["published_at"]]
    assert len(dates) > 2
    stamps = [datetime.fromisoformat(d).timestamp() for d in dates]
    assert stamps == sorted(stamps, reverse=True)
    first = client.get("/api/search", params={"q": "Kast", "size": 2, "page": 1}).json()
    second = client.get("/api/search", params={"q": "Kast", "size": 2, "page": 2}).json()
    assert first["pages"] >= 2 and len(first["hits"]) == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    window = client.get("/api/search", params={"q": "Kast", "since": "2026-11-21", "until": "2026-11-21"}).json()
    day = datetime.fromisoformat("2026-11-21T00:00:00+00:00").timestamp()
    assert window["hits"] and len(window["hits"]) < len(newest)
    assert all(day <= datetime.fromisoformat(h["published_at"]).timestamp() < day + 86400 for h in window["hits"])


def test_date_order_pages_on_and_a_capped_count_says_at_least(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = [
        h["id"] for h in client.get("/api/search", params={"q": "Kast", "sort": "date", "size": 100}).json()["hits"]
    ]
    paged = [
        h["id"]
        for page in (1, 2)
        for h in client.get("/api/search", params={"q": "Kast", "sort": "date", "size": 3, "page": page}).json()["hits"]
    ]
    assert paged == newest[:6]
    full = client.get("/api/search", params={"q": "Kast"}).json()
    assert full["total_relation"] == "eq" and full["total"] > 2
    monkeypatch.setattr("newsagg.storage.sqlite.SEARCH_WINDOW", 2)  # what a word in most of a large store hits
    capped = client.get("/api/search", params={"q": "Kast"}).json()
    assert (capped["total"], capped["total_relation"]) == (2, "gte")
    assert "2+ articles match" in client.get("/search", params={"q": "Kast"}).text


def test_stories_list_and_filters(client: httpx.Client, crawled: Crawled) -> None:
    rows = client.get("/api/stories").json()["stories"]
    seed = next(r for r in rows if r["id"] == crawled.seed_story)
    assert seed == rows[0]  # the largest story
    assert seed["countries"] == ["CL", "CR", "HN", "SV", "US"]
    assert seed["languages"] == ["en", "es"]
    assert seed["duplicates"] == 3
    assert seed["first_published"] and seed["last_published"] and seed["growth_24h"] == seed["articles"]
    cli_rows = cli_json("stories", "list", home=crawled.home)
    assert set(cli_rows[0]) <= set(seed)  # the CLI's fields, plus last_published and growth_24h
    english = client.get("/api/stories", params={"language": "en"}).json()["stories"]
    assert english and all("en" in r["languages"] for r in english)
    honduras = client.get("/api/stories", params={"country": "HN"}).json()["stories"]
    assert crawled.seed_story in {r["id"] for r in honduras} and all("HN" in r["countries"] for r in honduras)
    within = client.get("/api/stories", params={"q": "CECOT"}).json()["stories"]
    assert crawled.seed_story in {r["id"] for r in within}
    assert len(within) < len(rows)
    late = client.get("/api/stories", params={"since": "2099-01-01"}).json()["stories"]
    assert late == []
    paged = client.get("/api/stories", params={"size": 1}).json()
    assert len(paged["stories"]) == 1 and paged["has_next"]


def test_story_document_is_the_cli_one_with_angles(client: httpx.Client, crawled: Crawled) -> None:
    body = client.get(f"/api/stories/{crawled.seed_story}").json()
    cli = cli_json("stories", "show", crawled.seed_story, home=crawled.home)
    assert body["angles"] == cli["angles"] and body["coverage"] == cli["coverage"]
    assert set(body) == set(cli)
    assert len(body["summary"]["countries"]) == 5 and len(body["summary"]["languages"]) == 2
    assert body["summary"]["duplicates"] == 3
    assert {r["country"] for r in body["first_reports"]} == {"CL", "CR", "HN", "SV", "US"}
    assert min(r["lag_seconds"] for r in body["first_reports"]) == 0
    shares = {r["country"]: r for r in body["wire_share"]}
    assert sum(r["copies"] for r in shares.values()) == 3
    assert shares["CR"]["copy_share"] == 1.0 and shares["HN"]["copy_share"] == 1.0


def test_every_country_has_angles_from_its_own_articles(client: httpx.Client, crawled: Crawled) -> None:
    angles = client.get(f"/api/stories/{crawled.seed_story}").json()["angles"]
    articles = seed_articles(crawled)
    with_terms = {g["country"] for g in angles if g["terms"]}
    assert with_terms == {"CL", "CR", "HN", "SV", "US"}
    for group in angles:
        own = " ".join(
            fold(f"{a['title']} {a['text']}")
            for a in articles
            if a["country"] == group["country"] and a["language"] == group["language"]
        )
        for term in group["terms"]:
            assert term["folded"] in own, (group["country"], term["term"])
            assert term["sentences"], term
            for sentence in term["sentences"]:
                source = next(a for a in articles if a["id"] == sentence["article_id"])
                assert source["country"] == group["country"]
    lone = next(g for g in angles if g["language"] == "en")
    assert lone["compared_with"]["articles"] == 0 and lone["terms"] == []


def test_article_with_provenance_original_and_copies(client: httpx.Client, crawled: Crawled) -> None:
    articles = seed_articles(crawled)
    copy = next(a for a in articles if a.get("duplicate_of"))
    body = client.get(f"/api/articles/{copy['id']}").json()
    assert body["article"]["id"] == copy["id"]
    assert body["original"]["id"] == copy["duplicate_of"]
    assert body["story"]["id"] == crawled.seed_story
    published = next(p for p in body["provenance"] if p["date"] == "published")
    assert published["value"] == copy["published_at"] and published["source"] == copy["published_source"]
    original = client.get(f"/api/articles/{copy['duplicate_of']}").json()
    copies = {a["id"] for a in articles if a.get("duplicate_of") == copy["duplicate_of"]}
    assert {c["id"] for c in original["copies"]} == copies
    assert client.get("/api/articles/nope").status_code == 404


def test_sources_health_and_runs(client: httpx.Client, crawled: Crawled) -> None:
    health = client.get("/api/sources/health").json()
    cli = cli_json("sources", "health", home=crawled.home)
    assert [o["outlet"] for o in health["outlets"]] == [o["outlet"] for o in cli["outlets"]]
    assert len(health["outlets"]) >= 8
    runs = client.get("/api/runs").json()
    assert len(runs) == 1 and runs[0]["status"] == "finished" and runs[0]["articles"] > 0


def test_openapi_lists_every_verb(client: httpx.Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/search",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/sources/health",
        "/api/runs",
    ):
        assert list(paths[path]) == ["get"], path
    assert not any(p.startswith("/stories") for p in paths)  # pages are not API


# --- pages -------------------------------------------------------------------------------------------------
def test_pages_render_and_carry_the_query_in_the_url(client: httpx.Client, crawled: Crawled) -> None:
    found = client.get("/search", params={"q": SEED_QUERY, "country": "CL", "size": 1})
    assert found.status_code == 200 and "<mark>" in found.text
    assert "country=CL" in found.text and "page=2" in found.text  # paging links keep the filters
    story = client.get(f"/stories/{crawled.seed_story}").text
    assert 'id="timeline"' in story and story.count('class="row"') == 5
    assert story.count('class="angle"') == 6
    for page in ("/", "/stories", "/sources", f"/articles/{seed_articles(crawled)[0]['id']}"):
        assert client.get(page).status_code == 200, page


def test_limits_on_query_and_page_size(client: httpx.Client) -> None:
    long_query = "a" * (MAX_QUERY_CHARS + 1)
    assert client.get("/api/search", params={"q": long_query}).status_code == 422
    page = client.get("/search", params={"q": long_query})
    assert page.status_code == 400 and "Traceback" not in page.text and "at most" in page.text
    assert client.get("/api/search", params={"q": "x", "size": MAX_PAGE_SIZE + 1}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "size": 100, "page": 101}).status_code == 400
    assert client.get("/search", params={"q": "x", "since": "not a date at all"}).status_code == 400


def test_security_headers_on_every_answer(client: httpx.Client) -> None:
    for path in ("/", "/api/stories", "/stories/nope", "/static/serve.css", "/api/nope"):
        answer = client.get(path)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_hostile_stored_fields_are_escaped(client: httpx.Client) -> None:
    import lxml.html

    for path in (f"/stories/{HOSTILE_STORY}", f"/articles/{HOSTILE_ARTICLE}", "/stories", "/search?q=harbour"):
        html = client.get(path).text
        assert HOSTILE_STORY in html or HOSTILE_ARTICLE in html, path  # the hostile data is on the page...
        tree = lxml.html.fromstring(html)
        assert not tree.xpath("//script"), path  # ...as text only
        handlers = [(e.tag, a) for e in tree.iter() if isinstance(e.tag, str) for a in e.attrib if a.startswith("on")]
        assert not handlers, (path, handlers)
        assert not [h for h in tree.xpath("//@href") if not h.startswith(("/", "http://", "https://"))], path
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in client.get(f"/articles/{HOSTILE_ARTICLE}").text
    story = lxml.html.fromstring(client.get(f"/stories/{HOSTILE_STORY}").text)
    # the country strip shows the stored code as it is, as text (no shape: it is no country)
    assert story.xpath('//ol[@id="country-strip"]/li/@data-country') == ['"><script>window.__xss=7</script>']
    assert "window.__xss=7" in story.xpath('string(//ol[@id="country-strip"])')
    assert not story.xpath('//*[@id="country-map"]')


# --- read-only -----------------------------------------------------------------------------------------------
def test_no_route_writes(server: RunningServer, client: httpx.Client, crawled: Crawled) -> None:
    app = server.server.config.app
    for route in app.routes:
        methods = getattr(route, "methods", None) or {"GET"}
        assert methods <= {"GET", "HEAD"} or route.path == "/login", (route.path, methods)
    assert client.post("/api/search", params={"q": "x"}).status_code == 405
    assert client.delete(f"/api/stories/{crawled.seed_story}").status_code == 405
    for name in ("upsert_articles", "save_story", "assign_story", "resolve_duplicate_groups", "save_signatures"):
        assert not hasattr(ReadOnlyStore, name)


def test_sqlite_store_is_opened_query_only(crawled: Crawled) -> None:
    import asyncio

    gateway = Gateway(ServeConfig(home=crawled.home))
    try:

        def try_write(store: ReadOnlyStore) -> None:
            store._store.save_story({"id": "st-written", "article_count": 1})  # past the wrapper, on purpose

        with pytest.raises(Exception, match=r"readonly|read-only|query_only|attempt to write"):
            asyncio.run(gateway.call(try_write))
    finally:
        gateway.close()
    with SQLiteStore(crawled.home / "newsagg.sqlite") as store:
        assert store.get_story("st-written") is None


# --- the token rule ----------------------------------------------------------------------------------------
def test_public_address_needs_a_token() -> None:
    with pytest.raises(ServeConfigError, match="NEWSAGG_SERVE_TOKEN"):
        ServeConfig(host="0.0.0.0")
    with pytest.raises(ServeConfigError):
        ServeConfig.from_env(host="192.168.1.20", env={})
    assert ServeConfig.from_env(host="0.0.0.0", env={"NEWSAGG_SERVE_TOKEN": TOKEN}).token == TOKEN
    assert ServeConfig(host="::1").token is None and ServeConfig(host="localhost").token is None


def test_token_by_bearer_header(locked: RunningServer) -> None:
    with httpx.Client(base_url=locked.url, timeout=60) as http:
        refused = http.get("/api/stories")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        assert http.get("/api/stories", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
        assert http.get("/api/stories", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert http.get("/static/serve.css").status_code == 200  # the login page's stylesheet


def test_token_by_login_cookie_without_open_redirect(locked: RunningServer) -> None:
    with httpx.Client(base_url=locked.url, timeout=60) as http:
        bounced = http.get("/stories?country=CL")
        assert bounced.status_code == 303 and bounced.headers["location"] == "/login?next=%2Fstories%3Fcountry%3DCL"
        wrong = http.post("/login", data={"token": "nope", "next": "/stories"})
        assert wrong.status_code == 401 and COOKIE_NAME not in wrong.cookies
        for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
            answer = http.post("/login", data={"token": TOKEN, "next": target})
            assert answer.status_code == 303 and answer.headers["location"] == "/", target
        answer = http.post("/login", data={"token": TOKEN, "next": "/stories?country=CL"})
        assert answer.status_code == 303 and answer.headers["location"] == "/stories?country=CL"
        cookie = answer.headers["set-cookie"]
        assert TOKEN not in cookie and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert http.get("/stories?country=CL").status_code == 200  # the client keeps the cookie
        assert http.get("/api/stories").status_code == 200


COOKIE_NAME = "newsagg_session"
SERVE = [sys.executable, "-m", "newsagg.cli", "serve"]


def test_cli_refuses_a_public_address_without_token_and_masks_it(crawled: Crawled, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_SERVE_TOKEN")}
    refused = subprocess.run(
        [*SERVE, "--home", str(crawled.home), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert refused.returncode == 2 and "NEWSAGG_SERVE_TOKEN" in refused.stderr
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*SERVE, "--home", str(crawled.home), "--host", "0.0.0.0", "--port", str(port), "--log-level", "debug"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**env, "NEWSAGG_SERVE_TOKEN_FILE": str(token_file)},
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:

        def answered() -> int | None:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/api/runs", timeout=5).status_code
            except httpx.TransportError:
                return None

        assert wait_for(answered, "newsagg serve to listen", limit=120) == 401
        ok = httpx.get(f"http://127.0.0.1:{port}/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert ok.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert "token required" in output and TOKEN not in output


# --- a store that is down or slow ------------------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_engine_down_gives_503_page_not_traceback() -> None:
    env = {"NEWSAGG_ES_URL": f"http://127.0.0.1:{_closed_port()}", "NEWSAGG_ENGINE_MAX_RETRIES": "0"}
    config = ServeConfig(backend="elasticsearch", env=env, timeout=60)
    with RunningServer(config) as running, httpx.Client(base_url=running.url, timeout=90) as http:
        page = http.get("/stories")
        assert page.status_code == 503 and "store unavailable" in page.text and "Traceback" not in page.text
        assert page.headers["retry-after"] and page.headers["content-security-policy"]
        api = http.get("/api/search", params={"q": "x"})
        assert api.status_code == 503 and api.json()["error"] == "store unavailable"


def test_engine_that_never_answers_gives_503_within_the_limit() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # accepts connections, never answers
    try:
        env = {
            "NEWSAGG_ES_URL": f"http://127.0.0.1:{silent.getsockname()[1]}",
            "NEWSAGG_ENGINE_MAX_RETRIES": "0",
            "NEWSAGG_ENGINE_TIMEOUT": "30",
        }
        config = ServeConfig(backend="elasticsearch", env=env, timeout=1.0)
        with RunningServer(config) as running, httpx.Client(base_url=running.url, timeout=60) as http:
            page = http.get("/stories")
            assert page.status_code == 503 and "did not answer within 1 s" in page.text
    finally:
        silent.close()


def test_the_server_collects_garbage_less_often_and_not_its_startup_objects() -> None:
    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_threshold() == (YOUNG_COLLECTION_EVERY, *before[1:])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
