"""Storage backends behind one contract (:class:`ArticleStore`).

``NEWSAGG_BACKEND`` picks one: ``sqlite`` (embedded default), ``elasticsearch`` or ``opensearch`` (settings
for the engines: :mod:`newsagg.storage.engine_config`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsagg.config import newsagg_home, sqlite_path
from newsagg.storage.base import ArticleFilter, ArticleStore, SearchHit, SearchPage, StorageError, UpsertResult

BACKENDS = ("sqlite", "elasticsearch", "opensearch")
_ALIASES = {"es": "elasticsearch", "os": "opensearch"}


def open_store(
    backend: str = "sqlite", *, home: str | Path | None = None, env: Mapping[str, Any] | None = None
) -> ArticleStore:
    """Open the configured backend.

    ``env`` holds the engines' ``NEWSAGG_*`` settings (default: the process environment; Scrapy settings,
    which include the environment, work too). Raises :class:`StorageError` with the reason when the backend
    is unknown, misconfigured or unreachable.
    """
    backend = (backend or "sqlite").strip().lower()
    backend = _ALIASES.get(backend, backend)
    if backend == "sqlite":
        from newsagg.storage.sqlite import SQLiteStore

        return SQLiteStore(sqlite_path(newsagg_home(home)))
    if backend in ("elasticsearch", "opensearch"):
        from newsagg.storage.engine import EngineStore
        from newsagg.storage.engine_config import EngineConfig

        try:
            config = EngineConfig.from_env(backend, env)
        except ValueError as exc:
            raise StorageError(f"{backend} settings: {exc}") from exc
        return EngineStore(config)
    raise StorageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS",
    "ArticleFilter",
    "ArticleStore",
    "SearchHit",
    "SearchPage",
    "StorageError",
    "UpsertResult",
    "open_store",
]
