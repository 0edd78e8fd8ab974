"""Credentials come only from the environment or secret files, and never show up in logs, errors or exports.

The end-to-end test points a real crawl at a hostile "engine": a loopback HTTP server that rejects every
request with 401 and echoes the credentials it was sent (raw header, decoded, and the password) in its error
body — the worst a misconfigured proxy can do. The password reaches it (so the secret file was read), the
crawl spools (so nothing is lost), and neither the crawl log, the console nor the CLI errors show it.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from newsagg.export import export
from newsagg.newsweb import LoopbackServer, RequestHandler
from newsagg.secrets import (
    RedactingFilter,
    SecretError,
    could_be_emitted,
    install_log_redaction,
    read_secret,
    redact,
    remember,
)
from newsagg.storage.engine_config import EngineConfig
from tests.support.crawl import FAULT_SETTINGS, crawl, crawl_args, run_cli

pytestmark = pytest.mark.reliability

PASSWORD = "Tr0ub4dor&3-horse-battery"
URL_PASSWORD = "url-s3cret-9f8e7d"
API_KEY = "a2V5LWlkOmtleS1zZWNyZXQtdmFsdWU="


def test_secrets_come_from_env_or_files_only(tmp_path: Path) -> None:
    secret_file = tmp_path / "es_password"
    secret_file.write_text(PASSWORD + "\n", encoding="utf-8")  # as Docker/Kubernetes write them
    assert read_secret("NEWSAGG_ES_PASSWORD", {"NEWSAGG_ES_PASSWORD_FILE": str(secret_file)}) == PASSWORD
    assert read_secret("NEWSAGG_ES_PASSWORD", {"NEWSAGG_ES_PASSWORD": PASSWORD}) == PASSWORD
    assert read_secret("NEWSAGG_ES_PASSWORD", {}) is None
    with pytest.raises(SecretError, match="set only one") as both:
        read_secret(
            "NEWSAGG_ES_PASSWORD", {"NEWSAGG_ES_PASSWORD": "x1x2x3", "NEWSAGG_ES_PASSWORD_FILE": str(secret_file)}
        )
    assert PASSWORD not in str(both.value)
    with pytest.raises(SecretError, match="cannot read"):
        read_secret("NEWSAGG_ES_PASSWORD", {"NEWSAGG_ES_PASSWORD_FILE": str(tmp_path / "missing")})
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(SecretError, match="is empty"):
        read_secret("NEWSAGG_ES_PASSWORD", {"NEWSAGG_ES_PASSWORD_FILE": str(tmp_path / "empty")})


def test_engine_config_reads_secret_files_and_never_shows_them(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text(PASSWORD, encoding="utf-8")
    (tmp_path / "key").write_text(API_KEY, encoding="utf-8")
    config = EngineConfig.from_env(
        "elasticsearch",
        {
            "NEWSAGG_ES_URL": "https://127.0.0.1:9200",
            "NEWSAGG_ES_USERNAME": "crawler",
            "NEWSAGG_ES_PASSWORD_FILE": str(tmp_path / "pw"),
            "NEWSAGG_ES_API_KEY_FILE": str(tmp_path / "key"),
        },
    )
    assert (config.username, config.password, config.api_key) == ("crawler", PASSWORD, API_KEY)
    assert PASSWORD not in repr(config) and API_KEY not in repr(config)
    with pytest.raises(ValueError, match="set only one"):
        EngineConfig.from_env(
            "opensearch",
            {"NEWSAGG_OPENSEARCH_PASSWORD": "abcd1234", "NEWSAGG_OPENSEARCH_PASSWORD_FILE": str(tmp_path / "pw")},
        )


@pytest.mark.parametrize(
    "leaky",
    [
        f"connecting to https://admin:{URL_PASSWORD}@es.internal:9200/_bulk",
        "headers={'Authorization': 'Basic YWRtaW46aHVudGVyMg=='}",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "retrying with api_key=AbCdEf123456 and password: hunter22",
        f"the server said: {PASSWORD}",
    ],
)
def test_redact_masks_credentials(leaky: str) -> None:
    remember(PASSWORD)
    cleaned = redact(leaky)
    for secret in (URL_PASSWORD, "YWRtaW46aHVudGVyMg==", "eyJhbGciOiJIUzI1NiJ9", "AbCdEf123456", "hunter22", PASSWORD):
        assert secret not in cleaned
    assert "***" in cleaned


def test_log_redaction_covers_messages_arguments_and_tracebacks() -> None:
    remember(PASSWORD)
    stream = io.StringIO()
    logger = logging.getLogger("newsagg.test.redaction")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    previous = logging.getLogRecordFactory()
    try:
        install_log_redaction()
        install_log_redaction()  # idempotent: one layer
        assert logging.getLogRecordFactory() is not previous or getattr(previous, "newsagg_redacting", False)
        logger.error("store unavailable (%s)", f"401 from http://admin:{URL_PASSWORD}@127.0.0.1:9/")
        try:
            raise RuntimeError(f"engine echoed {PASSWORD}")
        except RuntimeError:
            logger.exception("bulk failed")
    finally:
        logger.removeHandler(handler)
        logging.setLogRecordFactory(previous)
    output = stream.getvalue()
    assert "store unavailable" in output and "RuntimeError" in output
    assert URL_PASSWORD not in output and PASSWORD not in output


class Redacting:
    """The redacting record factory installed, and a logger of its own whose one handler (at ``level``, as Scrapy's
    root handler is at LOG_LEVEL) writes to ``stream``; nothing propagates to pytest's root handlers."""

    def __init__(self, name: str, level: int) -> None:
        self.stream = io.StringIO()
        self.logger = logging.getLogger(name)
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)  # every record is made, as under Scrapy's NOTSET root logger
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setLevel(level)

    def __enter__(self) -> Redacting:
        self.previous = logging.getLogRecordFactory()
        self.logger.addHandler(self.handler)
        install_log_redaction()
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(logging.NOTSET)
        self.logger.propagate = True
        logging.setLogRecordFactory(self.previous)


