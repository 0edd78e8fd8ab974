"""The storage contract: every backend must pass these (parametrized by the ``store`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsagg.storage.base import ArticleFilter, ArticleStore
from tests.factories import T0, article


def test_upsert_is_idempotent_and_detects_updates(store: ArticleStore) -> None:
    first = store.upsert_articles([article("a1"), article("a2")])
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    again = store.upsert_articles([article("a1"), article("a2")])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    changed = store.upsert_articles([article("a1", title="Titular corregido")])
    assert (changed.inserted, changed.updated) == (0, 1)
    assert store.get_article("a1")["title"] == "Titular corregido"
    assert store.count_articles() == 2


def test_rewrite_keeps_story_and_duplicate_links(store: ArticleStore) -> None:
    store.upsert_articles([article("a1")])
    store.assign_story("a1", "st-1")
    store.upsert_articles([article("a1", title="Nuevo título", story_id=None)])
    stored = store.get_article("a1")
    assert stored["story_id"] == "st-1"
    assert stored["title"] == "Nuevo título"
    assert stored["authors"] == ["Ana Pérez"]


def test_first_discovery_is_kept(store: ArticleStore) -> None:
    store.upsert_articles([article("a1")])
    store.upsert_articles([article("a1", discovered_at="2026-12-01T00:00:00+00:00", discovered_utc=T0 + 99999)])
    assert store.get_article("a1")["discovered_at"] == "2026-11-27T12:30:00+00:00"


def test_get_articles_keeps_order_and_skips_missing(store: ArticleStore) -> None:
    store.upsert_articles([article("a1"), article("a2")])
    assert [a["id"] for a in store.get_articles(["a2", "missing", "a1"])] == ["a2", "a1"]
    assert store.get_article("missing") is None


def test_search_ranks_highlights_and_filters(store: ArticleStore) -> None:
    store.upsert_articles(
        [
            article("a1", title="Kast visita el CECOT", text="El presidente electo Kast recorrió la cárcel CECOT."),
            article("a2", title="Cosecha de café", text="La cosecha de café en Costa Rica crece.", country="CR"),
            article(
                "a3", title="Kast in El Salvador", text="Kast toured the CECOT prison.", language="en", country="US"
            ),
        ]
    )
    page = store.search("Kast CECOT")
    assert page.total == 2
    assert {h.article["id"] for h in page.hits} == {"a1", "a3"}
    assert all("«" in h.snippet and "»" in h.snippet for h in page.hits)
    assert store.search("Kast", ArticleFilter(language="en")).total == 1
    assert store.search("Kast", ArticleFilter(country="cl")).hits[0].article["id"] == "a1"
    assert store.search("café", ArticleFilter(outlet="nope")).total == 0


def test_search_folds_accents_and_survives_query_syntax(store: ArticleStore) -> None:
    store.upsert_articles([article("a1", text="La región de Atacama y la cárcel.")])
    assert store.search("region").total == 1
    assert store.search("CARCEL").total == 1
    for hostile in ['"unbalanced', "AND OR NOT", "(((", "title:x*", "NEAR(a b)", "", "  "]:
        assert store.search(hostile).total >= 0


def test_search_date_range_and_paging(store: ArticleStore) -> None:
    store.upsert_articles(
        [article(f"d{i}", text=f"Noticia de la cárcel número {i}", published_utc=T0 + i * 86400) for i in range(5)]
    )
    window = ArticleFilter(
        since=datetime.fromtimestamp(T0 + 86400, UTC), until=datetime.fromtimestamp(T0 + 3 * 86400, UTC)
    )
    assert store.search("cárcel", window).total == 3
    first = store.search("cárcel", limit=2)
    second = store.search("cárcel", limit=2, offset=2)
    assert first.total == 5
    assert not {h.article["id"] for h in first.hits} & {h.article["id"] for h in second.hits}


def test_search_sorts_by_date_newest_first(store: ArticleStore) -> None:
    stamps = {"n0": T0 + 3600, "n1": T0 + 5 * 3600, "n2": T0 - 86400, "n3": T0 + 2 * 3600}
    store.upsert_articles(
        [article(key, text=f"La cárcel, nota {key}", published_utc=stamp) for key, stamp in stamps.items()]
        + [article("n4", text="La cárcel, nota sin fecha", published_utc=None, published_at=None)]
    )
    newest = sorted(stamps, key=lambda key: -stamps[key])
    page = store.search("cárcel", sort="date", limit=3)
    assert (page.total, page.total_relation) == (5, "eq")
    assert [h.article["id"] for h in page.hits] == newest[:3]
    assert all("«" in h.snippet for h in page.hits)
    rest = store.search("cárcel", sort="date", limit=3, offset=3)
    # the undated one falls back to its discovery time (T0 + 30 min), between n2 and n0
    assert [h.article["id"] for h in rest.hits] == ["n4", "n2"]
    with pytest.raises(ValueError):
        store.search("cárcel", sort="sideways")


def test_candidates_only_clustered_articles_in_window(store: ArticleStore) -> None:
    store.upsert_articles(
        [
            article("c1", text="Bukele y Kast en el CECOT"),
            article("c2", text="Bukele recibe a Kast"),
            article("c3", text="Kast habla del CECOT", published_utc=T0 - 30 * 86400),
            article("c4", text="Kast sin historia asignada"),
        ]
    )
    for article_id in ("c1", "c2", "c3"):
        store.assign_story(article_id, "st-" + article_id)
    found = store.candidates(["Kast", "CECOT"], since_utc=T0 - 86400, until_utc=T0 + 86400, exclude_id="c2")
    assert [a["id"] for a in found] == ["c1"]


def test_candidate_stories_are_the_candidates_story_ids(store: ArticleStore) -> None:
    texts = {"d1": "Bukele y Kast en el CECOT", "d2": "Kast visita el CECOT", "d3": "Bukele", "d4": "Kast"}
    store.upsert_articles([article(i, text=t, published_utc=T0 + n * 60) for n, (i, t) in enumerate(texts.items())])
    for article_id in texts:
        store.assign_story(article_id, "st-" + article_id)
    store.assign_story("d4", "st-d1")  # two candidates of one story: each is listed, as with `candidates`
    store.refresh()
    window = {"since_utc": T0 - 86400, "until_utc": T0 + 86400}
    found = store.candidates(["Kast", "CECOT", "Bukele"], **window, exclude_id="d3", limit=10)
    stories = store.candidate_stories(["Kast", "CECOT", "Bukele"], **window, exclude_id="d3", limit=10)
    assert stories == [a["story_id"] for a in found]
    assert sorted(stories) == ["st-d1", "st-d1", "st-d2"]
    assert store.candidate_stories(["nadie"], **window) == []


def test_duplicate_groups_point_at_earliest(store: ArticleStore) -> None:
    store.upsert_articles(
        [
            article("late", dup_group="g", published_utc=T0 + 3600),
            article("early", dup_group="g", published_utc=T0 - 3600),
            article("mid", dup_group="g", published_utc=T0),
            article("alone"),
        ]
    )
    store.resolve_duplicate_groups(["g", "alone"])
    assert store.get_article("early")["duplicate_of"] is None
    assert store.get_article("mid")["duplicate_of"] == "early"
    assert store.get_article("late")["duplicate_of"] == "early"
    assert store.get_article("alone")["duplicate_of"] is None
    assert store.count_articles(ArticleFilter(include_duplicates=False)) == 2


def test_signatures_round_trip(store: ArticleStore) -> None:
    store.save_signatures([("a1", b"\x00\x01"), ("a2", b"\xff" * 16)])
    store.save_signatures([("a1", b"\x02")])
    assert dict(store.iter_signatures()) == {"a1": b"\x02", "a2": b"\xff" * 16}


def test_stories_save_list_and_follow_merges(store: ArticleStore) -> None:
    store.save_story(
        {
            "id": "st-a",
            "label": "Kast en El Salvador",
            "keywords": ["kast", "bukele"],
            "article_count": 5,
            "first_published_utc": T0,
        }
    )
    store.save_story({"id": "st-b", "label": "Café", "keywords": [], "article_count": 1})
    store.save_story({"id": "st-old", "label": "viejo", "article_count": 2, "merged_into": "st-a"})
    assert store.get_story("st-a")["keywords"] == ["kast", "bukele"]
    assert store.get_story("st-old")["id"] == "st-a"
    assert [s["id"] for s in store.list_stories()] == ["st-a", "st-b"]
    assert [s["id"] for s in store.list_stories(min_articles=2)] == ["st-a"]
    assert store.get_story("nope") is None


def test_iter_articles_oldest_first_with_story_filter(store: ArticleStore) -> None:
    store.upsert_articles(
        [
            article("x2", published_utc=T0 + 10),
            article("x1", published_utc=T0),
            article("x0", published_utc=None, published_at=None),
        ]
    )
    for article_id in ("x0", "x1", "x2"):
        store.assign_story(article_id, "st-x")
    assert [a["id"] for a in store.iter_articles(ArticleFilter(story_id="st-x"))] == ["x1", "x2", "x0"]


def test_term_stats_count_documents_per_folded_term(store: ArticleStore) -> None:
    store.upsert_articles(
        [
            article("t1", text="La cárcel de Bukele y la región"),
            article("t2", text="Bukele habla otra vez de Bukele"),
            article("t3", text="Café de Costa Rica"),
        ]
    )
    total, frequencies = store.term_stats(["bukele", "carcel", "cafe", "inexistente"])
    assert total == 3
    assert frequencies == {"bukele": 2, "carcel": 1, "cafe": 1}


def test_unclustered_filter_lists_the_story_backlog(store: ArticleStore) -> None:
    store.upsert_articles([article("u1"), article("u2"), article("u3")])
    store.assign_story("u2", "st-u2")
    backlog = ArticleFilter(unclustered=True)
    assert sorted(a["id"] for a in store.iter_articles(backlog)) == ["u1", "u3"]
    assert store.count_articles(backlog) == 2


def test_kind_filter_keeps_listings_out_of_article_views(store: ArticleStore) -> None:
    legacy = article("k0")  # stored before page kinds: no kind, counts as an article
    legacy.pop("kind", None)
    store.upsert_articles(
        [legacy, article("k1", kind="article"), article("k2", kind="listing"), article("k3", kind="other")]
    )

    def ids(kind: str | None) -> set[str]:
        return {a["id"] for a in store.iter_articles(ArticleFilter(kind=kind))}

    assert ids("article") == {"k0", "k1"}
    assert ids("listing") == {"k2"} and ids("other") == {"k3"}
    assert ids(None) == {"k0", "k1", "k2", "k3"}
    assert store.count_articles(ArticleFilter(kind="article")) == 2
    hits = store.search("Texto", ArticleFilter(kind="listing")).hits
    assert [hit.article["id"] for hit in hits] == ["k2"]
