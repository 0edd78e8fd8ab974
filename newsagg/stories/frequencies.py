"""Document frequencies for story clustering's IDF, kept current in memory.

Clustering weighs each term by how many stored articles contain it. Asking the store for them cost a round
trip per article (``fts5vocab`` for the terms not cached yet) and, because a cache of store counts goes stale
as the store grows, a full recount of every cached term at each 10 % of growth (≈ 30 µs a term from its
doclist: the largest part of clustering on a 5,000-article crawl). Every article that makes a story passes
through the clusterer, so the counts can instead be kept current from what it sees: each written batch is
counted once, when its first article is clustered (one read of the store's unclustered articles, whose
features clustering computes next anyway). The clusterer still weighs terms by a snapshot of these counts,
taken again at each 10 % of growth (``clusterer.DF_GROWTH``), but taking it is now a dictionary lookup.

The store stays the source of truth: at first use (a fresh worker, or one restarted mid-crawl) the counts
are rebuilt by reading the stored articles, up to ``rebuild_max`` of them; a larger store, or counts grown
past ``limit`` terms, fall back to asking the store for the terms not counted yet (``term_stats``), still
without the periodic recount: counted terms are kept current from the batches instead.

What is counted: the articles that make stories (``kind`` article, :func:`~newsagg.stories.order.in_stories`),
by their content terms, split at apostrophes as the store's full-text tokenizer splits them ("o'brien" is
"o" and "brien" there). Counts may therefore differ from the full-text index's by listings (not counted) and
by the rare word the two tokenizers cut differently; an edited article is counted as first seen. Names with
a hyphen or apostrophe count 0, as in the store.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable

from newsagg.storage.base import Article, ArticleFilter, ArticleStore
from newsagg.text import content_terms

#: Terms whose counts are kept (≈ 35 MB at most); past it the oldest go and are asked from the store.
DF_LIMIT = 200_000
#: Articles read at first use to rebuild complete counts (≈ 0.6 ms of CPU each); a larger store is asked per term.
REBUILD_MAX = 20_000
#: Ids of articles counted but possibly not clustered yet (one batch, or a backlog), so none counts twice.
SEEN_LIMIT = 50_000

_APOSTROPHE = re.compile(r"['’]")


def document_terms(terms: Iterable[str]) -> set[str]:
    """The full-text tokens among an article's content terms: a term with an apostrophe is two tokens there."""
    found: set[str] = set()
    for term in terms:
        if "'" in term or "’" in term:
            found.update(part for part in _APOSTROPHE.split(term) if part)
        else:
            found.add(term)
    return found


def text_terms(article: Article) -> set[str]:
    """:func:`document_terms` of an article read from the store (without computing its other features)."""
    return document_terms(content_terms(article.get("text")).keys() | content_terms(article.get("title")).keys())


class DocumentFrequencies:
    """How many articles contain each term, and how many there are, for the clusterer's IDF."""

    def __init__(
        self,
        store: ArticleStore,
        terms_of: Callable[[Article], set[str]] = text_terms,
        *,
        limit: int = DF_LIMIT,
        rebuild_max: int = REBUILD_MAX,
    ) -> None:
        self.store = store
        self.terms_of = terms_of
        self.limit = limit
        self.rebuild_max = rebuild_max
        self.total = 0
        self.counts: OrderedDict[str, int] = OrderedDict()
        #: Every counted article's terms are in ``counts``: a term absent there is in no article.
        self.complete = False
        self._started = False
        self._seen: OrderedDict[str, None] = OrderedDict()

    def _see(self, article_id: str) -> None:
        self._seen[article_id] = None
        while len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)

    def _count(self, article: Article, terms_of: Callable[[Article], set[str]]) -> None:
        self.total += 1
        counts = self.counts
        if self.complete:
            for term in terms_of(article):
                counts[term] = counts.get(term, 0) + 1
        else:
            for term in terms_of(article):
                if term in counts:
                    counts[term] += 1
        self._see(article["id"])

    def _trim(self) -> None:
        if len(self.counts) <= self.limit:
            return
        # Past the bound: drop the oldest terms; from now on a term not counted is asked from the store.
        self.complete = False
        while len(self.counts) > self.limit:
            self.counts.popitem(last=False)

    def _start(self) -> None:
        """Rebuild from the store: complete counts over its articles when it is small enough, else only its
        size (terms are then asked as needed). Either way its unclustered articles are already counted."""
        self._started = True
        stored, _ = self.store.term_stats([])
        if stored <= self.rebuild_max:
            self.complete = True
            for article in self.store.iter_articles(ArticleFilter(kind="article")):
                self._count(article, text_terms)
        else:
            self.total = stored
            for article in self.store.iter_articles(ArticleFilter(unclustered=True, kind="article")):
                self._see(article["id"])
        self._trim()

    def admit(self, article: Article) -> None:
        """Count ``article`` before it is clustered, with the rest of its written batch (every stored
        article without a story yet that is not counted): one read of the store per batch, not per article."""
        if not self._started:
            self._start()
        if article["id"] in self._seen or article.get("story_id"):
            return  # counted, or clustered before (a re-crawl: counted as first seen)
        for pending in self.store.iter_articles(ArticleFilter(unclustered=True, kind="article")):
            if pending["id"] not in self._seen:
                self._count(pending, self.terms_of)
        if article["id"] not in self._seen:
            self._count(article, self.terms_of)  # not visible in the store (yet): count it all the same
        self._trim()

    def fetch(self, terms: Iterable[str]) -> None:
        """Make sure each of ``terms`` is counted: with complete counts nothing to do; otherwise ask the store
        for those not counted (numbers, ``#…``, are not terms of the store)."""
        if not self._started:
            self._start()
        if self.complete:
            return
        missing = sorted(t for t in terms if t not in self.counts and not t.startswith("#"))
        if not missing:
            return
        total, frequencies = self.store.term_stats(missing)
        self.total = total  # the store's size is the truth when counts come from it
        for term in missing:
            self.counts[term] = frequencies.get(term, 0)
        self._trim()

    def stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """What ``ArticleStore.term_stats`` answers (the collection's size, the count of each term some article
        contains), from memory; terms not counted yet are asked from the store only when counts are partial."""
        wanted = list(terms)
        self.fetch(wanted)
        counts = self.counts
        return self.total, {t: counts[t] for t in wanted if counts.get(t)}

    def get(self, term: str, default: int = 0) -> int:
        return self.counts.get(term, default)
