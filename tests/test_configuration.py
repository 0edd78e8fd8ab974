"""The configuration is defined once and reaches every part: each ``NEWSAGG_*`` name the code or the tests use is
declared; defaults < settings file < environment < ``--set``, checked through a real ``newsagg`` process;
``newsagg config show`` masks credentials; and ``newsagg crawl --set NEWSAGG_ES_URL=...`` reaches the engine
client (a real Elasticsearch, while the environment points at a closed port)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.config import config_for, config_from_settings
from crawler.process import build_settings
from newsagg.config import ConfigError, load_config
from newsagg.newsweb import NewsWeb
from newsagg.settings_schema import HARNESS_NAMES, SETTINGS
from newsagg.storage import open_store
from newsagg.storage.engine_client import EngineClient
from newsagg.storage.engine_config import EngineConfig
from tests.conftest import drop_engine_prefix, engine_url_or_skip, unique_prefix

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"\bNEWSAGG_[A-Z0-9_]+")
PASSWORD = "pw-Zq81-unseen"
API_KEY = "key-Hh42-unseen"
URL_PASSWORD = "urlpw-77Xc-unseen"


def names_in(*folders: str) -> dict[str, set[str]]:
    """Every full ``NEWSAGG_*`` name in the Python/YAML/TOML files of ``folders`` (``NEWSAGG_ES_``-style prefixes
    that code completes are skipped), with the files naming it."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".yaml", ".yml", ".toml") or "target" in path.parts:
                continue
            if path == Path(__file__).resolve():  # this file names undeclared settings on purpose
                continue
            for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
                if not name.endswith("_"):
                    found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any ``NEWSAGG_*`` setting (a developer's shell must not leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_") or k in HARNESS_NAMES}
    env.update(extra)
    return env


def newsagg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsagg.cli", *args], capture_output=True, text=True, timeout=300, env=env, check=False
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_newsagg_name_in_the_code_and_tests_is_declared() -> None:
    in_code = names_in("newsagg", "crawler", "pipelines", "settings")
    undeclared = {n: sorted(files) for n, files in in_code.items() if n not in SETTINGS and n not in HARNESS_NAMES}
    assert not undeclared, f"declare these in newsagg/settings_schema.py: {undeclared}"
    harness_in_product = {
        n: sorted(f for f in files if not f.endswith("settings_schema.py"))
        for n, files in in_code.items()
        if n in HARNESS_NAMES
    }
    assert not any(harness_in_product.values()), f"test-harness variables read by product code: {harness_in_product}"
    used_by_tests = names_in("tests", "bench")
    unknown = sorted(n for n in used_by_tests if n not in SETTINGS and n not in HARNESS_NAMES)
    assert not unknown, f"tests/bench use NEWSAGG_* names declared nowhere: {unknown}"
    # the check sees real names: the most common ones are found where they are used
    assert {"NEWSAGG_HOME", "NEWSAGG_BACKEND", "NEWSAGG_ES_URL", "NEWSAGG_DEDUPE_WINDOW"} <= in_code.keys()


def test_every_setting_has_a_typed_default_and_a_doc() -> None:
    for setting in SETTINGS.values():
        assert setting.doc.strip(), setting.name
        if setting.default is None:
            assert setting.optional, f"{setting.name}: None default on a required setting"
        else:
            assert isinstance(setting.default, setting.kind), setting.name
        assert not (setting.secret and setting.default is not None), setting.name


def test_precedence_default_file_env_set_in_a_real_process(tmp_path: Path) -> None:
    settings_file = tmp_path / "newsagg.yaml"
    settings_file.write_text(
        "NEWSAGG_DEDUPE_WINDOW: 111\nNEWSAGG_HINTS_MAX: 222\nNEWSAGG_SITEMAP_MAX_DOCS: 333\n", encoding="utf-8"
    )
    env = clean_env(NEWSAGG_CONFIG=str(settings_file), NEWSAGG_HINTS_MAX="2000", NEWSAGG_SITEMAP_MAX_DOCS="3000")
    shown = newsagg("config", "show", "--format", "json", "--set", "NEWSAGG_SITEMAP_MAX_DOCS=30000", env=env)
    assert shown.returncode == 0, shown.stderr
    rows = {row["name"]: row for row in json.loads(shown.stdout)["settings"]}
    assert (rows["NEWSAGG_MIN_TEXT_CHARS"]["value"], rows["NEWSAGG_MIN_TEXT_CHARS"]["source"]) == (200, "default")
    assert (rows["NEWSAGG_DEDUPE_WINDOW"]["value"], rows["NEWSAGG_DEDUPE_WINDOW"]["source"]) == (111, "file")
    assert (rows["NEWSAGG_HINTS_MAX"]["value"], rows["NEWSAGG_HINTS_MAX"]["source"]) == (2000, "env")
    assert (rows["NEWSAGG_SITEMAP_MAX_DOCS"]["value"], rows["NEWSAGG_SITEMAP_MAX_DOCS"]["source"]) == (30000, "--set")
    assert len(rows) == len(SETTINGS)


def test_the_same_precedence_reaches_scrapy_components(tmp_path: Path) -> None:
    settings_file = tmp_path / "newsagg.toml"
    settings_file.write_text("NEWSAGG_DEDUPE_WINDOW = 111\nNEWSAGG_HINTS_MAX = 222\n", encoding="utf-8")
    environ = {"NEWSAGG_CONFIG": str(settings_file), "NEWSAGG_HINTS_MAX": "2000", "NEWSAGG_RUNS": "0"}
    config = load_config({"NEWSAGG_RUNS": "1"}, environ=environ)
    assert (config.dedupe.window, config.crawl.hints_max, config.runs.enabled) == (111, 2000, True)
    # A crawler's own NEWSAGG_* settings (scrapy crawl -s, a test's settings) override; typed on the way.
    crawler = get_crawler(settings_dict={"NEWSAGG_DEDUPE_WINDOW": "42", "NEWSAGG_INCREMENTAL": "0"})
    typed = config_for(crawler)
    assert typed.dedupe.window == 42 and typed.crawl.incremental is False
    assert config_for(crawler) is typed  # built once per crawler


def test_a_crawlers_own_settings_beat_the_environment_even_at_their_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAGG_BACKEND", "opensearch")
    monkeypatch.setenv("NEWSAGG_DEDUPE_WINDOW", "9")
    # a script's own settings (no project module): what it sets wins, even the declared default
    assert config_for(get_crawler(settings_dict={"NEWSAGG_BACKEND": "sqlite"})).store.backend == "sqlite"
    # the project module's defaults do not hide the environment (plain `scrapy crawl news`)
    project = Settings()
    project.setmodule("settings.default", priority="project")
    assert project["NEWSAGG_BACKEND"] == "sqlite"
    config = config_from_settings(project)
    assert config.store.backend == "opensearch" and config.dedupe.window == 9


def test_build_settings_applies_environment_and_overrides_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAGG_DEDUPE_WINDOW", "77")
    monkeypatch.setenv("NEWSAGG_ES_PASSWORD", PASSWORD)
    settings = build_settings({"NEWSAGG_HINTS_MAX": "5", "LOG_LEVEL": "DEBUG"})
    assert settings["NEWSAGG_DEDUPE_WINDOW"] == 77 and settings["NEWSAGG_HINTS_MAX"] == 5
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert settings.getpriority("NEWSAGG_HINTS_MAX") > settings.getpriority("NEWSAGG_DEDUPE_WINDOW")
    # credentials never become Scrapy settings (nor, through them, run records)
    assert "NEWSAGG_ES_PASSWORD" not in settings.attributes
    assert all(PASSWORD not in str(value) for value in settings.copy_to_dict().values())


def test_bad_values_and_unknown_names_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="NEWSAGG_DEDUPE_WINDOW"):
        load_config(environ={"NEWSAGG_DEDUPE_WINDOW": "many"})
    with pytest.raises(ConfigError, match="unknown setting NEWSAGG_DEDUPE_WINDOWS"):
        load_config({"NEWSAGG_DEDUPE_WINDOWS": "5"}, environ={})
    typo = newsagg("config", "show", "--set", "NEWSAGG_INCREMENTAL=perhaps", env=clean_env())
    assert typo.returncode == 2 and "NEWSAGG_INCREMENTAL" in typo.stderr
    crawl = newsagg("crawl", "--home", str(tmp_path), "--set", "NEWSAGG_NO_SUCH=1", env=clean_env())
    assert crawl.returncode == 2 and "unknown setting NEWSAGG_NO_SUCH" in crawl.stderr
    assert not (tmp_path / "logs").exists(), "a crawl with a bad setting must not start"


