"""Bulk indexing throughput: newsagg's engine indexer vs the client's raw ``helpers.bulk``, same documents,
same engine, same mappings, one run (alternating, median of ``--repeat`` rounds).

``ours`` is ``EngineStore.upsert_articles`` in batches of ``--batch`` articles: it reads the stored state of
every id first (mget), decides insert/update/unchanged, then bulk-writes with its own chunking, parallelism
and per-document retries. ``raw`` is ``helpers.bulk(client, index actions, chunk_size=--chunk)`` of the very
documents ``ours`` writes (same fields, same size). Neither refreshes while indexing; both indices get one
refresh and a count check after the clock stops.

    python bench/index_bench.py [--docs 10000] [--engine opensearch|elasticsearch] [--format json]

The engine comes from ``NEWSAGG_TEST_OPENSEARCH_URL`` / ``NEWSAGG_TEST_ES_URL``, else a node started by
``tests/engine/engine.sh`` (see docs/engines.md). Goal: ratio ours/raw >= 0.9.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsagg.storage.base import ARTICLE_FIELDS
from newsagg.storage.engine import EngineStore, _normalize
from newsagg.storage.engine_config import EngineConfig, split_credentials
from newsagg.text import content_hash

T0 = 1_795_000_000.0
_ES_WORDS = ("el gobierno anunció ayer una reforma de la ley de seguridad en la región tras la visita del presidente "
             "a la cárcel donde miles de presos esperan juicio mientras la oposición critica el plan y los vecinos "
             "piden más policía en las calles del centro histórico durante la temporada de lluvias").split()
_EN_WORDS = ("the government announced on tuesday a reform of the security law in the region after the president "
             "visited the prison where thousands of inmates await trial while the opposition criticised the plan "
             "and residents asked for more police in the streets of the old town during the rainy season").split()
_NAMES = ["Kast", "Bukele", "CECOT", "Boric", "Sheinbaum", "Milei", "Petro", "Lula", "Arévalo", "Noboa"]


def make_articles(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Deterministic news-like articles: ~250 words, Spanish and English, names, dates, outlets."""
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        language = "es" if i % 3 else "en"
        words = _ES_WORDS if language == "es" else _EN_WORDS
        body = " ".join(rng.choice(words) if rng.random() > 0.05 else rng.choice(_NAMES) for _ in range(250))
        text = f"{body.capitalize()}. Artículo {i}."
        published = T0 + rng.randint(0, 30 * 86400)
        articles.append({
            "id": f"{i:016x}", "url": f"https://outlet-{i % 40}.example/news/{i}",
            "canonical_url": f"https://outlet-{i % 40}.example/news/{i}", "outlet_id": f"outlet-{i % 40}",
            "outlet_name": f"Outlet {i % 40}", "country": ["CL", "SV", "MX", "AR", "US"][i % 5],
            "region": "Latin America", "language": language,
            "title": " ".join(rng.choice(words) for _ in range(8)).capitalize() + f" {rng.choice(_NAMES)}",
            "text": text, "authors": [f"Autor {i % 97}"], "description": text[:160], "site_name": None,
            "section": "politica", "keywords": [], "published_at": None, "published_utc": published,
            "published_source": "json-ld", "published_precision": "minute", "published_confidence": 0.9,
            "discovered_at": None, "discovered_utc": published + 600, "discovered_via": "sitemap",
            "content_hash": content_hash(text), "word_count": len(text.split()), "dup_group": f"{i:016x}",
            "warnings": [],
        })
    return articles


