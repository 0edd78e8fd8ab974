"""Story clustering cost as the store grows: time per 1,000 new articles with 1k, 10k and 100k stored.

Stored articles are synthetic stories (topic words + capitalized names) spread over a year; the new articles
arrive in the last week. Candidates come from the store within the time window, so the cost should track
the window, not the store. Prints a table, or JSON with ``--format json``.

    python bench/stories_bench.py [--sizes 1000,10000,100000] [--new 1000] [--format json]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from newsagg.text import content_hash

DAY = 86_400.0
NOW = 1_795_000_000.0  # a fixed "now" (2026-11) so runs are comparable
STORY_SIZE = 8


class Corpus:
    """Deterministic synthetic news: each story has its own topic words and names."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ter", "san", "du", "ro", "vel", "an", "tis", "mor", "pe", "qui", "zar"]
        self.common = ["".join(self.random.choices(syllables, k=3)) for _ in range(3000)]

    def story(self, number: int) -> tuple[list[str], list[str]]:
        rng = random.Random(number)
        topic = rng.sample(self.common, 25)
        names = [rng.choice(self.common).capitalize() + rng.choice(["ez", "son", "ova", "ini"]) for _ in range(3)]
        return topic, names

    def article(self, article_id: str, story: int, when: float) -> dict:
        topic, names = self.story(story)
        words = [
            self.random.choice(topic) if self.random.random() < 0.4 else self.random.choice(self.common)
            for _ in range(160)
        ]
        for position in range(0, 160, 20):
            words[position] = self.random.choice(names)
        text = " ".join(words)
        return {
            "id": article_id,
            "url": f"http://bench.test/{article_id}",
            "canonical_url": f"http://bench.test/{article_id}",
            "title": " ".join([names[0], *topic[:6]]),
            "text": text,
            "language": "en",
            "authors": [],
            "keywords": [],
            "warnings": [],
            "published_utc": when,
            "published_at": None,
            "discovered_utc": when,
            "content_hash": content_hash(text),
            "word_count": 160,
            "dup_group": article_id,
        }


def measure(stored: int, new: int, corpus: Corpus) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.sqlite")
        batch = []
        for index in range(stored):
            story = index // STORY_SIZE
            when = NOW - 7 * DAY - (story * DAY * 358 / max(stored // STORY_SIZE, 1))
            article = corpus.article(f"s{index:07d}", story, when)
            article["story_id"] = f"st-s{story:07d}"
            batch.append(article)
            if len(batch) == 5000:
                store.upsert_articles(batch)
                batch = []
        store.upsert_articles(batch)
        for story in range(0, stored // STORY_SIZE + 1):
            store.save_story({"id": f"st-s{story:07d}", "label": "bench", "keywords": [], "article_count": STORY_SIZE})
        clusterer = StoryClusterer(store)
        base_story = 10_000_000
        started = time.perf_counter()
        for index in range(new):
            article = corpus.article(f"n{index:07d}", base_story + index // STORY_SIZE, NOW - DAY * (index % 7) / 7)
            store.upsert_articles([article])
            clusterer.assign(article)
        seconds = time.perf_counter() - started
        stories = len(store.list_stories(limit=1_000_000))
        store.close()
    return {
        "stored": stored,
        "new": new,
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / new, 2),
        "stories_total": stories,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    corpus = Corpus()
    results = [measure(int(size), args.new, corpus) for size in args.sizes.split(",")]
    base = results[0]["ms_per_article"]
    for row in results:
        row["ratio_to_smallest"] = round(row["ms_per_article"] / base, 2) if base else None
    if args.format == "json":
        print(json.dumps({"clustering": results}, indent=2))
        return
    print(f"{'stored':>8} {'new':>6} {'seconds':>8} {'ms/article':>11} {'x smallest':>10}")
    for row in results:
        print(
            f"{row['stored']:>8} {row['new']:>6} {row['seconds']:>8} {row['ms_per_article']:>11} "
            f"{row['ratio_to_smallest']:>10}"
        )


if __name__ == "__main__":
    main()
