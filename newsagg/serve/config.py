"""What ``newsagg serve`` needs to know: where the store is, where to listen, the access token, the limits.

The token rule: a server bound to a loopback address may run without a token (only this machine can reach
it); any other address needs ``NEWSAGG_SERVE_TOKEN`` (or ``NEWSAGG_SERVE_TOKEN_FILE``: a credential, read only
from the environment through :mod:`newsagg.secrets`, so the value is masked in every log line and error
message). A token, once set, is required whatever the address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsagg.config import Config, ConfigError, load_config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
TOKEN_SETTING = "NEWSAGG_SERVE_TOKEN"
#: Longest query string accepted (characters) and largest page of results.
MAX_QUERY_CHARS = 500
MAX_PAGE_SIZE = 100
#: Deepest result reachable by paging (engines refuse from + size beyond 10,000 by default).
MAX_RESULT_WINDOW = 10_000
#: Seconds a page waits for the store before answering 503.
DEFAULT_TIMEOUT = 10.0


class ServeConfigError(ValueError):
    """The server cannot start as asked (e.g. a public address without a token); the message says why."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; anything else (0.0.0.0, a LAN address, a name) is reachable."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeConfig:
    home: Path | None = None
    backend: str = "sqlite"
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    #: The typed configuration the store is opened with (``None``: ``backend``, ``home`` and ``env``).
    settings: Config | None = field(default=None, repr=False)
    #: ``NEWSAGG_*`` values for a store opened by backend name (default: the process environment).
    env: Mapping[str, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not is_loopback(self.host) and not self.token:
            raise ServeConfigError(
                f"binding {self.host} makes the server reachable from other machines: set {TOKEN_SETTING} "
                f"(or {TOKEN_SETTING}_FILE) to a token clients send as 'Authorization: Bearer …' or log in with"
            )

    @classmethod
    def from_config(cls, settings: Config, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> ServeConfig:
        """From the typed configuration (``newsagg.config``): store, token, timeout; host and port from flags."""
        try:
            token = settings.secret(TOKEN_SETTING)
        except ValueError as exc:
            raise ServeConfigError(str(exc)) from exc
        return cls(
            home=settings.store.home,
            backend=settings.store.backend,
            host=host,
            port=port,
            token=token,
            timeout=float(settings["NEWSAGG_SERVE_TIMEOUT"]),
            settings=settings,
        )

    @classmethod
    def from_env(
        cls,
        *,
        home: Path | str | None = None,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        env: Mapping[str, Any] | None = None,
    ) -> ServeConfig:
        """:meth:`from_config` of the configuration built from ``env`` (default: the process environment)."""
        try:
            settings = load_config({"NEWSAGG_HOME": str(home) if home else None}, environ=env)
        except ConfigError as exc:
            raise ServeConfigError(str(exc)) from exc
        return cls.from_config(settings, host=host, port=port)
