"""Pairwise article similarity for story clustering, backend-independent.

Two signals, because one story crosses languages:
- *text*: cosine of log-scaled content-term vectors (same language only; words differ across languages);
- *entities*: overlap of capitalized names, acronyms and numbers, which survive translation
  ("Kast", "Bukele", "CECOT", "40.000" / "40,000").
Time distance damps both: stories are bursts.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from newsagg.text import content_terms, entities

TOP_ENTITIES = 25
HALF_LIFE_HOURS = 72.0


@dataclass(slots=True)
class ArticleFeatures:
    article_id: str
    language: str | None
    when_utc: float | None
    terms: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    names: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, article: dict) -> ArticleFeatures:
        title = article.get("title") or ""
        body = article.get("text") or ""
        # The headline counts double: it states the story.
        counts = content_terms(body) + content_terms(title) + content_terms(title)
        terms = {t: 1.0 + math.log(c) for t, c in counts.items()}
        found: Counter[str] = entities(body) + entities(title) + entities(title)
        names = {n: 1.0 + math.log(c) for n, c in found.most_common(TOP_ENTITIES)}
        when = article.get("published_utc") or article.get("discovered_utc")
        return cls(
            article_id=article["id"],
            language=article.get("language"),
            when_utc=float(when) if when is not None else None,
            terms=terms,
            norm=math.sqrt(sum(v * v for v in terms.values())),
            names=names,
        )

    def top_terms(self, n: int = 12) -> list[str]:
        ranked = sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))
        picked = [name.lstrip("#") for name, _ in ranked if not name.startswith("#")][: n // 2]
        picked += [t for t, _ in sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0])) if t not in picked]
        return picked[:n]


def _cosine(a: ArticleFeatures, b: ArticleFeatures) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.terms, b.terms) if len(a.terms) < len(b.terms) else (b.terms, a.terms)
    dot = sum(v * large.get(t, 0.0) for t, v in small.items())
    return dot / (a.norm * b.norm)


def _entity_overlap(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """Weighted Jaccard over the two articles' top entities."""
    keys = a.names.keys() | b.names.keys()
    if not keys:
        return 0.0
    shared = sum(min(a.names.get(k, 0.0), b.names.get(k, 0.0)) for k in keys)
    total = sum(max(a.names.get(k, 0.0), b.names.get(k, 0.0)) for k in keys)
    return shared / total if total else 0.0


def time_factor(a: ArticleFeatures, b: ArticleFeatures) -> float:
    if a.when_utc is None or b.when_utc is None:
        return 1.0
    hours = abs(a.when_utc - b.when_utc) / 3600.0
    return 0.5 ** (max(0.0, hours - 24.0) / HALF_LIFE_HOURS)


def similarity(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """0..1 score that a and b report the same story."""
    names = _entity_overlap(a, b)
    if a.language and b.language and a.language != b.language:
        score = names
    else:
        score = 0.6 * _cosine(a, b) + 0.4 * names
    return score * time_factor(a, b)
