"""The story page's coverage map: vendored Natural Earth shapes, the view box, the strip, and escaping."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from newsagg.serve.countrymap import UNCOVERED, country_map, shapes


def _document(countries: dict[str, int], firsts: list[str]) -> dict[str, Any]:
    return {
        "summary": {"countries": countries},
        "first_reports": [
            {"country": code, "published_at": f"2026-11-2{index}T10:00:00+00:00", "outlet_name": f"Outlet {code}"}
            for index, code in enumerate(firsts)
        ],
    }


def test_vendored_shapes_say_where_they_come_from_and_are_plain_paths() -> None:
    raw = json.loads(resources.files("newsagg.serve").joinpath("data/countries-110m.json").read_text("utf-8"))
    assert "Natural Earth" in raw["source"] and "public domain" in raw["license"]
    known = shapes()
    assert len(known) > 170
    assert {"CL", "SV", "HN", "CR", "US", "MX", "FR", "NO", "XK"} <= set(known)
    for code, shape in known.items():
        assert re.fullmatch(r"[A-Z]{2}", code)
        assert re.fullmatch(r"(M[-0-9. L]+Z)+", shape["path"]), code  # nothing but numbers and M/L/Z
        x0, y0, x1, y1 = shape["box"]
        assert -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


def test_map_crops_to_the_covered_countries_and_strip_follows_first_reports() -> None:
    document = _document({"SV": 4, "CL": 3, "US": 1, "?": 2}, ["SV", "CL", "US", "?"])
    result = country_map(document, {"SV": "#0072B2", "CL": "#E69F00"})
    assert [row["country"] for row in result.strip] == ["SV", "CL", "US", "?"]
    assert (
        result.strip[0] | {"name": "El Salvador", "articles": 4, "on_map": True, "colour": "#0072B2"} == result.strip[0]
    )
    assert result.strip[0]["first_published"] == "2026-11-20T10:00:00+00:00"
    assert result.strip[3]["on_map"] is False and result.strip[3]["name"] is None
    left, top, width, height = (float(v) for v in result.view_box.split())
    for code in ("SV", "CL", "US"):
        mx0, my0, mx1, my1 = shapes()[code]["main"]
        assert left <= mx0 and mx1 <= left + width and top <= my0 and my1 <= top + height, code
    assert abs(width / height - result.width / result.height) < 0.02  # one scale for both axes
    assert result.width <= 760 and result.height <= 440 and result.width >= 300
    covered = [s for s in result.shapes if s.covered]
    assert [s.code for s in covered] == ["SV", "CL", "US"]  # drawn last, over their neighbours
    assert covered[0].title == "El Salvador (SV): 4 articles, first 2026-11-20T10:00:00+00:00"
    neighbours = {s.code: s for s in result.shapes if not s.covered}
    assert "GT" in neighbours and neighbours["GT"].colour == UNCOVERED
    assert "AU" not in neighbours  # far outside the view box: not sent


def test_a_single_small_country_keeps_its_neighbours_in_view() -> None:
    result = country_map(_document({"SV": 1}, ["SV"]), {})
    _, _, width, _ = (float(v) for v in result.view_box.split())
    assert width >= 36
    assert {"GT", "HN"} <= {s.code for s in result.shapes}


def test_no_drawable_country_gives_a_strip_only() -> None:
    result = country_map(_document({"?": 2}, []), {})
    assert result.view_box == "" and result.shapes == []
    assert result.strip == [
        {
            "country": "?",
            "name": None,
            "articles": 2,
            "first_published": None,
            "first_outlet": None,
            "on_map": False,
            "colour": "#0072B2",
        }
    ]
