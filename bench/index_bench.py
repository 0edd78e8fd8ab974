"""Indexing throughput, every backend in one bench: newsagg's ``upsert_articles`` against a raw baseline of the
same documents into the same backend, in the same run (alternating rounds, median of ``--repeat``).

- **sqlite**: ``ours`` is ``SQLiteStore.upsert_articles`` in batches of ``--sqlite-batch`` (one transaction
  each, WAL, ``synchronous=NORMAL``), as the index pipeline calls it; also timed: a second pass of the same
  articles (a re-crawl of unchanged pages). ``raw`` is plain ``sqlite3``: ``executemany`` of the same encoded
  rows into a plain table with the same columns, and of (rowid, title, text) into an external-content FTS5
  table with the same tokenizer and FTS5's defaults otherwise, one transaction per batch, same pragmas: the
  least any store searchable like ours has to write. Both print docs/s and CPU seconds per 1,000 docs (the
  steadier figure on a shared machine). Goal: ours >= 5,000 docs/s.
- **engine** (OpenSearch or Elasticsearch): ``ours`` is ``EngineStore.upsert_articles`` in batches of
  ``--batch``: it reads the stored state of every id first (mget), decides insert/update/unchanged, then
  bulk-writes with its own chunking, parallelism and per-document retries. ``raw`` is
  ``helpers.bulk(client, index actions, chunk_size=--chunk)`` of the very documents ``ours`` writes. Neither
  refreshes while indexing; both indices get one refresh and a count check after the clock stops.
  Goal: ratio ours/raw >= 0.9.

    python bench/index_bench.py [--docs 10000] [--only sqlite|engine] [--engine opensearch|elasticsearch]
                                [--text real|synthetic] [--format json]

Texts: ``real`` (default) is the article-extraction benchmark pages' text as trafilatura extracts it (~770
words, what FTS5 and the analyzers really chew; generated text when the data set is missing), ``synthetic``
is ~250 generated Spanish/English words (the figures of docs/engines.md). The engine comes from
``--url``, ``NEWSAGG_TEST_OPENSEARCH_URL`` / ``NEWSAGG_TEST_ES_URL``, else a node started by
``tests/engine/engine.sh`` (see docs/engines.md); without one the engine part is reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.web import DEFAULT_DATA, VOCAB, BenchDataMissing, load_sources
from newsagg.storage.base import ARTICLE_FIELDS
from newsagg.storage.sqlite import SQLiteStore, _encode
from newsagg.text import content_hash

T0 = 1_795_000_000.0
_ES_WORDS = (
    "el gobierno anunció ayer una reforma de la ley de seguridad en la región tras la visita del presidente "
    "a la cárcel donde miles de presos esperan juicio mientras la oposición critica el plan y los vecinos "
    "piden más policía en las calles del centro histórico durante la temporada de lluvias"
).split()
_EN_WORDS = (
    "the government announced on tuesday a reform of the security law in the region after the president "
    "visited the prison where thousands of inmates await trial while the opposition criticised the plan "
    "and residents asked for more police in the streets of the old town during the rainy season"
).split()
_NAMES = ["Kast", "Bukele", "CECOT", "Boric", "Sheinbaum", "Milei", "Petro", "Lula", "Arévalo", "Noboa"]


def real_texts(data: Path, limit: int = 181) -> list[str]:
    """The benchmark pages' main text (trafilatura), or generated ~900-word texts when the data is missing."""
    try:
        import trafilatura

        return [t for t in (trafilatura.extract(p) for p in load_sources(data)[:limit]) if t]
    except BenchDataMissing:
        rng = random.Random(1)
        return [" ".join(rng.choice(VOCAB) for _ in range(900)) for _ in range(50)]


