"""Distributed-crawl throughput: 1, 2 and 3 ``newsagg crawl --redis-url`` processes sharing one frontier.

``python bench/distributed.py [--pages 2000] [--processes 1,2,3] [--format json] [--set KEY=VALUE]``

The bench web of ``bench/crawl.py`` (nginx, real pages), one real ``redis-server`` on a free loopback port,
and for each process count a fresh store (one SQLite file shared by the processes) and a fresh run id.
Prints articles/s (all processes together, first start to last exit), CPU seconds per article, and how
the articles were split between the processes. On one 2-core host, processes add throughput only until
the cores are busy; the point of the mode is more hosts (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.crawl import DEFAULT_CACHE, bench_settings, real_web  # noqa: E402
from bench.measure import cpu_seconds, tree  # noqa: E402
from bench.redis_server import RedisServer  # noqa: E402
from bench.server import StaticServer  # noqa: E402
from bench.web import DEFAULT_DATA, BenchWeb, outlet_ip  # noqa: E402
from tests.support.crawl import crawl_command  # noqa: E402


def run_group(n: int, web: BenchWeb, port: int, redis_url: str, work: Path, settings: dict[str, Any]) -> dict:
    home = work / f"home-{n}"
    registry = work / "registry.yaml"
    registry.write_text(json.dumps(web.registry(port)))
    run_id = f"bench-{n}-{uuid.uuid4().hex[:6]}"
    cmd = crawl_command(registry, home, settings, "--redis-url", redis_url, "--run-id", run_id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_")}
    started = time.monotonic()
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(n)
    ]
    cpu_by_pid: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:  # CPU of every process of the group, pool workers included (see bench/measure.py)
        while not done.is_set():
            for process in processes:
                for pid in tree(process.pid):
                    cpu_by_pid[pid] = max(cpu_by_pid.get(pid, 0.0), cpu_seconds(pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    summaries = []
    for process in processes:
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            sys.stderr.write(stderr[-3000:])
            summaries.append({})
        else:
            summaries.append(json.loads(stdout))
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    cpu = sum(cpu_by_pid.values())
    articles = sum(int(s.get("articles", 0)) for s in summaries)
    return {
        "processes": n,
        "ok": all(summaries),
        "articles": articles,
        "per_process": [int(s.get("articles", 0)) for s in summaries],
        "inserted": sum(int(s.get("inserted", 0)) for s in summaries),
        "wall_seconds": round(wall, 2),
        "articles_per_second": round(articles / wall, 2) if wall else 0.0,
        "cpu_seconds_per_article": round(cpu / articles, 4) if articles else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--processes", default="1,2,3")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    settings = bench_settings(parser, args.settings)
    web = real_web(args)
    if web is None:
        return 2
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="newsagg-bench-dist-") as tmp,
        RedisServer() as redis,
        StaticServer(web.root, [outlet_ip(o) for o in range(args.outlets)]) as server,
    ):
        web.bind(server.port)
        for n in (int(x) for x in args.processes.split(",")):
            results.append(run_group(n, web, server.port, redis.url, Path(tmp), settings))
    report = {"bench_pages": args.pages, "cpus": os.cpu_count(), "settings": settings, "runs": results}
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        print(f"bench web: {args.pages} article pages; {os.cpu_count()} CPUs; one Redis; one SQLite store per run")
        print(f"{'processes':>9}{'articles':>10}{'wall s':>9}{'articles/s':>12}{'CPU s/art':>11}  split")
        for r in results:
            print(
                f"{r['processes']:>9}{r['articles']:>10}{r['wall_seconds']:>9}{r['articles_per_second']:>12}"
                f"{r['cpu_seconds_per_article']!s:>11}  {r['per_process']}"
            )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
