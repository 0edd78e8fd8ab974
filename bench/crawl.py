"""Crawl benchmark: newsagg's full pipeline against a naive Scrapy + trafilatura spider on one bench web.

``python bench/crawl.py [--pages 5000] [--format json] [--data DIR]``

Builds the bench web (``bench/web.py``: copies of the 181 real extraction-benchmark pages, one loopback
address per outlet, feeds and sitemaps), serves it with nginx (``bench/server.py``), then runs one after
the other, each as a child process measured by ``bench/measure.py``:

(a) naive: ``bench/naive.py`` (SitemapSpider, ``trafilatura.extract`` in the callback, JSON lines);
(b) newsagg: ``newsagg crawl`` with the bench registry into a fresh SQLite store (extract, normalize,
    dedupe, stories, index), with the bench settings below.

Prints pages/s, CPU per page and peak memory (PSS, and the RSS sum) for each, and the ratio b/a of pages/s.
The JSON report also splits CPU per page by process role (``cpu_ms_per_page_by_process``): ``crawl`` (the
Scrapy/Twisted process itself: downloads, spider, pipelines), ``story_worker`` (the process that names itself
``newsagg-story``) and ``extraction_pool`` (every other process of the tree: the extraction workers, their fork
server and the resource tracker). Each role's figure is sampled from /proc every 0.2 s, so it misses a process's
last 0.2 s; ``cpu_ms_per_page`` (the whole tree, waited-for rusage) stays the total to compare.

Bench settings for (b), and why they differ from the polite defaults of ``settings/default.py``: the bench
server is ours, on loopback, so AutoThrottle (which would slow down to the latency it measures) is off and
concurrency is Scrapy's default (16 requests, 8 per domain), the same as the naive spider gets; progress
display and DEBUG logging are off in both runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import Measured, run_measured  # noqa: E402
from bench.server import StaticServer  # noqa: E402
from bench.web import DEFAULT_DATA, BenchDataMissing, BenchWeb, BenchWebSpec, outlet_ip  # noqa: E402
from crawler.story_tasks import PROCESS_NAME as STORY_WORKER  # noqa: E402
from tests.support.crawl import NEWSAGG, crawl_args  # noqa: E402

BENCH_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "NEWSAGG_PROGRESS": False,
    "LOG_LEVEL": "INFO",
}
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "newsagg-bench-cache"


def bench_settings(parser: argparse.ArgumentParser, items: list[str]) -> dict[str, Any]:
    """``BENCH_SETTINGS`` with the ``--set KEY=VALUE`` items of the command line on top."""
    settings = dict(BENCH_SETTINGS)
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set expects KEY=VALUE, got {item!r}")
        settings[key] = value
    return settings


def real_web(args: argparse.Namespace) -> BenchWeb | None:
    """The bench web of real pages for ``--pages``, ``--outlets``, ``--cache`` and ``--data``; ``None`` (said on
    stderr) when the benchmark pages are missing."""
    try:
        return BenchWeb.build(args.cache, BenchWebSpec(args.pages, args.outlets, synthetic=False), args.data)
    except BenchDataMissing as exc:
        sys.stderr.write(f"error: {exc}\n")
        return None


def cpu_by_process(measured: Measured) -> dict[str, float]:
    """CPU seconds of the measured tree by process role: the crawl process, the story worker (by its name), and
    everything else, which is the extraction pool and what serves it (fork server, resource tracker)."""
    story = measured.cpu_by_name.get(STORY_WORKER, 0.0)
    return {
        "crawl": measured.cpu_main_seconds,
        "story_worker": story,
        "extraction_pool": sum(measured.cpu_by_name.values()) - story,
    }


def figures(name: str, measured: Measured, pages: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    by_process = cpu_by_process(measured)
    return {
        "run": name,
        "ok": measured.returncode == 0,
        "pages": pages,
        "wall_seconds": round(measured.wall_seconds, 2),
        "pages_per_second": round(pages / measured.wall_seconds, 2) if measured.wall_seconds else 0.0,
        "cpu_seconds_per_page": round(measured.cpu_seconds / pages, 5) if pages else None,
        "cpu_seconds": round(measured.cpu_seconds, 2),
        "cpu_seconds_per_page_crawl_process": round(measured.cpu_main_seconds / pages, 5) if pages else None,
        "cpu_ms_per_page": round(1000 * measured.cpu_seconds / pages, 1) if pages else None,
        "cpu_ms_per_page_by_process": {role: round(1000 * seconds / pages, 1) for role, seconds in by_process.items()}
        if pages
        else None,
        "peak_pss_mb": round(measured.peak_pss_mb, 1),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        **(extra or {}),
    }


def run_naive(web: BenchWeb, port: int, work: Path) -> dict[str, Any]:
    output = work / "naive.jsonl"
    measured = run_measured(
        [sys.executable, str(ROOT / "bench" / "naive.py"), str(output), *web.sitemap_urls(port)], cwd=ROOT
    )
    pages = sum(1 for _ in output.open()) if output.exists() else 0
    if measured.returncode != 0:
        sys.stderr.write(measured.stderr[-3000:])
    return figures("naive", measured, pages)


def run_newsagg(web: BenchWeb, port: int, work: Path, settings: dict[str, Any], profile: Path | None) -> dict[str, Any]:
    home = work / "home"
    registry = work / "registry.yaml"
    registry.write_text(json.dumps(web.registry(port)))  # JSON is YAML
    cmd = [sys.executable]
    if profile:
        # pyinstrument samples (low overhead, honest about generator-heavy code, unlike cProfile which
        # inflates every generator step); cProfile if pyinstrument is not installed.
        if importlib.util.find_spec("pyinstrument"):
            cmd += ["-m", "pyinstrument", "-r", "text", "-o", str(profile), "--show-all"]
        else:
            cmd += ["-m", "cProfile", "-o", str(profile)]
        cmd += [str(ROOT / "bench" / "_cli.py")]
    else:
        cmd = list(NEWSAGG)
    cmd += crawl_args(registry, home, settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_")}
    measured = run_measured(cmd, cwd=ROOT, env=env)
    summary: dict[str, Any] = {}
    if measured.returncode == 0:
        summary = json.loads(measured.stdout)
    else:
        sys.stderr.write(measured.stderr[-3000:])
    extra = {
        "inserted": summary.get("inserted"),
        "duplicates": summary.get("duplicates"),
        "stories_touched": summary.get("stories_touched"),
        "errors": summary.get("errors"),
        "skipped": summary.get("skipped"),
    }
    return figures("newsagg", measured, int(summary.get("articles", 0)), extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="article pages in the bench web (default 5000)")
    parser.add_argument("--outlets", type=int, default=8, help="outlets (loopback addresses), default 8")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="article-extraction-benchmark root (default ../shared/data/article-extraction-benchmark)",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated bench webs are kept")
    parser.add_argument("--only", choices=("naive", "newsagg"), help="run one side only (no ratio)")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra setting for the newsagg run",
    )
    parser.add_argument(
        "--profile", type=Path, help="profile the newsagg run into this file (pyinstrument text, else cProfile stats)"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the newsagg run's home (store included) here, e.g. for stories_replay.py"
    )
    args = parser.parse_args(argv)

    settings = bench_settings(parser, args.settings)
    web = real_web(args)
    if web is None:
        return 2
    hosts = [outlet_ip(o) for o in range(args.outlets)]
    results: list[dict[str, Any]] = []
    work = Path(tempfile.mkdtemp(prefix="newsagg-bench-crawl-"))
    try:
        with StaticServer(web.root, hosts) as server:
            web.bind(server.port)
            if args.only in (None, "naive"):
                results.append(run_naive(web, server.port, work))
            if args.only in (None, "newsagg"):
                results.append(run_newsagg(web, server.port, work, settings, args.profile))
            server_kind = server.kind
    finally:
        if args.keep and (work / "home").is_dir():
            shutil.copytree(work / "home", args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    report: dict[str, Any] = {
        "bench_pages": args.pages,
        "outlets": args.outlets,
        "server": server_kind,
        "cpus": os.cpu_count(),
        "newsagg_settings": settings,
        "runs": results,
    }
    if len(results) == 2 and results[0]["pages_per_second"]:
        report["ratio"] = round(results[1]["pages_per_second"] / results[0]["pages_per_second"], 2)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        print(
            f"bench web: {args.pages} article pages, {args.outlets} outlets, served by {server_kind}, "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"{'run':<9}{'pages':>7}{'wall s':>9}{'pages/s':>9}{'CPU ms/page':>13}{'peak PSS MB':>13}"
            f"{'peak RSS MB':>13}"
        )
        for r in results:
            print(
                f"{r['run']:<9}{r['pages']:>7}{r['wall_seconds']:>9}{r['pages_per_second']:>9}"
                f"{r['cpu_ms_per_page']!s:>13}{r['peak_pss_mb']:>13}{r['peak_rss_mb']:>13}"
            )
        if "ratio" in report:
            print(f"ratio newsagg/naive (pages/s): {report['ratio']}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
