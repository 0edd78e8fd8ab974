"""The story-clustering replay bench: the worker's batches over a stored crawl, same partition every time."""

from __future__ import annotations

from pathlib import Path

from bench.stories_replay import replay, stored_in_order
from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from tests.factories import T0, article

TEXTS = [
    "Bukele y Kast visitan el CECOT en El Salvador",
    "Kast recorre el CECOT con Bukele",
    "Bukele muestra el CECOT a Kast en su visita",
    "Lluvias intensas inundan Valparaíso y Viña del Mar",
    "Temporal de lluvias deja calles inundadas en Valparaíso",
]


def crawl_store(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    store.upsert_articles(
        [article(f"r{n}", title=text, text=text * 3, published_utc=T0 + n * 600) for n, text in enumerate(TEXTS)]
    )
    return store


def test_replay_clusters_every_article_as_the_clusterer_does(tmp_path: Path) -> None:
    source = crawl_store(tmp_path / "crawl.sqlite")
    clusterer = StoryClusterer(source)
    for stored in source.iter_articles():
        clusterer.assign(stored)
    direct = {a["id"]: a["story_id"] for a in source.iter_articles()}
    source.close()

    articles = stored_in_order(tmp_path / "crawl.sqlite", None)
    assert [a["id"] for a in articles] == [f"r{n}" for n in range(len(TEXTS))]
    assert all(a["story_id"] is None for a in articles)
    first = replay(articles, batch_size=2)
    assert first["articles"] == len(TEXTS)
    assert first["stories"] == len(set(direct.values())) == 2
    assert replay(stored_in_order(tmp_path / "crawl.sqlite", None), batch_size=2)["partition"] == first["partition"]
    assert replay(stored_in_order(tmp_path / "crawl.sqlite", 3), batch_size=2)["articles"] == 3
