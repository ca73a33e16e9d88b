"""Bench: match a 10,000-row request list to the register, then plan our list under quotas.

Prints the matching time, the planning time of the exact (MILP) and greedy planners, and what the
exact planner gains over greedy (priority-weighted value and number of people). Asserts nothing
about time. Every person is invented: names are drawn from short lists of common name parts.

Usage: python bench/exchange/plan.py [--rows 10000] [--seed 7] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import Counter

from powcase.exchange import (
    Candidate,
    InMemoryRegister,
    ListRow,
    Matched,
    PriorityPolicy,
    Quota,
    Terms,
    match_rows,
    plan_greedy,
    plan_milp,
)
from powcase.tracing import RegisterEntry

KO_FAMILY = list("김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심하주구곽성차우민진지엄채원천방현함변염")
KO_SYLLABLE = list("철국정은영수민호성진현준광명일남혁학경순옥희미선동길복춘만재원태용상기송혜향금룡련주우훈규식범근덕봉택윤승석건창평문무충효")
RU_FAMILY = ["Ермаков", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
             "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
             "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
             "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв"]
RU_GIVEN = ["Игорь", "Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Николай", "Михаил",
            "Владимир", "Павел", "Евгений", "Иван", "Юрий", "Олег", "Виктор", "Максим", "Артём",
            "Роман", "Денис", "Василий", "Пётр", "Кирилл", "Никита", "Константин", "Степан"]
RU_PATRONYMIC = ["Эдуардович", "Иванович", "Петрович", "Сергеевич", "Николаевич", "Александрович",
                 "Владимирович", "Юрьевич", "Викторович", "Михайлович", "Андреевич", "Олегович"]


def _person(rng: random.Random, i: int) -> tuple[RegisterEntry, str]:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
    if rng.random() < 0.3:
        family, given = rng.choice(KO_FAMILY), "".join(rng.choices(KO_SYLLABLE, k=2))
        entry = RegisterEntry(id=f"case-{i:05}", family_name=family, given_name=given,
                              birth_date=born.isoformat(), language="kor")
        return entry, f"{family}{given}"
    family, given, patr = rng.choice(RU_FAMILY), rng.choice(RU_GIVEN), rng.choice(RU_PATRONYMIC)
    entry = RegisterEntry(id=f"case-{i:05}", family_name=family, given_name=given, patronymic=patr,
                          birth_date=born.isoformat(), language="rus")
    return entry, f"{family} {given} {patr}"


def _data(rng: random.Random, rows: int) -> tuple[InMemoryRegister, list[ListRow]]:
    people = [_person(rng, i) for i in range(int(rows * 1.2))]
    numbers = {e.id: f"AB-{rng.randrange(10**6):06}" for e, _ in people if rng.random() < 0.6}
    register = InMemoryRegister([e for e, _ in people], numbers)
    requested = rng.sample(people, int(rows * 0.85))
    request: list[ListRow] = []
    for n, (entry, full) in enumerate(requested, start=2):
        number = numbers.get(entry.id) if rng.random() < 0.7 else None
        request.append(ListRow(row=n, name=full, birth_date=entry.birth_date, service_number=number))
    for n in range(len(request) + 2, rows + 2):  # people we do not hold
        unknown, full = _person(rng, 10**6 + n)
        request.append(ListRow(row=n, name=full, birth_date=unknown.birth_date))
    return register, request


def _candidates(rng: random.Random, case_ids: list[str]) -> list[Candidate]:
    out = []
    for case in case_ids:
        cats = {"officers" if rng.random() < 0.12 else "enlisted"}
        if rng.random() < 0.08:
            cats.add("seriously_wounded")
        if rng.random() < 0.3:
            cats.add("aged_18_25")  # a crossing category, as in the June 2025 agreement
        out.append(Candidate(case_id=case, eligible=rng.random() < 0.65, categories=frozenset(cats),
                             captivity_days=rng.randrange(30, 1500)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    register, request = _data(rng, args.rows)
    t1 = time.perf_counter()
    matches = match_rows(request, register)
    t2 = time.perf_counter()
    kinds = Counter(f"{m.kind} ({m.by if isinstance(m, Matched) else m.reason})" for m in matches)
    print(f"register + index built: {t1 - t0:.1f} s; matching {len(request)} rows: {t2 - t1:.1f} s")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind}: {count}")

    matched = sorted({m.case_id for m in matches if isinstance(m, Matched)})
    candidates = _candidates(rng, matched)
    # Pad to the stated size with unrequested candidates, so the planner always sees rows-many.
    candidates += _candidates(rng, [f"extra-{i:05}" for i in range(args.rows - len(candidates))])
    eligible = sum(c.eligible for c in candidates)
    terms = Terms(
        total=args.rows * 28 // 100,
        quotas=(Quota(category="officers", max=args.rows // 40),
                Quota(category="seriously_wounded", min=args.rows // 50),
                Quota(category="enlisted", max=args.rows // 4),
                Quota(category="aged_18_25", max=args.rows * 6 // 100)),
        priority=("seriously_wounded", "aged_18_25", "officers", "enlisted"),
    )
    print(f"candidates {len(candidates)} (eligible {eligible}); size limit {terms.total}; quotas "
          + ", ".join(f"{q.category} [{q.min}, {q.max if q.max is not None else '-'}]" for q in terms.quotas))

    policy = PriorityPolicy()
    t3 = time.perf_counter()
    exact = plan_milp(candidates, terms, policy=policy, time_limit=args.time_limit)
    t4 = time.perf_counter()
    greedy = plan_greedy(candidates, terms, policy=policy)
    t5 = time.perf_counter()
    print(f"MILP:   {t4 - t3:.2f} s, {len(exact.chosen)} people, value {exact.value:.2f}, "
          f"optimal {exact.optimal}")
    print(f"greedy: {t5 - t4:.2f} s, {len(greedy.chosen)} people, value {greedy.value:.2f}")
    gain = exact.value - greedy.value
    print(f"gain over greedy: value {gain:+.2f} ({100 * gain / greedy.value if greedy.value else 0:+.3f} %), "
          f"people {len(exact.chosen) - len(greedy.chosen):+d}")


if __name__ == "__main__":
    main()
