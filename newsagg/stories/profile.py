"""A story's profile: the running sum of its members' normalized term vectors (per language) and names.

Comparing a new article with a story's centroid, rather than with a few of its members, averages out each
member's noise: the centroid of "Indian navy captures 23 pirates" keeps "23", "somali", "aden" strong and
lets one article's digressions fade. Term vectors are kept without IDF (IDF changes as the store grows) and
weighted at comparison time. Profiles are bounded (top terms only) so memory stays flat.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from newsagg.stories.similarity import ArticleFeatures, Idf

MAX_TERMS = 400
MAX_NAMES = 80


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def _trim(counter: Counter[str], limit: int) -> Counter[str]:
    if len(counter) <= limit:
        return counter
    return Counter(dict(counter.most_common(limit)))


def weighted_cosine(a: dict[str, float], b: dict[str, float], idf: Idf) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * large.get(t, 0.0) * idf(t) ** 2 for t, v in small.items())
    norm_a = math.sqrt(sum((v * idf(t)) ** 2 for t, v in a.items()))
    norm_b = math.sqrt(sum((v * idf(t)) ** 2 for t, v in b.items()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


@dataclass(slots=True)
class StoryProfile:
    story_id: str
    size: int = 0
    terms: dict[str, Counter[str]] = field(default_factory=dict)  # language -> summed unit term vectors
    names: Counter[str] = field(default_factory=Counter)  # summed unit name vectors

    def add(self, features: ArticleFeatures) -> None:
        language = features.language or "?"
        bucket = self.terms.setdefault(language, Counter())
        bucket.update(_unit(features.terms))
        self.terms[language] = _trim(bucket, MAX_TERMS)
        self.names.update(_unit(features.names))
        self.names = _trim(self.names, MAX_NAMES)
        self.size += 1

    def merge(self, other: StoryProfile) -> None:
        for language, bucket in other.terms.items():
            mine = self.terms.setdefault(language, Counter())
            mine.update(bucket)
            self.terms[language] = _trim(mine, MAX_TERMS)
        self.names.update(other.names)
        self.names = _trim(self.names, MAX_NAMES)
        self.size += other.size

    def score(self, features: ArticleFeatures, idf: Idf, text_weight: float) -> float:
        """Similarity of an article to this story: text against the members in its language (when there
        are any), names against all members; names alone across languages."""
        names = weighted_cosine(features.names, self.names, idf)
        same_language = self.terms.get(features.language or "?")
        if not same_language:
            return names
        text = weighted_cosine(features.terms, same_language, idf)
        return text_weight * text + (1 - text_weight) * names

    def similarity_to(self, other: StoryProfile, idf: Idf, text_weight: float) -> float:
        """Story-to-story similarity, used to merge stories that converge."""
        names = weighted_cosine(self.names, other.names, idf)
        shared = self.terms.keys() & other.terms.keys()
        if not shared:
            return names
        text = max(weighted_cosine(self.terms[lang], other.terms[lang], idf) for lang in shared)
        return text_weight * text + (1 - text_weight) * names
