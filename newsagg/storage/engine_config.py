"""Connection and tuning settings of the Elasticsearch/OpenSearch backends, built from the typed configuration
(:mod:`newsagg.config`; names, types and defaults declared in :mod:`newsagg.settings_schema`).

Secrets (API key, password) come only from the environment or secret files (``NEWSAGG_ES_PASSWORD_FILE``,
``NEWSAGG_ES_API_KEY_FILE``: see :mod:`newsagg.secrets`) and are never part of ``repr`` or log lines.

Elasticsearch reads ``NEWSAGG_ES_URL`` (comma-separated node URLs; ``user:pass@`` in a URL is accepted and split
out), ``NEWSAGG_ES_API_KEY``, ``NEWSAGG_ES_USERNAME`` / ``_PASSWORD``, ``NEWSAGG_ES_VERIFY_CERTS``,
``NEWSAGG_ES_CA_FILE``, ``NEWSAGG_ES_CLIENT_CERT`` / ``_CLIENT_KEY`` (client certificate), and
``NEWSAGG_ES_CLOUD_ID`` (Elastic Cloud, instead of a URL; masked like a secret); OpenSearch the same names
with ``NEWSAGG_OPENSEARCH_`` (no cloud id). Both share
``NEWSAGG_INDEX_PREFIX`` and the ``NEWSAGG_ENGINE_*`` tuning settings (bulk size, retries, timeout, cooldown,
replicas, shards, rollover, retention). ``newsagg config show`` lists them with their defaults and effective values.

Replicas unset means: 0 on a cluster with one data node (a replica could never be allocated there and every
index would stay yellow), else the cluster's default; decided when the store opens.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsagg.config import Config, load_config
from newsagg.secrets import SecretError, redact, remember

ENGINES = ("elasticsearch", "opensearch")
_PREFIXES = {"elasticsearch": "NEWSAGG_ES_", "opensearch": "NEWSAGG_OPENSEARCH_"}
_INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


@dataclass(frozen=True)
class EngineConfig:
    engine: str
    urls: tuple[str, ...] = ("http://localhost:9200",)
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    verify_certs: bool = True
    ca_file: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    #: Elastic Cloud id: the client connects with it; ``urls`` holds the address it names, for messages
    cloud_id: str | None = field(default=None, repr=False)
    index_prefix: str = "newsagg"
    bulk_docs: int = 500
    bulk_bytes: int = 10 * 1024 * 1024
    bulk_threads: int = 2
    max_retries: int = 3
    retry_backoff: float = 0.5
    timeout: float = 30.0
    replicas: int | None = None
    shards: int = 1
    cooldown: float = 5.0
    #: NEWSAGG_ENGINE_ROLLOVER / _RETENTION as given (checked here; see newsagg.storage.engine_lifecycle)
    rollover: str | None = None
    retention: str | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}")
        if not _INDEX_PREFIX.match(self.index_prefix):
            raise ValueError(f"index prefix {self.index_prefix!r} must be lower-case letters, digits, '-', '_' or '.'")
        if not self.urls:
            raise ValueError(f"no {self.engine} URL configured")
        if self.bulk_docs < 1 or self.bulk_threads < 1 or self.bulk_bytes < 1024 or self.max_retries < 0:
            raise ValueError("bulk docs/threads must be >= 1, bulk bytes >= 1 KiB, retries >= 0")
        if self.shards < 1 or (self.replicas is not None and self.replicas < 0):
            raise ValueError("NEWSAGG_ENGINE_SHARDS must be >= 1 and NEWSAGG_ENGINE_REPLICAS >= 0")
        from newsagg.storage.engine_lifecycle import Rollover, parse_retention

        if parse_retention(self.retention) and Rollover.parse(self.rollover) is None:
            raise ValueError(
                "NEWSAGG_ENGINE_RETENTION needs NEWSAGG_ENGINE_ROLLOVER: without rollover there is one article "
                "index, and deleting it would delete every article"
            )

    @classmethod
    def from_config(cls, config: Config, engine: str | None = None, **overrides: Any) -> EngineConfig:
        """Settings for ``engine`` (default: the configured backend) from the typed configuration."""
        engine = engine or config.store.backend
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        prefix = _PREFIXES[engine]
        try:
            password, api_key = config.secret(prefix + "PASSWORD"), config.secret(prefix + "API_KEY")
        except SecretError as exc:
            raise ValueError(str(exc)) from None
        username = config[prefix + "USERNAME"]
        cloud_id = _cloud_id(config) if engine == "elasticsearch" else None
        urls: list[str] = [cloud_url(cloud_id)] if cloud_id else []
        for raw in [] if cloud_id else config[prefix + "URL"].split(","):
            if not raw.strip():
                continue
            url, user, secret = split_credentials(raw.strip())
            remember(secret)
            urls.append(url)
            username = username or user
            password = password or secret
        values: dict[str, Any] = {
            "engine": engine,
            "urls": tuple(urls),
            "api_key": api_key,
            "username": username,
            "password": password,
            "verify_certs": config[prefix + "VERIFY_CERTS"],
            "ca_file": config[prefix + "CA_FILE"],
            "client_cert": config[prefix + "CLIENT_CERT"],
            "client_key": config[prefix + "CLIENT_KEY"],
            "cloud_id": cloud_id,
            "index_prefix": config["NEWSAGG_INDEX_PREFIX"] or "newsagg",
            "bulk_docs": config["NEWSAGG_ENGINE_BULK_DOCS"],
            "bulk_bytes": int(config["NEWSAGG_ENGINE_BULK_MB"] * 1024 * 1024),
            "bulk_threads": config["NEWSAGG_ENGINE_BULK_THREADS"],
            "max_retries": config["NEWSAGG_ENGINE_MAX_RETRIES"],
            "retry_backoff": config["NEWSAGG_ENGINE_RETRY_BACKOFF"],
            "timeout": config["NEWSAGG_ENGINE_TIMEOUT"],
            "replicas": config["NEWSAGG_ENGINE_REPLICAS"],
            "shards": config["NEWSAGG_ENGINE_SHARDS"],
            "cooldown": config["NEWSAGG_ENGINE_COOLDOWN"],
            "rollover": config["NEWSAGG_ENGINE_ROLLOVER"],
            "retention": config["NEWSAGG_ENGINE_RETENTION"],
        }
        values.update(overrides)
        return cls(**values)

    @classmethod
    def from_env(cls, engine: str, env: Mapping[str, Any] | None = None, **overrides: Any) -> EngineConfig:
        """Settings for ``engine`` from an environment mapping (default ``os.environ``), through the one
        configuration builder (:func:`newsagg.config.load_config`)."""
        return cls.from_config(load_config(environ=env), engine, **overrides)


def setting_prefix(engine: str) -> str:
    """``NEWSAGG_ES_`` or ``NEWSAGG_OPENSEARCH_``: how messages name ``engine``'s settings."""
    return _PREFIXES[engine]


def _cloud_id(config: Config) -> str | None:
    try:
        return config.secret("NEWSAGG_ES_CLOUD_ID")
    except SecretError as exc:
        raise ValueError(str(exc)) from None


def cloud_url(cloud_id: str) -> str:
    """The Elasticsearch address an Elastic Cloud id names (``name:base64(host$es$kibana)``)."""
    from elastic_transport.client_utils import parse_cloud_id

    try:
        host, port = parse_cloud_id(cloud_id).es_address or ("", 0)
    except ValueError:
        host, port = "", 0
    if not host:  # the value itself is a secret: not repeated
        raise ValueError("NEWSAGG_ES_CLOUD_ID is not an Elastic Cloud id (name:base64 from the deployment page)")
    return f"https://{host}:{port or 443}"


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``https://user:pw@host:9200/`` -> (``https://host:9200``, user, pw). Bare hosts get ``http://``."""
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {redact(url)!r}")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    secret = urllib.parse.unquote(parts.password) if parts.password else None
    return clean, user, secret