def engine_url(engine: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    from tests.engine import harness

    url = harness.engine_url(engine)
    if url is None:
        raise SystemExit(f"no {engine} available: {harness.unavailable_reason(engine)}")
    return url


def config_for(engine: str, url: str, prefix: str, **overrides: Any) -> EngineConfig:
    clean, user, password = split_credentials(url)
    return EngineConfig(engine=engine, urls=(clean,), username=user, password=password, index_prefix=prefix,
                        replicas=0, **overrides)


def run_ours(config: EngineConfig, articles: list[dict[str, Any]], batch: int) -> tuple[float, int]:
    store = EngineStore(config)
    try:
        started = time.perf_counter()
        inserted = 0
        for start in range(0, len(articles), batch):
            inserted += store.upsert_articles(articles[start : start + batch]).inserted
        seconds = time.perf_counter() - started
        assert inserted == len(articles), inserted
        assert store.count_articles() == len(articles)
        return seconds, inserted
    finally:
        store.drop()
        store.close()


def run_raw(config: EngineConfig, articles: list[dict[str, Any]], chunk: int) -> tuple[float, int]:
    store = EngineStore(config)  # only to create the same templates/mappings; writes go through helpers.bulk
    try:
        client = store.client._client
        helpers = _helpers(config.engine)
        docs = [EngineStore._document({n: _normalize(n, a.get(n)) for n in ARTICLE_FIELDS}, seq=i + 1,
                                      first_seen=0, now=0) for i, a in enumerate(articles)]
        alias = store.articles_alias
        started = time.perf_counter()
        ok, errors = helpers.bulk(client, ({"_index": alias, "_id": d["id"], "_source": d} for d in docs),
                                  chunk_size=chunk, max_chunk_bytes=config.bulk_bytes)
        seconds = time.perf_counter() - started
        assert ok == len(docs) and not errors, errors
        store.client.refresh(alias)
        assert store.count_articles() == len(articles)
        return seconds, ok
    finally:
        store.drop()
        store.close()


def _helpers(engine: str):  # type: ignore[no-untyped-def]
    if engine == "elasticsearch":
        from elasticsearch import helpers
    else:
        from opensearchpy import helpers
    return helpers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--engine", choices=["opensearch", "elasticsearch"], default="opensearch")
    parser.add_argument("--url", help="engine URL (default: the test engine, see docs/engines.md)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per upsert_articles call (ours)")
    parser.add_argument("--chunk", type=int, default=500, help="documents per bulk request (both)")
    parser.add_argument("--threads", type=int, default=2, help="bulk requests in flight (ours)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)

    url = engine_url(args.engine, args.url)
    articles = make_articles(args.docs)
    raw_times: list[float] = []
    our_times: list[float] = []
    for round_no in range(args.repeat):
        tag = uuid.uuid4().hex[:8]
        settings = {"bulk_docs": args.chunk, "bulk_threads": args.threads}
        raw_cfg = config_for(args.engine, url, f"newsagg-bench-raw-{tag}", **settings)
        our_cfg = config_for(args.engine, url, f"newsagg-bench-ours-{tag}", **settings)
        order = [("raw", raw_cfg), ("ours", our_cfg)]
        if round_no % 2:
            order.reverse()
        for name, cfg in order:
            if name == "raw":
                raw_times.append(run_raw(cfg, articles, args.chunk)[0])
            else:
                our_times.append(run_ours(cfg, articles, args.batch)[0])
    raw_rate = args.docs / statistics.median(raw_times)
    our_rate = args.docs / statistics.median(our_times)
    result = {
        "engine": args.engine,
        "docs": args.docs,
        "repeat": args.repeat,
        "batch": args.batch,
        "chunk": args.chunk,
        "threads": args.threads,
        "raw_docs_per_s": round(raw_rate, 1),
        "ours_docs_per_s": round(our_rate, 1),
        "ratio": round(our_rate / raw_rate, 3),
        "goal_ratio": 0.9,
        "raw_seconds": [round(t, 3) for t in raw_times],
        "ours_seconds": [round(t, 3) for t in our_times],
    }
    if args.format == "json":
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        print(f"{args.engine}, {args.docs} articles, median of {args.repeat}:")
        print(f"  raw helpers.bulk : {result['raw_docs_per_s']:>9} docs/s  {result['raw_seconds']}")
        print(f"  newsagg indexer  : {result['ours_docs_per_s']:>9} docs/s  {result['ours_seconds']}")
        print(f"  ratio ours/raw   : {result['ratio']}  (goal >= 0.9)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
