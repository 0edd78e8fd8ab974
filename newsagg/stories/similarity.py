"""Pairwise article similarity for story clustering, backend-independent.

Two signals, because one story crosses languages:
- *text*: cosine of TF-IDF content-term vectors (same language only; words differ across languages), with
  document frequencies from the store so that words every article uses ("gobierno", "president") weigh
  little;
- *names*: overlap of each article's most frequent names, acronyms and numbers, which survive translation
  ("Kast", "Bukele", "CECOT", "40.000" / "40,000").
Time distance damps both: stories are bursts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from newsagg.text import content_terms, entities

TOP_NAMES = 10
HALF_LIFE_HOURS = 72.0
TEXT_WEIGHT = 0.5

Idf = Callable[[str], float]


def flat_idf(_term: str) -> float:
    return 1.0


def idf_from_stats(total: int, frequencies: dict[str, int]) -> Idf:
    """Smoothed IDF (always > 0) from a store's ``term_stats``."""

    def idf(term: str) -> float:
        return math.log((total + 1) / (frequencies.get(term, 0) + 1)) + 1.0

    return idf


@dataclass(slots=True)
class ArticleFeatures:
    article_id: str
    language: str | None
    when_utc: float | None
    terms: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    vector: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    #: Unit encoder vector (numpy) when the optional encoder is on (set by the clusterer), else None.
    embedding: Any = None

    @classmethod
    def of(cls, article: dict[str, Any]) -> ArticleFeatures:
        title = article.get("title") or ""
        body = article.get("text") or ""
        # The headline counts double: it states the story. Counted in place (``update``), the headline once:
        # the same counts in the same key order as ``body + title + title``, without two new Counters each.
        counts = content_terms(body)
        headline = content_terms(title)
        counts.update(headline)
        counts.update(headline)
        found: Counter[str] = entities(body)
        headline_names = entities(title)
        found.update(headline_names)
        found.update(headline_names)
        when = article.get("published_utc") or article.get("discovered_utc")
        # Interned: the same words recur across articles, profiles and caches; one copy each keeps the
        # clusterer's caches a fraction of their size.
        terms = {intern(t): 1.0 + math.log(c) for t, c in counts.items()}
        features = cls(
            article_id=article["id"],
            language=article.get("language"),
            when_utc=float(when) if when is not None else None,
            terms=terms,
            names={intern(n): 1.0 + math.log(c) for n, c in found.most_common(TOP_NAMES)},
            # Weighed with a flat IDF the vector equals the term weights (w * 1.0 == w): share the dict.
            vector=terms,
            norm=math.sqrt(sum(v * v for v in terms.values())),
        )
        return features

    def weigh(self, idf: Idf) -> None:
        """(Re)build the TF-IDF vector with the given IDF."""
        self.vector = {t: w * idf(t) for t, w in self.terms.items()}
        self.norm = math.sqrt(sum(v * v for v in self.vector.values()))

    def query_terms(self, n: int = 12) -> list[str]:
        """Words to ask the store for candidates: the top names, then the heaviest terms."""
        picked = [name for name in self.names if not name.startswith("#")][: n // 2]
        ranked = sorted(self.vector.items(), key=lambda kv: (-kv[1], kv[0]))
        picked += [t for t, _ in ranked if t not in picked]
        return picked[:n]


def text_cosine(a: ArticleFeatures, b: ArticleFeatures) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.vector, b.vector) if len(a.vector) < len(b.vector) else (b.vector, a.vector)
    dot = sum(v * large.get(t, 0.0) for t, v in small.items())
    return dot / (a.norm * b.norm)


def name_overlap(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """Weighted overlap coefficient of the two articles' top names (1.0: one's names are all the other's)."""
    if not a.names or not b.names:
        return 0.0
    shared = sum(min(a.names[k], b.names[k]) for k in a.names.keys() & b.names.keys())
    return shared / min(sum(a.names.values()), sum(b.names.values()))


def time_factor(a: ArticleFeatures, b: ArticleFeatures) -> float:
    if a.when_utc is None or b.when_utc is None:
        return 1.0
    hours = abs(a.when_utc - b.when_utc) / 3600.0
    return float(0.5 ** (max(0.0, hours - 24.0) / HALF_LIFE_HOURS))


def similarity(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """0..1 score that a and b report the same story."""
    names = name_overlap(a, b)
    if a.language and b.language and a.language != b.language:
        score = names
    else:
        score = TEXT_WEIGHT * text_cosine(a, b) + (1 - TEXT_WEIGHT) * names
    return score * time_factor(a, b)
