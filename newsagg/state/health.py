"""Source health: each outlet's latest figures, judged against the outlet's own history.

Outlets differ too much (a wire service publishes hundreds of articles a day, a weekly a handful) for global
thresholds, so an outlet is compared with itself: a *sharp drop* is a figure below ``drop_ratio`` (default
half) of its baseline over the outlet's previous finished runs, once it has ``min_history`` of them: the
median yield per run, and for completeness the share over all articles of those runs (pooled: an incremental
run fetches only a few articles). Runs in
which the outlet was dark do not count in the median (a week of outage must not make the outage "normal").

Warnings (``kind``):

- ``dark``: no page answered (only HTTP errors or download errors): site down, blocking us, DNS gone.
- ``robots_blocked``: robots.txt refused every request of the outlet.
- ``yield_drop``: far fewer articles than usual (dead feed, moved sitemap, section pages redesigned). The
  yield counts articles found plus articles confirmed unchanged (304) or not yet due for a re-fetch, and is
  judged only in runs where a feed, sitemap or section page answered 200 (all 304: nothing new was listed).
- ``completeness_drop``: the share of articles with a title, date, author or text fell (a layout change
  broke extraction), judged only on runs with ``min_articles`` articles or more.
- ``no_articles``: pages answered but no article came out of them, in a run where the outlet had no
  history yet to compare with (a new outlet configured wrongly).

Warnings are data: the command that prints them exits 0; scripts read the JSON ``warnings`` list.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from newsagg.config import Config
from newsagg.settings_schema import default_of
from newsagg.state.runs import COMPLETENESS_FIELDS, OutletFigures, RunLog


@dataclass(frozen=True)
class HealthPolicy:
    min_history: int = default_of("NEWSAGG_HEALTH_MIN_HISTORY")
    drop_ratio: float = default_of("NEWSAGG_HEALTH_DROP_RATIO")
    min_articles: int = default_of("NEWSAGG_HEALTH_MIN_ARTICLES")
    #: a completeness drop smaller than this (absolute share) is noise, whatever the ratio
    min_completeness_drop: float = 0.2

    @classmethod
    def from_config(cls, config: Config) -> HealthPolicy:
        return cls(
            min_history=config["NEWSAGG_HEALTH_MIN_HISTORY"],
            drop_ratio=config["NEWSAGG_HEALTH_DROP_RATIO"],
            min_articles=config["NEWSAGG_HEALTH_MIN_ARTICLES"],
        )


@dataclass
class HealthWarning:
    outlet: str
    kind: str
    message: str
    run_id: str
    value: float | None = None
    baseline: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OutletHealth:
    outlet: str
    run: dict[str, Any]
    figures: OutletFigures
    history_runs: int
    newest_published_utc: float | None
    warnings: list[HealthWarning] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "warning" if self.warnings else "ok"

    def as_dict(self) -> dict[str, Any]:
        f = self.figures
        ended = self.run.get("ended_utc")
        age = None
        if self.newest_published_utc is not None and ended:
            age = round((datetime.fromisoformat(ended).timestamp() - self.newest_published_utc) / 3600, 1)
        return {
            "outlet": self.outlet,
            "status": self.status,
            "run_id": self.run["id"],
            "run_ended_utc": ended,
            "history_runs": self.history_runs,
            "pages": f.pages,
            "not_modified": f.not_modified,
            "articles": f.articles,
            "unchanged": f.unchanged,
            "extraction_failures": f.extraction_failures,
            "completeness": f.completeness(),
            "newest_article_age_hours": age,
            "http_errors": f.http_error_count,
            "http_errors_by_status": f.http_errors,
            "download_errors": f.download_error_count,
            "download_errors_by_type": f.download_errors,
            "robots_blocked": f.robots_blocked,
            "warnings": [w.as_dict() for w in self.warnings],
        }


def is_dark(f: OutletFigures) -> bool:
    return f.pages == 0 and f.not_modified == 0 and (f.http_error_count > 0 or f.download_error_count > 0)


def is_blocked(f: OutletFigures) -> bool:
    return f.pages == 0 and f.not_modified == 0 and f.robots_blocked > 0 and not is_dark(f)


def judge(
    outlet: str, run: dict[str, Any], latest: OutletFigures, previous: list[OutletFigures], policy: HealthPolicy
) -> list[HealthWarning]:
    """The warnings for one outlet's latest run given its previous runs' figures (oldest first)."""
    run_id = run["id"]
    if is_dark(latest):
        errors = [f"HTTP {k}: {v}" for k, v in sorted(latest.http_errors.items())]
        errors += [f"{k}: {v}" for k, v in sorted(latest.download_errors.items())]
        return [HealthWarning(outlet, "dark", f"no page answered ({', '.join(errors)})", run_id, 0.0)]
    if is_blocked(latest):
        return [
            HealthWarning(
                outlet,
                "robots_blocked",
                f"robots.txt refused all {latest.robots_blocked} requests",
                run_id,
                float(latest.robots_blocked),
            )
        ]
    usable = [f for f in previous if not is_dark(f) and not is_blocked(f)]
    warnings: list[HealthWarning] = []
    if len(usable) < policy.min_history:
        if latest.pages and not latest.yield_ and not latest.not_modified:
            warnings.append(
                HealthWarning(
                    outlet,
                    "no_articles",
                    f"{latest.pages} pages answered but no article found "
                    f"({latest.extraction_failures} extraction failures)",
                    run_id,
                    0.0,
                )
            )
        return warnings
    # Yield is judged only when the outlet listed its articles afresh (a feed, sitemap or section page answered
    # 200): when every listing answered 304 nothing new was listed, and few articles is the right answer.
    # (runs that recorded no listing at all count too)
    listed = [f for f in usable if f.listings_fresh or not f.listings_not_modified]
    if latest.listings_fresh and len(listed) >= policy.min_history:
        median_yield = statistics.median(f.yield_ for f in listed)
        if median_yield > 0 and latest.yield_ < policy.drop_ratio * median_yield:
            warnings.append(
                HealthWarning(
                    outlet,
                    "yield_drop",
                    f"{latest.yield_} articles against a median of {median_yield:g} over {len(listed)} runs",
                    run_id,
                    float(latest.yield_),
                    float(median_yield),
                )
            )
    # Completeness: an incremental run fetches few articles, so the baseline pools the articles of the previous
    # runs; the latest run is judged once it has ``min_articles`` of its own.
    pooled = sum(f.articles for f in usable)
    if latest.articles >= policy.min_articles and pooled >= policy.min_articles:
        now = latest.completeness()
        for name in COMPLETENESS_FIELDS:
            baseline = sum(getattr(f, f"with_{name}") for f in usable) / pooled
            value = now[name] or 0.0
            if value < policy.drop_ratio * baseline and baseline - value >= policy.min_completeness_drop:
                warnings.append(
                    HealthWarning(
                        outlet,
                        "completeness_drop",
                        f"{name} on {value:.0%} of {latest.articles} articles against "
                        f"{baseline:.0%} of {pooled} before (layout change?)",
                        run_id,
                        value,
                        round(baseline, 3),
                    )
                )
    return warnings


def source_health(
    log: RunLog, policy: HealthPolicy, runs: int = 10, outlets: list[str] | None = None
) -> list[OutletHealth]:
    """Per outlet crawled in the last ``runs`` finished runs: its latest figures and warnings."""
    report = []
    for outlet, history in sorted(log.outlet_history(limit_runs=runs).items()):
        if outlets and outlet not in outlets:
            continue
        run, latest = history[-1]
        previous = [f for _, f in history[:-1]]
        newest = [f.newest_published_utc for _, f in history if f.newest_published_utc is not None]
        report.append(
            OutletHealth(
                outlet,
                run,
                latest,
                len(previous),
                max(newest) if newest else None,
                judge(outlet, run, latest, previous, policy),
            )
        )
    return report


def health_payload(report: list[OutletHealth]) -> dict[str, Any]:
    return {"outlets": [h.as_dict() for h in report], "warnings": [w.as_dict() for h in report for w in h.warnings]}
