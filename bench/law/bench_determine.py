"""Law engine throughput: determinations per second over the scenario files, with and without
the search for what would change each verdict. Prints figures; asserts nothing about time.

    .venv/bin/python bench/law/bench_determine.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from powcase.domain import casefile_history, fold, read_casefiles
from powcase.law import determine, load_rulebook
from powcase.law.determination import evaluate_disposition

SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    rulebook = load_rulebook()
    print(f"load_rulebook: {1000 * (time.perf_counter() - started):.1f} ms ({rulebook.version})")
    inputs = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        casefile = read_casefiles(path)[0]
        history = casefile_history(casefile)
        for expect in casefile.expect or []:
            as_of = expect["as_of"]
            inputs.append((fold(history, as_of), as_of, casefile.context))
    full, plain = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for case, as_of, context in inputs:
            determine(case, rulebook, as_of, context)
        full.append(time.perf_counter() - started)
        started = time.perf_counter()
        for case, as_of, context in inputs:
            for key in ("D1", "D2", "D3", "D4", "D5", "D6", "D7"):
                evaluate_disposition(case, rulebook, as_of, context, key)
        plain.append(time.perf_counter() - started)
    n = len(inputs)
    print(f"{n} determinations per round, {args.repeat} rounds")
    print(f"determine (with what-would-change search): {1000 * statistics.median(full) / n:.2f} ms each, "
          f"{n / statistics.median(full):.0f} per second")
    print(f"verdicts only (7 dispositions, no search): {1000 * statistics.median(plain) / n:.2f} ms each")


if __name__ == "__main__":
    main()