def test_a_debug_record_is_redacted_when_debug_is_logged() -> None:
    remember(PASSWORD)
    with Redacting("newsagg.test.debug", logging.DEBUG) as log:
        log.logger.debug("Crawled (200) <GET http://admin:%s@127.0.0.1:9/?api_key=%s>", URL_PASSWORD, PASSWORD)
    output = log.stream.getvalue()
    assert "Crawled (200)" in output
    assert URL_PASSWORD not in output and PASSWORD not in output


def test_a_record_no_handler_takes_skips_the_work() -> None:
    """Under LOG_LEVEL=INFO a DEBUG record is made and dropped: its message is not even formatted (the
    "Scraped from" record of every article formats the whole item); an INFO record still is redacted."""
    remember(PASSWORD)
    formatted: list[str] = []

    class Item:
        def __repr__(self) -> str:
            formatted.append("item")
            return f"{{'body': 'password: {PASSWORD}'}}"

    with Redacting("newsagg.test.info", logging.INFO) as log:
        dropped = log.logger.makeRecord(log.logger.name, logging.DEBUG, __file__, 1, "Scraped %s", (Item(),), None)
        kept = log.logger.makeRecord(log.logger.name, logging.INFO, __file__, 1, "login %s", (PASSWORD,), None)
        log.logger.debug("Scraped from %s", Item())
        log.logger.info("Scraped from %s", Item())
    assert dropped.msg == "Scraped %s" and isinstance(dropped.args, tuple)  # untouched
    assert kept.getMessage() == "login ***"
    assert formatted == ["item"]  # once: for the INFO record, which the handler wrote (redacted)
    assert PASSWORD not in log.stream.getvalue() and "Scraped from" in log.stream.getvalue()


def test_could_be_emitted_follows_levels_propagation_and_the_last_resort() -> None:
    parent = logging.getLogger("newsagg.test.emit")
    child = logging.getLogger("newsagg.test.emit.child")
    handler = logging.NullHandler()
    handler.setLevel(logging.WARNING)
    parent.addHandler(handler)
    parent.propagate = False

    def record(name: str, level: int) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "m", None, None)

    try:
        assert could_be_emitted(record(child.name, logging.ERROR))  # through the parent's handler
        assert not could_be_emitted(record(child.name, logging.INFO))
        child.propagate = False  # no handler on the way: Python's last resort (WARNING) takes it
        assert could_be_emitted(record(child.name, logging.WARNING))
        assert not could_be_emitted(record(child.name, logging.INFO))
        assert could_be_emitted(record("newsagg.test.never.registered", logging.DEBUG))  # unknown: assume so
        alone = logging.Logger("newsagg.test.emit.child")  # not registered; its own DEBUG handler
        alone.addHandler(logging.NullHandler())
        assert could_be_emitted(record(alone.name, logging.DEBUG), alone)
        assert not could_be_emitted(record(alone.name, logging.DEBUG))  # the registered one would drop it
    finally:
        parent.removeHandler(handler)
        parent.propagate = child.propagate = True


