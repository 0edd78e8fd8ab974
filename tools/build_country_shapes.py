"""Builds ``newsagg/serve/data/countries-110m.json``, the country shapes of the story page's coverage map.

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as shipped in the geopandas 0.14.4 wheel
(``geopandas/datasets/naturalearth_lowres``, removed from later geopandas releases). The shapefile is read
with pyshp, the ISO 3166 alpha-3 codes are turned into the alpha-2 codes newsagg stores with pycountry, and
every ring is simplified (Douglas-Peucker, ``TOLERANCE`` degrees) and rounded to ``DECIMALS`` decimals, so
the vendored file stays small. Only this script needs the three packages, and only when rebuilding:

    pip download --no-deps geopandas==0.14.4 pyshp==3.1.6 pycountry==26.2.16 -d /tmp/wheels
    python tools/build_country_shapes.py /tmp/wheels

Coordinates are plate carrée (longitude, minus latitude: SVG's y grows downwards), so a view box in degrees
crops the map without projecting anything at request time.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

TOLERANCE = 0.25
DECIMALS = 1
MIN_RING_AREA = 0.3  # square degrees: smaller islands are dropped
OUT = Path(__file__).resolve().parent.parent / "newsagg" / "serve" / "data" / "countries-110m.json"
#: Natural Earth codes without an ISO 3166 alpha-3 entry (Kosovo's user-assigned code, as newsagg reads it).
EXTRA_ALPHA2 = {"KOS": "XK", "-99": None}


def _distance(point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    if (x1, y1) == (x2, y2):
        return math.hypot(x - x1, y - y1)
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.hypot(y2 - y1, x2 - x1)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _fmt(value: float) -> str:
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _box(ring: list[tuple[float, float]]) -> list[float]:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)]


def country_path(points: list[tuple[float, float]], parts: list[int]) -> tuple[str, list[float], list[float]]:
    """SVG path data (absolute, closed rings), the bounding box [x0, y0, x1, y1] of all rings and that of the
    largest ring (the mainland, which a map centres on: France's box alone spans the Atlantic)."""
    commands: list[str] = []
    kept: list[tuple[float, float]] = []
    main: list[tuple[float, float]] = []
    for start, end in zip(parts, [*parts[1:], len(points)], strict=True):
        ring = [(lon, -lat) for lon, lat in points[start:end]]
        if _area(ring) < MIN_RING_AREA and commands:
            continue
        ring = simplify(ring, TOLERANCE)
        rounded: list[tuple[str, str]] = []
        for x, y in ring:
            pair = (_fmt(x), _fmt(y))
            if not rounded or rounded[-1] != pair:
                rounded.append(pair)
        if len(rounded) < 4:
            continue
        commands.append("M" + "L".join(f"{x} {y}" for x, y in rounded[:-1]) + "Z")
        kept.extend(ring)
        if not main or _area(ring) > _area(main):
            main = ring
    if not commands:
        return "", [], []
    return "".join(commands), _box(kept), _box(main)


def build(wheels: Path) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp())
    for wheel in wheels.glob("*.whl"):
        zipfile.ZipFile(wheel).extractall(scratch)
    sys.path.insert(0, str(scratch))
    import pycountry
    import shapefile

    reader = shapefile.Reader(str(scratch / "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"))
    countries: dict[str, Any] = {}
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        alpha3, name = record["iso_a3"], record["name"]
        if name == "Kosovo":
            alpha3 = "KOS"
        if alpha3 in EXTRA_ALPHA2:
            alpha2 = EXTRA_ALPHA2[alpha3]
        else:
            found = pycountry.countries.get(alpha_3=alpha3)
            alpha2 = found.alpha_2 if found else None
        if alpha2 is None:
            print(f"skipped {name} ({alpha3}): no ISO 3166 alpha-2 code", file=sys.stderr)
            continue
        path, box, main = country_path([tuple(p) for p in shape.points], list(shape.parts))
        if path:
            countries[alpha2] = {"name": name, "box": box, "main": main, "path": path}
    return {
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via geopandas 0.14.4 naturalearth_lowres",
        "license": "public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
        "built_by": "tools/build_country_shapes.py",
        "simplified": {"tolerance_degrees": TOLERANCE, "decimals": DECIMALS, "min_ring_area": MIN_RING_AREA},
        "coordinates": "longitude, -latitude (degrees)",
        "countries": dict(sorted(countries.items())),
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(data['countries'])} countries, {OUT.stat().st_size} bytes -> {OUT}")
