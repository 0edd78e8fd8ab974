"""The effective configuration: one builder, typed objects per concern.

:func:`load_config` is the only code that reads ``NEWSAGG_*`` environment variables. It layers, each over the
previous one:

1. the declared defaults (:mod:`newsagg.settings_schema`),
2. the settings file named by ``NEWSAGG_CONFIG`` (environment or ``--set``; YAML, or TOML for ``*.toml``:
   a flat mapping ``SETTING: value`` (full ``NEWSAGG_`` names)),
3. the environment (a variable named like the setting),
4. overrides (``--set SETTING=value`` and command-line flags),

parses every value to its declared type (a bad value is a :class:`ConfigError` naming the setting) and records
where each one came from (``newsagg config show``). Credentials are the exception: they come only from the
environment or the ``*_FILE`` files next to them, through :func:`newsagg.secrets.read_secret`, and only when a
store actually needs them (a broken secret file does not stop ``newsagg search`` on SQLite).

Code reads the typed objects (:attr:`Config.store`, :attr:`Config.crawl`, ...; the engine, story and health
settings are built by their own packages from a :class:`Config`), never a raw name with a fallback default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_data_dir

from newsagg.secrets import read_secret
from newsagg.settings_schema import DEFAULT_REGISTRY, HARNESS_NAMES, SETTINGS

__all__ = [
    "DEFAULT_REGISTRY",
    "SOURCES",
    "Config",
    "ConfigError",
    "CrawlConfig",
    "DedupeConfig",
    "RunsConfig",
    "StoreConfig",
    "load_config",
    "newsagg_home",
    "sqlite_path",
]

#: Where a value came from, lowest precedence first.
SOURCES = ("default", "file", "env", "--set")
LOG_FORMATS = ("text", "json")
_PREFIX = "NEWSAGG_"


class ConfigError(ValueError):
    """A setting is unknown, has a value of the wrong type, or a credential was given outside the environment."""


@dataclass(frozen=True)
class StoreConfig:
    backend: str
    home: Path
    sqlite_timeout: float
    retry_seconds: float
    batch_size: int
    flush_seconds: float
    versions_max: int

    @property
    def sqlite_path(self) -> Path:
        return sqlite_path(self.home)

    @property
    def spool_dir(self) -> Path:
        return self.home / "spool"


@dataclass(frozen=True)
class DedupeConfig:
    threshold: float
    window: int


@dataclass(frozen=True)
class CrawlConfig:
    registry: str
    min_text_chars: int
    allowed_hosts: tuple[str, ...]
    sitemap_max_links: int
    sitemap_max_docs: int
    feed_max_entries: int
    robots_max_bytes: int
    #: None: one extraction process per CPU; 0: extract in the crawl process.
    extract_workers: int | None
    extract_cpu_seconds: float
    hints_max: int
    retry_after_max: float
    progress: bool | None
    progress_interval: float
    redis_url: str | None
    redis_run: str
    incremental: bool
    refetch_schedule: str
    now: str | None
    story_worker: bool


@dataclass(frozen=True)
class RunsConfig:
    enabled: bool
    heartbeat_seconds: float
    run_id: str | None
    job: str | None
    log_format: str


@dataclass(frozen=True)
class Config:
    """Effective values by setting name (typed), with the source of each (one of :data:`SOURCES`)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str]
    #: Credentials and ``*_FILE`` names as found in the environment, read on demand by :meth:`secret`.
    environ_secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: ``NEWSAGG_*`` environment variables that are neither settings nor harness variables (typos, old names).
    unknown: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def secret(self, name: str) -> str | None:
        """Credential ``name`` from the environment or its ``*_FILE`` (:class:`newsagg.secrets.SecretError`)."""
        return read_secret(name, self.environ_secrets)

    def scrapy_values(self) -> dict[str, Any]:
        """The values Scrapy settings carry: every declared setting except credentials and their files."""
        return {name: value for name, value in self.values.items() if not _is_env_only(name)}

    def with_overrides(self, overrides: Mapping[str, Any]) -> Config:
        """This configuration with ``overrides`` applied as ``--set`` values (None: left as it is)."""
        values, sources = dict(self.values), dict(self.sources)
        _apply(values, sources, overrides, "--set")
        return Config(values, sources, self.environ_secrets, self.unknown)

    @cached_property
    def store(self) -> StoreConfig:
        return StoreConfig(
            backend=self["NEWSAGG_BACKEND"].lower(),
            home=_home(self["NEWSAGG_HOME"]),
            sqlite_timeout=self["NEWSAGG_SQLITE_TIMEOUT"],
            retry_seconds=self["NEWSAGG_STORE_RETRY_SECONDS"],
            batch_size=self["NEWSAGG_INDEX_BATCH_SIZE"],
            flush_seconds=self["NEWSAGG_INDEX_FLUSH_SECONDS"],
            versions_max=self["NEWSAGG_VERSIONS_MAX"],
        )

    @cached_property
    def dedupe(self) -> DedupeConfig:
        return DedupeConfig(threshold=self["NEWSAGG_DEDUPE_THRESHOLD"], window=self["NEWSAGG_DEDUPE_WINDOW"])

    @cached_property
    def crawl(self) -> CrawlConfig:
        workers = self["NEWSAGG_EXTRACT_WORKERS"].lower()
        try:
            extract_workers = None if workers in ("", "auto") else int(workers)
        except ValueError:
            raise ConfigError(f"NEWSAGG_EXTRACT_WORKERS={workers!r}: expected 'auto' or a number") from None
        return CrawlConfig(
            registry=self["NEWSAGG_REGISTRY"],
            min_text_chars=self["NEWSAGG_MIN_TEXT_CHARS"],
            allowed_hosts=tuple(h.strip() for h in self["NEWSAGG_ALLOWED_HOSTS"].split(",") if h.strip()),
            sitemap_max_links=self["NEWSAGG_SITEMAP_MAX_LINKS"],
            sitemap_max_docs=self["NEWSAGG_SITEMAP_MAX_DOCS"],
            feed_max_entries=self["NEWSAGG_FEED_MAX_ENTRIES"],
            robots_max_bytes=self["NEWSAGG_ROBOTS_MAX_BYTES"],
            extract_workers=extract_workers,
            extract_cpu_seconds=self["NEWSAGG_EXTRACT_CPU_SECONDS"],
            hints_max=self["NEWSAGG_HINTS_MAX"],
            retry_after_max=self["NEWSAGG_RETRY_AFTER_MAX"],
            progress=self["NEWSAGG_PROGRESS"],
            progress_interval=self["NEWSAGG_PROGRESS_INTERVAL"],
            redis_url=self["NEWSAGG_REDIS_URL"],
            redis_run=self["NEWSAGG_REDIS_RUN"] or SETTINGS["NEWSAGG_REDIS_RUN"].default,
            incremental=self["NEWSAGG_INCREMENTAL"],
            refetch_schedule=self["NEWSAGG_REFETCH_SCHEDULE"],
            now=self["NEWSAGG_NOW"],
            story_worker=self["NEWSAGG_STORY_WORKER"],
        )

    @cached_property
    def runs(self) -> RunsConfig:
        log_format = (self["NEWSAGG_LOG_FORMAT"] or "text").lower()
        if log_format not in LOG_FORMATS:
            raise ConfigError(f"unknown log format {log_format!r}; choose one of {', '.join(LOG_FORMATS)}")
        return RunsConfig(
            enabled=self["NEWSAGG_RUNS"],
            heartbeat_seconds=self["NEWSAGG_RUNS_HEARTBEAT"],
            run_id=self["NEWSAGG_RUN_ID"],
            job=self["NEWSAGG_JOB"],
            log_format=log_format,
        )


