"""The clustering evaluation over a tiny ECB+-style corpus (tests/fixtures/ecbplus-mini, our own text)."""

from __future__ import annotations

import json
from pathlib import Path

from newsagg.evaluation.bcubed import bcubed
from newsagg.evaluation.ecbplus import load_gold
from tests.support.crawl import run_cli

MINI = Path(__file__).parent / "fixtures" / "ecbplus-mini"


def test_bcubed_known_values() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    one = dict.fromkeys(gold, "all")
    precision, recall, _ = bcubed(one, gold)
    assert (precision, recall) == (0.5, 1.0)
    singletons = {k: k for k in gold}
    assert bcubed(singletons, gold)[:2] == (1.0, 0.5)


def test_ecbplus_reader_takes_headline_and_body() -> None:
    documents = load_gold(MINI)
    assert len(documents) == 12
    first = next(d for d in documents if d.name == "1_1ecb.xml")
    assert first.title == "Actress Tara Reid checks into Promises rehab center in Malibu."
    assert first.text.startswith("Tara Reid entered the Promises Treatment Center on Friday,")


def test_eval_clustering_command_separates_same_topic_events() -> None:
    result = run_cli("eval", "clustering", "--data", str(MINI), "--format", "json", timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["docs"] == 12 and figures["gold_stories"] == 4
    assert figures["bcubed_f1"] >= 0.9, figures
    assert set(figures["baseline"]) >= {"bcubed_f1", "threshold", "stories"}


def test_eval_dedupe_command_links_edited_copies_only() -> None:
    data = Path(__file__).parent / "fixtures" / "dedupe-mini"
    result = run_cli("eval", "dedupe", "--data", str(data), "--ecbplus", str(MINI), "--format", "json", timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["originals"] == 3 and figures["positive_pairs"] == 15
    assert figures["pair_precision"] == 1.0, figures
    assert figures["recall_by_edit"]["boilerplate"] == 1.0 and figures["recall_by_edit"]["headline"] == 1.0
    assert figures["pair_recall"] >= 0.8, figures
