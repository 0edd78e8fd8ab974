"""Story clustering as the story worker does it, replayed over a real crawl's articles.

``python bench/stories_replay.py STORE [--limit N] [--batch 100] [--format json]``

``STORE`` is a crawl's SQLite store (e.g. one kept with ``bench/crawl.py --keep DIR``). Its articles are
written to a fresh store in batches, in the order they were first stored, and each batch is clustered as the
worker clusters it (``clustering_order``, then ``StoryClusterer.assign``). Only clustering is timed (CPU of
this process), and the partition is hashed, so two versions of the clusterer can be compared on the same
input: same ``partition`` means same stories. Run both versions at the same time on a shared machine and
compare the ratio, not the milliseconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsagg.storage.sqlite import SQLiteStore  # noqa: E402
from newsagg.stories import StoryClusterer, clustering_order  # noqa: E402


def stored_in_order(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The store's articles in the order they were first written, without their stories."""
    with sqlite3.connect(path) as db:
        order = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY rowid")][:limit]
    source = SQLiteStore(path)
    by_id = {a["id"]: a for a in source.iter_articles()}
    source.close()
    return [{**by_id[i], "story_id": None} for i in order]


def replay(articles: list[dict[str, Any]], batch_size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "replay.sqlite")
        clusterer = StoryClusterer(store)
        cpu = 0.0
        clustered = 0
        for start in range(0, len(articles), batch_size):
            batch = articles[start : start + batch_size]
            store.upsert_articles(batch)
            began = time.process_time()
            for article in clustering_order(store.get_articles([a["id"] for a in batch])):
                clusterer.assign(article)
                clustered += 1
            cpu += time.process_time() - began
        stories: dict[str, list[str]] = {}
        for article in store.iter_articles():
            if article.get("story_id"):
                story = store.get_story(article["story_id"]) or {"id": article["story_id"]}
                stories.setdefault(story["id"], []).append(article["id"])
        store.close()
    partition = json.dumps(sorted(sorted(members) for members in stories.values()))
    return {
        "articles": clustered,
        "stories": len(stories),
        "cpu_ms_per_article": round(1000 * cpu / clustered, 2) if clustered else None,
        "partition": hashlib.sha1(partition.encode()).hexdigest()[:12],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a crawl's SQLite store (newsagg.sqlite)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--batch", type=int, default=100, help="articles per batch (NEWSAGG_INDEX_BATCH_SIZE)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"{args.store} is not a file")
    result = replay(stored_in_order(args.store, args.limit), args.batch)
    if args.format == "json":
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        print(
            f"{result['articles']} articles, {result['stories']} stories, "
            f"{result['cpu_ms_per_article']} ms CPU per article, partition {result['partition']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
