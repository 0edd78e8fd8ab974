"""Memory flatness: peak memory of a whole ``newsagg crawl`` (crawl process + extraction workers, PSS) at
several crawl sizes; it should stay within ±20 % from 10k to 100k pages.

``python bench/memory.py [--sizes 10000,100000] [--format json] [--set KEY=VALUE] [--jobdir/--no-jobdir]``

A synthetic fast path: small generated article pages (``bench/web.py`` with ``synthetic=True``), so 100k
pages take minutes and what grows is the crawl's state, not page size. What used to grow with the crawl,
and what bounds it now:

- the dedupe LSH index and its signatures: the ``NEWSAGG_DEDUPE_WINDOW`` most recent (512-byte arrays);
- the spider's feed/sitemap date hints: popped when the page arrives, at most ``NEWSAGG_HINTS_MAX``;
- dedupe's recent-id caches: LRU-bounded; the index pipeline's buffer: one batch;
- Scrapy's own frontier (every discovered, not yet fetched request) lives in memory by default; with
  ``JOBDIR`` (on here by default, ``--no-jobdir`` to compare) Scrapy keeps it in disk queues, and in a
  distributed crawl it lives in Redis. Its request-fingerprint set stays in memory (≈ 100 bytes a URL).
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

from bench.crawl import DEFAULT_CACHE, bench_settings  # noqa: E402
from bench.measure import run_measured  # noqa: E402
from bench.server import StaticServer  # noqa: E402
from bench.web import BenchWeb, BenchWebSpec, outlet_ip  # noqa: E402
from tests.support.crawl import crawl_command  # noqa: E402


def crawl_size(pages: int, outlets: int, cache: Path, settings: dict[str, Any], jobdir: bool) -> dict[str, Any]:
    web = BenchWeb.build(cache, BenchWebSpec(pages, outlets, synthetic=True))
    work = Path(tempfile.mkdtemp(prefix="newsagg-bench-mem-"))
    try:
        with StaticServer(web.root, [outlet_ip(o) for o in range(outlets)]) as server:
            web.bind(server.port)
            registry = work / "registry.yaml"
            registry.write_text(json.dumps(web.registry(server.port)))
            run_settings = dict(settings)
            if jobdir:
                run_settings["JOBDIR"] = str(work / "jobdir")
            cmd = crawl_command(registry, work / "home", run_settings)
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_")}
            measured = run_measured(cmd, cwd=ROOT, env=env, timeout=6 * 3600)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = json.loads(measured.stdout) if measured.returncode == 0 else {}
    if measured.returncode != 0:
        sys.stderr.write(measured.stderr[-3000:])
    articles = int(summary.get("articles", 0))
    return {
        "pages": pages,
        "ok": measured.returncode == 0,
        "articles": articles,
        "wall_seconds": round(measured.wall_seconds, 1),
        "pages_per_second": round(articles / measured.wall_seconds, 1) if measured.wall_seconds else 0.0,
        "peak_pss_mb": round(measured.peak_pss_mb, 1),
        "peak_crawl_process_mb": round(measured.peak_main_mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--jobdir",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep Scrapy's frontier on disk (JOBDIR), as a large crawl should",
    )
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    settings = bench_settings(parser, args.settings)
    results = [crawl_size(int(n), args.outlets, args.cache, settings, args.jobdir) for n in args.sizes.split(",")]
    peaks = [r["peak_pss_mb"] for r in results if r["ok"]]
    report: dict[str, Any] = {"settings": settings, "jobdir": args.jobdir, "runs": results}
    if len(peaks) >= 2 and peaks[0]:
        report["peak_growth"] = round(peaks[-1] / peaks[0] - 1, 3)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        print(f"{'pages':>8}{'articles':>10}{'wall s':>9}{'pages/s':>9}{'peak PSS MB':>13}")
        for r in results:
            print(
                f"{r['pages']:>8}{r['articles']:>10}{r['wall_seconds']:>9}{r['pages_per_second']:>9}"
                f"{r['peak_pss_mb']:>13}"
            )
        if "peak_growth" in report:
            print(
                f"peak memory growth from {results[0]['pages']} to {results[-1]['pages']} pages: "
                f"{report['peak_growth']:+.1%}"
            )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
