"""One small adapter over the official Elasticsearch and OpenSearch Python clients.

Both clients take the same request bodies (``index=``, ``body=``, ``id=``, ``name=``); they differ in how
they are built (auth options), in their exception classes and in their response objects. This module hides
exactly those differences, and adds one retry policy for both: 429 / 502 / 503 / 504 and connection errors
are retried with exponential backoff (``max_retries``, ``retry_backoff``); anything else fails at once.
Once the engine proved unreachable, calls fail fast for ``cooldown`` seconds (a circuit breaker: a crawl
during an outage spools its batches at full speed instead of waiting through retries on every call). Every
failure surfaces as :class:`EngineError` (a :class:`StorageError`), so the index pipeline spools the batch.

A server that can never serve this client is another matter: spooling for it would only pile up batches that
can never replay. :meth:`EngineClient.handshake` (``GET /``, once, when a store opens) tells it apart and
raises :class:`EngineIncompatible` with the server's own reason, so a crawl stops before it fetches a page.
One client per family speaks both supported majors: ``elasticsearch`` 8.x talks to Elasticsearch 8 and 9
(9 accepts the ``compatible-with=8`` headers the 8.x client sends; the 9.x client is refused by every 8.x
server), ``opensearch-py`` to OpenSearch 1 to 3 (see :func:`speakable_majors`).
"""

from __future__ import annotations

import importlib.metadata
import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

from newsagg.storage import engine_tls
from newsagg.storage.base import StorageError
from newsagg.storage.engine_config import EngineConfig

logger = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 502, 503, 504})


