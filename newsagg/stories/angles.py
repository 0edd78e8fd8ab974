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

A story's text is read up to ``TEXT_BUDGET`` characters: past it each article contributes an equal share of its
text (its lead, at least ``MIN_LEAD`` characters; the title always in full), so the angles of a story of
hundreds of articles cost what those of ~60 cost, and a story within the budget is read whole.

A wire copy (an article with ``duplicate_of``) counts with what it changed: its terms minus those of the
original it copies. Counted in full, the wire's words would be "shared by everyone" and the agency's own
country would show no angle at all; left out, a country that only reprinted the wire would have none either.
Counted by difference, the original's words belong to the country that wrote them and a reprint's local
paragraph or rewritten headline is the reprinting country's angle.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
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
#: Characters of article text a story's angles read at most (see ``lead_limit``), and the shortest lead kept.
TEXT_BUDGET = 80_000
MIN_LEAD = 300

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
#: ``_WORD`` or a sentence end (as ``_SENTENCE_END``) in one pass: a word is returned as is, a sentence end as ""
#: (which folds to no content word, so no pair spans it). Finds the same words and ends as ``_SENTENCE_END.split``
#: then ``_WORD.findall`` on each sentence (words hold no space, ends only punctuation and space), in less than
#: half the time: the look-behind of ``_SENTENCE_END`` is tried at every character, and ``\w`` is matched
#: faster than ``[^\W_]``; a text with "_" (which ``\w`` matches) is read with ``_WORD`` itself.
_TOKEN = re.compile(r"(\w+(?:['’]\w+)?)|[.!?…]\s+|\n+", re.UNICODE)
_TOKEN_EXACT = re.compile(r"([^\W_]+(?:['’][^\W_]+)?)|[.!?…]\s+|\n+", re.UNICODE)


@lru_cache(maxsize=200_000)
def _content_word(surface: str) -> str | None:
    """The folded form of a content word (no stopword, number or one-letter word), else None; cached because
    a story repeats its vocabulary and folding is most of the cost."""
    folded = fold(surface)
    return folded if len(folded) > 2 and folded not in STOPWORDS and not folded.isdigit() else None


def _occurrences(term: str, surfaces: list[str], folded: list[str | None]) -> list[str]:
    """The surface form of each occurrence of ``term`` (a content word or a pair of adjacent ones) in a run of
    words and their folded forms, in reading order (a word, then the pair it ends)."""
    found: list[str] = []
    previous: tuple[str, str] | None = None
    for word, surface in zip(folded, surfaces, strict=True):
        if word is None:
            previous = None
            continue
        if word == term:
            found.append(surface)
        if previous is not None and f"{previous[0]} {word}" == term:
            found.append(f"{previous[1]} {surface}")
        previous = (word, surface)
    return found


def _first(term: str, folded: list[str | None]) -> int | None:
    """Position of the word where the first occurrence of ``term`` (a content word, or a pair of adjacent ones:
    its second word) is, in a list of folded words; None if it is not there."""
    found = [folded.index(term)] if term in folded else []
    if " " in term:
        first, _, second = term.partition(" ")
        if " " in second:  # only a word whose folding holds a space (a ligature) makes such a pair
            pairs = (f"{one} {two}" == term if one and two else False for one, two in pairwise(folded))
        else:
            pairs = (one == first and two == second for one, two in pairwise(folded))
        found.extend(position + 1 for position, match in enumerate(pairs) if match)
    return min(found, default=None)


@dataclass(slots=True)
class _Read:
    """One article as read for its story's angles: its text, its words (a sentence end as "") with their folded
    forms (None for anything but a content word), and the counts of its terms.

    Sentences are split only for the few terms a country is shown with, and only in the first articles that
    hold each (:meth:`sentence_with`): splitting every article of a large story into sentences with their
    terms was about half the cost of its angles."""

    article: Mapping[str, Any]
    text: str
    surfaces: list[str]
    folded: list[str | None]
    #: every term occurrence (content words, then pairs), and their counts
    sequence: list[str]
    terms: Counter[str]
    sentences: list[str] | None = None

    def sentence_with(self, term: str) -> str | None:
        """The first sentence that holds ``term``."""
        if term not in self.terms:
            return None
        position = _first(term, self.folded)
        if position is None:
            return None
        if self.sentences is None:
            self.sentences = _SENTENCE_END.split(self.text)
        return self.sentences[self.surfaces[:position].count("")].strip()

    def pair_forms(self, first: str, second: str) -> list[str]:
        """The surface forms of the pair of content words ``first second`` in reading order."""
        return [
            f"{one} {two}"
            for (word, one), (following, two) in pairwise(zip(self.folded, self.surfaces, strict=True))
            if word == first and following == second
        ]