def test_an_unregistered_logger_with_its_own_handler_is_redacted() -> None:
    """The factory asks about the logger making the record, not the one registered under its name."""
    remember(PASSWORD)
    registered = logging.getLogger("newsagg.test.twin")
    registered.propagate = False  # and no handler: it would drop a DEBUG record
    stream = io.StringIO()
    twin = logging.Logger("newsagg.test.twin")
    twin.addHandler(logging.StreamHandler(stream))
    previous = logging.getLogRecordFactory()
    try:
        install_log_redaction()
        twin.debug("login %s failed", PASSWORD)
    finally:
        logging.setLogRecordFactory(previous)
        registered.propagate = True
    assert "login *** failed" in stream.getvalue()


def test_redacting_filter_on_a_handler() -> None:
    remember(PASSWORD)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "login %s failed", (PASSWORD,), None)
    handler.handle(record)
    assert PASSWORD not in stream.getvalue() and "login *** failed" in stream.getvalue()


def test_exports_mask_url_credentials_and_known_secrets(tmp_path: Path) -> None:
    from newsagg.coverage import iter_story_documents
    from newsagg.storage.sqlite import SQLiteStore
    from newsagg.stories import StoryClusterer
    from tests.factories import article

    remember(PASSWORD)
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        text = f"El puerto de Valparaíso abrió la terminal. Clave filtrada {PASSWORD}. " * 4
        store.upsert_articles([article("k1", url=f"https://reader:{URL_PASSWORD}@paywall.example/a.html", text=text)])
        clusterer = StoryClusterer(store)
        for item in store.iter_articles():
            clusterer.assign(item)
        for fmt in ("json", "ndjson", "csv", "html"):
            out = tmp_path / f"export.{fmt}"
            assert export(iter_story_documents(store), fmt, out) >= 1
            text = out.read_text(encoding="utf-8")
            assert "paywall.example" in text, fmt
            assert URL_PASSWORD not in text and PASSWORD not in text, fmt