def test_config_show_masks_credentials_and_refuses_them_from_flags_and_files(tmp_path: Path) -> None:
    key_file = tmp_path / "api-key"
    key_file.write_text(API_KEY + "\n", encoding="utf-8")
    env = clean_env(
        NEWSAGG_ES_PASSWORD=PASSWORD,
        NEWSAGG_OPENSEARCH_API_KEY_FILE=str(key_file),
        NEWSAGG_ES_URL=f"https://reader:{URL_PASSWORD}@search.example:9200",
    )
    outputs = {}
    for fmt in ("table", "json"):
        shown = newsagg("config", "show", "--format", fmt, env=env)
        assert shown.returncode == 0, shown.stderr
        outputs[fmt] = shown
    rows = {row["name"]: row for row in json.loads(outputs["json"].stdout)["settings"]}
    assert rows["NEWSAGG_ES_PASSWORD"]["value"] == "***" and rows["NEWSAGG_ES_PASSWORD"]["source"] == "env"
    assert rows["NEWSAGG_OPENSEARCH_API_KEY"]["value"] == "***"
    assert rows["NEWSAGG_OPENSEARCH_PASSWORD"]["value"] is None  # unset stays visibly unset
    assert "***" in rows["NEWSAGG_ES_URL"]["value"]
    for fmt, shown in outputs.items():
        text = shown.stdout + shown.stderr
        for secret in (PASSWORD, API_KEY, URL_PASSWORD):
            assert secret not in text, f"{secret!r} shown by config show --format {fmt}"

    flag = newsagg("config", "show", "--set", f"NEWSAGG_ES_PASSWORD={PASSWORD}", env=clean_env())
    assert flag.returncode == 2 and "credential" in flag.stderr and PASSWORD not in flag.stderr
    settings_file = tmp_path / "newsagg.yaml"
    settings_file.write_text(f"NEWSAGG_ES_API_KEY: {API_KEY}\n", encoding="utf-8")
    in_file = newsagg("config", "show", env=clean_env(NEWSAGG_CONFIG=str(settings_file)))
    assert in_file.returncode == 2 and "credential" in in_file.stderr and API_KEY not in in_file.stderr


