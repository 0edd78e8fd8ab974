"""What the story worker runs (:class:`crawler.story_worker.StoryWorkerExtension`), in a module that imports
neither Scrapy nor Twisted: the worker imports the module of the functions it is sent, and the fork server it is
forked from preloads this one (``pipelines.extract._PRELOAD``), so the worker starts with clustering loaded and
without the crawl framework (≈ 36 MB) it never uses.
"""

from __future__ import annotations

from typing import Any

from crawler.procname import name_process
from newsagg.config import Config
from newsagg.storage.base import ArticleStore, StorageError
from newsagg.stories import StoryClusterer, StorySettings, clustering_order

_STATE: dict[str, Any] = {}
#: The story worker's process name (``ps``, ``/proc/PID/comm``): ``bench/crawl.py`` counts its CPU apart by it.
PROCESS_NAME = "newsagg-story"


def init_worker(config: Config, story_settings: StorySettings) -> None:
    from newsagg.storage import open_store

    name_process(PROCESS_NAME)
    store = open_store(config)
    _STATE["store"] = store
    _STATE["clusterer"] = StoryClusterer(store, story_settings)


def assign(article_ids: list[str]) -> list[str]:
    """Worker side: cluster one indexed batch; returns the story ids touched. An article the store cannot
    take now stays unassigned: the backlog clustering at spider close (in the crawl process) picks it up."""
    store: ArticleStore = _STATE["store"]
    clusterer: StoryClusterer = _STATE["clusterer"]
    touched = []
    store.refresh()
    for article in clustering_order(store.get_articles(article_ids)):
        try:
            touched.append(clusterer.assign(article))
        except StorageError:
            continue
    return touched
