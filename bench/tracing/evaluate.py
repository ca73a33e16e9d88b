"""Accuracy of powcase.tracing on a set made by gen.py, against an ASCII+fuzzy baseline.

Prints recall@1 and recall@10 over queries whose person is in the register,
the false-match rate (accepted wrong answers) over queries whose person is
not, the same for the baseline, and a breakdown by variant kind.

Usage: python bench/tracing/evaluate.py DIR   (DIR holds register.jsonl, queries.jsonl, truth.jsonl)
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

from powcase.tracing import NameIndex, read_queries, read_register
from powcase.tracing.cyrillic import transliterate
from powcase.tracing.hangul import is_syllable
from powcase.tracing.keys import latin_pivot
from powcase.tracing.korean import romanize_rr, split_korean


def ascii_name(text: str) -> str:
    """The baseline: Hangul by RR, Cyrillic by ICAO, then plain ASCII lower case."""
    words = []
    for word in text.split():
        if any(is_syllable(ch) for ch in word):
            if len(word) >= 2 and " " not in text:
                fam, given = split_korean(word)
                words.extend([romanize_rr(fam), romanize_rr(given)])
            else:
                words.append(romanize_rr(word))
        elif any("\u0400" <= ch <= "\u04ff" for ch in word):
            words.append(transliterate(word, "icao-ru"))
        else:
            words.append(word)
    return " ".join(latin_pivot(w) for w in words if w)


def main(folder: Path) -> None:
    register = read_register(folder / "register.jsonl")
    queries = read_queries(folder / "queries.jsonl")
    truth = {
        row["query_id"]: row
        for row in map(json.loads, (folder / "truth.jsonl").read_text("utf-8").splitlines())
    }
    t0 = time.perf_counter()
    index = NameIndex(register)
    build = time.perf_counter() - t0
    baseline_names = [ascii_name(f"{e.family_name} {e.given_name}") for e in register]
    births = [e.birth_date for e in register]
    ids = [e.id for e in register]

    stats: dict[str, dict[str, dict[str, int]]] = {"powcase": defaultdict(lambda: defaultdict(int)),
                                                    "baseline": defaultdict(lambda: defaultdict(int))}
    t1 = time.perf_counter()
    for q in queries:
        t = truth[q.id]
        want = t["record_id"]
        res = index.search(q.name, q.birth_date, top=10, query_id=q.id)
        got = [c.record_id for c in res.candidates]
        _tally(stats["powcase"], t, want, got, res.accept)
        # Baseline: token-sorted fuzzy ratio over ASCII names; accept a clear, dated top hit.
        hits = process.extract(ascii_name(q.name), baseline_names, scorer=fuzz.token_sort_ratio,
                               limit=10)
        bgot = [ids[pos] for _, _, pos in hits]
        baccept = bool(hits) and hits[0][1] >= 90 and (
            not q.birth_date or (births[hits[0][2]] or "")[:4] == q.birth_date[:4]
        )
        _tally(stats["baseline"], t, want, bgot, baccept)
    elapsed = time.perf_counter() - t1
    print(f"register {len(register)} entries, {len(queries)} queries; index build {build:.2f}s; "
          f"powcase+baseline search {elapsed:.1f}s")
    for system, table in stats.items():
        _report(system, table)


def _tally(table: dict[str, dict[str, int]], t: dict[str, str], want: str | None,
           got: list[str], accept: bool) -> None:
    for key in ("ALL", t["kind"].split(":")[0] + ":*", t["kind"]):
        row = table[key]
        row["n"] += 1
        if want is None:
            row["nomatch"] += 1
            row["false_accept"] += int(accept)
        else:
            row["match"] += 1
            row["r1"] += int(bool(got) and got[0] == want)
            row["r10"] += int(want in got)
            row["accept_right"] += int(accept and bool(got) and got[0] == want)
            row["accept_wrong"] += int(accept and bool(got) and got[0] != want)


def _report(system: str, table: dict[str, dict[str, int]]) -> None:
    print(f"\n== {system} ==")
    print(f"{'kind':34} {'n':>5} {'R@1':>6} {'R@10':>6} {'acc.ok':>7} {'acc.bad':>7} {'FMR':>6}")
    for key in sorted(table, key=lambda k: (k != "ALL", not k.endswith("*"), k)):
        row = table[key]
        m, nm = row["match"], row["nomatch"]
        r1 = f"{row['r1'] / m:.3f}" if m else "-"
        r10 = f"{row['r10'] / m:.3f}" if m else "-"
        ok = f"{row['accept_right'] / m:.3f}" if m else "-"
        bad = f"{row['accept_wrong'] / m:.3f}" if m else "-"
        fmr = f"{row['false_accept'] / nm:.3f}" if nm else "-"
        print(f"{key:34} {row['n']:>5} {r1:>6} {r10:>6} {ok:>7} {bad:>7} {fmr:>6}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
