"""Ingest benchmark: ``newsagg ingest warc`` against ``newsagg crawl`` on the same bench web, in the same run.

``python bench/ingest.py [--pages 1000] [--format json] [--plain-crawl]``

Builds and serves the bench web as ``bench/crawl.py`` does, then runs, each as a child process measured by
``bench/measure.py`` (wall time, CPU seconds of the whole process tree, peak RSS):

(a) crawl: ``newsagg crawl --warc DIR`` into a fresh store (the archive (b) reads);
(b) ingest: ``newsagg ingest warc DIR`` of that archive into another fresh store;
(c) with ``--plain-crawl``: ``newsagg crawl`` without ``--warc`` (the cost of archiving is (a) − (c)).

Reported per run: articles, pages/s (wall), CPU seconds per article and articles per CPU second, and the
ratios ingest/crawl of both. The crawl on loopback waits for little but its own politeness settings (the
bench settings of ``bench/crawl.py`` turn AutoThrottle off); the CPU ratio is the figure that does not
depend on waits at all.
"""

from __future__ import annotations

import argparse
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

from bench.crawl import DEFAULT_CACHE, bench_settings, figures, real_web  # noqa: E402
from bench.measure import run_measured  # noqa: E402
from bench.server import StaticServer  # noqa: E402
from bench.web import DEFAULT_DATA, outlet_ip  # noqa: E402
from tests.support.crawl import NEWSAGG, crawl_args, set_args  # noqa: E402


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_")}


def _measure(name: str, command: list[str]) -> dict[str, Any]:
    measured = run_measured(command, cwd=ROOT, env=_env())
    summary: dict[str, Any] = {}
    if measured.returncode == 0:
        summary = json.loads(measured.stdout)
    else:
        sys.stderr.write(measured.stderr[-3000:])
    articles = int(summary.get("articles", 0))
    extra = {
        "inserted": summary.get("inserted"),
        "duplicates": summary.get("duplicates"),
        "stories_touched": summary.get("stories_touched"),
        "articles_per_cpu_second": round(articles / measured.cpu_seconds, 2) if measured.cpu_seconds else 0.0,
    }
    if "archives" in summary:
        extra["archives"] = summary["archives"]
    return figures(name, measured, articles, extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="article pages in the bench web (default 1000)")
    parser.add_argument("--outlets", type=int, default=8, help="outlets (loopback addresses), default 8")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark root")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated bench webs are kept")
    parser.add_argument("--plain-crawl", action="store_true", help="also crawl without --warc")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)

    settings = bench_settings(parser, args.settings)
    web = real_web(args)
    if web is None:
        return 2
    hosts = [outlet_ip(o) for o in range(args.outlets)]
    results: list[dict[str, Any]] = []
    work = Path(tempfile.mkdtemp(prefix="newsagg-bench-ingest-"))
    try:
        with StaticServer(web.root, hosts) as server:
            web.bind(server.port)
            registry = work / "registry.yaml"
            registry.write_text(json.dumps(web.registry(server.port)))  # JSON is YAML
            archive = work / "warc"
            results.append(
                _measure("crawl", [*NEWSAGG, *crawl_args(registry, work / "crawl", settings, "--warc", str(archive))])
            )
            if args.plain_crawl:
                results.append(_measure("crawl-plain", [*NEWSAGG, *crawl_args(registry, work / "plain", settings)]))
            server_kind = server.kind
        # the server is gone: the ingest cannot fetch anything, it reads the archive only
        ingest = [*NEWSAGG, "ingest", "warc", str(archive), "--registry", str(registry), "--home"]
        ingest += [str(work / "ingest"), "--format", "json", *set_args(settings)]
        results.append(_measure("ingest", ingest))
        archive_bytes = sum(p.stat().st_size for p in archive.glob("*.warc.gz"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    crawl, ingested = results[0], results[-1]
    report: dict[str, Any] = {
        "bench_pages": args.pages,
        "outlets": args.outlets,
        "server": server_kind,
        "cpus": os.cpu_count(),
        "settings": settings,
        "archive_mb": round(archive_bytes / 1e6, 1),
        "runs": results,
    }
    if crawl["pages_per_second"]:
        report["ratio_wall"] = round(ingested["pages_per_second"] / crawl["pages_per_second"], 2)
    if crawl["articles_per_cpu_second"]:
        report["ratio_cpu"] = round(ingested["articles_per_cpu_second"] / crawl["articles_per_cpu_second"], 2)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        print(
            f"bench web: {args.pages} article pages, {args.outlets} outlets, served by {server_kind}, "
            f"{os.cpu_count()} CPUs; archive {report['archive_mb']} MB"
        )
        print(f"{'run':<12}{'articles':>9}{'wall s':>9}{'pages/s':>9}{'CPU s/page':>12}{'pages/CPU s':>13}")
        for r in results:
            print(
                f"{r['run']:<12}{r['pages']:>9}{r['wall_seconds']:>9}{r['pages_per_second']:>9}"
                f"{r['cpu_seconds_per_page']!s:>12}{r['articles_per_cpu_second']:>13}"
            )
        print(f"ratio ingest/crawl: wall {report.get('ratio_wall')}, CPU {report.get('ratio_cpu')}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
