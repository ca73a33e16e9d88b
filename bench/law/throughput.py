"""Determinations per second over many synthetic cases, in one process and on all cores, beside
the time to fold the same events without determining: verdicts alone (`search=False`, what
`determine --all` computes) and full determinations (with what would change each verdict). Prints figures; asserts nothing.

The synthetic cases are the law scenarios' histories (tests/scenarios), each at each of its
expectation dates, cycled with fresh case ids until the count is reached: every kind of case the
scenarios know is represented, in the same proportions.

    .venv/bin/python bench/law/throughput.py --cases 100000 [--processes 2]
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from itertools import cycle, islice
from pathlib import Path

from powcase.domain import Context, RecordedEvent, casefile_history, fold, read_casefiles
from powcase.law import determine, load_rulebook, verdicts

SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
Item = tuple[list[RecordedEvent], date, Context | None]


def _templates() -> list[Item]:
    out: list[Item] = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        cf = read_casefiles(path)[0]
        history = casefile_history(cf)
        for expect in cf.expect or []:
            if not expect.get("policy"):
                out.append((history, date.fromisoformat(str(expect["as_of"])), cf.context))
    return out


def _work(count: int, search: bool = True) -> tuple[int, float, float]:
    """Fold and determine `count` cases; return (count, fold seconds, determine seconds).
    With `search=False`, the verdicts alone (`powcase.law.verdicts`, what `determine --all` computes)."""
    rulebook = load_rulebook()
    items = list(islice(cycle(_templates()), count))
    started = time.perf_counter()
    cases = [fold(history, as_of) for history, as_of, _ in items]
    folded = time.perf_counter() - started
    started = time.perf_counter()
    for case, (_, as_of, context) in zip(cases, items, strict=True):
        if search:
            determine(case, rulebook, as_of, context)
        else:
            verdicts(case, rulebook, as_of, context)
    return count, folded, time.perf_counter() - started


def _verdicts(count: int) -> tuple[int, float, float]:
    return _work(count, search=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--mode", choices=["single", "parallel", "both"], default="both")
    args = parser.parse_args()
    if args.mode in ("single", "both"):
        n, fold_s, det_s = _work(args.cases)
        _, _, verdict_s = _verdicts(args.cases)
        print(f"one process, {n:,} cases: fold {n / fold_s:,.0f} cases/s ({fold_s:.1f} s) (the baseline)")
        print(f"  verdicts alone {n / verdict_s:,.0f} cases/s ({verdict_s:.1f} s) = {verdict_s / fold_s:.1f}x folding (aim within 4x)")
        print(f"  full determination, with what would change each verdict {n / det_s:,.0f} cases/s "
              f"({det_s:.1f} s, {1000 * det_s / n:.2f} ms each) = {det_s / fold_s:.1f}x folding")
    if args.mode == "single":
        return
    share = [args.cases // args.processes + (1 if i < args.cases % args.processes else 0) for i in range(args.processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.processes) as pool:
        results = list(pool.map(_verdicts, share))
    wall = time.perf_counter() - started
    compute = max(r[1] + r[2] for r in results)  # the slowest process, its folding and deciding alone
    folding = max(r[1] for r in results)
    print(f"{args.processes} processes, {sum(r[0] for r in results):,} cases from scratch: fold + verdicts "
          f"{args.cases / wall:,.0f} cases/s wall clock ({wall:.1f} s, including start-up, reading the scenarios and "
          f"loading the rulebook); folding and deciding alone {compute:.1f} s in the slowest process "
          f"(folding alone {folding:.1f} s)")
    print(f"  1,000,000 cases at that rate: {1_000_000 / args.cases * compute:.0f} s (aim < 60 s)")

if __name__ == "__main__":
    main()
