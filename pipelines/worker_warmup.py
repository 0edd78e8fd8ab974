"""Imported by the extraction pool's fork server (its preload list): loads, once, what extraction otherwise
loads lazily in every worker, pins glibc's malloc thresholds, then freezes the garbage collector's view of it.

Measured on the bench pages, a worker's first pages load ≈ 130 MB: the py3langid model (≈ 75 MB), jusText's
stoplists of every language (the lower-cased frozenset jusText builds at its first call, ≈ 20 MB; trafilatura's tuple
of the same words is not kept: :func:`_justext_stoplist`), tldextract's Public Suffix List (≈ 6 MB), dateparser's
locale map and its 205 locales with their compiled regexes (≈ 30 MB: language detection loads them all). Loaded in
the fork server instead, they are shared copy-on-write by every worker forked from it (the extraction workers
and the story worker), and counted once in the crawl's PSS. ``gc.freeze()`` moves everything loaded so far out
of the collector's generations, so collections in the workers do not write to those objects' headers and copy
their pages back.

glibc's malloc thresholds are pinned here (:func:`newsagg.malloc.pin_malloc_thresholds`), so every process forked
from the fork server returns the memory of its big pages instead of keeping its RSS at its largest page.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator

from newsagg.malloc import pin_malloc_thresholds

#: What :func:`warm_up` did, step name → done (a failed step leaves the load to the worker).
WARMED: dict[str, bool] = {}


def warm_up() -> None:
    """Load the lazily loaded models and tables of extraction (each step is best effort: a failure only
    means the worker loads it later itself)."""
    from newsagg.extraction.core import _dateparser_languages
    from newsagg.extraction.language import _identifier
    from newsagg.urls import site_of

    steps = {
        "malloc_thresholds": pin_malloc_thresholds,
        "language_model": _identifier,
        "dateparser_languages": lambda: _dateparser_languages(["en"]),
        "public_suffix_list": lambda: site_of("https://www.example.co.uk/"),
        "justext_stoplist": _justext_stoplist,
        "dateparser_locales": _dateparser_locales,
    }
    for name, step in steps.items():
        try:
            WARMED[name] = step() is not False
        except Exception:  # warming is an optimisation, never a reason for a pool not to start
            WARMED[name] = False


#: Date texts no locale reads (so dateparser's language detection goes through every locale), a month name and
#: a relative date: what a worker's first pages ask of dateparser when the page's language does not read a date.
_DETECTION_SAMPLES = ("qqzx 2026", "Posted 12 November 2026", "vor 5 Stunden 2026")


def _dateparser_locales() -> None:
    """Extraction asks dateparser to detect the language of a labelled date it could not read in the page's
    language (``languages=None``): dateparser then loads every one of its ≈ 200 locales and compiles their
    word-splitting regexes, ≈ 30 MB built lazily in each worker (measured: all 205 locales loaded in a worker
    after 60 bench pages). Built here once, through extraction's own date parser (so with the settings it
    passes), they are shared instead."""
    from datetime import UTC, datetime

    from newsagg.extraction.datefind import DateContext, parse_text

    ctx = DateContext(fetched_at=datetime.now(UTC), tz=None, tz_name=None, languages=["en"], warnings=[])
    for text in _DETECTION_SAMPLES:
        parse_text(text, "text", 0.75, ctx, labelled=True)


def _justext_stoplist() -> None:
    """trafilatura's jusText fallback (no target language: it never passes one) classifies paragraphs with the
    stopwords of every language: ``trafilatura.external.JT_STOPLIST``, which ``justext.core.classify_paragraphs``
    turns into a lower-cased frozenset through ``define_stoplist``, an ``lru_cache`` keyed by the stoplist it is
    given. Built here, so the workers find it in the cache (shared) instead of each building its own at its first
    page that falls back to jusText.

    trafilatura's own stoplist is a tuple of the 154,000 words, and the cache keeps its key alive: the words twice
    (the tuple's and the frozenset's lower-cased copies, ≈ 10 MB of strings) and a tuple hashed again at every call
    (the cache's lookup, ≈ 1 ms: a tuple does not keep its hash). :class:`Stoplist` is the key instead: hashed by
    identity, iterated once to build the frozenset, then pointed at that frozenset (the same words: jusText's
    stoplists are lower-case already), so the tuple is freed."""
    from justext.core import define_stoplist
    from trafilatura import external

    words = external.JT_STOPLIST if external.JT_STOPLIST is not None else external.jt_stoplist_init()
    stoplist = Stoplist(words)
    lowered = define_stoplist(stoplist)
    stoplist.words = lowered
    external.JT_STOPLIST = stoplist  # type: ignore[assignment]


class Stoplist:
    """A stoplist handed to jusText (iterable words) that ``define_stoplist``'s cache finds by identity."""

    __slots__ = ("words",)

    def __init__(self, words: Iterable[str]) -> None:
        self.words = words

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __bool__(self) -> bool:
        return True  # trafilatura builds its own tuple when the stoplist is falsy


warm_up()
gc.freeze()
