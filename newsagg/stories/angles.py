"""Regional angles: the words and names that set one country's coverage of a story apart from the rest.

Method: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
Words", section 3.5). For a term *w*, a country's counts ``y_i`` (``n_i`` terms in all) against the rest of the
story in the same language ``y_j`` (``n_j``), with prior pseudo-counts ``a_w`` (``a_0`` in all)::

    delta_w = log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - log((y_j + a_w) / (n_j + a_0 - y_j - a_w))
    var_w   ~ 1 / (y_i + a_w) + 1 / (y_j + a_w)
    z_w     = delta_w / sqrt(var_w)

The prior is the story's own coverage in that language (every country together), scaled to ``PRIOR_MASS``
pseudo-terms (or to the coverage's own size when smaller, so a short story is not drowned by its prior): it
shrinks the estimates of rare terms towards the story's usual frequency, so a word that one
outlet happened to use once does not outrank a name the whole country kept repeating — the reason the paper
prefers it to raw frequency or tf-idf differences.

Why "within a language": compared across languages every word of the other language would be an "angle".
A country whose coverage in that language is the only one (e.g. the story's only English-language outlets)
gets no terms and says so (``compared_with.articles == 0``).

Terms are content words (no stopwords, numbers or one-letter words) and two-word sequences of them used at
least twice, which catch names ("Nayib Bukele") and phrases ("mesa técnica"); each is shown in its most
frequent spelling, with the sentences it comes from.

A wire copy (an article with ``duplicate_of``) counts with what it changed: its terms minus those of the
original it copies. Counted in full, the wire's words would be "shared by everyone" and the agency's own
country would show no angle at all; left out, a country that only reprinted the wire would have none either.
Counted by difference, the original's words belong to the country that wrote them and a reprint's local
paragraph or rewritten headline is the reprinting country's angle.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsagg.text import STOPWORDS, fold

#: Total pseudo-counts of the informative prior (see module doc).
PRIOR_MASS = 500.0
#: Terms reported per country, and sentences per term.
TOP_TERMS = 8
SENTENCES_PER_TERM = 2
#: A term must stand out at least this much (z-score of the log-odds ratio) to count as an angle. A weak floor
#: on purpose: z grows with the amount of text, and a story of a few articles has no "significant" term at
#: all; the floor only drops terms a country uses no more than the others, the ranking does the rest.
MIN_Z = 0.5
MAX_SENTENCE_CHARS = 320

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass
class _Counts:
    """Term counts of one body of text, with the surface spellings each folded term was seen in."""

    terms: Counter[str] = field(default_factory=Counter)
    spellings: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def total(self) -> int:
        return sum(self.terms.values())

    def add(self, text: str, minus: Counter[str] | None = None) -> None:
        """Count ``text``'s terms, less the counts in ``minus`` (a copy's original)."""
        seen: Counter[str] = Counter()
        for term, surface in _terms(text):
            seen[term] += 1
            self.spellings[term][surface] += 1
        self.terms.update(seen - minus if minus else seen)


def _count(text: str) -> Counter[str]:
    return Counter(term for term, _ in _terms(text))


def _is_content(folded: str) -> bool:
    return len(folded) > 2 and folded not in STOPWORDS and not folded.isdigit()


def _terms(text: str) -> Iterable[tuple[str, str]]:
    """(folded term, surface form) for every content word and every pair of adjacent content words."""
    previous: tuple[str, str] | None = None
    for sentence in _SENTENCE_END.split(text):
        previous = None
        for match in _WORD.finditer(sentence):
            surface = match.group(0)
            folded = fold(surface)
            if not _is_content(folded):
                previous = None
                continue
            yield folded, surface
            if previous is not None:
                yield f"{previous[0]} {folded}", f"{previous[1]} {surface}"
            previous = (folded, surface)


def _article_text(article: Mapping[str, Any]) -> str:
    return f"{article.get('title') or ''}\n{article.get('text') or ''}"


def log_odds_z(
    group: Counter[str], rest: Counter[str], prior: Mapping[str, float], prior_total: float
) -> dict[str, float]:
    """z-scores of the log-odds ratio with an informative Dirichlet prior, for every term of ``group``."""
    n_i, n_j = sum(group.values()), sum(rest.values())
    scores: dict[str, float] = {}
    for term, y_i in group.items():
        if y_i <= 0:
            continue
        a_w = prior[term]
        y_j = rest.get(term, 0)
        delta = math.log((y_i + a_w) / (n_i + prior_total - y_i - a_w)) - math.log(
            (y_j + a_w) / (n_j + prior_total - y_j - a_w)
        )
        scores[term] = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
    return scores


def _sentences_with(term: str, articles: list[Mapping[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` sentences (from different articles first) that contain ``term``."""
    wanted = term.split()
    found: list[dict[str, Any]] = []
    for article in articles:
        for sentence in _SENTENCE_END.split(_article_text(article)):
            words = [fold(w) for w in _WORD.findall(sentence)]
            if any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)):
                text = sentence.strip()
                if len(text) > MAX_SENTENCE_CHARS:
                    text = text[: MAX_SENTENCE_CHARS - 1].rstrip() + "…"
                found.append({"article_id": article.get("id"), "outlet_name": article.get("outlet_name"), "text": text})
                break  # one sentence per article
        if len(found) >= limit:
            break
    return found


