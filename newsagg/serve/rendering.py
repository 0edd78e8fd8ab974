"""Jinja2 for the pages: autoescaping on for every template (HTML and the inline SVG), and the few filters
the templates need to show stored fields safely."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from newsagg.serve.security import safe_link

HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "«", "»"


def highlight(snippet: str | None) -> Markup:
    """The store's snippet with its « » match markers as ``<mark>``; every piece of text escaped."""
    out: list[str] = []
    inside = False
    for char_run in _split_markers(snippet or ""):
        if char_run == HIGHLIGHT_OPEN and not inside:
            out.append("<mark>")
            inside = True
        elif char_run == HIGHLIGHT_CLOSE and inside:
            out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(char_run)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def _split_markers(text: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in text:
        if char in (HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE):
            if current:
                pieces.append(current)
            pieces.append(char)
            current = ""
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def lag(seconds: float | None) -> str:
    """'first', '+45 min', '+3 h 05 min', '+2 d 4 h'."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds <= 0:
        return "first"
    minutes, hours = seconds // 60, seconds // 3600
    if hours >= 48:
        return f"+{hours // 24} d {hours % 24} h"
    if hours:
        return f"+{hours} h {minutes % 60:02d} min"
    return f"+{minutes} min"


def utc(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC") if stamp else ""


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def build_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsagg.serve", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(highlight=highlight, lag=lag, utc=utc, percent=percent, safe_link=safe_link)
    return env


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)
