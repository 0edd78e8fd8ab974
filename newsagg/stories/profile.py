"""A story's profile: the running sum of its members' normalized term vectors (per language) and names.

Comparing a new article with a story's centroid, rather than with a few of its members, averages out each
member's noise: the centroid of "Indian navy captures 23 pirates" keeps "23", "somali", "aden" strong and
lets one article's digressions fade. Term vectors are kept without IDF (IDF changes as the store grows) and
weighted at comparison time. Profiles are bounded (top terms only) so memory stays flat.

With the optional encoder (``encoder.py``) a profile may also keep the sum of its members' embeddings: a
language-independent centroid, compared by cosine. Like the term sums it lives in memory and is rebuilt
from the stored members when needed (see ``StoryClusterer._embed_profile``), so no backend stores anything
new.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsagg.stories.similarity import ArticleFeatures, Idf

MAX_TERMS = 400
MAX_NAMES = 80
#: Encoder cosines between unrelated news reports sit around .3-.55 (same region, same register): cosines
#: are rescaled so that this floor maps to 0 and 1 to 1, the range of the text and name scores.
SEMANTIC_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals combine (``StorySettings`` holds the tuned values)."""

    text: float = 0.8  # same language: share of text cosine against names
    semantic: float = 0.0  # across languages: share of the encoder against names (0 = names only)
    blend: float = 0.0  # same language: share of the encoder against text+names


def semantic_score(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - SEMANTIC_FLOOR) / (1.0 - SEMANTIC_FLOOR)))


def _cosine(a: Any, b: Any) -> float:
    import numpy as np

    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b)) / norm if norm else 0.0


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def _trim(counter: Counter[str], limit: int) -> Counter[str]:
    if len(counter) <= limit:
        return counter
    return Counter(dict(counter.most_common(limit)))


def weighted_norm(vector: Mapping[str, float], idf: Idf) -> float:
    return math.sqrt(sum((v * idf(t)) ** 2 for t, v in vector.items()))


#: A member's unit term and name vectors (``_unit`` of its ``terms`` and ``names``), as ``StoryProfile.add`` sums
#: them: the split pass adds each member to many camp profiles and computes them once (``camps.Camps``).
Units = tuple[dict[str, float], dict[str, float]]


def units_of(features: ArticleFeatures) -> Units:
    return _unit(features.terms), _unit(features.names)


#: Norms already computed, by ``id()`` of the vector: for loops that score many articles against the same
#: few profiles with one IDF (the split pass). The caller keeps every vector in it alive and unchanged.
NormMemo = dict[int, float]


def _norm(vector: Mapping[str, float], idf: Idf, memo: NormMemo | None) -> float:
    if memo is None:
        return weighted_norm(vector, idf)
    norm = memo.get(id(vector))
    if norm is None:
        norm = memo[id(vector)] = weighted_norm(vector, idf)
    return norm