class EngineError(StorageError):
    """A request to the engine failed. ``status`` is the HTTP status (None: the engine was not reached)."""

    def __init__(self, message: str, *, status: int | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind

    @property
    def unreachable(self) -> bool:
        return self.status is None


class EngineIncompatible(EngineError):
    """The server can never serve this client as configured: another product, a major the installed client
    does not speak, or a request refused for its protocol. Retrying or spooling cannot help."""


class EngineClient:
    """Uniform calls over ``elasticsearch.Elasticsearch`` or ``opensearchpy.OpenSearch``."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.engine = config.engine
        self.where = ", ".join(config.urls)
        problem = engine_tls.file_problem(config)
        if problem:
            raise EngineIncompatible(f"{self.engine}: {problem}", kind="tls")
        self._client = _build(config)
        self._errors = _error_classes(config.engine)
        self._down_until = 0.0

    # --- the retry loop --------------------------------------------------------------------------------
    def call(
        self, what: str, fn: Callable[[Any], Any], *, retries: int | None = None, ignore: tuple[int, ...] = ()
    ) -> dict[str, Any] | None:
        """Run ``fn(client)``; retry transient failures; map errors. Statuses in ``ignore`` return None."""
        down = self._down_until - time.monotonic()
        if down > 0:  # circuit open: fail fast instead of waiting through retries on every call
            raise EngineError(
                f"{self.engine} at {self.where} unreachable (checked again in {down:.1f}s); {what} not attempted"
            )
        attempts = (self.config.max_retries if retries is None else retries) + 1
        delay = self.config.retry_backoff
        for attempt in range(1, attempts + 1):
            try:
                response = fn(self._client)
            except Exception as exc:  # classified below, re-raised as EngineError
                error = self._classify(what, exc)
                if error.status is not None and error.status in ignore:
                    return None
                transient = not isinstance(error, EngineIncompatible) and (
                    error.unreachable or error.status in RETRY_STATUS
                )
                if not transient or attempt == attempts:
                    if error.unreachable:
                        self._down_until = time.monotonic() + self.config.cooldown
                    raise error from exc
                logger.warning("%s: %s; retry %d/%d in %.1fs", what, error, attempt, attempts - 1, delay)
                time.sleep(delay)
                delay *= 2
                continue
            return _body(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _classify(self, what: str, exc: Exception) -> EngineError:
        api_error, connection_error = self._errors
        if _is_unsupported_product(exc):  # elasticsearch-py: a 2xx answer without X-Elastic-Product
            return EngineIncompatible(
                f"{self.where} does not answer as Elasticsearch ({_short(exc)}); "
                "is it OpenSearch? then set NEWSAGG_BACKEND=opensearch"
            )
        if isinstance(exc, connection_error):
            tls = engine_tls.explain(self.config, exc)
            if tls is not None:
                message, permanent = tls
                if permanent:  # a certificate to change, not an outage: no retry, no spooling
                    return EngineIncompatible(f"{self.engine} {message}", kind="tls")
                return EngineError(f"{self.engine} at {self.where} unreachable during {what}: {message}")
            return EngineError(f"{self.engine} at {self.where} unreachable during {what}: {_short(exc)}")
        if isinstance(exc, api_error):
            status, kind, reason = _api_error_details(self.engine, exc)
            return EngineError(
                f"{self.engine} refused {what}: HTTP {status} {kind}: {reason}", status=status, kind=kind
            )
        if isinstance(exc, StorageError):
            return exc if isinstance(exc, EngineError) else EngineError(str(exc))
        return EngineError(f"{self.engine} at {self.where} failed during {what}: {type(exc).__name__}: {_short(exc)}")

    def _raw_root(self) -> dict[str, Any] | None:
        """``GET /`` below the client's own checks (its transport), to say what a refused server is."""
        transport = getattr(self._client, "transport", None)
        try:
            response = transport.perform_request("GET", "/", headers={"accept": "application/json"})  # type: ignore[union-attr]
        except Exception:  # only used to improve a message: any failure keeps the original one
            return None
        body = getattr(response, "body", response)
        return body if isinstance(body, dict) else None

    # --- requests ---------------------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        return self.call("info", lambda c: c.info(), retries=1) or {}

    def handshake(self) -> dict[str, Any]:
        """``GET /`` and check that this client can work with the server; its ``info`` document.

        Raises :class:`EngineIncompatible` (the server refused the request itself, runs the other product or a
        major this client does not speak) or, for an outage, a plain :class:`EngineError`."""
        try:
            info = self.info()
        except EngineIncompatible as exc:
            if exc.kind != "tls":  # names the product it found instead
                check_server(self.engine, self.where, self._raw_root() or {})
            raise
        except EngineError as exc:
            # 4xx on the simplest request there is: the server refuses the client's protocol (e.g. Elasticsearch
            # 8 to a 9.x client: "Accept version must be either version 8 or 7, but found 9"). Credentials
            # (401/403) and throttling (408/429) may be fixed or pass; those stay ordinary errors.
            if exc.status is not None and 400 <= exc.status < 500 and exc.status not in (401, 403, 408, 429):
                raise EngineIncompatible(
                    f"{self.engine} at {self.where} refuses this client ({client_version(self.engine)}): {exc}",
                    status=exc.status,
                    kind=exc.kind,
                ) from exc
            raise
        check_server(self.engine, self.where, info)
        return info

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.call(f"search {index}", lambda c: c.search(index=index, body=body)) or {}

    def count(self, index: str, body: dict[str, Any]) -> int:
        result = self.call(f"count {index}", lambda c: c.count(index=index, body=body)) or {}
        return int(result.get("count", 0))

    def mget(self, index: str, ids: list[str], source: list[str] | bool = True) -> list[dict[str, Any]]:
        """Documents by id (``found`` false for missing ones), in the order asked."""
        if not ids:
            return []
        body = {"docs": [{"_id": i, "_source": source} for i in ids]}
        result = self.call(f"mget {index}", lambda c: c.mget(index=index, body=body)) or {}
        return list(result.get("docs", []))

    def bulk(self, payload: bytes, *, retries: int | None = None) -> dict[str, Any]:
        return self.call("bulk", lambda c: c.bulk(body=payload), retries=retries) or {}

    def update(self, index: str, doc_id: str, doc: dict[str, Any]) -> bool:
        """Partial update of one document; False if it does not exist."""
        result = self.call(
            f"update {index}/{doc_id}", lambda c: c.update(index=index, id=doc_id, body={"doc": doc}), ignore=(404,)
        )
        return result is not None

    def mget_docs(self, docs: list[dict[str, Any]], source: list[str] | bool = True) -> list[dict[str, Any]]:
        """Documents by ``{"_index", "_id"}`` (realtime, with ``_seq_no``/``_primary_term``), in the order asked:
        a get through an alias over several indices is refused, so a lookup names each document's index."""
        if not docs:
            return []
        body = {"docs": [{**d, "_source": source} for d in docs]}
        result = self.call("mget", lambda c: c.mget(body=body)) or {}
        return list(result.get("docs", []))

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        ignore: tuple[int, ...] = (),
    ) -> dict[str, Any] | None:
        """Any REST call (the lifecycle APIs differ per product: ``_ilm`` here, ``_plugins/_ism`` there)."""
        if self.engine == "elasticsearch":
            headers = {"accept": "application/json"}
            if body is not None:
                headers["content-type"] = "application/json"
            return self.call(
                f"{method} {path}",
                lambda c: c.perform_request(method, path, params=params, headers=headers, body=body),
                ignore=ignore,
            )
        return self.call(
            f"{method} {path}",
            lambda c: c.transport.perform_request(method, path, params=params, body=body),
            ignore=ignore,
        )

    def rollover(self, alias: str, body: dict[str, Any], *, new_index: str | None = None) -> dict[str, Any]:
        """``POST <alias>/_rollover[/<new_index>]``: a new write index behind ``alias`` (if conditions are met)."""
        return (
            self.call(
                f"rollover {alias}",
                lambda c: c.indices.rollover(alias=alias, new_index=new_index, body=body or None),
                retries=0,  # not idempotent: a retried rollover after a lost answer would roll twice
            )
            or {}
        )

    def creation_dates(self, indices: list[str]) -> dict[str, int]:
        """``{index: creation date, epoch millis}``."""
        if not indices:
            return {}
        result = (
            self.call(
                "get creation dates",
                lambda c: c.indices.get_settings(index=",".join(indices), name="index.creation_date"),
            )
            or {}
        )
        return {
            index: int(spec["settings"]["index"]["creation_date"])
            for index, spec in result.items()
            if spec.get("settings", {}).get("index", {}).get("creation_date")
        }

    def data_nodes(self) -> int:
        """Data nodes in the cluster (``_cluster/health``): decides whether a replica can be allocated at all."""
        result = self.call("cluster health", lambda c: c.cluster.health()) or {}
        return int(result.get("number_of_data_nodes", 0))

    def refresh(self, index: str) -> None:
        self.call(f"refresh {index}", lambda c: c.indices.refresh(index=index))

    def get_index_template(self, name: str) -> dict[str, Any] | None:
        result = self.call(f"get template {name}", lambda c: c.indices.get_index_template(name=name), ignore=(404,))
        if not result:
            return None
        for item in result.get("index_templates", []):
            if item.get("name") == name:
                template: dict[str, Any] | None = item.get("index_template")
                return template
        return None

    def put_index_template(self, name: str, body: dict[str, Any]) -> None:
        with warnings.catch_warnings():
            # "...matching patterns from existing older templates": ours has the higher priority, as intended
            warnings.simplefilter("ignore")
            self.call(f"put template {name}", lambda c: c.indices.put_index_template(name=name, body=body))

    def get_alias(self, name: str) -> dict[str, Any]:
        """``{index: {"aliases": {...}}}`` of the indices behind alias ``name`` ({} if none)."""
        return self.call(f"get alias {name}", lambda c: c.indices.get_alias(name=name), ignore=(404,)) or {}

    def index_exists(self, index: str) -> bool:
        result = self.call(f"exists {index}", lambda c: c.indices.exists(index=index))
        return bool(result)

    def list_indices(self, pattern: str) -> list[str]:
        result = self.call(
            f"list {pattern}",
            lambda c: c.indices.get(index=pattern, allow_no_indices=True, ignore_unavailable=True),
            ignore=(404,),
        )
        return sorted(result or {})

    def create_index(self, index: str, body: dict[str, Any]) -> None:
        self.call(f"create index {index}", lambda c: c.indices.create(index=index, body=body))

    def get_mapping(self, index: str) -> dict[str, Any]:
        return self.call(f"get mapping {index}", lambda c: c.indices.get_mapping(index=index)) or {}

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self.call("update aliases", lambda c: c.indices.update_aliases(body={"actions": actions}))

    def delete_index(self, index: str) -> None:
        self.call(f"delete index {index}", lambda c: c.indices.delete(index=index), ignore=(404,))

    def delete_index_template(self, name: str) -> None:
        self.call(f"delete template {name}", lambda c: c.indices.delete_index_template(name=name), ignore=(404,))

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # closing a dead connection pool must not mask the real outcome
            logger.debug("closing the %s client failed", self.engine, exc_info=True)


