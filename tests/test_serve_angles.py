"""Angles as ``newsagg serve`` hands them out, on a real SQLite store: the story document it keeps for a while
holds the angles computed fresh from the store's articles, and a change of the story's membership (an article
joins: the clusterer saves the story with its new size and update time) gives the new story's angles at once."""

from __future__ import annotations

from pathlib import Path

from newsagg.coverage import story_document
from newsagg.serve import views
from newsagg.serve.gateway import ReadOnlyStore
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories.angles import regional_angles
from tests.factories import article

STORY = "st-angles0001"
SHARED = "El presidente electo visitó la cárcel de máxima seguridad y se reunió con el gobierno. "
TEXTS = {
    ("cl1", "CL"): SHARED + "La comitiva chilena habló de Valparaíso. La comitiva chilena volvió.",
    ("cl2", "CL"): SHARED + "En Valparaíso la comitiva chilena fue recibida.",
    ("sv1", "SV"): SHARED + "Casa Presidencial difundió fotos. Casa Presidencial habló del régimen.",
    ("sv2", "SV"): SHARED + "El régimen de excepción sigue. Casa Presidencial confirmó.",
}


def save_story(store: SQLiteStore, count: int, updated_at: str) -> None:
    store.save_story(
        {
            "id": STORY,
            "label": "Visita a la cárcel",
            "keywords": ["carcel"],
            "created_at": "2026-11-27T12:00:00+00:00",
            "updated_at": updated_at,
            "article_count": count,
        }
    )


def fresh_angles(store: SQLiteStore) -> list[dict]:
    return regional_angles(store.iter_articles(ArticleFilter(story_id=STORY)))


def folded_terms(angles: list[dict], country: str) -> set[str]:
    return {t["folded"] for g in angles if g["country"] == country for t in g["terms"]}


def test_served_angles_are_the_fresh_ones_and_follow_a_membership_change(tmp_path: Path) -> None:
    path = tmp_path / "newsagg.sqlite"
    with SQLiteStore(path) as writer:
        writer.upsert_articles(
            [
                article(article_id, country=country, outlet_name=f"outlet {article_id}", text=text, story_id=STORY)
                for (article_id, country), text in TEXTS.items()
            ]
        )
        save_story(writer, 4, "2026-11-27T12:00:00+00:00")
    served = ReadOnlyStore(SQLiteStore(path))
    try:
        first = views.story_view(served, STORY)
        assert first is not None
        with SQLiteStore(path) as reader:
            story = reader.get_story(STORY)
            assert story is not None
            assert first["angles"] == fresh_angles(reader) == story_document(reader, story)["angles"]
        assert "comitiva chilena" in folded_terms(first["angles"], "CL")
        assert views.story_view(served, STORY) is first  # kept: not computed again

        # a Salvadoran article about a new subject joins the story
        with SQLiteStore(path) as writer:
            joined = SHARED + "El Bitcoin Beach de El Zonte recibió la visita. Bitcoin Beach celebra."
            writer.upsert_articles([article("sv3", country="SV", outlet_name="outlet sv3", text=joined)])
            writer.assign_story("sv3", STORY)
            save_story(writer, 5, "2026-11-27T13:00:00+00:00")
        second = views.story_view(served, STORY)
        assert second is not None and second is not first
        with SQLiteStore(path) as reader:
            assert second["angles"] == fresh_angles(reader)
        assert "bitcoin beach" in folded_terms(second["angles"], "SV")
        assert "bitcoin beach" not in folded_terms(first["angles"], "SV")
        assert next(g for g in second["angles"] if g["country"] == "SV")["articles"] == 3
    finally:
        served.close()
