"""``newsagg serve`` page latency on a large store: p50/p95 per page for 100,000 articles.

Builds a SQLite store through the storage contract (``bench/index_bench.make_articles``: Spanish and English
news-like articles from five countries, grouped into stories of 2 to 250 articles, 10 % of them copies),
starts the real ``newsagg serve`` command on a free loopback port, and requests each page many times with
varied parameters (after two warm-up requests per page: the first request of a kind compiles templates and
fills SQLite's page cache). Story pages are each requested once (a cold view: the document is computed),
except "story (cached)", the same story again (the server keeps recent story documents for 60 s).
"search" looks for a story's own name (a few to a few hundred matches, as real queries); "search broad"
for a name that the generator put in most articles (the worst case: tens of thousands of matches).
Prints a table (with the machine's 1-minute load average after each page: on a shared machine the figures
follow it), or JSON with ``--format json``. A bench, not a test: no assertion on time.

    python bench/serve.py [--articles 100000] [--requests 30] [--store DIR] [--format json]

``--store DIR`` keeps the generated store there and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.index_bench import make_articles  # noqa: E402
from newsagg.storage.sqlite import SQLiteStore  # noqa: E402

BATCH = 2000
SERVE = [sys.executable, "-m", "newsagg.cli", "serve"]


def story_sizes(total: int, rng: random.Random) -> list[int]:
    """Mostly small stories and a few big ones, as a news week has."""
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(rng.choice((250, 120, 60)) if rng.random() < 0.02 else rng.randint(2, 30))
    sizes[-1] -= sum(sizes) - total
    return [s for s in sizes if s > 0]


def story_name(number: int) -> str:
    return f"Zeta{number}"


def build_store(home: Path, count: int) -> None:
    """``count`` articles and their stories written through the storage contract (SQLite)."""
    rng = random.Random(11)
    articles = make_articles(count)
    store = SQLiteStore(home / "newsagg.sqlite")
    try:
        position = 0
        stories = []
        for number, size in enumerate(story_sizes(count, rng)):
            members = articles[position : position + size]
            position += size
            story_id = f"st-bench{number:07d}"
            members.sort(key=lambda a: a["published_utc"])
            for index, article in enumerate(members):
                article["story_id"] = story_id
                # a name only this story uses, as real stories have (the generated words are shared by all)
                article["title"] = f"{article['title']} {story_name(number)}"
                article["text"] = f"{story_name(number)}: {article['text']}"
                stamp = datetime.fromtimestamp(article["published_utc"], UTC)
                article["published_at"] = stamp.isoformat(timespec="seconds")
                article["discovered_at"] = stamp.isoformat(timespec="seconds")
                if index and rng.random() < 0.1:
                    article["duplicate_of"] = members[0]["id"]
                    article["duplicate_kind"] = "near"
                    article["similarity"] = 0.9
            stories.append(
                {
                    "id": story_id,
                    "label": members[0]["title"],
                    "keywords": members[0]["title"].lower().split()[:5],
                    "created_at": "2026-11-20T00:00:00+00:00",
                    "updated_at": "2026-11-20T00:00:00+00:00",
                    "first_published_utc": members[0]["published_utc"],
                    "last_published_utc": members[-1]["published_utc"],
                    "article_count": len(members),
                }
            )
        for start in range(0, count, BATCH):
            store.upsert_articles(articles[start : start + BATCH])
        for story in stories:
            store.save_story(story)
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"newsagg serve exited with {process.returncode}")
        try:
            httpx.get(url + "/api/runs", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("newsagg serve did not start")


def page_urls(home: Path, rng: random.Random) -> dict[str, list[str]]:
    """Per page kind, the URLs to request (varied: different stories, articles, queries and filters)."""
    with SQLiteStore(home / "newsagg.sqlite") as store:
        stories = store.list_stories(limit=100_000)
        big = [s["id"] for s in stories[:40]]
        typical = [s["id"] for s in rng.sample(stories, 40)]
        others = [s["id"] for s in rng.sample(stories, 40) if s["id"] not in typical]
        articles = [hit.article["id"] for hit in store.search("Kast", limit=60).hits]
    names = [story_name(int(s["id"].removeprefix("st-bench"))) for s in rng.sample(stories, 40)]
    broad = ["Kast", "Bukele", "Milei", "Petro", "Lula OR Noboa", "Sheinbaum", "CECOT"]
    return {
        "search": [f"/search?q={name}" for name in names],
        "search filtered": [
            f"/search?q={name}&country={rng.choice(['CL', 'SV', 'MX'])}&language=es&since=2026-10-01" for name in names
        ],
        "search by date": [f"/search?q={name}&sort=date" for name in names],
        "search broad": [f"/search?q={rng.choice(broad)}" for _ in range(40)],
        "search broad date": [f"/search?q={rng.choice(broad)}&sort=date" for _ in range(40)],
        "stories": ["/stories", "/stories?page=2"],
        "stories filtered": [f"/stories?country={c}&language=en" for c in ("CL", "SV", "MX", "AR", "US")],
        "stories search": [f"/stories?q={name}" for name in names],
        "story (typical)": [f"/stories/{s}" for s in typical],
        "story (largest)": [f"/stories/{s}" for s in big],
        "story (cached)": [f"/stories/{typical[0]}"],
        "article": [f"/articles/{a}" for a in articles],
        "sources": ["/sources"],
        "api search": [f"/api/search?q={name}" for name in names],
        "api story": [f"/api/stories/{s}" for s in others],
    }


def measure(base: str, urls: list[str], requests: int) -> dict[str, Any]:
    timings = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for url in urls[-2:]:  # warm-up
            client.get(url)
        for index in range(requests):
            url = urls[index % len(urls)]
            started = time.perf_counter()
            answer = client.get(url)
            timings.append(1000 * (time.perf_counter() - started))
            if answer.status_code != 200:
                raise SystemExit(f"{url} answered {answer.status_code}: {answer.text[:300]}")
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
        "max_ms": round(timings[-1], 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--store", type=Path, help="Keep (and reuse) the generated store in this directory.")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        home = args.store or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        built = None
        if not (home / "newsagg.sqlite").is_file():
            started = time.perf_counter()
            build_store(home, args.articles)
            built = round(time.perf_counter() - started, 1)
        with SQLiteStore(home / "newsagg.sqlite") as store:
            stored, stories = store.count_articles(), len(store.list_stories(limit=1_000_000))
        port = free_port()
        process = subprocess.Popen(
            [*SERVE, "--home", str(home), "--port", str(port), "--log-level", "warning"],
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process)
            urls = page_urls(home, random.Random(5))
            results = {}
            for name, pages in urls.items():
                results[name] = measure(base, pages, args.requests)
                results[name]["load_1min"] = round(os.getloadavg()[0], 1)
        finally:
            process.terminate()
            process.wait(timeout=60)
    report = {"articles": stored, "stories": stories, "build_seconds": built, "pages": results}
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    print(f"store: {stored} articles, {stories} stories" + (f" (built in {built} s)" if built else ""))
    print(f"{'page':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'load':>6}")
    for name, row in results.items():
        print(
            f"{name:<18} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8} "
            f"{row['load_1min']:>6}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
