"""Text features shared by dedupe and story clustering: tokens, accent folding, stopwords, entities.

Kept dependency-free and language-light on purpose: Spanish and English are first-class, other languages
still get tokens and capitalized-name entities (which are what carry a story across languages: "Kast",
"Bukele", "CECOT" read the same in every edition).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CAPITALIZED = re.compile(r"(?<![\w.])([A-ZÁÉÍÓÚÑÜ][\w’'-]*[\w]|[A-Z]{2,})", re.UNICODE)
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_POSSESSIVE = re.compile(r"['’]s$")

STOPWORDS: frozenset[str] = frozenset(
    """
    a al algo algunas algunos ante antes aquel aquella aquellas aquellos aqui asi aun aunque cada como con
    contra cual cuando de del desde donde dos el ella ellas ellos en entre era eran es esa esas ese eso esos
    esta estaba estado estan estar este esto estos fue fueron ha habia han hasta hay la las le les lo los mas
    me mi mientras muy ni no nos o otra otras otro otros para pero poco por porque que quien se segun ser si
    sido sin sobre solo son su sus tambien tan tanto te tiene tienen todo todos tras tu un una unas uno unos
    ya yo dijo senalo aseguro afirmo indico durante hoy ayer manana nuevo nueva nuevos nuevas parte vez
    the of and to in a is that for on with as was it by be at from this are has have had an or not but were
    which their its his her he she they them we our you your will would can could should may might been than
    then there these those after before over under into about also more most other some such only new said
    says one two three who whom what when where why how all any each few many much no nor own same so too
    very just during while however because if though although up down out off again further once here both
    mr mrs ms according told added monday tuesday wednesday thursday friday saturday sunday lunes martes
    miercoles jueves viernes sabado domingo year years ano anos week weeks semana semanas day days dia dias
    january february march april june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre ene abr ago dic
    """.split()
)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
#: Folded form of each run of non-ASCII characters met so far ("ó", "’", "ñ"); cleared when it grows past
#: ``_FOLD_CACHE_MAX`` so it stays bounded whatever the input.
_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 50_000


def _fold_run(match: re.Match[str]) -> str:
    run = match.group()
    folded = _FOLD_CACHE.get(run)
    if folded is None:
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", run) if not unicodedata.combining(ch))
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            _FOLD_CACHE.clear()
        _FOLD_CACHE[run] = folded
    return folded


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Región' and 'region' compare equal, in every language.

    Same result as NFKD-decomposing the lower-cased text and dropping its combining marks, done only on its
    runs of non-ASCII characters (ASCII is unchanged by NFKD, and NFKD decomposes each character on its own,
    only reordering combining marks, which are dropped): the Python work is per accented run, not per
    character, which on real text is several times cheaper.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _NON_ASCII_RUN.sub(_fold_run, lowered)


def tokens(text: str | None) -> list[str]:
    """Folded word tokens of ``text``."""
    return _WORD.findall(fold(text or ""))


def content_terms(text: str | None) -> Counter[str]:
    """Term frequencies without stopwords, numbers or one-letter words."""
    return Counter(t for t in tokens(text) if len(t) > 2 and t not in STOPWORDS and not t.isdigit())


_SENTENCE_START = frozenset('.!?¿¡:;"“”«»—-\n')


def _starts_sentence(text: str, position: int) -> bool:
    """True when only spaces separate ``position`` from a sentence boundary (or the text start)."""
    index = position - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_START


def entities(text: str | None) -> Counter[str]:
    """Capitalized names, acronyms and numbers (folded): the language-independent core of a story.

    Sentence-initial words are skipped: there capitalization says nothing about being a name.
    """
    found: Counter[str] = Counter()
    text = text or ""
    for match in _CAPITALIZED.finditer(text):
        word = _POSSESSIVE.sub("", fold(match.group(1))).strip("’'-")
        if _starts_sentence(text, match.start()) and not match.group(1).isupper():
            continue
        if len(word) > 2 and word not in STOPWORDS:
            found[word] += 1
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[.,]", "", match.group(0))
        if len(digits) >= 2:
            found["#" + digits] += 1
    return found


def normalized_for_hash(text: str | None) -> str:
    """Text reduced to its words, so whitespace or punctuation differences do not hide a verbatim copy."""
    return " ".join(tokens(text))


def content_hash(text: str | None) -> str:
    return content_hash_of_tokens(tokens(text))


def content_hash_of_tokens(words: list[str]) -> str:
    """:func:`content_hash` of the text whose :func:`tokens` are ``words`` (a caller that has them already)."""
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def word_shingles(text: str | None, size: int = 5) -> set[str]:
    """Overlapping ``size``-word shingles of the folded text (the MinHash input)."""
    return shingles_of_tokens(tokens(text), size)


def shingles_of_tokens(words: list[str], size: int = 5) -> set[str]:
    """:func:`word_shingles` of the text whose :func:`tokens` are ``words``."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