def _is_env_only(name: str) -> bool:
    setting = SETTINGS[name]
    return setting.env_only or setting.secret


def _apply(values: dict[str, Any], sources: dict[str, str], layer: Mapping[str, Any], source: str) -> None:
    for name, raw in layer.items():
        if raw is None:
            continue
        setting = SETTINGS.get(name)
        if setting is None:
            raise ConfigError(f"unknown setting {name} ({source}); `newsagg config show` lists them all")
        if _is_env_only(name):
            raise ConfigError(
                f"{name} is a credential: set it in the environment (or {name.removesuffix('_FILE')}_FILE), "
                f"never in a settings file or on the command line"
            )
        try:
            values[name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{exc} ({source})") from None
        sources[name] = source


def _read_file(path: str) -> dict[str, Any]:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.endswith(".toml") else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"settings file NEWSAGG_CONFIG={path}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ConfigError(f"settings file {path}: expected a mapping of NEWSAGG_* settings to values")
    return data


def load_config(overrides: Mapping[str, Any] | None = None, *, environ: Mapping[str, Any] | None = None) -> Config:
    """The effective configuration: defaults ← settings file ← ``environ`` (default ``os.environ``) ←
    ``overrides``. Keys of ``overrides`` not starting with ``NEWSAGG_`` (Scrapy settings) are ignored here;
    None values mean "not given"."""
    environ = os.environ if environ is None else environ
    chosen = {k: v for k, v in (overrides or {}).items() if k.startswith(_PREFIX)}
    values = {name: setting.default for name, setting in SETTINGS.items()}
    sources = dict.fromkeys(SETTINGS, "default")

    env_values: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    unknown: list[str] = []
    for name in sorted(k for k in environ if str(k).startswith(_PREFIX)):
        raw = environ[name]
        if name not in SETTINGS:
            if name not in HARNESS_NAMES:
                unknown.append(name)
        elif _is_env_only(name):
            if raw is not None and str(raw).strip():
                secrets[name] = str(raw)
                sources[name] = "env"
        elif raw is not None and str(raw).strip() != "":
            env_values[name] = raw

    config_file = chosen.get("NEWSAGG_CONFIG") or env_values.get("NEWSAGG_CONFIG")
    if config_file:
        layer = _read_file(str(config_file))
        if "NEWSAGG_CONFIG" in layer:
            raise ConfigError(f"settings file {config_file}: NEWSAGG_CONFIG cannot name another file")
        _apply(values, sources, layer, "file")
    _apply(values, sources, env_values, "env")
    _apply(values, sources, chosen, "--set")
    return Config(values, sources, secrets, tuple(unknown))


def newsagg_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Data directory: ``explicit``, else ``NEWSAGG_HOME`` (file, environment), else the per-user data dir."""
    return _home(explicit or load_config()["NEWSAGG_HOME"])


def _home(chosen: str | os.PathLike[str] | None) -> Path:
    return Path(chosen or user_data_dir("newsagg", appauthor=False)).expanduser()


def sqlite_path(home: Path) -> Path:
    return home / "newsagg.sqlite"
