"""Where newsagg keeps its data, and how ``NEWSAGG_*`` environment variables reach Scrapy settings."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "settings" / "sources.yaml"


def newsagg_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Data directory: explicit argument, else ``NEWSAGG_HOME``, else the per-user data dir."""
    chosen = explicit or os.environ.get("NEWSAGG_HOME") or user_data_dir("newsagg", appauthor=False)
    return Path(chosen).expanduser()


def sqlite_path(home: Path) -> Path:
    return home / "newsagg.sqlite"


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Every ``NEWSAGG_*`` environment variable, to be applied over the settings module."""
    environ = dict(os.environ if environ is None else environ)
    return {k: v for k, v in environ.items() if k.startswith("NEWSAGG_")}
