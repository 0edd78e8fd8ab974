"""The story page's coverage map: the countries that covered a story, drawn on the server as SVG, with a strip.

Shapes are Natural Earth 1:110m countries (public domain), simplified and vendored in
``data/countries-110m.json`` by ``tools/build_country_shapes.py``, in plate carrée degrees: the map is cropped
to the covered countries' mainland with a view box, nothing is projected per request. Each covered country
takes its colour in the timeline (order of first report), with a ``<title>`` giving its article count and
first report. The strip below lists every covered country (ISO code, name, articles, first report), including
those that cannot be drawn: an unknown country ("?") or a state too small for the 1:110m shapes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

#: The largest map (pixels); its shape follows the covered area's (the Americas are tall, Europe wide),
#: never narrower than MIN_WIDTH.
MAX_WIDTH = 760
MAX_HEIGHT = 440
MIN_WIDTH = 300
#: The smallest area shown, in degrees: one small country alone would otherwise fill the map and lose its
#: neighbours.
MIN_SPAN = 36.0
MARGIN = 0.15
UNCOVERED = "#e4e4e4"


@dataclass(frozen=True)
class CountryShape:
    code: str
    name: str
    path: str
    covered: bool
    colour: str
    title: str


@dataclass
class CountryMap:
    view_box: str = ""
    width: int = MAX_WIDTH
    height: int = MAX_HEIGHT
    shapes: list[CountryShape] = field(default_factory=list)
    #: every covered country, in order of first report: code, name, articles, first report, on_map
    strip: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=1)
def shapes() -> dict[str, dict[str, Any]]:
    """The vendored country shapes by ISO 3166 alpha-2 code (read once)."""
    text = resources.files("newsagg.serve").joinpath("data/countries-110m.json").read_text(encoding="utf-8")
    countries: dict[str, dict[str, Any]] = json.loads(text)["countries"]
    return countries


def _view_box(boxes: list[list[float]]) -> tuple[tuple[float, float, float, float], int, int]:
    """(x, y, width, height) in degrees around ``boxes``, padded, inside the world; and the map's size in
    pixels, at one scale for both axes."""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width = min(max((x1 - x0) * (1 + 2 * MARGIN), MIN_SPAN), 360.0)
    height = min(max((y1 - y0) * (1 + 2 * MARGIN), MIN_SPAN / 2), 180.0)
    scale = min(MAX_WIDTH / width, MAX_HEIGHT / height)
    if width * scale < MIN_WIDTH:
        width = min(MIN_WIDTH / scale, 360.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = min(max(cx - width / 2, -180.0), 180.0 - width)
    top = min(max(cy - height / 2, -90.0), 90.0 - height)
    view = (round(left, 1), round(top, 1), round(width, 1), round(height, 1))
    return view, round(view[2] * scale), round(view[3] * scale)


def _overlaps(box: list[float], view: tuple[float, float, float, float]) -> bool:
    left, top, width, height = view
    return box[0] <= left + width and box[2] >= left and box[1] <= top + height and box[3] >= top


def country_map(document: dict[str, Any], colours: dict[str, str]) -> CountryMap:
    """The map and strip of a story document (``summary.countries``, ``first_reports``); ``colours`` by
    country code as in the timeline."""
    known = shapes()
    counts: dict[str, int] = document["summary"]["countries"]
    firsts = {row["country"]: row for row in document.get("first_reports") or []}
    order = [c for c in firsts if c in counts] + sorted(c for c in counts if c not in firsts)
    result = CountryMap()
    for code in order:
        first = firsts.get(code) or {}
        result.strip.append(
            {
                "country": code,
                "name": known[code]["name"] if code in known else None,
                "articles": counts[code],
                "first_published": first.get("published_at"),
                "first_outlet": first.get("outlet_name"),
                "on_map": code in known,
                "colour": colours.get(code, "#0072B2"),
            }
        )
    drawn = [row for row in result.strip if row["on_map"]]
    if not drawn:
        return result
    view, result.width, result.height = _view_box([known[row["country"]]["main"] for row in drawn])
    result.view_box = " ".join(f"{v:g}" for v in view)
    covered = {row["country"]: row for row in drawn}
    for code, shape in known.items():
        if code in covered or not _overlaps(shape["box"], view):
            continue
        result.shapes.append(CountryShape(code, shape["name"], shape["path"], False, UNCOVERED, shape["name"]))
    for code, row in covered.items():  # drawn last: on top of their neighbours' borders
        first = f", first {row['first_published']}" if row["first_published"] else ""
        title = f"{row['name']} ({code}): {row['articles']} article{'' if row['articles'] == 1 else 's'}{first}"
        result.shapes.append(CountryShape(code, row["name"], known[code]["path"], True, row["colour"], title))
    return result