def _read(article: Mapping[str, Any], text: str) -> _Read:
    """``text`` read in one pass of ``_TOKEN``, its terms counted by ``Counter`` (in C): no Python step per word
    but the folding (cached) and the joining of each pair of content words."""
    surfaces = (_TOKEN_EXACT if "_" in text else _TOKEN).findall(text)
    folded = list(map(_content_word, surfaces))
    sequence = [word for word in folded if word]
    sequence += [f"{first} {second}" for first, second in pairwise(folded) if first and second]
    return _Read(article, text, surfaces, folded, sequence, Counter(sequence))


@dataclass
class _Counts:
    """Term counts of one body of text."""

    terms: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.terms.values())

    def add(self, seen: Iterable[str] | Mapping[str, int]) -> None:
        """Add terms: occurrences (counted in C), or counts."""
        self.terms.update(seen)


def _spellings(terms: Iterable[str], members: list[_Read]) -> dict[str, str]:
    """The most frequent surface form of each folded term in the group ("Nayib Bukele" for "nayib bukele"), ties
    to the form read first. Words from one count of the group's words; pairs from the articles that hold them."""
    wanted = set(terms)
    found: dict[str, Counter[str]] = {term: Counter() for term in wanted}
    forms: Counter[str] = Counter()
    for member in members:
        forms.update(member.surfaces)
    spaced = False  # a word whose folding holds a space (a ligature) could spell a pair too: read those in order
    for surface, seen in forms.items():
        folded = _content_word(surface)
        if folded is not None and " " in folded:
            spaced = True
        elif folded is not None and folded in wanted:
            found[folded][surface] += seen
    for term in wanted:
        if " " not in term:
            continue
        first, _, second = term.partition(" ")
        for member in members:
            if term in member.terms:
                found[term].update(
                    _occurrences(term, member.surfaces, member.folded) if spaced else member.pair_forms(first, second)
                )
    return {term: (found[term].most_common(1)[0][0] if found[term] else term) for term in wanted}


def _article_text(article: Mapping[str, Any], limit: int | None = None) -> str:
    """Title and text; with ``limit``, the text's first ``limit`` characters, cut at a word (its lead)."""
    text = article.get("text") or ""
    if limit is not None and len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit]
    return f"{article.get('title') or ''}\n{text}"


