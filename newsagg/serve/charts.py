"""Charts drawn on the server as SVG geometry (the templates turn it into markup; no script, no library).

The story timeline is a strip per country: each article a dot at its publication time (a hollow dot for a
copy of another article), so the order in which countries picked the story up, and who copied the wire, read
at a glance. Undated articles are listed apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

WIDTH = 760
LABEL_WIDTH = 70
RIGHT_PAD = 20
ROW_HEIGHT = 30
TOP = 16
AXIS_HEIGHT = 34
#: Colour-blind-safe palette (Okabe & Ito), one colour per country in order of first report.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
_TICK_STEPS = (600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 30 * 86400)
MAX_TICKS = 7
MAX_DOTS = 3000


@dataclass
class Dot:
    x: float
    y: float
    copy: bool
    colour: str
    label: str
    article_id: str


@dataclass
class Timeline:
    width: int
    height: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    undated: int = 0
    axis_y: float = 0.0
    x0: float = LABEL_WIDTH
    x1: float = WIDTH - RIGHT_PAD


def _stamp(article: dict[str, Any]) -> float | None:
    return article.get("published_utc") or article.get("discovered_utc")


def _tick_step(span: float) -> int:
    for step in _TICK_STEPS:
        if span / step <= MAX_TICKS:
            return step
    return _TICK_STEPS[-1]


def _tick_label(stamp: float, step: int) -> str:
    moment = datetime.fromtimestamp(stamp, UTC)
    return moment.strftime("%d %b") if step >= 86400 else moment.strftime("%d %b %H:%M")


def timeline(articles: list[dict[str, Any]]) -> Timeline:
    dated = sorted((a for a in articles if _stamp(a) is not None), key=lambda a: (_stamp(a), a.get("id")))
    countries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for article in dated:
        countries[article.get("country") or "?"].append(article)
    height = TOP + ROW_HEIGHT * max(1, len(countries)) + AXIS_HEIGHT
    chart = Timeline(width=WIDTH, height=height, undated=len(articles) - len(dated))
    chart.axis_y = TOP + ROW_HEIGHT * max(1, len(countries))
    if not dated:
        return chart
    start, end = _stamp(dated[0]), _stamp(dated[-1])
    assert start is not None and end is not None
    span = max(end - start, 3600.0)
    start -= span * 0.03
    span *= 1.06
    plot = chart.x1 - chart.x0

    def x_of(stamp: float) -> float:
        return round(chart.x0 + plot * (stamp - start) / span, 1)

    step = _tick_step(span)
    tick = (int(start) // step + 1) * step
    while tick <= start + span:
        chart.ticks.append({"x": x_of(tick), "label": _tick_label(tick, step)})
        tick += step
    for index, (country, members) in enumerate(countries.items()):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        colour = PALETTE[index % len(PALETTE)]
        chart.rows.append({"country": country, "y": y, "count": len(members), "colour": colour})
        for article in members[: MAX_DOTS // max(1, len(countries))]:
            when = datetime.fromtimestamp(_stamp(article), UTC).isoformat(timespec="minutes")  # type: ignore[arg-type]
            copy = bool(article.get("duplicate_of"))
            chart.dots.append(
                Dot(
                    x=x_of(_stamp(article)),  # type: ignore[arg-type]
                    y=y,
                    copy=copy,
                    colour=colour,
                    label=f"{article.get('outlet_name') or '?'} · {when} UTC{' · copy' if copy else ''} · "
                    f"{article.get('title') or ''}",
                    article_id=article["id"],
                )
            )
    return chart
