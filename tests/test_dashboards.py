"""The saved objects for Kibana and OpenSearch Dashboards: well-formed NDJSON whose references resolve, whose
visualizations aggregate on fields the engine schema really maps as aggregatable, and whose shipped copies
match what ``newsagg index dashboards`` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsagg.dashboards import DashboardTarget, saved_objects, to_ndjson
from newsagg.storage.engine_schema import article_properties, story_properties

SHIPPED = Path(__file__).resolve().parents[1] / "settings" / "dashboards"
AGGREGATABLE = {"keyword", "date", "integer", "long", "double"}


def _parse(text: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines()]
    return lines[:-1], lines[-1]


def _field_type(properties: dict[str, Any], name: str) -> str | None:
    return (properties.get(name) or {}).get("type")


@pytest.mark.parametrize("target", list(DashboardTarget))
def test_saved_objects_are_complete_and_point_at_real_fields(target: DashboardTarget) -> None:
    objects, summary = _parse(to_ndjson(saved_objects(target, "newsagg")))
    assert summary == {"exportedCount": len(objects), "missingRefCount": 0, "missingReferences": []}
    by_id = {(o["type"], o["id"]): o for o in objects}
    assert len(by_id) == len(objects), "duplicate saved-object ids"
    assert {o["type"] for o in objects} == {"index-pattern", "visualization", "dashboard"}
    for obj in objects:  # every reference resolves inside the file
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in by_id, (obj["id"], ref)

    mappings = {"newsagg-articles": article_properties(), "newsagg-stories": story_properties()}
    views = [o for o in objects if o["type"] == "index-pattern"]
    assert {v["attributes"]["title"] for v in views} == set(mappings)
    for view in views:  # a data view's time field is a date in its index
        assert _field_type(mappings[view["attributes"]["title"]], view["attributes"]["timeFieldName"]) == "date"

    visualizations = [o for o in objects if o["type"] == "visualization"]
    assert len(visualizations) == 4
    for vis in visualizations:
        state = json.loads(vis["attributes"]["visState"])
        source = json.loads(vis["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        (ref,) = [r for r in vis["references"] if r["name"] == source["indexRefName"]]
        properties = mappings[ref["id"]]
        for agg in state["aggs"]:
            field = agg["params"].get("field")
            if field is not None:
                assert _field_type(properties, field) in AGGREGATABLE, (vis["id"], field)
        assert state["aggs"][0]["type"] == "count" and state["type"] in ("histogram", "table")

    (dashboard,) = [o for o in objects if o["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    assert {p["panelRefName"] for p in panels} == {r["name"] for r in dashboard["references"]}
    assert {r["id"] for r in dashboard["references"]} == {v["id"] for v in visualizations}
    assert json.loads(dashboard["attributes"]["optionsJSON"])["useMargins"] is True


def test_a_prefix_renames_every_data_view_and_kibana_alone_gets_names() -> None:
    objects = saved_objects("kibana", "news-prod")
    views = {o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    assert views == {"news-prod-articles", "news-prod-stories"}
    assert all(o["id"].startswith("news-prod-") for o in objects)
    assert all("name" in o["attributes"] for o in objects if o["type"] == "index-pattern")
    assert not any(
        "name" in o["attributes"] for o in saved_objects("opensearch-dashboards") if o["type"] == "index-pattern"
    )


@pytest.mark.parametrize("target", list(DashboardTarget))
def test_cli_writes_what_is_shipped(target: DashboardTarget, tmp_path: Path) -> None:
    out = tmp_path / "objects.ndjson"
    result = subprocess.run(
        [sys.executable, "-m", "newsagg.cli", "index", "dashboards", "--engine", target.value, "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "NEWSAGG_INDEX_PREFIX"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == to_ndjson(saved_objects(target, "newsagg"))
    shipped = SHIPPED / f"{target.value}.ndjson"
    assert shipped.read_text(encoding="utf-8") == out.read_text(encoding="utf-8"), (
        f"{shipped} is stale: regenerate it with newsagg index dashboards --engine {target.value} --output {shipped}"
    )


def test_cli_refuses_a_prefix_no_index_could_have(tmp_path: Path) -> None:
    out = tmp_path / "x.ndjson"
    command = ["index", "dashboards", "--engine", "kibana", "--prefix", "Bad Prefix", "--output", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "newsagg.cli", *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "prefix" in result.stderr
    assert not out.exists()
