"""Small, dependency-free metrics shared by the evaluations.

``shingle_prf`` is the metric of the public article-extraction-benchmark (scrapinghub): precision / recall /
F1 over 4-word shingles of the lower-cased ``\\w+`` tokens, counted as multisets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str | None) -> list[str]:
    """Lower-cased word tokens (``\\w+``), the benchmark's tokenization."""
    return _TOKEN_RE.findall((text or "").lower())


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles; a text shorter than ``n`` tokens is one shingle (as the benchmark)."""
    tokens = tokenize(text)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def shingle_prf(gold: str | None, predicted: str | None, n: int = 4) -> PRF:
    """Precision/recall/F1 of ``predicted`` against ``gold`` over ``n``-word shingles.

    Both empty -> 1/1/1; one of them empty -> 0 for the measures that are undefined.
    """
    g = shingles(gold, n)
    p = shingles(predicted, n)
    if not g and not p:
        return PRF(1.0, 1.0, 1.0)
    tp = sum((g & p).values())
    n_pred = sum(p.values())
    n_gold = sum(g.values())
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, ``None`` for no values (a measure nobody carried)."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else None
