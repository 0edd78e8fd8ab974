"""Source health judged against each outlet's own history, on a real state database (no crawl needed: the run
records are written through the same RunLog the crawler uses; the scenario in test_schedule.py covers the
figures a real crawl produces)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsagg.state.health import HealthPolicy, health_payload, source_health
from newsagg.state.runs import OutletFigures, RunLog
from tests.support.crawl import run_cli

POLICY = HealthPolicy(min_history=2, drop_ratio=0.5, min_articles=3)


def healthy(articles: int = 10, **changes) -> OutletFigures:  # type: ignore[no-untyped-def]
    base = {
        "pages": articles + 4,
        "articles": articles,
        "with_title": articles,
        "with_published": articles,
        "with_author": articles,
        "with_text": articles,
        "listings_fresh": 3,
    }
    return OutletFigures(**{**base, **changes})


def record(log: RunLog, figures: dict[str, OutletFigures], reason: str = "finished") -> str:
    run_id = log.start(f"run-{len(log.list(limit=1000)):03d}", command=["test"], outlets=list(figures), settings={})
    log.finish(run_id, reason=reason, counts={}, errors={}, outlets=figures)
    return run_id


@pytest.fixture
def log(tmp_path: Path):  # type: ignore[no-untyped-def]
    with RunLog.open(tmp_path) as run_log:
        yield run_log


def kinds(log: RunLog, policy: HealthPolicy = POLICY) -> dict[str, set[str]]:
    return {h.outlet: {w.kind for w in h.warnings} for h in source_health(log, policy)}


def test_a_steady_outlet_has_no_warning(log: RunLog) -> None:
    for n in (10, 12, 9):
        record(log, {"a": healthy(n)})
    assert kinds(log) == {"a": set()}


def test_yield_drop_needs_history_then_is_flagged(log: RunLog) -> None:
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(2)})
    assert kinds(log) == {"a": set()}, "one previous run is not a history"
    record(log, {"a": healthy(12)})
    record(log, {"a": healthy(3)})  # median of 10, 2, 12 is 10: 3 < 5
    (outlet,) = source_health(log, POLICY)
    (warning,) = outlet.warnings
    assert warning.kind == "yield_drop" and warning.value == 3 and warning.baseline == 10


def test_nothing_new_listed_is_not_a_yield_drop(log: RunLog) -> None:
    """An incremental run whose feeds all answered 304 lists nothing: few articles is the right answer."""
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(0, pages=0, listings_fresh=0, listings_not_modified=3, not_modified=3)})
    assert kinds(log) == {"a": set()}
    record(log, {"a": healthy(1, unchanged=9)})  # a new article, nine known ones confirmed unchanged
    assert kinds(log) == {"a": set()}


def test_dark_outlet_is_flagged_without_history_and_left_out_of_baselines(log: RunLog) -> None:
    dark = OutletFigures(http_errors={"503": 7})
    record(log, {"a": dark, "b": healthy()})
    assert kinds(log) == {"a": {"dark"}, "b": set()}
    record(log, {"a": dark})
    record(log, {"a": OutletFigures(download_errors={"ConnectionRefusedError": 4})})
    assert kinds(log)["a"] == {"dark"}
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(4)})  # baseline is 10 (the dark runs do not count), not a median of 0s
    assert kinds(log)["a"] == {"yield_drop"}


def test_robots_blocking_everything_is_flagged(log: RunLog) -> None:
    record(log, {"a": OutletFigures(robots_blocked=12)})
    (outlet,) = source_health(log, POLICY)
    assert [w.kind for w in outlet.warnings] == ["robots_blocked"]
    assert "12" in outlet.warnings[0].message


def test_completeness_drop_pools_small_incremental_runs(log: RunLog) -> None:
    record(log, {"a": healthy(2)})  # runs of two articles each: too small alone, fine pooled
    record(log, {"a": healthy(2)})
    record(log, {"a": healthy(4, with_author=0, with_published=1)})
    (outlet,) = source_health(log, POLICY)
    fields = {w.message.split()[0] for w in outlet.warnings}
    assert {w.kind for w in outlet.warnings} == {"completeness_drop"} and fields == {"author", "published"}


def test_completeness_of_a_tiny_run_is_not_judged(log: RunLog) -> None:
    for _ in range(3):
        record(log, {"a": healthy(10)})
    record(log, {"a": healthy(2, with_author=0, listings_fresh=0)})  # two articles: too few to judge
    assert kinds(log) == {"a": set()}


def test_only_finished_runs_count(log: RunLog) -> None:
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(10)})
    record(log, {"a": healthy(1)}, reason="shutdown")  # interrupted: partial figures
    (outlet,) = source_health(log, POLICY)
    assert outlet.status == "ok" and outlet.figures.articles == 10


def test_cli_prints_warnings_as_data_and_exits_zero(log: RunLog, tmp_path: Path) -> None:
    record(log, {"a": OutletFigures(http_errors={"503": 3}), "b": healthy()})
    for fmt, check in (("json", None), ("table", "dark")):
        env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
        result = run_cli("sources", "health", "--format", fmt, home=tmp_path, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        if fmt == "json":
            payload = json.loads(result.stdout)
            assert payload == json.loads(json.dumps(health_payload(source_health(log, HealthPolicy())), default=str))
            assert [(w["outlet"], w["kind"]) for w in payload["warnings"]] == [("a", "dark")]
        else:
            assert check in result.stdout and "warning" in result.stdout