def make_articles(count: int, seed: int = 7, texts: list[str] | None = None) -> list[dict[str, Any]]:
    """Deterministic news-like articles: Spanish and English, names, dates, outlets; the body is ~250 generated
    words, or ``texts[i % len(texts)]`` plus the copy number when ``texts`` is given."""
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        language = "es" if i % 3 else "en"
        words = _ES_WORDS if language == "es" else _EN_WORDS
        if texts:
            text = f"{texts[i % len(texts)]}\n\nArtículo {i}."
        else:
            body = " ".join(rng.choice(words) if rng.random() > 0.05 else rng.choice(_NAMES) for _ in range(250))
            text = f"{body.capitalize()}. Artículo {i}."
        published = T0 + rng.randint(0, 30 * 86400)
        articles.append(
            {
                "id": f"{i:016x}",
                "url": f"https://outlet-{i % 40}.example/news/{i}",
                "canonical_url": f"https://outlet-{i % 40}.example/news/{i}",
                "outlet_id": f"outlet-{i % 40}",
                "outlet_name": f"Outlet {i % 40}",
                "country": ["CL", "SV", "MX", "AR", "US"][i % 5],
                "region": "Latin America",
                "language": language,
                "title": " ".join(rng.choice(words) for _ in range(8)).capitalize() + f" {rng.choice(_NAMES)}",
                "text": text,
                "authors": [f"Autor {i % 97}"],
                "description": text[:160],
                "site_name": None,
                "section": "politica",
                "keywords": [],
                "published_at": None,
                "published_utc": published,
                "published_source": "json-ld",
                "published_precision": "minute",
                "published_confidence": 0.9,
                "discovered_at": None,
                "discovered_utc": published + 600,
                "discovered_via": "sitemap",
                "content_hash": content_hash(text),
                "word_count": len(text.split()),
                "dup_group": f"{i:016x}",
                "warnings": [],
            }
        )
    return articles


def _rounds(repeat: int, runners: dict[str, Callable[[], dict[str, float]]]) -> dict[str, list[dict[str, float]]]:
    """Run every runner once per round, the order reversed every other round (neither always goes first)."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in runners}
    for round_no in range(repeat):
        order = list(runners)
        if round_no % 2:
            order.reverse()
        for name in order:
            results[name].append(runners[name]())
    return results


def _median(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(s[key] for s in samples)


# --- SQLite ------------------------------------------------------------------------------------------------
def _timed(fn: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def sqlite_ours(articles: list[dict[str, Any]], batch: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="newsagg-bench-index-") as tmp:
        store = SQLiteStore(Path(tmp) / "newsagg.sqlite")
        try:

            def write() -> None:
                for start in range(0, len(articles), batch):
                    store.upsert_articles(articles[start : start + batch])

            insert_wall, insert_cpu = _timed(write)
            unchanged_wall, unchanged_cpu = _timed(write)
            assert store.count_articles() == len(articles)
        finally:
            store.close()
    return {
        "insert_wall": insert_wall,
        "insert_cpu": insert_cpu,
        "unchanged_wall": unchanged_wall,
        "unchanged_cpu": unchanged_cpu,
    }


def sqlite_raw(articles: list[dict[str, Any]], batch: int) -> dict[str, float]:
    rows = [[i + 1, *_encode(a).values()] for i, a in enumerate(articles)]
    fts_rows = [(row[0], a.get("title"), a.get("text")) for row, a in zip(rows, articles, strict=True)]
    columns = ", ".join(ARTICLE_FIELDS)
    marks = ", ".join("?" * (len(ARTICLE_FIELDS) + 1))
    with tempfile.TemporaryDirectory(prefix="newsagg-bench-index-raw-") as tmp:
        db = sqlite3.connect(Path(tmp) / "raw.sqlite")
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"CREATE TABLE articles (rowid INTEGER PRIMARY KEY, {columns})")
            db.execute(
                "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
                "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
            )

            def write() -> None:
                for start in range(0, len(rows), batch):
                    with db:
                        db.executemany(
                            f"INSERT INTO articles (rowid, {columns}) VALUES ({marks})", rows[start : start + batch]
                        )
                        db.executemany(
                            "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                            fts_rows[start : start + batch],
                        )

            wall, cpu = _timed(write)
            assert db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'articulo'").fetchone()[0]
        finally:
            db.close()
    return {"insert_wall": wall, "insert_cpu": cpu}


def bench_sqlite(articles: list[dict[str, Any]], batch: int, repeat: int) -> dict[str, Any]:
    samples = _rounds(
        repeat, {"raw": lambda: sqlite_raw(articles, batch), "ours": lambda: sqlite_ours(articles, batch)}
    )
    docs = len(articles)
    raw_rate = docs / _median(samples["raw"], "insert_wall")
    our_rate = docs / _median(samples["ours"], "insert_wall")
    return {
        "backend": "sqlite",
        "docs": docs,
        "batch": batch,
        "raw_docs_per_s": round(raw_rate),
        "ours_docs_per_s": round(our_rate),
        "ratio": round(our_rate / raw_rate, 3),
        "goal_docs_per_s": 5000,
        "raw_cpu_s_per_1k": round(1000 * _median(samples["raw"], "insert_cpu") / docs, 3),
        "ours_cpu_s_per_1k": round(1000 * _median(samples["ours"], "insert_cpu") / docs, 3),
        "ours_docs_per_cpu_s": round(docs / _median(samples["ours"], "insert_cpu")),
        "unchanged_docs_per_s": round(docs / _median(samples["ours"], "unchanged_wall")),
        "raw_seconds": [round(s["insert_wall"], 3) for s in samples["raw"]],
        "ours_seconds": [round(s["insert_wall"], 3) for s in samples["ours"]],
    }


# --- engines -----------------------------------------------------------------------------------------------
def engine_url(engine: str, explicit: str | None) -> tuple[str | None, str]:
    """The engine's URL, or None and the reason none is available."""
    if explicit:
        return explicit, ""
    from tests.support import engines  # finds the node the test suite uses, or starts one

    url = engines.engine_url(engine)
    return url, ("" if url else engines.unavailable_reason(engine))


