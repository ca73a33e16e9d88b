"""Speed of powcase.tracing: index build time, memory, query latency percentiles.

Usage: python bench/tracing/speed.py [--size 1000000] [--queries 1000] [--seed 3]
Runs on one core (the search is single-threaded); prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from gen import date_variant, entry_row, make_person, variant  # type: ignore[import-not-found]

from powcase.tracing import NameIndex, RegisterEntry


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    t0 = time.perf_counter()
    people = [make_person(rng, f"R{i:08d}") for i in range(a.size)]
    entries = [RegisterEntry(**entry_row(p, rng)) for p in people]  # type: ignore[arg-type]
    print(f"generated {a.size} entries in {time.perf_counter() - t0:.1f}s")
    rss0 = _rss_mib()
    t1 = time.perf_counter()
    index = NameIndex(entries)
    build = time.perf_counter() - t1
    rss1 = _rss_mib()
    print(f"index build: {build:.1f}s ({a.size / build:,.0f} entries/s); "
          f"RSS {rss0:,.0f} -> {rss1:,.0f} MiB (+{rss1 - rss0:,.0f} MiB for the index)")
    samples = [rng.choice(people) for _ in range(a.queries)]
    lat: list[float] = []
    n_cand = 0
    for p in samples:
        _, name = variant(rng, p)
        _, date = date_variant(rng, p.birth)
        t = time.perf_counter()
        res = index.search(name, date, top=10)
        lat.append((time.perf_counter() - t) * 1000)
        n_cand += len(res.candidates)
    lat.sort()
    q = statistics.quantiles(lat, n=100)
    print(f"{a.queries} queries: p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, p99 {q[98]:.2f} ms, "
          f"max {lat[-1]:.1f} ms, mean {statistics.fmean(lat):.2f} ms; "
          f"{n_cand / a.queries:.1f} candidates shown per query")


if __name__ == "__main__":
    main()
