"""The time fields of engine documents, as people query them: ``date`` fields in UTC, offsets kept apart.

An article says when it was published in its own words: ``published_at`` is the page's ISO 8601 string with
the outlet's offset (``2026-11-27T09:00:00-03:00``) or a bare day (``2026-11-27``), ``published_utc`` the same
instant in epoch seconds. In the engines a Kibana or Lucene query (``published_at:[2026-11-20 TO
2026-11-21}``, a ``range`` with ``"gte": "2026-11-20"``) must work on it, so each document carries

* ``<name>_at``: the instant in UTC (``2026-11-27T12:00:00.000Z``), mapped ``date`` with format
  ``strict_date_optional_time||epoch_millis``;
* ``<name>_offset``: the original UTC offset (``-03:00``; none for a bare day or a time without offset);
* ``<name>_at_local``: the article's own string, unchanged: what the store gives back (same as SQLite).

for ``published``, ``modified`` and ``discovered``. The ``*_utc`` numbers stay as they are (exact ordering
and filters of the store itself). Stories get ``first_published``, ``last_published`` and ``updated``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

#: what every time field of the engine schema accepts: ISO 8601 with or without offset, or epoch millis
DATE_FORMAT = "strict_date_optional_time||epoch_millis"
ARTICLE_DATES = ("published", "modified", "discovered")
_OFFSET = re.compile(r"T.*?(Z|[+-]\d{2}(?::?\d{2})?)$")


def utc_iso(seconds: float | None, text: str | None = None) -> str | None:
    """The instant in UTC, ISO 8601 with milliseconds and ``Z``: from ``seconds`` (epoch), else from the ISO
    string ``text`` (a time without offset is taken as UTC, as the engines would); None if neither is usable."""
    if seconds is not None and math.isfinite(seconds):
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif text:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    else:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_offset(text: str | None) -> str | None:
    """``-03:00`` of ``2026-11-27T09:00:00-03:00`` (``Z`` gives ``+00:00``); None for a day or a naive time."""
    if not text:
        return None
    match = _OFFSET.search(text)
    if not match:
        return None
    raw = match.group(1)
    if raw == "Z":
        return "+00:00"
    digits = raw[1:].replace(":", "")
    return f"{raw[0]}{digits[:2]}:{digits[2:4] or '00'}"


def article_dates(values: Mapping[str, Any]) -> dict[str, Any]:
    """The engine-side time fields of an article (see the module doc), from its ``*_at``/``*_utc`` values."""
    fields: dict[str, Any] = {}
    for name in ARTICLE_DATES:
        text = values.get(f"{name}_at")
        text = str(text) if text is not None else None
        fields[f"{name}_at"] = utc_iso(values.get(f"{name}_utc"), text)
        fields[f"{name}_offset"] = utc_offset(text)
        fields[f"{name}_at_local"] = text
    return fields


def article_time(source: Mapping[str, Any], name: str) -> Any:
    """An article's own ``<name>_at`` string from an engine document of any schema version."""
    if f"{name}_at_local" in source:
        return source[f"{name}_at_local"]
    return source.get(f"{name}_at")  # schema v2 and older kept the article's string as a keyword


def story_dates(values: Mapping[str, Any]) -> dict[str, Any]:
    """``first_published``, ``last_published`` and ``updated`` of a story document."""
    return {
        "first_published": utc_iso(values.get("first_published_utc")),
        "last_published": utc_iso(values.get("last_published_utc")),
        "updated": utc_iso(None, values.get("updated_at")),
    }
