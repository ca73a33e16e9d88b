"""Planning our list: optimal under the terms, never an ineligible person, impossible terms named."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcase.errors import InvalidInput
from powcase.exchange import (
    Candidate,
    Plan,
    PriorityPolicy,
    Quota,
    Ratio,
    Terms,
    TermsError,
    plan_greedy,
    plan_milp,
)

CATEGORIES = ("officers", "enlisted", "seriously_wounded")


def _c(case_id: str, *categories: str, days: int = 0, eligible: bool = True,
       extra: float = 0.0) -> Candidate:
    return Candidate(case_id=case_id, eligible=eligible, categories=frozenset(categories),
                     captivity_days=days, priority_weight=extra)


def _feasible(chosen: set[str], candidates: list[Candidate], terms: Terms, limit: int) -> bool:
    if len(chosen) > limit:
        return False
    for q in terms.quotas:
        n = sum(1 for c in candidates if c.case_id in chosen and q.category in c.categories)
        if n < q.min or (q.max is not None and n > q.max):
            return False
    return True


def _brute_force(candidates: list[Candidate], terms: Terms, offer_count: int) -> float | None:
    policy = PriorityPolicy()
    eligible = [c for c in candidates if c.eligible]
    limit = terms.size_limit(offer_count)
    best: float | None = None
    for k in range(len(eligible) + 1):
        for subset in itertools.combinations(eligible, k):
            ids = {c.case_id for c in subset}
            if _feasible(ids, candidates, terms, limit):
                value = math.fsum(policy.weight(c, terms) for c in subset)
                best = value if best is None else max(best, value)
    return best


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Candidate], Terms, int]:
    n = draw(st.integers(0, 12))
    candidates = []
    for i in range(n):
        rank = draw(st.sampled_from(["officers", "enlisted", None]))
        wounded = draw(st.booleans())
        cats = {c for c in (rank, "seriously_wounded" if wounded else None) if c}
        candidates.append(_c(f"c{i:02}", *cats, days=draw(st.integers(0, 3000)),
                             eligible=draw(st.booleans()),
                             extra=draw(st.sampled_from([0.0, 0.5, 3.0]))))
    quotas = []
    for category in draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3)):
        quotas.append(Quota(category=category, max=draw(st.none() | st.integers(0, 6)),
                            min=draw(st.integers(0, 3))))
    offer_count = draw(st.integers(0, 15))
    total = draw(st.none() | st.integers(0, 12))
    ratio = draw(st.none() | st.builds(Ratio, ours=st.integers(1, 3), theirs=st.integers(1, 3)))
    if total is None and ratio is None:
        total = 5
    order = tuple(draw(st.permutations(CATEGORIES))[: draw(st.integers(0, 3))])
    return candidates, Terms(total=total, ratio=ratio, quotas=tuple(quotas), priority=order), offer_count


def _check_plan(plan: Plan, candidates: list[Candidate], terms: Terms, offer_count: int) -> None:
    by_id = {c.case_id: c for c in candidates}
    assert all(by_id[cid].eligible for cid in plan.chosen)
    assert _feasible(set(plan.chosen), candidates, terms, terms.size_limit(offer_count))


@settings(max_examples=200, deadline=None)
@given(instances())
def test_milp_equals_brute_force_and_is_never_worse_than_greedy(
    instance: tuple[list[Candidate], Terms, int],
) -> None:
    candidates, terms, offer_count = instance
    best = _brute_force(candidates, terms, offer_count)
    if best is None:
        with pytest.raises(TermsError):
            plan_milp(candidates, terms, offer_count=offer_count)
        return
    plan = plan_milp(candidates, terms, offer_count=offer_count)
    _check_plan(plan, candidates, terms, offer_count)
    assert plan.optimal
    assert plan.value == pytest.approx(best, rel=1e-9, abs=1e-9)
    try:
        greedy = plan_greedy(candidates, terms, offer_count=offer_count)
    except TermsError:
        return  # greedy may miss a minimum the exact planner meets
    _check_plan(greedy, candidates, terms, offer_count)
    assert plan.value >= greedy.value - 1e-9


@settings(max_examples=100, deadline=None)
@given(instances(), st.floats(0, 1e6))
def test_an_ineligible_candidate_is_never_chosen_whatever_his_priority(
    instance: tuple[list[Candidate], Terms, int], boost: float,
) -> None:
    candidates, terms, offer_count = instance
    boosted = [c if c.eligible else c.model_copy(update={"priority_weight": boost,
                                                         "categories": frozenset(CATEGORIES)})
               for c in candidates]
    ineligible = {c.case_id for c in boosted if not c.eligible}
    for planner in (plan_milp, plan_greedy):
        try:
            plan = planner(boosted, terms, offer_count=offer_count)
        except TermsError:
            continue
        assert not ineligible & set(plan.chosen)
        assert set(plan.ineligible) == ineligible


def test_seriously_wounded_first_then_longest_captivity() -> None:
    candidates = [_c("a", "enlisted", days=3000), _c("b", "enlisted", "seriously_wounded", days=10),
                  _c("c", "enlisted", days=400), _c("d", "enlisted", days=2000)]
    plan = plan_milp(candidates, Terms(total=3))
    assert plan.chosen == ("b", "a", "d")
    assert plan.left_out == {"c": "size limit of 3 reached"}


def test_agreement_order_ranks_between_art109_and_captivity() -> None:
    terms = Terms(total=2, priority=("officers", "enlisted"))
    candidates = [_c("long", "enlisted", days=5000), _c("off", "officers"),
                  _c("sick", "seriously_wounded")]
    assert plan_milp(candidates, terms).chosen == ("sick", "off")


def test_quota_maximum_and_minimum_are_kept_and_explained() -> None:
    candidates = [_c(f"o{i}", "officers", days=1500 - 100 * i) for i in range(5)]
    candidates += [_c(f"e{i}", "enlisted", days=100 + i) for i in range(5)]
    terms = Terms(total=6, quotas=(Quota(category="officers", max=2),
                                   Quota(category="enlisted", min=4)))
    plan = plan_milp(candidates, terms)
    assert plan.quota_counts == {"officers": 2, "enlisted": 4}
    assert set(plan.chosen) == {"o0", "o1", "e1", "e2", "e3", "e4"}
    assert plan.left_out["o2"] == "size limit of 6 reached; quota 'officers' full (max 2)"


def test_ratio_to_offer_list_sets_the_size() -> None:
    terms = Terms(ratio=Ratio(ours=248, theirs=230))
    candidates = [_c(f"c{i:03}") for i in range(300)]
    assert plan_milp(candidates, terms, offer_count=230).size_limit == 248
    assert len(plan_milp(candidates, terms, offer_count=10).chosen) == 10  # 10*248//230
    both = Terms(total=5, ratio=Ratio(ours=1, theirs=1))
    assert plan_milp(candidates, both, offer_count=10).size_limit == 5
    with pytest.raises(ValueError, match="offer list"):
        plan_milp(candidates, terms)


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        (Quota(category="officers", min=3, max=2), "quota 'officers': minimum 3 is above its maximum 2"),
        (Quota(category="officers", min=3), "quota 'officers': minimum 3 but only 2 eligible candidate"),
        (Quota(category="enlisted", min=9), "quota 'enlisted': minimum 9 is above the size limit 4"),
    ],
)
def test_impossible_quota_is_named(quota: Quota, message: str) -> None:
    candidates = [_c("o1", "officers"), _c("o2", "officers"), _c("o3", "officers", eligible=False)]
    candidates += [_c(f"e{i}", "enlisted") for i in range(9)]
    for planner in (plan_milp, plan_greedy):
        with pytest.raises(TermsError) as err:
            planner(candidates, Terms(total=4, quotas=(quota,)))
        assert str(err.value).startswith(message)
        assert err.value.quota == quota.category


def test_minimums_that_cannot_be_met_together_are_named() -> None:
    candidates = [_c("o1", "officers"), _c("o2", "officers"), _c("e1", "enlisted"), _c("e2", "enlisted")]
    terms = Terms(total=3, quotas=(Quota(category="officers", min=2), Quota(category="enlisted", min=2)))
    with pytest.raises(TermsError, match="'officers', 'enlisted' cannot all be met"):
        plan_milp(candidates, terms)


def test_same_input_in_any_order_gives_the_same_list() -> None:
    candidates = [_c(f"c{i:02}", "enlisted") for i in range(30)]  # all equal weight
    terms = Terms(total=7)
    first = plan_milp(candidates, terms).chosen
    shuffled = candidates[:]
    random.Random(3).shuffle(shuffled)
    assert plan_milp(shuffled, terms).chosen == first


def test_a_case_twice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="case c1 appears twice"):
        plan_milp([_c("c1"), _c("c1")], Terms(total=2))


def test_policy_keeps_captivity_below_one_category_step() -> None:
    with pytest.raises(ValueError, match="captivity"):
        PriorityPolicy(per_captivity_year=5.0, captivity_cap_years=5.0)