def weighted_cosine(
    a: Mapping[str, float],
    b: Mapping[str, float],
    idf: Idf,
    memo: NormMemo | None = None,
    norm_b: float | None = None,
) -> float:
    """IDF-weighted cosine; ``norm_b``: ``b``'s weighted norm when the caller already has it."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    # Only shared terms: an absent term adds an exact 0.0, so the sum (same order) is the same to the bit.
    dot = sum(v * large[t] * idf(t) ** 2 for t, v in small.items() if t in large)
    norm_a = _norm(a, idf, memo)
    if norm_b is None:
        norm_b = _norm(b, idf, memo)
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


@dataclass(slots=True)
class StoryProfile:
    story_id: str
    size: int = 0
    terms: dict[str, Counter[str]] = field(default_factory=dict)  # language -> summed unit term vectors
    names: Counter[str] = field(default_factory=Counter)  # summed unit name vectors
    embedding: Any = None  # summed unit encoder vectors (numpy), None without the encoder
    #: Weighted norms of ``names`` and of each language's terms under one IDF generation (see ``score``):
    #: a story is scored against many articles between two changes. Emptied whenever the sums change.
    norms: dict[tuple[int, str | None], float] = field(default_factory=dict, repr=False, compare=False)

    def add(self, features: ArticleFeatures, units: Units | None = None) -> None:
        """Add a member; ``units``: its :func:`units_of` when the caller has them (the same sums)."""
        self.norms.clear()
        term_units, name_units = units_of(features) if units is None else units
        language = features.language or "?"
        bucket = self.terms.setdefault(language, Counter())
        bucket.update(term_units)
        self.terms[language] = _trim(bucket, MAX_TERMS)
        self.names.update(name_units)
        self.names = _trim(self.names, MAX_NAMES)
        if features.embedding is not None:
            vector = features.embedding
            self.embedding = vector.copy() if self.embedding is None else self.embedding + vector
        elif self.embedding is not None:
            # A member without a vector would leave the centroid partial: rebuild it when next needed.
            self.embedding = None
        self.size += 1

    def merge(self, other: StoryProfile) -> None:
        self.norms.clear()
        for language, bucket in other.terms.items():
            mine = self.terms.setdefault(language, Counter())
            mine.update(bucket)
            self.terms[language] = _trim(mine, MAX_TERMS)
        self.names.update(other.names)
        self.names = _trim(self.names, MAX_NAMES)
        # Both centroids or none (a partial one would mislead): a missing one is rebuilt when next needed.
        both = self.embedding is not None and other.embedding is not None
        self.embedding = self.embedding + other.embedding if both else None
        self.size += other.size

    def semantic(self, embedding: Any) -> float | None:
        """Rescaled encoder cosine of an embedding (an article's or a story's) with this story's centroid."""
        if embedding is None or self.embedding is None:
            return None
        return semantic_score(_cosine(embedding, self.embedding))

    def without(self, features: ArticleFeatures, units: Units | None = None) -> StoryProfile:
        """This profile minus one member (leave-one-out comparisons); the copy is not trimmed again.
        ``units``: as for :meth:`add`."""
        term_units, name_units = units_of(features) if units is None else units
        terms = {lang: Counter(bucket) for lang, bucket in self.terms.items()}
        bucket = terms.get(features.language or "?")
        if bucket is not None:
            bucket.subtract(term_units)
            terms[features.language or "?"] = Counter({k: v for k, v in bucket.items() if v > 1e-9})
            if not terms[features.language or "?"]:
                del terms[features.language or "?"]
        names = Counter(self.names)
        names.subtract(name_units)
        embedding = self.embedding
        if embedding is not None and features.embedding is not None:
            embedding = embedding - features.embedding
        return StoryProfile(
            self.story_id, self.size - 1, terms, Counter({k: v for k, v in names.items() if v > 1e-9}), embedding
        )

    def score(
        self,
        features: ArticleFeatures,
        idf: Idf,
        weights: Weights,
        *,
        cross_lingual: bool = False,
        memo: NormMemo | None = None,
        generation: int | None = None,
    ) -> float:
        """Similarity of an article to this story: text against the members in its language (when there
        are any), names against all members; names alone across languages — or, with the encoder, names and
        the encoder's cosine. ``memo``: see :data:`NormMemo`. ``generation``: a number that names ``idf``
        for as long as it gives every term of this profile the same weight; the profile's norms are then
        kept (in ``norms``) and reused by the next article scored under the same generation."""
        names = weighted_cosine(features.names, self.names, idf, memo, self._norm_of(None, self.names, idf, generation))
        language = features.language or "?"
        same_language = None if cross_lingual else self.terms.get(language)
        semantic = self.semantic(features.embedding)
        if not same_language:
            return names if semantic is None else weights.semantic * semantic + (1 - weights.semantic) * names
        text = weighted_cosine(
            features.terms, same_language, idf, memo, self._norm_of(language, same_language, idf, generation)
        )
        lexical = weights.text * text + (1 - weights.text) * names
        return lexical if semantic is None else weights.blend * semantic + (1 - weights.blend) * lexical

    def _norm_of(self, key: str | None, vector: Mapping[str, float], idf: Idf, generation: int | None) -> float | None:
        """The weighted norm of one of this profile's vectors (``key``: a language, None for the names), kept
        for ``generation``; None without a generation (the caller computes it)."""
        if generation is None or not vector:
            return None
        cached = self.norms.get((generation, key))
        if cached is None:
            if self.norms and next(iter(self.norms))[0] != generation:
                self.norms.clear()  # one generation at a time: older norms are never asked for again
            cached = self.norms[(generation, key)] = weighted_norm(vector, idf)
        return cached

    def similarity_to(self, other: StoryProfile, idf: Idf, weights: Weights) -> float:
        """Story-to-story similarity, used to merge stories that converge."""
        names = weighted_cosine(self.names, other.names, idf)
        shared = self.terms.keys() & other.terms.keys()
        semantic = self.semantic(other.embedding)
        if not shared:
            return names if semantic is None else weights.semantic * semantic + (1 - weights.semantic) * names
        text = max(weighted_cosine(self.terms[lang], other.terms[lang], idf) for lang in shared)
        lexical = weights.text * text + (1 - weights.text) * names
        return lexical if semantic is None else weights.blend * semantic + (1 - weights.blend) * lexical
