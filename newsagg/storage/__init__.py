"""Storage backends behind one contract (:class:`ArticleStore`)."""

from __future__ import annotations

from pathlib import Path

from newsagg.config import newsagg_home, sqlite_path
from newsagg.storage.base import ArticleFilter, ArticleStore, SearchHit, SearchPage, StorageError, UpsertResult

BACKENDS = ("sqlite",)


def open_store(backend: str = "sqlite", *, home: str | Path | None = None) -> ArticleStore:
    """Open the configured backend. Engines (elasticsearch/opensearch) arrive with issue #3."""
    backend = (backend or "sqlite").lower()
    if backend == "sqlite":
        from newsagg.storage.sqlite import SQLiteStore

        return SQLiteStore(sqlite_path(newsagg_home(home)))
    raise StorageError(f"unknown or not yet available backend {backend!r}; choose one of {', '.join(BACKENDS)}")


__all__ = [
    "ArticleFilter",
    "ArticleStore",
    "SearchHit",
    "SearchPage",
    "StorageError",
    "UpsertResult",
    "open_store",
]
