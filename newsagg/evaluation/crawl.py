"""End-to-end quality: an evaluation set crawled by the real spider and pipelines, scored from the store.

``eval extraction`` scores the extractor on bytes handed to it. What a user gets also depends on
discovery, HTTP, decoding, URL canonicalization, article detection and storage: a page the crawler rejects
or whose id collides with another's is lost however good the extractor is. So this evaluation serves the
set from a loopback mirror (:mod:`newsagg.evaluation.mirror`), runs ``newsagg crawl`` on it in a fresh home
(a separate process, exactly the command a user runs), reads the stored articles back and matches them to
the gold pages by URL. A gold page missing from the store scores zero on every measure. Bare trafilatura
(with htmldate's extensive date search) on the same pages is the baseline, as in ``eval extraction``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsagg.evaluation.extraction import COUNTRY_TZ, Scores, run_baseline
from newsagg.evaluation.mirror import EvaluationSet, Mirror, mirror_url, registry_yaml, scheme_free
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url

#: The crawl runs as fast as the loopback mirror answers: politeness delays measure nothing here.
EVAL_CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "NEWSAGG_INDEX_FLUSH_SECONDS": "1",
}


def _stored_output(article: dict[str, Any] | None) -> dict[str, Any]:
    """A stored article in the shape the extraction scorer reads (a missing article is an empty one)."""
    if article is None:
        return {"text": "", "title": None, "authors": [], "published": None, "precision": "day"}
    published: datetime | None = None
    raw = article.get("published_at")
    if raw:
        try:
            published = datetime.fromisoformat(raw)
        except ValueError:
            published = datetime.combine(date.fromisoformat(raw[:10]), datetime.min.time())
    return {
        "text": article.get("text") or "",
        "title": article.get("title"),
        "authors": list(article.get("authors") or []),
        "published": published,
        "precision": article.get("published_precision") or "minute",
    }


def url_collisions(urls: list[str]) -> int:
    """Pages whose article id (from their canonicalized URL) is also another page's."""
    ids = Counter(article_id(canonicalize_url(mirror_url(u))) for u in set(urls))
    return sum(n for n in ids.values() if n > 1)


def run_eval_crawl(registry: Path, home: Path, proxy_url: str) -> dict[str, Any]:
    """``newsagg crawl`` over the mirror in a subprocess; its JSON summary."""
    command = [sys.executable, "-m", "newsagg.cli", "crawl", "--registry", str(registry), "--home", str(home)]
    command += ["--full", "--no-progress", "--format", "json"]
    for key, value in EVAL_CRAWL_SETTINGS.items():
        command += ["--set", f"{key}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_") and "proxy" not in k.lower()}
    env.update({"http_proxy": proxy_url, "NEWSAGG_BACKEND": "sqlite", "NEWSAGG_HOME": str(home)})
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
    try:
        summary: dict[str, Any] = json.loads(done.stdout[done.stdout.index("{") :])
    except ValueError as exc:
        raise RuntimeError(f"eval crawl failed (exit {done.returncode}): {done.stderr[-2000:]}") from exc
    summary["exit_code"] = done.returncode
    return summary


def page_outcomes(state_path: Path) -> dict[str, str]:
    """What the crawl did with each URL it requested (scheme-free URL -> outcome or last error), from the
    crawler's fetch state: the per-page record the crawl summary's totals are made of."""
    outcomes: dict[str, str] = {}
    if not state_path.exists():
        return outcomes
    connection = sqlite3.connect(f"file:{state_path}?mode=ro", uri=True)
    try:
        for url, outcome, last_error in connection.execute("SELECT url, outcome, last_error FROM fetch_state"):
            outcomes[scheme_free(url)] = outcome or last_error or "not finished"
    finally:
        connection.close()
    return outcomes


def evaluate_crawl(
    data_dir: Path, *, limit: int | None = None, baseline: bool = True, workdir: Path | None = None
) -> dict[str, Any]:
    """Crawl ``data_dir``'s pages through the mirror and score what was stored (see the module doc)."""
    evaluation_set = EvaluationSet.load(Path(data_dir), limit)
    with tempfile.TemporaryDirectory(prefix="newsagg-eval-crawl-") as scratch:
        home = Path(workdir or scratch)
        home.mkdir(parents=True, exist_ok=True)
        registry = home / "registry.yaml"
        registry.write_text(registry_yaml(evaluation_set.by_host(), COUNTRY_TZ), "utf-8")
        with Mirror(evaluation_set) as mirror:
            summary = run_eval_crawl(registry, home, mirror.proxy_url)
        outcomes = page_outcomes(home / "state.sqlite")
        with SQLiteStore(home / "newsagg.sqlite") as store:
            stored_by_url: dict[str, dict[str, Any]] = {}
            for article in store.iter_articles():
                for key in ("url", "canonical_url"):
                    if article.get(key):
                        stored_by_url.setdefault(scheme_free(article[key]), article)

    ours, base = Scores(), Scores()
    missing: dict[str, str] = {}
    dated_missing = 0
    for page in evaluation_set.pages:
        address = scheme_free(mirror_url(page.url))
        article = stored_by_url.get(address)
        if article is None:
            # "stored" without a stored copy under this URL: another page took its id
            outcome = outcomes.get(address, "not requested")
            missing[page.key] = "id taken by another page" if outcome == "stored" else outcome
            dated_missing += bool(page.record.get("published"))
        ours.add(page.record, _stored_output(article), 0.0)
        if baseline:
            need_metadata = any(page.record.get(k) for k in ("title", "authors", "published"))
            out, elapsed = run_baseline(page.html(), page.record, need_metadata)
            base.add(page.record, out, elapsed)
    pages = len(evaluation_set.pages)
    result = {k: v for k, v in ours.summary(pages).items() if k != "ms_per_page"}
    result.update(
        stored=pages - len(missing),
        rejected={
            "pages": len(missing),
            "dated_pages": dated_missing,
            "reasons": dict(Counter(missing.values()).most_common()),
        },
        url_collisions=url_collisions([p.url for p in evaluation_set.pages]),
        crawl={k: summary.get(k) for k in ("seconds", "pages", "articles", "exit_code", "skipped", "errors")},
        missing=missing,
        baseline=base.summary(pages) if baseline else None,
    )
    return result
