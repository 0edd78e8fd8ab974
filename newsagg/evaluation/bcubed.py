"""BCubed precision/recall/F1 over items (the news-stream clustering metric, Amigó et al. 2009)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Average over items of the share of an item's predicted cluster that shares its gold label (P), and
    the share of its gold cluster that shares its predicted cluster (R)."""
    items = [i for i in gold if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pair_counts = Counter((predicted[i], gold[i]) for i in items)
    predicted_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    precision = sum(pair_counts[(predicted[i], gold[i])] / predicted_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(pair_counts[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
