"""Text analysis shared by every backend, so a query finds the same articles on SQLite and on the engines.

The engines analyze article text with a custom analyzer per language (``newsagg/storage/engine_schema.py``):
standard tokenizer, ``lowercase``, ``asciifolding``, ``snowball``. The SQLite store mirrors it in Python:
:func:`fold` is lower-casing plus Lucene's ASCII folding for Latin letters ('Cárceles' → 'carceles',
'Straße' → 'strasse'; other scripts keep their marks, as in Lucene), and :func:`stem` runs the
same Snowball algorithms through PyStemmer. PyStemmer 2.2 is the Snowball release Lucene 9 embeds
(OpenSearch 2, Elasticsearch 8: identical stems on 30,000 words of news in each language); Lucene 10
(OpenSearch 3, Elasticsearch 9) moved a few English words and its German stemmer (docs/search.md).
"""

from __future__ import annotations

import importlib.metadata
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import Stemmer

#: language code → Snowball algorithm, for the languages whose articles get stemmed on every backend.
SNOWBALL_LANGUAGES: dict[str, str] = {
    "es": "spanish",
    "en": "english",
    "pt": "portuguese",
    "de": "german",
    "fr": "french",
}

_V = TypeVar("_V")

#: Changes when an index built with this analysis must be rebuilt (a PyStemmer release, a folding change).
ANALYSIS_VERSION = f"pystemmer-{importlib.metadata.version('pystemmer')}/fold-1"

#: Tokens as SQLite's unicode61 tokenizer cuts them: runs of letters and digits (underscore separates).
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
#: Latin letters Unicode does not decompose but Lucene's ASCIIFoldingFilter rewrites.
_LATIN_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l"}
)
#: Combining marks are dropped only after Latin letters (below U+0250), as Lucene's folding does.
_LATIN_END = "\u0250"


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(SNOWBALL_LANGUAGES[language])


@cache
def _tagged_stems(language: str) -> _Memo[str]:
    """Folded token → its tagged stem in ``language``, memoized: a dict lookup per token instead of a call."""
    stemmer, tag = _stemmer(language), f"{language}_"
    return _Memo(lambda token: tag + str(stemmer.stemWord(token)))


def fold(word: str) -> str:
    """Lower-case and fold accents of Latin letters ('Región' → 'region'), like ``lowercase`` +
    ``asciifolding`` on the engines."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_LATIN_SPECIAL))
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1] < _LATIN_END:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _word_parts(word: str) -> list[str]:
    """``word`` cut at 'other numbers' (², ₂, ½, ①): Python counts them as word characters, the engines'
    standard tokenizer (Unicode word boundaries) drops them."""
    if word.isascii() or not any(unicodedata.category(c) == "No" for c in word):
        return [word]
    return "".join(" " if unicodedata.category(c) == "No" else c for c in word).split()


def tokens(text: str | None) -> list[str]:
    """The folded tokens of ``text``, in order.

    Written for speed (it runs over every article's text at write time): one regex pass over the lower-cased
    text; ASCII words are kept as they are, the others folded once per distinct word (news vocabulary
    repeats itself)."""
    lowered = unicodedata.normalize("NFC", text or "").lower()
    words = TOKEN.findall(lowered)
    if lowered.isascii():
        return words
    found: list[str] = []
    for word in words:
        if word.isascii():
            found.append(word)
        else:
            found.extend(_FOLDED[word])
    return found


class _Memo(dict[str, _V]):
    """A dict that computes a missing value once (``compute``) and forgets everything past ``limit`` entries
    (a crawl's vocabulary grows without end; a recent word is what comes back)."""

    def __init__(self, compute: Callable[[str], _V], limit: int = 200_000) -> None:
        super().__init__()
        self._compute, self._limit = compute, limit

    def __missing__(self, key: str) -> _V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value


_FOLDED: _Memo[tuple[str, ...]] = _Memo(
    lambda word: tuple(token for part in _word_parts(word) for token in TOKEN.findall(fold(part)))
)


def stemmed(language: str | None) -> bool:
    """Whether articles in ``language`` get a stemmed index on every backend."""
    return language in SNOWBALL_LANGUAGES


def stem(token: str, language: str) -> str:
    """The Snowball stem of a folded token in ``language`` (one of :data:`SNOWBALL_LANGUAGES`)."""
    stemmed_word: str = _stemmer(language).stemWord(token)
    return stemmed_word


def tagged(token: str, language: str) -> str:
    """A stem with its language in front ('es_carcel'): a Spanish stem then matches Spanish articles only,
    as the engines query ``text.es`` only for articles in Spanish."""
    return _tagged_stems(language)[token]


def index_terms(text: str | None, language: str | None) -> str:
    """What the SQLite stemmed index stores for ``text``: tagged stems for a stemmed language, else the folded
    tokens (an article in another language is matched on its folded words, as on the engines)."""
    words = tokens(text)
    if not words:
        return ""
    if language not in SNOWBALL_LANGUAGES:
        return " ".join(words)
    return " ".join(map(_tagged_stems(language).__getitem__, words))


def query_variants(word: str) -> list[list[str]]:
    """The forms of one query word the stemmed index is searched for: its folded tokens (articles in other
    languages), and the tagged stems of those tokens in each stemmed language. Each variant is a list of
    tokens that must all match (a word the tokenizer cuts in two)."""
    folded = list(tokens(word))
    if not folded:
        return []
    variants = [folded]
    for language in SNOWBALL_LANGUAGES:
        variants.append([tagged(token, language) for token in folded])
    return variants
