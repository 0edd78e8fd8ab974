"""SQLite indexing throughput: ``SQLiteStore.upsert_articles`` in batches, as the index pipeline calls it.

``python bench/index.py [--docs 20000] [--batch 500] [--format json]``

Articles are built from the real benchmark pages' extracted text when ``--data`` is there (realistic FTS5
work: ~1,000 words each), else from generated text. Each batch is one transaction (WAL, synchronous=NORMAL:
no fsync per item). Prints docs/s for inserts (new ids) and for re-crawls of unchanged articles.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.web import _VOCAB, DEFAULT_DATA, BenchDataMissing, load_sources  # noqa: E402
from newsagg.storage.base import ARTICLE_FIELDS  # noqa: E402
from newsagg.storage.sqlite import SQLiteStore  # noqa: E402
from newsagg.text import content_hash  # noqa: E402


def texts(data: Path, limit: int = 181) -> list[str]:
    try:
        import trafilatura

        return [t for t in (trafilatura.extract(p) for p in load_sources(data)[:limit]) if t]
    except BenchDataMissing:
        rng = random.Random(1)
        return [" ".join(rng.choice(_VOCAB) for _ in range(900)) for _ in range(50)]


def article(i: int, text: str) -> dict[str, Any]:
    body = f"{text}\n\nCopy {i}."
    doc: dict[str, Any] = dict.fromkeys(ARTICLE_FIELDS)
    doc.update(
        id=f"{i:016x}",
        url=f"http://bench.test/news/{i}.html",
        canonical_url=f"http://bench.test/news/{i}.html",
        outlet_id=f"bench-{i % 8}",
        outlet_name=f"Bench {i % 8}",
        country="US",
        region="bench",
        language="en",
        title=f"Bench story {i}",
        text=body,
        authors=["A. Writer"],
        keywords=[],
        warnings=[],
        published_at="2026-11-20T10:00:00+00:00",
        published_utc=1_795_000_000.0 + i,
        discovered_at="2026-11-27T10:00:00+00:00",
        discovered_utc=1_795_600_000.0 + i,
        content_hash=content_hash(body),
        word_count=len(body.split()),
        dup_group=f"{i:016x}",
    )
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)

    corpus = texts(args.data)
    docs = [article(i, corpus[i % len(corpus)]) for i in range(args.docs)]
    results: dict[str, Any] = {"docs": args.docs, "batch": args.batch,
                               "avg_words": round(sum(d["word_count"] for d in docs) / len(docs))}
    with tempfile.TemporaryDirectory(prefix="newsagg-bench-index-") as tmp:
        store = SQLiteStore(Path(tmp) / "newsagg.sqlite")
        try:
            for label in ("insert", "unchanged"):
                started = time.perf_counter()
                for start in range(0, len(docs), args.batch):
                    store.upsert_articles(docs[start : start + args.batch])
                seconds = time.perf_counter() - started
                results[f"{label}_docs_per_second"] = round(args.docs / seconds)
                results[f"{label}_seconds"] = round(seconds, 2)
            results["stored"] = store.count_articles()
        finally:
            store.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
    else:
        print(f"SQLite upsert_articles, {args.docs} docs of ~{results['avg_words']} words, batches of {args.batch}:")
        print(f"  insert:    {results['insert_docs_per_second']:>7} docs/s ({results['insert_seconds']} s)")
        print(f"  unchanged: {results['unchanged_docs_per_second']:>7} docs/s ({results['unchanged_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
