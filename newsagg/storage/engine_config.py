"""Connection and tuning settings of the Elasticsearch/OpenSearch backends, read from the environment.

Secrets (API key, password) come only from the environment or secret files (``NEWSAGG_ES_PASSWORD_FILE``,
``NEWSAGG_ES_API_KEY_FILE``: see :mod:`newsagg.secrets`) and are never part of ``repr`` or log lines.

================================  ==========================================================================
``NEWSAGG_ES_URL``                Elasticsearch node URL(s), comma-separated (``NEWSAGG_OPENSEARCH_URL`` for
                                  OpenSearch). Default ``http://localhost:9200``. ``user:pass@`` in a URL is
                                  accepted and split out.
``NEWSAGG_ES_API_KEY``            API key (Elasticsearch: ``id:key`` or the encoded form).
``NEWSAGG_ES_USERNAME`` / ``_PASSWORD``  basic auth.
``NEWSAGG_ES_VERIFY_CERTS``       ``1`` (default) / ``0``: TLS certificate verification.
``NEWSAGG_ES_CA_FILE``            CA bundle for a private certificate authority.
``NEWSAGG_INDEX_PREFIX``          index/alias/template name prefix (default ``newsagg``).
``NEWSAGG_ENGINE_BULK_DOCS``      documents per bulk request (default 500).
``NEWSAGG_ENGINE_BULK_MB``        max MB per bulk request (default 10).
``NEWSAGG_ENGINE_BULK_THREADS``   bulk requests in flight at once (default 2).
``NEWSAGG_ENGINE_MAX_RETRIES``    retries of a request / document on 429, 5xx or connection errors (3).
``NEWSAGG_ENGINE_RETRY_BACKOFF``  first backoff in seconds, doubled per retry (default 0.5).
``NEWSAGG_ENGINE_TIMEOUT``        request timeout in seconds (default 30).
``NEWSAGG_ENGINE_COOLDOWN``       after the engine proved unreachable, fail fast for this many seconds (5).
``NEWSAGG_ENGINE_REPLICAS``       replicas of new indices (default: the cluster's default).
================================  ==========================================================================

OpenSearch reads the same names with ``NEWSAGG_OPENSEARCH_`` instead of ``NEWSAGG_ES_``.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsagg.secrets import SecretError, read_secret, redact, remember

ENGINES = ("elasticsearch", "opensearch")
_PREFIXES = {"elasticsearch": "NEWSAGG_ES_", "opensearch": "NEWSAGG_OPENSEARCH_"}
_INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


def _flag(value: Any, default: bool) -> bool:
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected a boolean (1/0/true/false), got {value!r}")


@dataclass(frozen=True)
class EngineConfig:
    engine: str
    urls: tuple[str, ...] = ("http://localhost:9200",)
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    verify_certs: bool = True
    ca_file: str | None = None
    index_prefix: str = "newsagg"
    bulk_docs: int = 500
    bulk_bytes: int = 10 * 1024 * 1024
    bulk_threads: int = 2
    max_retries: int = 3
    retry_backoff: float = 0.5
    timeout: float = 30.0
    replicas: int | None = None
    cooldown: float = 5.0

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}")
        if not _INDEX_PREFIX.match(self.index_prefix):
            raise ValueError(f"index prefix {self.index_prefix!r} must be lower-case letters, digits, '-', '_' or '.'")
        if not self.urls:
            raise ValueError(f"no {self.engine} URL configured")
        if self.bulk_docs < 1 or self.bulk_threads < 1 or self.bulk_bytes < 1024 or self.max_retries < 0:
            raise ValueError("bulk docs/threads must be >= 1, bulk bytes >= 1 KiB, retries >= 0")

    @classmethod
    def from_env(cls, engine: str, env: Mapping[str, Any] | None = None, **overrides: Any) -> EngineConfig:
        """Settings for ``engine`` from ``env`` (default ``os.environ``; Scrapy settings work too)."""
        env = os.environ if env is None else env
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        prefix = _PREFIXES[engine]

        def get(name: str) -> str | None:
            value = env.get(name)
            return None if value is None or str(value).strip() == "" else str(value).strip()

        try:
            username, password = get(prefix + "USERNAME"), read_secret(prefix + "PASSWORD", env)
            api_key = read_secret(prefix + "API_KEY", env)
        except SecretError as exc:
            raise ValueError(str(exc)) from None
        urls: list[str] = []
        for raw in (get(prefix + "URL") or get(prefix + "URLS") or "http://localhost:9200").split(","):
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
            "verify_certs": _flag(get(prefix + "VERIFY_CERTS"), True),
            "ca_file": get(prefix + "CA_FILE"),
            "index_prefix": get("NEWSAGG_INDEX_PREFIX") or "newsagg",
        }
        numeric = {
            "bulk_docs": ("BULK_DOCS", int),
            "bulk_threads": ("BULK_THREADS", int),
            "max_retries": ("MAX_RETRIES", int),
            "retry_backoff": ("RETRY_BACKOFF", float),
            "timeout": ("TIMEOUT", float),
            "replicas": ("REPLICAS", int),
            "cooldown": ("COOLDOWN", float),
        }
        for key, (suffix, kind) in numeric.items():
            value = get("NEWSAGG_ENGINE_" + suffix)
            if value is not None:
                try:
                    values[key] = kind(value)
                except ValueError:
                    raise ValueError(f"NEWSAGG_ENGINE_{suffix}={value!r} is not a number") from None
        megabytes = get("NEWSAGG_ENGINE_BULK_MB")
        if megabytes is not None:
            try:
                values["bulk_bytes"] = int(float(megabytes) * 1024 * 1024)
            except ValueError:
                raise ValueError(f"NEWSAGG_ENGINE_BULK_MB={megabytes!r} is not a number") from None
        values.update(overrides)
        return cls(**values)


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
