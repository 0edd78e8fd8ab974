"""Story-clustering evaluation: feed gold-labelled documents through the real clusterer and score BCubed.

The documents go through the same code as a crawl (a fresh SQLite store, ``StoryClusterer.assign`` one
article at a time, in a seeded random stream order), so the figure measures the product, not a copy of it.
The baseline is the reference point of the literature: TF-IDF vectors, average-linkage cosine clustering
with one global threshold — reported at its *best* threshold (an oracle choice, which flatters it).
"""

from __future__ import annotations

import math
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from newsagg.config import load_config
from newsagg.evaluation.bcubed import bcubed
from newsagg.evaluation.ecbplus import GoldDocument, load_gold
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer, StorySettings
from newsagg.stories.encoder import load_encoder
from newsagg.text import content_hash, content_terms

BASELINE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))


def _article(index: int, document: GoldDocument) -> dict[str, Any]:
    return {
        "id": f"doc{index:05d}",
        "url": f"http://ecbplus.test/{document.name}",
        "canonical_url": f"http://ecbplus.test/{document.name}",
        "title": document.title,
        "text": document.text,
        "language": "en",
        "authors": [],
        "keywords": [],
        "warnings": [],
        "content_hash": content_hash(document.text),
        "word_count": len(document.text.split()),
        "dup_group": f"doc{index:05d}",
    }


def cluster_with_newsagg(
    documents: list[GoldDocument], settings: StorySettings | None = None, *, seed: int = 13
) -> tuple[dict[str, str], float]:
    """Story id per document name, and seconds spent, clustering in a seeded stream order."""
    order = list(range(len(documents)))
    random.Random(seed).shuffle(order)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "eval.sqlite")
        clusterer = StoryClusterer(store, settings)
        for index in order:
            article = _article(index, documents[index])
            store.upsert_articles([article])
            clusterer.assign(article)
        assigned = {documents[int(a["id"][3:])].name: a["story_id"] for a in store.iter_articles()}
        # Follow merges: an article may point at a story that was later merged into another.
        resolved = {name: (store.get_story(story) or {"id": story})["id"] for name, story in assigned.items()}
        store.close()
    return resolved, time.perf_counter() - started


def tfidf_average_linkage(documents: list[GoldDocument]) -> dict[float, dict[str, str]]:
    """Baseline clusterings, one per threshold on cosine similarity."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    counts = [content_terms(f"{d.title} {d.text}") for d in documents]
    df = Counter(term for c in counts for term in c)
    vocabulary = {term: i for i, term in enumerate(sorted(t for t, n in df.items() if n >= 2))}
    matrix = np.zeros((len(documents), len(vocabulary)), dtype=np.float32)
    for row, c in enumerate(counts):
        for term, n in c.items():
            if term in vocabulary:
                matrix[row, vocabulary[term]] = (1 + math.log(n)) * math.log(len(documents) / df[term])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1, norms)
    tree = linkage(pdist(matrix, metric="cosine"), method="average")
    results = {}
    for threshold in BASELINE_THRESHOLDS:
        labels = fcluster(tree, t=1 - threshold, criterion="distance")
        results[threshold] = {d.name: f"b{label}" for d, label in zip(documents, labels, strict=True)}
    return results


def product_settings() -> StorySettings:
    """The settings a crawl would use (declared defaults, settings file, ``NEWSAGG_*`` environment), so that
    e.g. ``NEWSAGG_STORY_ENCODER=off`` evaluates the product without the optional encoder."""
    return StorySettings.from_config(load_config())


def evaluate_clustering(
    data_dir: Path, *, limit: int | None = None, baseline: bool = True, settings: StorySettings | None = None
) -> dict[str, Any]:
    documents = load_gold(data_dir, limit=limit)
    gold = {d.name: d.story for d in documents}
    settings = settings or product_settings()
    predicted, seconds = cluster_with_newsagg(documents, settings)
    precision, recall, f1 = bcubed(predicted, gold)
    result: dict[str, Any] = {
        "docs": len(documents),
        "stories": len(set(predicted.values())),
        "gold_stories": len(set(gold.values())),
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(f1, 4),
        "ms_per_doc": round(1000 * seconds / max(len(documents), 1), 2),
        "encoder": load_encoder(settings.encoder) is not None,
    }
    if baseline:
        best: dict[str, Any] = {}
        for threshold, clustering in tfidf_average_linkage(documents).items():
            p, r, f = bcubed(clustering, gold)
            if not best or f > best["bcubed_f1"]:
                best = {
                    "threshold": threshold,
                    "stories": len(set(clustering.values())),
                    "bcubed_precision": round(p, 4),
                    "bcubed_recall": round(r, 4),
                    "bcubed_f1": round(f, 4),
                }
        result["baseline"] = {"method": "tf-idf average-linkage cosine, best single threshold", **best}
    return result
