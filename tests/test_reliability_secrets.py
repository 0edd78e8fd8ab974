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
from newsagg.secrets import RedactingFilter, SecretError, install_log_redaction, read_secret, redact, remember
from newsagg.storage.engine_config import EngineConfig
from tests.support.crawl import FAULT_SETTINGS, crawl, run_cli

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


def test_the_crawl_opens_no_listening_socket() -> None:
    """No HTTP API, no telnet console, no Scrapy remote control (which would run code sent to its port)."""
    from crawler.process import build_settings

    settings = build_settings()
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
