"""docker-compose.yml as a structure (no Docker engine here): the crawler logs in as its own user, whose role,
created by the one-shot ``newsagg-setup`` service before any crawler starts, reaches only newsagg's indices."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
ROLE_FILE = ROOT / "settings" / "elasticsearch" / "newsagg-writer-role.json"


def _setup_script() -> str:
    return " ".join(SERVICES["newsagg-setup"]["command"])


def test_crawlers_log_in_as_their_own_user_after_setup() -> None:
    for name in ("scheduler", "crawler"):
        service = SERVICES[name]
        env = service["environment"]
        assert env["NEWSAGG_ES_USERNAME"] == "${NEWSAGG_ES_USERNAME:-newsagg}", name
        assert "ELASTIC_PASSWORD" not in env["NEWSAGG_ES_PASSWORD"], name
        assert "NEWSAGG_ES_PASSWORD" in env["NEWSAGG_ES_PASSWORD"], name
        assert service["depends_on"] == {"newsagg-setup": {"condition": "service_completed_successfully"}}, name


def test_setup_creates_the_role_and_the_user_with_that_role_only() -> None:
    setup = SERVICES["newsagg-setup"]
    assert setup["depends_on"] == {"elasticsearch": {"condition": "service_healthy"}}
    assert setup["restart"] == "no" and "profiles" not in setup  # runs on a plain `docker compose up`
    assert "./settings/elasticsearch:/setup:ro" in setup["volumes"]
    script = _setup_script()
    assert "/setup/newsagg-writer-role.json" in script
    assert "_security/role/newsagg_writer" in script
    assert re.search(r"_security/user/\$\$\{NEWSAGG_ES_USERNAME\}", script)
    assert '"roles":["newsagg_writer"]' in script
    assert setup["environment"]["NEWSAGG_INDEX_PREFIX"] == SERVICES["scheduler"]["environment"]["NEWSAGG_INDEX_PREFIX"]


def test_the_role_reaches_the_prefix_indices_only() -> None:
    role = json.loads(ROLE_FILE.read_text(encoding="utf-8").replace("@PREFIX@", "news-prod"))
    assert set(role["cluster"]) == {"monitor", "manage_index_templates"}
    (indices,) = role["indices"]
    assert indices["names"] == ["news-prod-*"]
    assert not indices["allow_restricted_indices"]
    assert "all" not in indices["privileges"]
    assert {"create_index", "write", "read", "manage"} <= set(indices["privileges"])


def test_env_example_names_every_required_variable() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{(\w+):\?", text))
    assert "NEWSAGG_ES_PASSWORD" in required
    for name in required:
        assert re.search(rf"^{name}=", example, re.M), name
