"""Storage backends behind one contract (:class:`ArticleStore`).

``NEWSAGG_BACKEND`` picks one: ``sqlite`` (embedded default), ``elasticsearch`` or ``opensearch`` (settings
for the engines: :mod:`newsagg.storage.engine_config`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsagg.config import Config, ConfigError, load_config
from newsagg.storage.base import ArticleFilter, ArticleStore, SearchHit, SearchPage, StorageError, UpsertResult

BACKENDS = ("sqlite", "elasticsearch", "opensearch")
_ALIASES = {"es": "elasticsearch", "os": "opensearch"}


def open_store(
    config: Config | str | None = None,
    *,
    home: str | Path | None = None,
    env: Mapping[str, Any] | None = None,
    read_only: bool = False,
) -> ArticleStore:
    """Open the configured backend.

    ``config`` is the typed configuration (:func:`newsagg.config.load_config`). For scripts and tests a backend
    name works too: it is combined with ``home`` and the ``NEWSAGG_*`` entries of ``env`` (default: the
    process environment) by the same builder. Raises :class:`StorageError` with the reason when the backend is
    unknown, misconfigured or unreachable. ``read_only``: the store is only read (an existing SQLite file is
    opened without writing to it, so read commands work on a read-only folder).
    """
    if not isinstance(config, Config):
        try:
            config = load_config({"NEWSAGG_BACKEND": config, "NEWSAGG_HOME": str(home) if home else None}, environ=env)
        except ConfigError as exc:
            raise StorageError(str(exc)) from exc
    backend = _ALIASES.get(config.store.backend.strip(), config.store.backend.strip())
    if backend == "sqlite":
        from newsagg.storage.sqlite import SQLiteStore

        return SQLiteStore(config.store.sqlite_path, timeout=config.store.sqlite_timeout, read_only=read_only)
    if backend in ("elasticsearch", "opensearch"):
        from newsagg.storage.engine import EngineStore
        from newsagg.storage.engine_config import EngineConfig

        try:
            engine = EngineConfig.from_config(config, backend)
        except ValueError as exc:
            raise StorageError(f"{backend} settings: {exc}") from exc
        return EngineStore(engine)
    raise StorageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def check_backend(config: Config | str | None = None, *, env: Mapping[str, Any] | None = None) -> None:
    """Fail now if the configured engine can never serve this newsagg; pass if it can, or is merely down.

    A crawl calls this before it fetches anything: an engine that is down is worth spooling for (the batches
    replay once it is back), one that refuses this client (another product, a major the installed client
    does not speak) is not. ``config`` as for :func:`open_store`. Raises
    :class:`~newsagg.storage.engine_client.EngineIncompatible` (a :class:`StorageError`) with the server's
    reason, or :class:`StorageError` for bad settings."""
    if not isinstance(config, Config):
        try:
            config = load_config({"NEWSAGG_BACKEND": config}, environ=env)
        except ConfigError as exc:
            raise StorageError(str(exc)) from exc
    backend = _ALIASES.get(config.store.backend.strip(), config.store.backend.strip())
    if backend not in ("elasticsearch", "opensearch"):
        return
    from newsagg.storage.engine_client import EngineClient, EngineIncompatible
    from newsagg.storage.engine_config import EngineConfig

    try:
        engine = EngineConfig.from_config(config, backend)
    except ValueError as exc:
        raise StorageError(f"{backend} settings: {exc}") from exc
    client = EngineClient(engine)
    try:
        client.handshake()
    except EngineIncompatible:
        raise
    except StorageError:
        return  # unreachable or failing for now: the crawl spools and replays once it answers
    finally:
        client.close()


__all__ = [
    "BACKENDS",
    "ArticleFilter",
    "ArticleStore",
    "SearchHit",
    "SearchPage",
    "StorageError",
    "UpsertResult",
    "check_backend",
    "open_store",
]
