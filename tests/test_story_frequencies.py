"""Document frequencies kept in memory for clustering (``newsagg/stories/frequencies.py``), on a real SQLite
store: they must agree with the store's own full-text counts, count each batch once, and come back the same
after a restart, whether rebuilt from the stored articles or asked from the store term by term."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer, clustering_order
from newsagg.stories.frequencies import DocumentFrequencies, document_terms
from tests.factories import T0, article

TEXTS = [
    "Kast visitó el CECOT de Bukele en El Salvador y habló de la cárcel de Tecoluca con O'Higgins.",
    "Bukele recibió a Kast en San Salvador; la cárcel del CECOT inspira el plan de seguridad de Chile.",
    "La cosecha de café en Tarrazú arranca con escasez de recolectores, según el Instituto del Café.",
    "El precio del café sube en Costa Rica: Tarrazú y Los Santos esperan una cosecha corta.",
    "Perú y Chile firman un acuerdo de pesca en Lima; la cárcel no figura en la agenda del gobierno.",
    "Las lluvias en Lima cortan rutas en Perú; el gobierno declara la emergencia en tres regiones.",
]


def _batches(store: SQLiteStore, size: int) -> list[list[dict]]:
    items = [
        article(f"a{i}", text=text, title=text.split(";")[0][:60], published_utc=T0 + 600 * i)
        for i, text in enumerate(TEXTS)
    ]
    return [items[start : start + size] for start in range(0, len(items), size)]


def _cluster(store: SQLiteStore, clusterer: StoryClusterer, batch: list[dict]) -> None:
    """What the story worker does with one indexed batch."""
    store.upsert_articles(batch)
    for item in clustering_order(store.get_articles([a["id"] for a in batch])):
        clusterer.assign(item)


def _store_counts(store: SQLiteStore, terms: set[str]) -> tuple[int, dict[str, int]]:
    total, frequencies = store.term_stats(sorted(terms))
    return total, {t: frequencies.get(t, 0) for t in terms}


def _vocabulary() -> set[str]:
    from newsagg.text import content_terms

    return {t for text in TEXTS for t in document_terms(content_terms(text))} | {"inexistente"}


def test_counts_kept_from_the_batches_agree_with_the_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    frequencies = clusterer._df
    totals = []
    for batch in _batches(store, 3):
        _cluster(store, clusterer, batch)
        totals.append(frequencies.total)
    vocabulary = _vocabulary()
    total, expected = _store_counts(store, vocabulary)
    assert frequencies.complete
    assert frequencies.total == total == len(TEXTS)
    assert {t: frequencies.get(t) for t in vocabulary} == expected
    assert expected["carcel"] == 3 and expected["higgins"] == 1  # folded; "O'Higgins" is two tokens there
    assert totals == [3, 6]


def test_a_restart_rebuilds_the_same_counts_or_asks_the_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    first = StoryClusterer(store)
    batches = _batches(store, 2)
    _cluster(store, first, batches[0])
    # the next batch is written, then the worker restarts before clustering it
    store.upsert_articles(batches[1])
    vocabulary = _vocabulary()
    for rebuild_max in (10_000, 0):  # rebuilt from the stored articles / asked from the store per term
        frequencies = DocumentFrequencies(store, rebuild_max=rebuild_max)
        assert frequencies.complete is False
        for item in clustering_order(store.get_articles([a["id"] for a in batches[1]])):
            frequencies.admit(item)  # written before the restart: already in what was read or asked
        frequencies.fetch(vocabulary)
        assert frequencies.complete is (rebuild_max > 0)
        total, expected = _store_counts(store, vocabulary)
        assert frequencies.total == total == 4
        assert {t: frequencies.get(t) for t in vocabulary} == expected


def test_counts_asked_from_the_store_are_kept_current_without_counting_twice(tmp_path: Path) -> None:
    """Past ``rebuild_max`` (a large store) terms are asked from the store once, then kept current from the
    batches: a term asked while a batch is half clustered already counts the whole batch."""
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    clusterer._df = frequencies = DocumentFrequencies(store, clusterer._document_terms, rebuild_max=0)
    for batch in _batches(store, 3):
        _cluster(store, clusterer, batch)
    vocabulary = _vocabulary()
    frequencies.fetch(vocabulary)
    total, expected = _store_counts(store, vocabulary)
    assert not frequencies.complete
    assert frequencies.total == total
    assert {t: frequencies.get(t) for t in vocabulary} == expected


def test_past_the_bound_counts_fall_back_to_the_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    clusterer._df = frequencies = DocumentFrequencies(store, clusterer._document_terms, limit=40)
    for batch in _batches(store, 2):
        _cluster(store, clusterer, batch)
    assert not frequencies.complete and len(frequencies.counts) <= 40
    vocabulary = _vocabulary()
    expected = _store_counts(store, vocabulary)[1]
    for term in sorted(vocabulary):  # one at a time: the vocabulary is larger than the bound
        frequencies.fetch([term])
        assert frequencies.get(term) == expected[term], term


def test_listings_are_not_counted(tmp_path: Path) -> None:
    """Only articles make stories, and only they weigh terms: a section page repeats every headline."""
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    store.upsert_articles([article("l1", kind="listing", text=TEXTS[0] + " " + TEXTS[1])])
    _cluster(store, clusterer, _batches(store, 6)[0])
    assert clusterer._df.total == len(TEXTS)
    assert clusterer._df.get("tecoluca") == 1


class _CountingStore(SQLiteStore):
    """A real SQLite store that counts the term-statistics queries it answers."""

    term_queries = 0

    def term_stats(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        self.term_queries += 1
        return super().term_stats(terms)


def test_clustering_asks_the_store_for_term_statistics_once_not_per_article(tmp_path: Path) -> None:
    store = _CountingStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    for batch in _batches(store, 2):
        _cluster(store, clusterer, batch)
    assert store.term_queries == 1  # the store's size, when the counts are rebuilt at first use
    assert len({a["story_id"] for a in store.get_articles([f"a{i}" for i in range(len(TEXTS))])}) >= 2


def test_counts_from_memory_or_from_the_store_make_the_same_stories(tmp_path: Path) -> None:
    """Complete counts in memory (terms weighed as first looked up) and counts asked from the store (terms
    taken in before scoring) are two ways to the same IDF: the same stories, story for story."""
    partitions = []
    for rebuild_max in (10_000, 0):
        store = SQLiteStore(tmp_path / f"s{rebuild_max}.sqlite")
        clusterer = StoryClusterer(store)
        clusterer._df = DocumentFrequencies(store, clusterer._document_terms, rebuild_max=rebuild_max)
        for batch in _batches(store, 2):
            _cluster(store, clusterer, batch)
        assert clusterer._df.complete is (rebuild_max > 0)
        partitions.append({a["id"]: a["story_id"] for a in store.iter_articles()})
    assert partitions[0] == partitions[1]
    assert len(set(partitions[0].values())) >= 2