# --- construction: the only real difference between the two clients -----------------------------------------
def _build(config: EngineConfig) -> Any:
    common: dict[str, Any] = {"verify_certs": config.verify_certs}
    if config.ca_file:
        common["ca_certs"] = config.ca_file
    if config.client_cert:
        common["client_cert"] = config.client_cert
        if config.client_key:
            common["client_key"] = config.client_key
    if not config.verify_certs:
        common["ssl_show_warn"] = False
    # Retries are ours (one policy for both clients, with backoff); the transport only fails over nodes.
    if config.engine == "elasticsearch":
        from elasticsearch import Elasticsearch

        auth: dict[str, Any] = {}
        if config.api_key:
            key = config.api_key
            auth["api_key"] = tuple(key.split(":", 1)) if ":" in key else key
        elif config.username:
            auth["basic_auth"] = (config.username, config.password or "")
        # an Elastic Cloud id stands for the address (config.urls holds it only for messages)
        where: dict[str, Any] = {"cloud_id": config.cloud_id} if config.cloud_id else {"hosts": list(config.urls)}
        return Elasticsearch(
            **where, request_timeout=config.timeout, max_retries=0, retry_on_timeout=False, **auth, **common
        )
    from opensearchpy import OpenSearch

    headers = {}
    auth = {}
    if config.api_key:  # OpenSearch has no API keys of its own; send it as a bearer/ApiKey header
        headers["Authorization"] = f"ApiKey {config.api_key}"
    elif config.username:
        auth["http_auth"] = (config.username, config.password or "")
    return OpenSearch(
        hosts=list(config.urls),
        timeout=config.timeout,
        max_retries=0,
        retry_on_timeout=False,
        headers=headers or None,
        **auth,
        **common,
    )


