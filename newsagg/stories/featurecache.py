"""The clusterer's bounded cache of article features, kept compact.

The split pass (``StoryClusterer._maybe_split``) reads every member of a story again at each of its size
checkpoints, long after most of them were assigned. Features that fell out of the cache were tokenized
again: on the 5,000-page bench web ≈ 9,600 times for 4,918 articles, ≈ 20 % of clustering. Held as Python
dicts an entry costs ≈ 52 bytes a term; here it is a tuple of the (interned) terms and an array of their
counts (a byte each when below 256): ≈ 10 bytes a term with the entry's overhead, so the same ≈ 5 MB hold
five times the terms.

Exact: ``ArticleFeatures.of`` weighs a term or name seen ``c`` times ``1.0 + math.log(c)``; the count is
recovered from the weight and the weight recomputed from it, and an entry whose weights do not all come
back bit for bit keeps them as they are (an array of doubles). Terms keep their order, so every sum over a
materialized vector runs in the same order as over the original one.
"""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from newsagg.stories.similarity import ArticleFeatures

#: The weight of each small count, computed as ``ArticleFeatures.of`` does: unpacking is then a lookup in C.
_WEIGHTS = [0.0] + [1.0 + math.log(count) for count in range(1, 256)]
#: ... and the count of each of those weights (equal finite doubles are the same bits).
_COUNT_OF = {weight: count for count, weight in enumerate(_WEIGHTS) if count}


def _pack(weights: dict[str, float]) -> tuple[tuple[str, ...], array[Any]]:
    """The terms of ``weights`` and their counts, or (rarely, for weights that are not ``1 + log(count)``)
    the weights themselves."""
    small = list(map(_COUNT_OF.get, weights.values()))  # in C: a count below 256 is found by its weight
    if None not in small:
        return tuple(weights), array("B", small)
    counts: list[int] = []
    try:
        for weight in weights.values():
            count = round(math.exp(weight - 1.0))
            if 1.0 + math.log(count) != weight:
                raise ValueError(weight)
            counts.append(count)
    except (ValueError, OverflowError):
        return tuple(weights), array("d", weights.values())
    return tuple(weights), array("I", counts)  # a term seen 256 times or more in one article (rare)


def _unpack(terms: tuple[str, ...], values: array[Any]) -> dict[str, float]:
    if values.typecode == "d":
        return dict(zip(terms, values, strict=True))
    if values.typecode == "B":
        return dict(zip(terms, map(_WEIGHTS.__getitem__, values), strict=True))
    log = math.log
    return {term: 1.0 + log(count) for term, count in zip(terms, values, strict=True)}


@dataclass(slots=True)
class _Entry:
    article_id: str
    language: str | None
    when_utc: float | None
    terms: tuple[str, ...]
    term_values: array[Any]
    names: tuple[str, ...]
    name_values: array[Any]
    norm: float
    embedding: Any


class FeatureCache:
    """Least recently used first out, at most ``max_entries`` articles and ``max_terms`` terms and names."""

    def __init__(self, max_entries: int, max_terms: int) -> None:
        self.max_entries = max_entries
        self.max_terms = max_terms
        self.terms = 0  # terms and names held
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> ArticleFeatures | None:
        """The features stored under ``key`` (a new object each time, equal to the one stored), or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        terms = _unpack(entry.terms, entry.term_values)
        return ArticleFeatures(
            article_id=entry.article_id,
            language=entry.language,
            when_utc=entry.when_utc,
            terms=terms,
            names=_unpack(entry.names, entry.name_values),
            vector=terms,  # as ``ArticleFeatures.of``: a flat-IDF vector is the term weights
            norm=entry.norm,
            embedding=entry.embedding,
        )

    def put(self, key: Hashable, features: ArticleFeatures) -> None:
        """Store ``features`` (its flat-IDF vector, as ``ArticleFeatures.of`` makes it); the oldest entries go
        until both bounds hold, except the one just stored (about to be used)."""
        old = self._entries.pop(key, None)
        if old is not None:
            self.terms -= len(old.terms) + len(old.names)
        terms, term_values = _pack(features.terms)
        names, name_values = _pack(features.names)
        self._entries[key] = _Entry(
            features.article_id,
            features.language,
            features.when_utc,
            terms,
            term_values,
            names,
            name_values,
            features.norm,
            features.embedding,
        )
        self.terms += len(terms) + len(names)
        entries = self._entries
        while len(entries) > 1 and (len(entries) > self.max_entries or self.terms > self.max_terms):
            _, gone = entries.popitem(last=False)
            self.terms -= len(gone.terms) + len(gone.names)

    def set_embedding(self, key: Hashable, embedding: Any) -> None:
        """Keep an encoder vector computed after the features were stored."""
        entry = self._entries.get(key)
        if entry is not None:
            entry.embedding = embedding
