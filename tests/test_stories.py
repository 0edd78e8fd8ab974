"""Story clustering on a real SQLite store: joining, founding, cross-lingual names, merging converged stories."""

from __future__ import annotations

from pathlib import Path

from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer, StorySettings
from tests.factories import T0, article

KAST_ES = ("El presidente electo de Chile, José Antonio Kast, visitó el CECOT de Nayib Bukele en El Salvador. "
           "Kast recorrió la cárcel de Tecoluca con el gabinete de seguridad de Bukele y dijo que Chile estudiará "
           "el modelo del CECOT. ") * 3
KAST_ES_2 = ("Kast y Bukele se reunieron en San Salvador tras la visita al CECOT. El mandatario electo de Chile "
             "dijo que el sistema del CECOT de El Salvador inspira su plan de seguridad. ") * 3
KAST_EN = ("Chile's president-elect José Antonio Kast toured El Salvador's CECOT prison on Friday before meeting "
           "Nayib Bukele. Kast said Chile would study the CECOT model of Bukele in El Salvador. ") * 3
COFFEE = ("La cosecha de café en Costa Rica arranca en Los Santos y Tarrazú con escasez de recolectores, según el "
          "Instituto del Café de Costa Rica, que espera precios altos en Tarrazú. ") * 3


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