def _error_classes(engine: str) -> tuple[type[Exception], tuple[type[Exception], ...]]:
    """(HTTP error with a status, connection-level errors) of each client."""
    if engine == "elasticsearch":
        import elastic_transport
        from elasticsearch import ApiError

        return ApiError, (elastic_transport.ConnectionError, elastic_transport.TransportError)
    from opensearchpy.exceptions import ConnectionError as OSConnectionError
    from opensearchpy.exceptions import TransportError

    # opensearch-py: a TransportError with an int ``status_code`` is an HTTP error; ConnectionError (checked
    # first) is its subclass for "not reached".
    return TransportError, (OSConnectionError,)


def client_version(engine: str) -> str:
    """``elasticsearch 8.19.3`` / ``opensearch-py 3.2.0``: the installed client of ``engine``."""
    package = "elasticsearch" if engine == "elasticsearch" else "opensearch-py"
    return f"{package} {importlib.metadata.version(package)}"


def speakable_majors(engine: str) -> tuple[int, ...]:
    """Server majors the installed client of ``engine`` works with.

    Elasticsearch keeps REST compatibility with the previous major's clients (the client sends
    ``compatible-with=<its major>``, a server one major newer accepts it, an older one refuses it): client major
    N speaks servers N and N+1. opensearch-py 2.x and 3.x support OpenSearch 1.x to 3.x."""
    if engine == "elasticsearch":
        major = int(client_version(engine).split()[1].split(".")[0])
        return (major, major + 1)
    return (1, 2, 3)


def check_server(engine: str, where: str, info: dict[str, Any]) -> None:
    """Raise :class:`EngineIncompatible` unless ``info`` (``GET /``) is ``engine`` in a major its client speaks."""
    version = info.get("version") or {}
    is_opensearch = version.get("distribution") == "opensearch"
    if (engine == "opensearch") != is_opensearch:
        found = "OpenSearch" if is_opensearch else "Elasticsearch"
        raise EngineIncompatible(
            f"NEWSAGG_BACKEND={engine} but {where} runs {found}; "
            f"set NEWSAGG_BACKEND={'opensearch' if is_opensearch else 'elasticsearch'}"
        )
    number = str(version.get("number") or "")
    head = number.split(".", 1)[0]
    majors = speakable_majors(engine)
    if head.isdigit() and int(head) not in majors:
        product = "OpenSearch" if is_opensearch else "Elasticsearch"
        raise EngineIncompatible(
            f"{where} runs {product} {number}; the installed client ({client_version(engine)}) speaks "
            f"{product} {' and '.join(str(m) for m in majors)} only"
        )


def _is_unsupported_product(exc: Exception) -> bool:
    try:
        from elasticsearch import UnsupportedProductError
    except ImportError:  # pragma: no cover - the client is a dependency
        return False
    return isinstance(exc, UnsupportedProductError)


def _api_error_details(engine: str, exc: Exception) -> tuple[int | None, str, str]:
    if engine == "elasticsearch":
        status = getattr(getattr(exc, "meta", None), "status", None)
        body = getattr(exc, "body", None)
    else:
        status = getattr(exc, "status_code", None)
        body = getattr(exc, "info", None)
    if not isinstance(status, int):
        status = None
    kind, reason = "error", _short(exc)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            root = (error.get("root_cause") or [error])[0]
            kind, reason = str(root.get("type", kind)), str(root.get("reason", reason))
            # The server's real reason is often deeper ("Invalid media-type value on headers" is caused by
            # "Accept version must be either version 8 or 7, but found 9"): keep the whole chain.
            cause = error.get("caused_by")
            while isinstance(cause, dict):
                deeper = str(cause.get("reason") or "")
                if deeper and deeper not in reason:
                    reason = f"{reason}: {deeper}"
                cause = cause.get("caused_by")
        elif error:
            reason = str(error)
    return status, kind, reason


def _body(response: Any) -> dict[str, Any] | None:
    # elasticsearch answers with an ObjectApiResponse (the dict is its body), opensearch-py with the dict
    body: dict[str, Any] | None = getattr(response, "body", response)
    return body


def _short(exc: Exception, limit: int = 300) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "…"