def config_for(engine: str, url: str, prefix: str, **overrides: Any):  # type: ignore[no-untyped-def]
    from newsagg.storage.engine_config import EngineConfig, split_credentials

    clean, user, password = split_credentials(url)
    return EngineConfig(
        engine=engine, urls=(clean,), username=user, password=password, index_prefix=prefix, replicas=0, **overrides
    )


def engine_ours(config, articles: list[dict[str, Any]], batch: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from newsagg.storage.engine import EngineStore

    store = EngineStore(config)
    try:
        started = time.perf_counter()
        inserted = 0
        for start in range(0, len(articles), batch):
            inserted += store.upsert_articles(articles[start : start + batch]).inserted
        seconds = time.perf_counter() - started
        assert inserted == len(articles), inserted
        assert store.count_articles() == len(articles)
        return {"insert_wall": seconds}
    finally:
        store.drop()
        store.close()


def engine_raw(config, articles: list[dict[str, Any]], chunk: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from newsagg.storage.base import normalize_article
    from newsagg.storage.engine import EngineStore

    store = EngineStore(config)  # only to create the same templates/mappings; writes go through helpers.bulk
    try:
        client = store.client._client
        helpers = _helpers(config.engine)
        docs = [
            EngineStore._document(normalize_article(a), seq=i + 1, first_seen=0, now=0, story_label=None)
            for i, a in enumerate(articles)
        ]
        alias = store.articles_alias
        started = time.perf_counter()
        ok, errors = helpers.bulk(
            client,
            ({"_index": alias, "_id": d["id"], "_source": d} for d in docs),
            chunk_size=chunk,
            max_chunk_bytes=config.bulk_bytes,
        )
        seconds = time.perf_counter() - started
        assert ok == len(docs) and not errors, errors
        store.client.refresh(alias)
        assert store.count_articles() == len(articles)
        return {"insert_wall": seconds}
    finally:
        store.drop()
        store.close()


def _helpers(engine: str):  # type: ignore[no-untyped-def]
    if engine == "elasticsearch":
        from elasticsearch import helpers
    else:
        from opensearchpy import helpers
    return helpers


def bench_engine(engine: str, url: str, articles: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    settings = {"bulk_docs": args.chunk, "bulk_threads": args.threads}

    def ours() -> dict[str, float]:
        return engine_ours(
            config_for(engine, url, f"newsagg-bench-ours-{uuid.uuid4().hex[:8]}", **settings), articles, args.batch
        )

    def raw() -> dict[str, float]:
        return engine_raw(
            config_for(engine, url, f"newsagg-bench-raw-{uuid.uuid4().hex[:8]}", **settings), articles, args.chunk
        )

    samples = _rounds(args.repeat, {"raw": raw, "ours": ours})
    raw_rate = len(articles) / _median(samples["raw"], "insert_wall")
    our_rate = len(articles) / _median(samples["ours"], "insert_wall")
    return {
        "backend": engine,
        "docs": len(articles),
        "batch": args.batch,
        "chunk": args.chunk,
        "threads": args.threads,
        "raw_docs_per_s": round(raw_rate, 1),
        "ours_docs_per_s": round(our_rate, 1),
        "ratio": round(our_rate / raw_rate, 3),
        "goal_ratio": 0.9,
        "raw_seconds": [round(s["insert_wall"], 3) for s in samples["raw"]],
        "ours_seconds": [round(s["insert_wall"], 3) for s in samples["ours"]],
    }


# --- main --------------------------------------------------------------------------------------------------
def _print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['docs']} articles of ~{result['avg_words']} words ({result['text']} text), "
        f"median of {result['repeat']} alternating rounds"
    )
    for part in result["backends"]:
        name = part["backend"]
        if "skipped" in part:
            print(f"{name}: skipped ({part['skipped']})")
            continue
        if name == "sqlite":
            print(f"sqlite, batches of {part['batch']} (one transaction each):")
            print(
                f"  raw executemany + FTS5  : {part['raw_docs_per_s']:>7} docs/s  "
                f"{part['raw_cpu_s_per_1k']} CPU s/1k docs  {part['raw_seconds']}"
            )
            print(
                f"  SQLiteStore.upsert      : {part['ours_docs_per_s']:>7} docs/s  "
                f"{part['ours_cpu_s_per_1k']} CPU s/1k docs  {part['ours_seconds']}"
            )
            print(
                f"  ratio ours/raw          : {part['ratio']}  (goal: ours >= {part['goal_docs_per_s']} docs/s; "
                f"{part['ours_docs_per_cpu_s']} docs per CPU second)"
            )
            print(f"  re-crawl, unchanged     : {part['unchanged_docs_per_s']:>7} docs/s")
        else:
            print(f"{name}, batches of {part['batch']}, bulk chunks of {part['chunk']}:")
            print(f"  raw helpers.bulk        : {part['raw_docs_per_s']:>9} docs/s  {part['raw_seconds']}")
            print(f"  newsagg indexer         : {part['ours_docs_per_s']:>9} docs/s  {part['ours_seconds']}")
            print(f"  ratio ours/raw          : {part['ratio']}  (goal >= {part['goal_ratio']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "engine"], help="run one backend only (default: both)")
    parser.add_argument("--engine", choices=["opensearch", "elasticsearch"], default="opensearch")
    parser.add_argument("--url", help="engine URL (default: the test engine, see docs/engines.md)")
    parser.add_argument("--text", choices=["real", "synthetic"], default="real")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark root")
    parser.add_argument("--sqlite-batch", type=int, default=500, help="articles per upsert_articles call (SQLite)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per upsert_articles call (engine)")
    parser.add_argument("--chunk", type=int, default=500, help="documents per bulk request (engine, both)")
    parser.add_argument("--threads", type=int, default=2, help="bulk requests in flight (engine, ours)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)

    articles = make_articles(args.docs, texts=real_texts(args.data) if args.text == "real" else None)
    result: dict[str, Any] = {
        "docs": args.docs,
        "text": args.text,
        "repeat": args.repeat,
        "avg_words": round(sum(a["word_count"] for a in articles) / len(articles)),
        "backends": [],
    }
    if args.only in (None, "sqlite"):
        result["backends"].append(bench_sqlite(articles, args.sqlite_batch, args.repeat))
    if args.only in (None, "engine"):
        url, reason = engine_url(args.engine, args.url)
        if url is None:
            if args.only == "engine":
                raise SystemExit(f"no {args.engine} available: {reason}")
            result["backends"].append({"backend": args.engine, "skipped": reason})
        else:
            result["backends"].append(bench_engine(args.engine, url, articles, args))
    if args.format == "json":
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        _print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
