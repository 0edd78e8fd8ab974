"""Saved objects for Kibana and OpenSearch Dashboards: data views of newsagg's indices and one dashboard.

``newsagg index dashboards --engine kibana|opensearch-dashboards --output FILE`` writes them as NDJSON, the
format both products import (Stack Management → Saved objects → Import, or the ``_import`` API; see
docs/engines.md). The objects are written in the 7.10 saved-object format, which OpenSearch Dashboards (a
fork of Kibana 7.10) uses as it is and Kibana 8/9 migrates on import (``migrationVersion`` says where to
start), so one description serves both. Aggregation-based visualizations rather than Lens: the only kind
both products share.

What the dashboard shows, all from the articles index (``<prefix>-articles``, time field ``published``):

* articles per country over time (date histogram split by ``country``);
* top stories (``story_label``, with their number of articles and of outlets);
* wire copies (articles that are a copy of another outlet's article, per outlet and kind of copy);
* source health (per outlet: articles, last published, last discovered).

A second data view covers the stories index (time field ``first_published``) for exploring stories in
Discover. Field names are those of the engine schema (``newsagg.storage.engine_schema``).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

#: the saved-object format written (OpenSearch Dashboards' own; Kibana migrates from it)
MIGRATION_VERSION = {"index-pattern": "7.6.0", "visualization": "7.10.0", "dashboard": "7.9.3"}
ARTICLES_TIME_FIELD = "published"
STORIES_TIME_FIELD = "first_published"


class DashboardTarget(StrEnum):
    kibana = "kibana"
    opensearch_dashboards = "opensearch-dashboards"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _index_pattern(object_id: str, title: str, time_field: str, target: DashboardTarget) -> dict[str, Any]:
    attributes: dict[str, Any] = {"title": title, "timeFieldName": time_field}
    if target is DashboardTarget.kibana:
        attributes["name"] = title  # Kibana 8+ shows a data view's name; OpenSearch Dashboards has none
    return {
        "type": "index-pattern",
        "id": object_id,
        "attributes": attributes,
        "references": [],
        "migrationVersion": {"index-pattern": MIGRATION_VERSION["index-pattern"]},
    }


def _search_source(query: str = "") -> str:
    return _json(
        {
            "query": {"query": query, "language": "kuery"},
            "filter": [],
            "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
        }
    )


def _visualization(
    object_id: str,
    title: str,
    vis_type: str,
    params: dict[str, Any],
    aggs: list[dict[str, Any]],
    index_id: str,
    *,
    query: str = "",
    description: str = "",
) -> dict[str, Any]:
    numbered = [{"id": str(i), "enabled": True, **agg} for i, agg in enumerate(aggs, start=1)]
    return {
        "type": "visualization",
        "id": object_id,
        "attributes": {
            "title": title,
            "description": description,
            "version": 1,
            "uiStateJSON": "{}",
            "visState": _json({"title": title, "type": vis_type, "params": params, "aggs": numbered}),
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source(query)},
        },
        "references": [
            {"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": index_id}
        ],
        "migrationVersion": {"visualization": MIGRATION_VERSION["visualization"]},
    }


def _count() -> dict[str, Any]:
    return {"type": "count", "schema": "metric", "params": {}}


def _terms(field: str, schema: str, size: int, label: str) -> dict[str, Any]:
    return {
        "type": "terms",
        "schema": schema,
        "params": {
            "field": field,
            "size": size,
            "order": "desc",
            "orderBy": "1",
            "otherBucket": False,
            "missingBucket": False,
            "customLabel": label,
        },
    }


def _metric(kind: str, field: str, label: str) -> dict[str, Any]:
    return {"type": kind, "schema": "metric", "params": {"field": field, "customLabel": label}}


def _bar_params(x_title: str) -> dict[str, Any]:
    """The parameters of a vertical bar chart as OpenSearch Dashboards / Kibana 7.10 save them."""
    return {
        "type": "histogram",
        "grid": {"categoryLines": False},
        "categoryAxes": [
            {
                "id": "CategoryAxis-1",
                "type": "category",
                "position": "bottom",
                "show": True,
                "scale": {"type": "linear"},
                "labels": {"show": True, "filter": True, "truncate": 100},
                "title": {"text": x_title},
            }
        ],
        "valueAxes": [
            {
                "id": "ValueAxis-1",
                "name": "LeftAxis-1",
                "type": "value",
                "position": "left",
                "show": True,
                "scale": {"type": "linear", "mode": "normal"},
                "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                "title": {"text": "Articles"},
            }
        ],
        "seriesParams": [
            {
                "show": True,
                "type": "histogram",
                "mode": "stacked",
                "data": {"label": "Articles", "id": "1"},
                "valueAxis": "ValueAxis-1",
                "drawLinesBetweenPoints": True,
                "showCircles": True,
            }
        ],
        "addTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
    }


def _table_params() -> dict[str, Any]:
    return {
        "perPage": 20,
        "showPartialRows": False,
        "showMetricsAtAllLevels": False,
        "showTotal": False,
        "totalFunc": "sum",
        "percentageCol": "",
        "sort": {"columnIndex": None, "direction": None},
    }


def saved_objects(target: DashboardTarget | str, prefix: str = "newsagg") -> list[dict[str, Any]]:
    """The data views, visualizations and dashboard for the indices of ``prefix``, in import order."""
    target = DashboardTarget(target)
    articles_id, stories_id = f"{prefix}-articles", f"{prefix}-stories"
    objects: list[dict[str, Any]] = [
        _index_pattern(articles_id, f"{prefix}-articles", ARTICLES_TIME_FIELD, target),
        _index_pattern(stories_id, f"{prefix}-stories", STORIES_TIME_FIELD, target),
    ]
    panels = [
        _visualization(
            f"{prefix}-articles-per-country",
            "Articles per country over time",
            "histogram",
            _bar_params("Published"),
            [
                _count(),
                {
                    "type": "date_histogram",
                    "schema": "segment",
                    "params": {
                        "field": ARTICLES_TIME_FIELD,
                        "interval": "auto",
                        "min_doc_count": 1,
                        "extended_bounds": {},
                        "customLabel": "Published",
                    },
                },
                _terms("country", "group", 15, "Country"),
            ],
            articles_id,
            description="Articles by publication date, stacked by the outlet's country.",
        ),
        _visualization(
            f"{prefix}-top-stories",
            "Top stories",
            "table",
            _table_params(),
            [
                _count(),
                _metric("cardinality", "outlet_id", "Outlets"),
                _metric("max", ARTICLES_TIME_FIELD, "Last published"),
                _terms("story_label", "bucket", 25, "Story"),
            ],
            articles_id,
            query="story_label:*",
            description="Stories with the most articles in the time range, and how many outlets covered them.",
        ),
        _visualization(
            f"{prefix}-wire-copies",
            "Wire copies",
            "histogram",
            _bar_params("Outlet"),
            [_count(), _terms("outlet_id", "segment", 20, "Outlet"), _terms("duplicate_kind", "group", 5, "Copy")],
            articles_id,
            query="duplicate_of:*",
            description="Articles that copy another article (wire or syndicated copy), per outlet and kind of copy.",
        ),
        _visualization(
            f"{prefix}-source-health",
            "Source health",
            "table",
            _table_params(),
            [
                _count(),
                _metric("max", ARTICLES_TIME_FIELD, "Last published"),
                _metric("max", "discovered_at", "Last discovered"),
                _terms("outlet_id", "bucket", 100, "Outlet"),
            ],
            articles_id,
            description="Per outlet: articles in the time range, the newest publication and the newest discovery.",
        ),
    ]
    objects.extend(panels)
    layout = [(0, 0, 48, 15), (0, 15, 24, 15), (24, 15, 24, 15), (0, 30, 48, 15)]
    panels_json = [
        {
            "version": "7.10.0",
            "panelIndex": str(i),
            "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(i)},
            "embeddableConfig": {},
            "panelRefName": f"panel_{i}",
        }
        for i, (x, y, w, h) in enumerate(layout)
    ]
    objects.append(
        {
            "type": "dashboard",
            "id": f"{prefix}-overview",
            "attributes": {
                "title": f"newsagg: coverage ({prefix})",
                "description": "Articles per country over time, top stories, wire copies and source health.",
                "version": 1,
                "hits": 0,
                "timeRestore": True,
                "timeFrom": "now-30d",
                "timeTo": "now",
                "refreshInterval": {"pause": True, "value": 0},
                "optionsJSON": _json({"hidePanelTitles": False, "useMargins": True}),
                "panelsJSON": _json(panels_json),
                "kibanaSavedObjectMeta": {
                    "searchSourceJSON": _json({"query": {"query": "", "language": "kuery"}, "filter": []})
                },
            },
            "references": [
                {"name": f"panel_{i}", "type": "visualization", "id": panel["id"]} for i, panel in enumerate(panels)
            ],
            "migrationVersion": {"dashboard": MIGRATION_VERSION["dashboard"]},
        }
    )
    return objects


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    """One object per line, then the export summary line both products write (and skip on import)."""
    lines = [_json(obj) for obj in objects]
    lines.append(_json({"exportedCount": len(objects), "missingRefCount": 0, "missingReferences": []}))
    return "\n".join(lines) + "\n"
