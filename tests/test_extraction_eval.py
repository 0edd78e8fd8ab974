"""The extraction evaluation and its metrics, on a tiny dataset built from the test fixtures."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from newsagg.evaluation.extraction import authors_found, date_scores, evaluate_extraction, render_table
from newsagg.evaluation.metrics import shingle_prf, shingles, tokenize

FIXTURES = Path(__file__).parent / "fixtures" / "extraction" / "real"


def test_tokenize_and_shingles() -> None:
    assert tokenize("Hello, World! ¿Qué tal?") == ["hello", "world", "qué", "tal"]
    assert sum(shingles("a b c d e").values()) == 2
    assert sum(shingles("a b").values()) == 1  # short text: one shingle


def test_shingle_prf() -> None:
    gold = "one two three four five six"
    assert shingle_prf(gold, gold).f1 == 1.0
    assert shingle_prf(gold, "").f1 == 0.0
    assert shingle_prf("", "").f1 == 1.0
    half = shingle_prf(gold, "one two three four five six seven eight nine")
    assert half.recall == 1.0 and 0.4 < half.precision < 0.6


def test_date_scores() -> None:
    ours = datetime.fromisoformat("2024-05-03T17:47:00+02:00")
    assert date_scores("2024-05-03 15:47:42+00:00", ours, "minute") == (True, True)
    assert date_scores("2024-05-03 15:48:42+00:00", ours, "minute") == (True, False)
    assert date_scores("2024-05-03 00:00:00", ours, "minute") == (True, None)  # gold without time
    assert date_scores("2024-05-03 11:47:00", ours, "minute", "America/New_York") == (True, True)
    day = datetime(2024, 5, 3, tzinfo=UTC)
    assert date_scores("2024-05-03 15:47:42+00:00", day, "day") == (True, False)
    assert date_scores("2024-05-03 15:47:42+00:00", None, "day") == (False, False)


def test_authors_found() -> None:
    assert authors_found(["Ana Gómez"], ["ana  gómez", "Luis"])
    assert not authors_found(["Ana Gómez", "Pepe"], ["Ana Gómez"])


def test_evaluate_extraction_on_fixture_pages(tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
    (tmp_path / "html").mkdir()
    truth = {}
    for key in ("us_APNews_2023_04_28", "benchmark_sciencealert"):
        shutil.copy(FIXTURES / f"{key}.html.gz", tmp_path / "html" / f"{key}.html.gz")
        truth[key] = {k: v for k, v in expected[key].items() if k != "dataset"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    result = evaluate_extraction(tmp_path)
    for key in ("pages", "f1", "precision", "recall", "title_exact", "authors_found", "date_day", "date_minute"):
        assert key in result and key in result["baseline"]
    assert result["pages"] == 2
    assert result["f1"] > 0.9
    assert result["title_exact"] == 1.0  # only the AP page carries a title
    assert result["date_minute"] == 1.0
    assert result["ms_per_page"] > 0
    assert result["htmldate"]["date_day"] is not None  # htmldate alone, same run, pages with a gold date
    assert result["url_collisions"] == []
    assert [row["key"] for row in result["worst"]] and len(result["worst"]) <= 10
    json.dumps(result)
    assert render_table(result).row_count >= 8
    assert evaluate_extraction(tmp_path, limit=1, baseline=False)["pages"] == 1


def test_gzip_fixtures_are_html() -> None:
    for path in FIXTURES.glob("*.html.gz"):
        assert b"<html" in gzip.decompress(path.read_bytes())[:5000].lower()


def test_evaluate_extraction_lists_metadata_misses_by_measure(tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
    (tmp_path / "html").mkdir()
    key = "us_APNews_2023_04_28"
    shutil.copy(FIXTURES / f"{key}.html.gz", tmp_path / "html" / f"{key}.html.gz")
    record = {k: v for k, v in expected[key].items() if k != "dataset"}
    record["title"] = "A headline this page does not carry"
    (tmp_path / "ground-truth.json").write_text(json.dumps({key: record}), "utf-8")
    result = evaluate_extraction(tmp_path, baseline=False)
    assert result["misses"]["title_exact"] == [key]
    assert result["misses"]["authors_found"] == []
    assert result["misses"]["date_minute"] == []
