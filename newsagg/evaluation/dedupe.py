"""Near-duplicate evaluation: labelled pairs made by controlled edits of real article bodies.

Positives: a real body (the extraction benchmark's gold texts) against a copy of it with boilerplate
swapped, the headline edited, paragraphs reordered, the text truncated, or lightly edited (words changed, a
paragraph dropped) — what republication of wire copy does. Negatives: different articles, and the hard
case, a *different story on the same topic* (ECB+ documents of the other event of the same topic).
Everything goes through the real ``DuplicateDetector`` over a real SQLite store, as in a crawl.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from newsagg.dedupe import DEFAULT_THRESHOLD, DuplicateDetector
from newsagg.evaluation.ecbplus import load_gold
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import content_hash

EDITS = ("boilerplate", "headline", "reordered", "truncated", "light-edit")
_FURNITURE = [
    "Listen to the article",
    "Share this article",
    "Sign up for our newsletter and get the news first.",
    "Advertisement",
    "Related: more stories from our regional desk",
    "Follow us on social media",
    "Escuchar la nota",
    "Publicidad",
    "Lee también: las noticias más leídas del día",
]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def edit(text: str, kind: str, rng: random.Random) -> str:
    paragraphs = _paragraphs(text)
    if kind == "boilerplate":
        return "\n".join(rng.sample(_FURNITURE, 3) + paragraphs + rng.sample(_FURNITURE, 3))
    if kind == "headline":
        words = paragraphs[0].split()
        return "\n".join([" ".join(rng.sample(words, min(len(words), 9))), *paragraphs])
    if kind == "reordered":
        shuffled = paragraphs[:]
        rng.shuffle(shuffled)
        return "\n".join(shuffled)
    if kind == "truncated":
        words = text.split()
        return " ".join(words[: max(1, int(len(words) * 0.65))])
    if kind == "light-edit":
        kept = paragraphs[:]
        if len(kept) > 3:
            kept.pop(rng.randrange(1, len(kept)))
        words = "\n".join(kept).split(" ")
        for index in rng.sample(range(len(words)), k=max(1, len(words) // 25)):
            words[index] = rng.choice(["dijo", "said", "reported", "according", "officials", "también"])
        return " ".join(words)
    raise ValueError(kind)


def evaluate_dedupe(
    benchmark_dir: Path,
    ecbplus_dir: Path | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 5,
    limit: int | None = None,
) -> dict[str, Any]:
    gold = json.loads((benchmark_dir / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = [(key, record["articleBody"]) for key, record in sorted(gold.items()) if record.get("articleBody")]
    bodies = [(k, b) for k, b in bodies if len(b.split()) >= 80][:limit]
    ecb = load_gold(ecbplus_dir, limit=limit) if ecbplus_dir else []
    rng = random.Random(seed)
    tp = fp = fn = 0
    by_edit: Counter[str] = Counter()
    positives_by_edit: Counter[str] = Counter()
    false_positive_kinds: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "dedupe.sqlite")
        detector = DuplicateDetector(store, threshold=threshold)

        def add(article_id: str, text: str) -> str | None:
            verdict, _ = detector.check(article_id, text, content_hash(text))
            store.upsert_articles(
                [
                    {
                        "id": article_id,
                        "url": article_id,
                        "text": text,
                        "dup_group": verdict.dup_group,
                        "content_hash": content_hash(text),
                        "authors": [],
                        "keywords": [],
                        "warnings": [],
                    }
                ]
            )
            return verdict.dup_group if verdict.kind else None

        origin: dict[str, str] = {}
        for key, body in bodies:
            matched = add(f"b:{key}", body)
            if matched:
                fp += 1
                false_positive_kinds["different article"] += 1
            origin[f"b:{key}"] = f"b:{key}"
        stories = {f"e:{d.name}": d.story for d in ecb}
        for document in ecb:
            matched = add(f"e:{document.name}", f"{document.title}\n{document.text}")
            if matched and matched in stories and stories[matched] != document.story:
                fp += 1
                false_positive_kinds[
                    "same topic, different story"
                    if matched.split("_")[0] == f"e:{document.name}".split("_")[0]
                    else "different article"
                ] += 1
        for key, body in bodies:
            for kind in EDITS:
                positives_by_edit[kind] += 1
                matched = add(f"v:{kind}:{key}", edit(body, kind, rng))
                if matched == f"b:{key}":
                    tp += 1
                    by_edit[kind] += 1
                else:
                    fn += 1
                    if matched:
                        fp += 1
                        false_positive_kinds["copy linked to the wrong article"] += 1
        store.close()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "threshold": threshold,
        "originals": len(bodies),
        "ecbplus_docs": len(ecb),
        "positive_pairs": tp + fn,
        "pair_precision": round(precision, 4),
        "pair_recall": round(recall, 4),
        "recall_by_edit": {k: round(by_edit[k] / positives_by_edit[k], 4) for k in EDITS},
        "false_positives": dict(false_positive_kinds),
    }
