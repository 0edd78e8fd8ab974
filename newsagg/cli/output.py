"""One way to print listings: a rich table for people, JSON or CSV for machines (``--format``)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: ListFormat,
    *,
    title: str | None = None,
    payload: Any = None,
) -> None:
    """Print ``rows``; JSON prints ``payload`` when given (richer than the table's columns)."""
    if fmt == ListFormat.json:
        sys.stdout.write(
            json.dumps(rows if payload is None else payload, ensure_ascii=False, indent=2, default=str) + "\n"
        )
        return
    if fmt == ListFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _flat(row.get(c)) for c in columns})
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_flat(row.get(c)) for c in columns))
    console.print(table)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v}" for k, v in value.items())
    return str(value)
