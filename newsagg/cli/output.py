"""One way to print listings: a rich table for people, JSON or CSV for machines (``--format``).

Stored and user-given text is data, never Rich markup: a title ``Budget [/i] vote`` must print as such, and
``[link=…]`` in an article must not become a hidden terminal hyperlink. Table cells and titles are escaped
here; a command that styles a cell passes a :class:`rich.text.Text`, which is never parsed for markup.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newsagg.sanitize import visible_controls

# No ``:name:`` emoji codes either: stored text is printed as it is.
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)


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
    table = Table(title=escape(title) if title else None, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)


def _cell(value: Any) -> str | Text:
    """A table cell: styled :class:`Text` as it is, anything else as escaped text with any control or bidi
    override shown as ``<U+…>`` (a stored value from an older build may still hold one)."""
    if isinstance(value, Text):
        return value
    if isinstance(value, list | tuple) and any(isinstance(v, Text) for v in value):
        return Text("; ").join(v if isinstance(v, Text) else Text(visible_controls(_flat(v))) for v in value)
    return escape(visible_controls(_flat(value)))


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v}" for k, v in value.items())
    return str(value)