def lead_limit(articles: list[Mapping[str, Any]], budget: int = TEXT_BUDGET) -> int | None:
    """Characters of text read per article: all of it while the story's text fits ``budget``, else an equal
    share of it (at least ``MIN_LEAD``), so a story of hundreds of articles costs what one of ~60 costs."""
    total = sum(len(article.get("text") or "") for article in articles)
    if total <= budget:
        return None
    return max(MIN_LEAD, budget // max(1, len(articles)))


def log_odds_z(
    group: Counter[str],
    rest: Mapping[str, int],
    prior: Mapping[str, float],
    prior_total: float,
    *,
    rest_total: int | None = None,
    group_total: int | None = None,
) -> dict[str, float]:
    """z-scores of the log-odds ratio with an informative Dirichlet prior, for every term of ``group``.

    ``rest_total`` is the rest's number of terms when ``rest`` holds only the counts of ``group``'s terms, and
    ``group_total`` the group's when ``group`` holds only the terms to score.
    """
    n_i = sum(group.values()) if group_total is None else group_total
    n_j = sum(rest.values()) if rest_total is None else rest_total
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


def _sentences_with(term: str, members: list[_Read], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` sentences that contain ``term``, one per article."""
    found: list[dict[str, Any]] = []
    for member in members:
        text = member.sentence_with(term)
        if text is None:
            continue
        if len(text) > MAX_SENTENCE_CHARS:
            text = text[: MAX_SENTENCE_CHARS - 1].rstrip() + "…"
        article = member.article
        found.append({"article_id": article.get("id"), "outlet_name": article.get("outlet_name"), "text": text})
        if len(found) >= limit:
            break
    return found


def _pick(scores: dict[str, float], group: _Counts, top: int, min_z: float) -> list[str]:
    """Best terms by z; a single word is dropped when a chosen two-word term already shows it.

    The ranking is a heap, popped until ``top`` terms are chosen: a large story has thousands of candidates
    and shows eight."""
    chosen: list[str] = []
    counts = group.terms
    # ties (common in small stories) go to the more frequent term, then to the longer one: a name over its parts
    ranked = [(-round(z, 6), -counts[term], -term.count(" "), term) for term, z in scores.items() if z >= min_z]
    heapq.heapify(ranked)
    while ranked and len(chosen) < top:
        term = heapq.heappop(ranked)[-1]
        if " " in term and counts[term] < 2:
            continue  # a phrase must recur to be one; a pair of words seen once is just adjacency
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
    return chosen


def regional_angles(
    articles: Iterable[Mapping[str, Any]], *, top: int = TOP_TERMS, min_z: float = MIN_Z, budget: int = TEXT_BUDGET
) -> list[dict[str, Any]]:
    """Per (language, country) of a story's articles: the terms that set it apart, with their sentences.

    Ordered by language, then by the country's number of articles (largest first), then country code; groups
    with nothing to compare with (the only country in their language) come last.
    """
    groups: dict[tuple[str, str], list[_Read]] = defaultdict(list)
    counted: dict[Any, Counter[str]] = {}
    articles = list(articles)
    limit = lead_limit(articles, budget)
    for article in articles:
        read = _read(article, _article_text(article, limit))
        counted[article.get("id")] = read.terms
        groups[(article.get("language") or "?", article.get("country") or "?")].append(read)
    counts: dict[tuple[str, str], _Counts] = {}
    # the prior's pool: each language's coverage, every country together (a country's terms plus the rest's)
    pools: dict[str, Counter[str]] = defaultdict(Counter)
    for key, members in groups.items():
        counts[key] = _Counts()
        for member in members:
            copied = member.article.get("duplicate_of")
            original = counted.get(copied) if copied else None
            seen = member.terms - original if original else member.sequence
            counts[key].add(seen)
            pools[key[0]].update(seen)
    result: list[dict[str, Any]] = []
    languages = Counter(language for language, _ in groups)
    for (language, country), members in sorted(
        groups.items(), key=lambda kv: (languages[kv[0][0]] < 2, kv[0][0], -len(kv[1]), kv[0][1])
    ):
        group = counts[(language, country)]
        others = [key for key in groups if key[0] == language and key[1] != country]
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
            pool = pools[language]
            pool_total, group_total = sum(pool.values()), group.total
            # only terms that can be shown are scored: a pair used once cannot (see _pick)
            eligible = Counter({term: n for term, n in group.terms.items() if n > 1 or " " not in term})
            # every other country's counts in this language, for those terms (all log_odds_z reads)
            rest = {term: pool[term] - count for term, count in eligible.items() if pool[term] > count}
            mass = min(PRIOR_MASS, float(pool_total))
            prior = {term: mass * pool[term] / pool_total for term in eligible}
            scores = log_odds_z(
                eligible, rest, prior, mass, rest_total=pool_total - group_total, group_total=group_total
            )
            chosen = _pick(scores, group, top, min_z)
            spellings = _spellings(chosen, members)
            for term in chosen:
                entry["terms"].append(
                    {
                        "term": spellings[term],
                        "folded": term,
                        "z": round(scores[term], 3),
                        "count": group.terms[term],
                        "rest_count": rest.get(term, 0),
                        "sentences": _sentences_with(term, members, SENTENCES_PER_TERM),
                    }
                )
        result.append(entry)
    return result