def _pick(scores: dict[str, float], group: _Counts, top: int, min_z: float) -> list[str]:
    """Best terms by z; a single word is dropped when a chosen two-word term already shows it."""
    chosen: list[str] = []
    # ties (common in small stories) go to the more frequent term, then to the longer one: a name over its parts
    for term in sorted(scores, key=lambda t: (-round(scores[t], 6), -group.terms[t], -t.count(" "), t)):
        if scores[term] < min_z or len(chosen) >= top:
            break
        if " " in term and group.terms[term] < 2:
            continue  # a phrase must recur to be one; a pair of words seen once is just adjacency
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
    return chosen


def regional_angles(
    articles: Iterable[Mapping[str, Any]], *, top: int = TOP_TERMS, min_z: float = MIN_Z
) -> list[dict[str, Any]]:
    """Per (language, country) of a story's articles: the terms that set it apart, with their sentences.

    Ordered by language, then by the country's number of articles (largest first), then country code; groups
    with nothing to compare with (the only country in their language) come last.
    """
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for article in articles:
        groups[(article.get("language") or "?", article.get("country") or "?")].append(article)
    by_id = {a.get("id"): a for members in groups.values() for a in members}
    counts: dict[tuple[str, str], _Counts] = {}
    for key, members in groups.items():
        counts[key] = _Counts()
        for article in members:
            original = by_id.get(article.get("duplicate_of"))
            counts[key].add(_article_text(article), _count(_article_text(original)) if original else None)
    result: list[dict[str, Any]] = []
    languages = Counter(language for language, _ in groups)
    for (language, country), members in sorted(
        groups.items(), key=lambda kv: (languages[kv[0][0]] < 2, kv[0][0], -len(kv[1]), kv[0][1])
    ):
        group = counts[(language, country)]
        others = [key for key in groups if key[0] == language and key[1] != country]
        rest: Counter[str] = Counter()
        for key in others:
            rest.update(counts[key].terms)
        entry: dict[str, Any] = {
            "country": country,
            "language": language,
            "articles": len(members),
            "compared_with": {
                "articles": sum(len(groups[key]) for key in others),
                "countries": sorted(key[1] for key in others),
            },
            "method": "log-odds ratio, informative Dirichlet prior (Monroe et al. 2008)",
            "terms": [],
        }
        if others and group.total:
            pool = group.terms + rest
            pool_total = sum(pool.values())
            mass = min(PRIOR_MASS, float(pool_total))
            prior = {term: mass * count / pool_total for term, count in pool.items()}
            scores = log_odds_z(group.terms, rest, prior, mass)
            for term in _pick(scores, group, top, min_z):
                entry["terms"].append(
                    {
                        "term": group.spellings[term].most_common(1)[0][0],
                        "folded": term,
                        "z": round(scores[term], 3),
                        "count": group.terms[term],
                        "rest_count": rest.get(term, 0),
                        "sentences": _sentences_with(term, members, SENTENCES_PER_TERM),
                    }
                )
        result.append(entry)
    return result