# --- end to end: a hostile engine echoing the credentials ---------------------------------------------------
class EchoingEngine:
    """Answers 401 to everything, with the credentials it received in the error body."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        methods = ("GET", "HEAD", "POST", "PUT", "DELETE")
        self.server = LoopbackServer(self._answer, methods=methods, software="echoing-engine/1.0").start()
        self.base = self.server.base.removeprefix("http://")

    def _answer(self, handler: RequestHandler) -> int:
        handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        auth = handler.headers.get("Authorization", "")
        self.authorizations.append(auth)
        decoded = base64.b64decode(auth.split()[-1]).decode("utf-8", "replace") if auth.startswith("Basic ") else ""
        body = json.dumps(
            {
                "error": {"type": "security_exception", "reason": f"bad credentials Authorization: {auth} ({decoded})"},
                "status": 401,
            }
        ).encode()
        return handler.send(401, body, "application/json")


@pytest.fixture
def engine() -> Iterator[EchoingEngine]:
    echoing = EchoingEngine()
    yield echoing
    echoing.server.stop()


@pytest.mark.slow
def test_crawl_and_cli_never_show_credentials(engine: EchoingEngine, tmp_path: Path) -> None:
    from newsagg.newsweb import NewsWeb

    secret_file = tmp_path / "opensearch_password"
    secret_file.write_text(PASSWORD + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSAGG_OPENSEARCH_", "NEWSAGG_ES_"))}
    env.update(
        {
            "NEWSAGG_BACKEND": "opensearch",
            "NEWSAGG_OPENSEARCH_URL": f"http://{engine.base}",
            "NEWSAGG_OPENSEARCH_USERNAME": "admin",
            "NEWSAGG_OPENSEARCH_PASSWORD_FILE": str(secret_file),
            "NEWSAGG_ENGINE_MAX_RETRIES": "0",
            "NEWSAGG_ENGINE_COOLDOWN": "0",
        }
    )
    home = tmp_path / "home"
    with NewsWeb() as web:
        registry = yaml.safe_dump({"outlets": [o for o in web.outlets if o["id"] == "harbor-ledger"]})
        # the store refuses to open: every article is spooled, and the crawl says so with exit 1
        summary, process = crawl(registry, home, FAULT_SETTINGS, env=env, exit_code=1)
    expected_auth = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    assert expected_auth in engine.authorizations, "the password from the secret file never reached the engine"
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert "security_exception" in log or "401" in log, "the engine's error was not logged at all"
    spool_text = "".join(f.read_text(encoding="utf-8") for f in (home / "spool").glob("*.jsonl"))

    # the URL form of credentials, through the CLI's error paths (a spooled batch the replay cannot store)
    from newsagg.spool import Spool
    from tests.factories import article

    Spool(home / "spool").append([{"article": article("p1"), "minhash": None}])
    url_env = {**env, "NEWSAGG_OPENSEARCH_URL": f"http://admin:{URL_PASSWORD}@{engine.base}"}
    url_env.pop("NEWSAGG_OPENSEARCH_PASSWORD_FILE")
    replay = run_cli("index", "replay", home=home, env=url_env)
    status = run_cli("index", "status", "--format", "json", home=home, env=url_env)
    assert replay.returncode != 0 and "spool kept" in replay.stderr
    assert "error" in json.loads(status.stdout)

    token = expected_auth.split()[-1]
    outputs = {
        "crawl stdout": process.stdout,
        "crawl stderr": process.stderr,
        "crawl log": log,
        "spool": spool_text,
        "replay": replay.stdout + replay.stderr,
        "status": status.stdout + status.stderr,
    }
    for where, text in outputs.items():
        for secret in (PASSWORD, token, URL_PASSWORD):
            assert secret not in text, f"{secret!r} leaked in the {where}"


class KeyedSite:
    """A loopback outlet whose feed lists an article by a URL carrying an API key, which Scrapy logs at DEBUG."""

    def __init__(self) -> None:
        from tests.support.hostile import article_html

        self.server = LoopbackServer(self._respond, methods=("GET",)).start()
        self.base = self.server.base
        self.article = f"{self.base}/news/a.html?api_key={API_KEY}"
        feed = (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
            f"<item><title>a</title><link>{self.article}</link></item></channel></rss>"
        )
        self.routes = {
            "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
            "/rss.xml": (feed.encode(), "application/rss+xml"),
            "/news/a.html": (article_html("Harbour terminal opens in spring").encode(), "text/html; charset=utf-8"),
        }

    def _respond(self, handler: RequestHandler) -> int:
        route = self.routes.get(handler.path.partition("?")[0])
        if route is None:
            return handler.send(404, b"not found")
        return handler.send(200, *route)


@pytest.mark.slow
def test_debug_crawl_log_never_shows_credentials(tmp_path: Path) -> None:
    """``--log-level DEBUG``: the per-page DEBUG records (Crawled, Scraped from) are written, and redacted."""
    site = KeyedSite()
    try:
        registry = tmp_path / "registry.yaml"
        registry.write_text(
            f"outlets:\n  - {{id: keyed, name: Keyed, country: US, language: en, home: '{site.base}/', "
            f"feeds: ['{site.base}/rss.xml']}}\n",
            encoding="utf-8",
        )
        result = run_cli(*crawl_args(registry, tmp_path / "home"), "--log-level", "DEBUG", timeout=180)
    finally:
        site.server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["inserted"] == 1
    log = Path(summary["log_file"]).read_text(encoding="utf-8")
    assert "DEBUG: Crawled (200) <GET " + site.base + "/news/a.html?api_key=***" in log
    assert "Scraped from <200 " + site.base + "/news/a.html?api_key=***" in log
    assert API_KEY not in log and API_KEY not in result.stderr


def test_the_crawl_opens_no_listening_socket() -> None:
    """No HTTP API, no telnet console, no Scrapy remote control (which would run code sent to its port)."""
    from crawler.process import build_settings

    settings = build_settings()
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
