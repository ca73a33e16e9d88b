"""Choose our list: the most priority-weighted people the terms allow, never an ineligible one.

The problem is a 0/1 program: one variable per *eligible* candidate (ineligible ones get no
variable at all, so no weight can put them on the list), maximise the sum of weights, subject to
the size limit and each quota's minimum and maximum. It is solved exactly with
`scipy.optimize.milp` (HiGHS, relative gap 0). A greedy planner is kept beside it as the baseline
a clerk would follow by hand, and as the yardstick in tests and the bench.

Candidates are taken in case-id order before solving so that the same people and terms give the
same list whatever order the caller passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

# SciPy ships no type stubs in our dev set; the scipy-stubs package would make these ignores unneeded.
from powcase.errors import InvalidInput
from powcase.exchange.errors import TermsError
from powcase.exchange.model import Frozen, Quota, Terms
from powcase.exchange.priority import Candidate, PriorityPolicy

SIZE_LIMIT = "size limit"


class Plan(Frozen):
    """The chosen list and why every other eligible candidate is not on it."""

    method: Literal["milp", "greedy"]
    chosen: tuple[str, ...]  # highest weight first, then case id
    value: float  # sum of the chosen people's weights
    size_limit: int
    optimal: bool  # False only when a time limit stopped the solver early
    weights: dict[str, float]  # every eligible candidate's weight
    left_out: dict[str, str]  # eligible but not chosen -> the limit that was full
    ineligible: tuple[str, ...]
    quota_counts: dict[str, int]


def _prepare(
    candidates: Sequence[Candidate], terms: Terms, offer_count: int | None, policy: PriorityPolicy
) -> tuple[list[Candidate], dict[str, float], int, tuple[str, ...]]:
    seen: set[str] = set()
    for c in candidates:
        if c.case_id in seen:
            raise InvalidInput(f"case {c.case_id} appears twice among the candidates")
        seen.add(c.case_id)
    limit = terms.size_limit(offer_count)
    eligible = sorted((c for c in candidates if c.eligible), key=lambda c: c.case_id)
    ineligible = tuple(sorted(c.case_id for c in candidates if not c.eligible))
    _check_quotas(terms.quotas, eligible, limit)
    weights = {c.case_id: policy.weight(c, terms) for c in eligible}
    return eligible, weights, limit, ineligible


def _check_quotas(quotas: Sequence[Quota], eligible: Sequence[Candidate], limit: int) -> None:
    """The impossibilities that can be named: one quota against itself, the pool or the limit."""
    for q in quotas:
        name = f"quota {q.category!r}"
        if q.max is not None and q.min > q.max:
            raise TermsError(f"{name}: minimum {q.min} is above its maximum {q.max}", quota=q.category)
        if q.min > limit:
            raise TermsError(f"{name}: minimum {q.min} is above the size limit {limit}", quota=q.category)
        pool = sum(1 for c in eligible if q.category in c.categories)
        if q.min > pool:
            raise TermsError(
                f"{name}: minimum {q.min} but only {pool} eligible candidate(s) in that category",
                quota=q.category,
            )


def _explain(
    eligible: Sequence[Candidate], chosen: set[str], quotas: Sequence[Quota], limit: int
) -> tuple[dict[str, str], dict[str, int]]:
    counts = {q.category: sum(1 for c in eligible if c.case_id in chosen and q.category in c.categories)
              for q in quotas}
    full = [q for q in quotas if q.max is not None and counts[q.category] >= q.max]
    left_out: dict[str, str] = {}
    for c in eligible:
        if c.case_id in chosen:
            continue
        limits = [f"quota {q.category!r} full (max {q.max})" for q in full if q.category in c.categories]
        if len(chosen) >= limit:
            limits.insert(0, f"{SIZE_LIMIT} of {limit} reached")
        # Without a full limit he would fit: the minimums of other quotas took the places.
        left_out[c.case_id] = "; ".join(limits) or "places taken to meet other quotas' minimums"
    return left_out, counts


def _plan(
    method: Literal["milp", "greedy"], eligible: Sequence[Candidate], chosen: set[str],
    weights: dict[str, float], terms: Terms, limit: int, ineligible: tuple[str, ...],
    *, optimal: bool,
) -> Plan:
    left_out, counts = _explain(eligible, chosen, terms.quotas, limit)
    order = sorted(chosen, key=lambda cid: (-weights[cid], cid))
    return Plan(method=method, chosen=tuple(order), value=math.fsum(weights[c] for c in order),
                size_limit=limit, optimal=optimal, weights=weights, left_out=left_out,
                ineligible=ineligible, quota_counts=counts)


def plan_milp(
    candidates: Sequence[Candidate],
    terms: Terms,
    *,
    offer_count: int | None = None,
    policy: PriorityPolicy | None = None,
    time_limit: float | None = None,
) -> Plan:
    """The optimal list. `offer_count` (length of their offer list) is needed for a ratio."""
    # Imported here: scipy takes a third of a second to load, and every `powcase` command would
    # pay for it at start-up while only planning needs it.
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
    from scipy.sparse import coo_array  # type: ignore[import-untyped]

    policy = policy or PriorityPolicy()
    eligible, weights, limit, ineligible = _prepare(candidates, terms, offer_count, policy)
    n = len(eligible)
    if n == 0 or limit == 0:
        return _plan("milp", eligible, set(), weights, terms, limit, ineligible, optimal=True)
    rows, cols = [0] * n, list(range(n))
    lower, upper = [0.0], [float(limit)]
    for r, q in enumerate(terms.quotas, start=1):
        members = [i for i, c in enumerate(eligible) if q.category in c.categories]
        rows += [r] * len(members)
        cols += members
        lower.append(float(q.min))
        upper.append(np.inf if q.max is None else float(q.max))
    matrix = coo_array((np.ones(len(rows)), (rows, cols)), shape=(len(lower), n)).tocsr()
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        c=-np.array([weights[c.case_id] for c in eligible]),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, lower, upper),
        options=options,
    )
    if result.x is None:
        with_min = [q.category for q in terms.quotas if q.min > 0]
        raise TermsError(
            f"the minimums of quotas {', '.join(repr(c) for c in with_min)} cannot all be met "
            f"within the {SIZE_LIMIT} of {limit} by the eligible candidates",
            quota=with_min[0] if len(with_min) == 1 else None,
        )
    chosen = {eligible[i].case_id for i in range(n) if result.x[i] > 0.5}
    return _plan("milp", eligible, chosen, weights, terms, limit, ineligible,
                 optimal=bool(result.status == 0))


def plan_greedy(
    candidates: Sequence[Candidate],
    terms: Terms,
    *,
    offer_count: int | None = None,
    policy: PriorityPolicy | None = None,
) -> Plan:
    """By hand: fill each quota's minimum with its best people, then take the best who still fit."""
    policy = policy or PriorityPolicy()
    eligible, weights, limit, ineligible = _prepare(candidates, terms, offer_count, policy)
    ranked = sorted(eligible, key=lambda c: (-weights[c.case_id], c.case_id))
    counts = {q.category: 0 for q in terms.quotas}
    chosen: set[str] = set()

    def fits(c: Candidate) -> bool:
        if len(chosen) >= limit:
            return False
        return all(q.max is None or q.category not in c.categories or counts[q.category] < q.max
                   for q in terms.quotas)

    def take(c: Candidate) -> None:
        chosen.add(c.case_id)
        for q in terms.quotas:
            if q.category in c.categories:
                counts[q.category] += 1

    for q in terms.quotas:
        for c in ranked:
            if counts[q.category] >= q.min:
                break
            if c.case_id not in chosen and q.category in c.categories and fits(c):
                take(c)
        if counts[q.category] < q.min:
            raise TermsError(f"quota {q.category!r}: the greedy planner could not reach its "
                             f"minimum {q.min}; the exact planner may", quota=q.category)
    for c in ranked:
        if c.case_id not in chosen and fits(c):
            take(c)
    return _plan("greedy", eligible, chosen, weights, terms, limit, ineligible, optimal=False)
