"""``newsagg sources health``: is every outlet still delivering? (see :mod:`newsagg.state.health`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from newsagg.cli.options import FormatOption, HomeOption, home_settings
from newsagg.cli.output import ListFormat, console, emit
from newsagg.cli.runs import open_runs

sources_app = typer.Typer(help="The outlets: health of each source over recent runs.", no_args_is_help=True)


@sources_app.command("health")
def health(
    runs: Annotated[int, typer.Option(min=1, help="Finished runs per outlet to judge against (history).")] = 10,
    outlet: Annotated[list[str] | None, typer.Option(help="Only this outlet (repeatable).")] = None,
    min_history: Annotated[
        int | None,
        typer.Option(
            min=1, help="Previous runs needed before drops are judged (default NEWSAGG_HEALTH_MIN_HISTORY, 2)."
        ),
    ] = None,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Per outlet: the latest run's figures and warnings (dark, robots-blocked, yield or completeness drop).

    Warnings are data: the exit code is 0 either way; read the JSON 'warnings' list in scripts.
    """
    from dataclasses import replace

    from newsagg.state.health import HealthPolicy, health_payload, source_health

    settings = home_settings(home)
    policy = HealthPolicy.from_config(settings)
    if min_history is not None:
        policy = replace(policy, min_history=min_history)
    with open_runs(home, settings) as log:
        report = source_health(log, policy, runs=runs, outlets=outlet)
    payload = health_payload(report)
    rows = []
    for entry in payload["outlets"]:
        completeness = entry["completeness"]
        shares = [f"{v * 100:.0f}" if v is not None else "-" for v in completeness.values()]
        row = {
            **entry,
            **{k: (f"{v:.0%}" if v is not None else "") for k, v in completeness.items()},
            "complete_t_d_a_x": "/".join(shares),
            "warnings": [w["message"] for w in entry["warnings"]],
        }
        if fmt == ListFormat.table:
            row["status"] = Text("ok", "green") if entry["status"] == "ok" else Text("warning", "bold yellow")
            row["warnings"] = [Text.assemble((w["kind"], "yellow"), ": ", w["message"]) for w in entry["warnings"]]
        rows.append(row)
    columns = [
        "outlet",
        "status",
        "pages",
        "articles",
        "extraction_failures",
        "title",
        "published",
        "author",
        "text",
        "newest_article_age_hours",
        "http_errors",
        "download_errors",
        "robots_blocked",
        "warnings",
    ]
    if fmt == ListFormat.table:  # completeness as title/date/author/text percentages: one narrow column
        columns = [
            "outlet",
            "status",
            "pages",
            "articles",
            "extraction_failures",
            "complete_t_d_a_x",
            "newest_article_age_hours",
            "http_errors",
            "download_errors",
            "robots_blocked",
            "warnings",
        ]
    if fmt == ListFormat.table and not rows:
        console.print("no finished runs yet: run 'newsagg crawl' or 'newsagg schedule' first")
        return
    emit(rows, columns, fmt, title=f"Source health ({len(payload['warnings'])} warnings)", payload=payload)
