"""Exports of story clusters: JSON, NDJSON (one story per line), CSV (one row per article), HTML report.

Article versions travel with the documents: JSON/NDJSON carry ``revisions`` and every article's ``versions``
(full previous texts), CSV the number of versions and the latest change, the HTML report a revisions table.

The HTML report is one self-contained file (inline CSS, no scripts, no external assets) rendered by Jinja2
with autoescaping, so any article field, however hostile, is shown as text.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from newsagg.coverage import last_change
from newsagg.sanitize import spreadsheet_safe, visible_controls
from newsagg.secrets import redact_value

ExportFormat = Literal["json", "ndjson", "csv", "html"]
FORMATS: tuple[str, ...] = ("json", "ndjson", "csv", "html")
CSV_COLUMNS = (
    "story_id",
    "story_label",
    "article_id",
    "outlet_id",
    "outlet_name",
    "country",
    "language",
    "published_at",
    "published_source",
    "title",
    "authors",
    "duplicate_of",
    "duplicate_kind",
    "similarity",
    "url",
    "versions",
    "last_change",
)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def write_json(documents: Iterable[dict[str, Any]], path: Path) -> int:
    docs = list(documents)
    payload = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "stories": docs}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
    return len(docs)


def write_ndjson(documents: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document, ensure_ascii=False, default=_json_default) + "\n")
            count += 1
    return count


def write_csv(documents: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for document in documents:
            story = document["story"]
            for article in document["articles"]:
                row = {key: article.get(key) for key in CSV_COLUMNS}
                row.update(
                    story_id=story["id"],
                    story_label=story.get("label"),
                    article_id=article["id"],
                    authors="; ".join(article.get("authors") or []),
                    versions=len(article.get("versions") or []),
                    last_change=last_change(article),
                )
                writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
                count += 1
    return count


_environment = Environment(
    loader=PackageLoader("newsagg", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    # every value shown: invisible controls (bidi overrides in older stored data) made visible, then escaped
    finalize=lambda value: visible_controls(value) if isinstance(value, str) else value,
)


def render_html(documents: Iterable[dict[str, Any]], *, title: str = "newsagg coverage report") -> str:
    docs = list(documents)
    for document in docs:
        days = document["summary"]["by_day"]
        peak = max(days.values(), default=1)
        document["timeline"] = [{"day": d, "count": c, "width": round(100 * c / peak)} for d, c in days.items()]
        countries = sorted(document["summary"]["countries"])
        grid: dict[str, dict[str, int]] = {}
        for row in document["coverage"]:
            grid.setdefault(row["outlet_name"] or "?", {c: 0 for c in countries})[row["country"] or "?"] += 1
        document["grid"] = {"countries": countries, "rows": sorted(grid.items())}
    template = _environment.get_template("report.html")
    return template.render(title=title, documents=docs, generated_at=datetime.now(UTC).isoformat(timespec="seconds"))


def write_html(documents: Iterable[dict[str, Any]], path: Path) -> int:
    docs = list(documents)
    path.write_text(render_html(docs), encoding="utf-8")
    return len(docs)


WRITERS = {"json": write_json, "ndjson": write_ndjson, "csv": write_csv, "html": write_html}


def export(documents: Iterable[dict[str, Any]], fmt: str, path: Path) -> int:
    """Write ``documents`` in ``fmt`` to ``path``; returns stories (rows for CSV) written."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file beside the target and renamed over it once complete: a crash or a kill
    # mid-export leaves the previous export in place, never a truncated one.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp's 0600 would make the export private to its writer
    try:
        # No credential leaves in an export (URL user:password@, secrets).
        count = WRITERS[fmt]((redact_value(document) for document in documents), Path(temporary))
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