@pytest.mark.engine
@pytest.mark.slow
def test_set_es_url_reaches_the_engine_client(tmp_path: Path) -> None:
    """``newsagg crawl --set NEWSAGG_ES_URL=<real node>`` writes into that node, although the environment names
    a closed port: the flag reached the engine client, over the environment."""
    url = engine_url_or_skip("elasticsearch")
    prefix = unique_prefix("config")
    closed = closed_port()
    env = clean_env(NEWSAGG_ES_URL=f"http://127.0.0.1:{closed}", NEWSAGG_INDEX_PREFIX="newsagg-wrong")
    if os.environ.get("NEWSAGG_TEST_VERIFY_CERTS", "1") == "0":
        env["NEWSAGG_ES_VERIFY_CERTS"] = "0"
    registry = tmp_path / "registry.yaml"
    try:
        with NewsWeb() as web:
            registry.write_text(web.registry_yaml(), encoding="utf-8")
            crawl = newsagg(
                "crawl",
                "--home",
                str(tmp_path),
                "--registry",
                str(registry),
                "--format",
                "json",
                *("--set", "NEWSAGG_BACKEND=elasticsearch", "--set", f"NEWSAGG_ES_URL={url}"),
                *("--set", f"NEWSAGG_INDEX_PREFIX={prefix}", "--set", "NEWSAGG_ENGINE_REPLICAS=0"),
                *("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "NEWSAGG_INDEX_FLUSH_SECONDS=1"),
                env=env,
            )
        # 0, or 1 when articles had to be spooled: either way the crawl ran and reports its summary
        assert crawl.returncode in (0, 1), crawl.stderr[-3000:]
        summary = json.loads(crawl.stdout)
        assert summary["inserted"] + summary["spooled"] > 0, summary
        config = load_config(
            {"NEWSAGG_BACKEND": "elasticsearch", "NEWSAGG_ES_URL": url, "NEWSAGG_INDEX_PREFIX": prefix}, environ=env
        )
        # The crawl process created the unique prefix's indices in the node named by --set (a client alone creates
        # nothing), and never tried the closed port of the environment.
        client = EngineClient(EngineConfig.from_config(config))
        try:
            assert client.list_indices(f"{prefix}*"), "the crawl never reached the engine named by --set"
        finally:
            client.close()
        logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("*.log"))
        assert f":{closed}" not in logs + crawl.stderr
        with open_store(config) as store:
            assert store.count_articles() == summary["inserted"]
    finally:
        drop_engine_prefix(
            EngineConfig.from_config(
                load_config({"NEWSAGG_ES_URL": url, "NEWSAGG_INDEX_PREFIX": prefix}, environ=env), "elasticsearch"
            )
        )
