"""MinHash LSH at scale: insert and query time, and memory, at 100k and 1M signatures.

Signatures are random (the LSH cost does not depend on the texts behind them) with the crawl's parameters
(``newsagg.dedupe``: 128 permutations, threshold 0.5); memory is the growth of the process's RSS while the
index is built, so it counts the index and the signatures the detector keeps for verification.

    python bench/lsh_bench.py [--sizes 100000,1000000] [--queries 1000] [--format json]
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from newsagg.dedupe import DEFAULT_NUM_PERM, DEFAULT_THRESHOLD, SCHEME


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, queries: int, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    before = _rss_mib()
    lsh = MinHashLSH(threshold=DEFAULT_THRESHOLD, num_perm=DEFAULT_NUM_PERM)
    signatures = rng.integers(0, 2**32 - 1, size=(size, DEFAULT_NUM_PERM), dtype=np.uint32)
    started = time.perf_counter()
    for index in range(size):
        lsh.insert(index, LeanMinHash(seed=1, hashvalues=signatures[index], scheme=SCHEME), check_duplication=False)
    insert_seconds = time.perf_counter() - started
    after = _rss_mib()
    # Half the probes are near copies of stored signatures (found), half are new texts (not found).
    probes = []
    for q in range(queries):
        values = (
            signatures[rng.integers(size)].copy()
            if q % 2 == 0
            else rng.integers(0, 2**32 - 1, DEFAULT_NUM_PERM, dtype=np.uint32)
        )
        if q % 2 == 0:
            changed = rng.choice(DEFAULT_NUM_PERM, size=DEFAULT_NUM_PERM // 5, replace=False)
            values[changed] = rng.integers(0, 2**32 - 1, len(changed), dtype=np.uint32)
        probes.append(LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME))
    started = time.perf_counter()
    found = sum(1 for probe in probes if lsh.query(probe))
    query_seconds = time.perf_counter() - started
    return {
        "signatures": size,
        "insert_us_per_signature": round(1e6 * insert_seconds / size, 2),
        "query_us": round(1e6 * query_seconds / queries, 2),
        "probes_found": found,
        "memory_mib": round(after - before, 1),
        "bytes_per_signature": round((after - before) * 1024 * 1024 / size),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    results = [measure(int(size), args.queries) for size in args.sizes.split(",")]
    if args.format == "json":
        print(json.dumps({"lsh": results}, indent=2))
        return
    print(f"{'signatures':>11} {'insert µs':>10} {'query µs':>9} {'found':>6} {'MiB':>8} {'B/signature':>12}")
    for r in results:
        print(
            f"{r['signatures']:>11} {r['insert_us_per_signature']:>10} {r['query_us']:>9} {r['probes_found']:>6} "
            f"{r['memory_mib']:>8} {r['bytes_per_signature']:>12}"
        )


if __name__ == "__main__":
    main()
