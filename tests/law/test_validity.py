"""How long a determination holds (`valid_until`), and verdicts without the search.

For generated cases (the generator of the property tests of what would change a verdict), deciding
on any day from the date of a determination up to the day before its `valid_until` gives the same
verdicts; `valid_until` is always a later day, and deciding on it gives a determination that
holds longer still. For every law scenario, the verdicts without the search are the full ones
without `would_change`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.law.law_scenarios import load, rulebook_for, run, scenario_files
from tests.law.test_properties import RULEBOOKS, cases

from powcase.domain import Case, Context, casefile_history, fold, parse_casefiles
from powcase.law import Determination, Rulebook, determine, load_rulebook, verdicts
from powcase.law.validity import case_dates, context_dates, counted_from


def _verdicts(d: Determination) -> tuple[tuple[str, str], ...]:
    return tuple((v.disposition, v.status.value) for v in d.dispositions)


@settings(max_examples=60, deadline=None)
@given(
    generated=cases(),
    rulebook=st.sampled_from(RULEBOOKS),
    start=st.integers(min_value=-90, max_value=200),
    probes=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
)
def test_the_verdicts_hold_every_day_before_valid_until(
    generated: tuple[Case, Context], rulebook: Rulebook, start: int, probes: list[int]
) -> None:
    case, context = generated
    as_of = date(2025, 3, 20) + timedelta(days=start)
    first = determine(case, rulebook, as_of, context, search=False)
    until = first.valid_until
    if until is None:
        horizon = 800
    else:
        assert until > as_of
        horizon = (until - as_of).days
    # The last day it holds, and some days between.
    for offset in {horizon - 1, *(probe % horizon for probe in probes)}:
        day = as_of + timedelta(days=offset)
        assert _verdicts(determine(case, rulebook, day, context, search=False)) == _verdicts(first), (
            f"decided as of {as_of} (valid until {until}), the verdicts differ on {day}"
        )
    if until is not None:
        # A day something the rules read changes: a date in the facts, the context or the
        # rulebook, or one of them plus a period; deciding on it holds at least a day.
        anchors = case_dates(case) | context_dates(context) | counted_from(context)
        dated = {value.valid_from for p in rulebook.parameters.values() for value in p.values}
        for profile in rulebook.countries.values():
            dated |= {profile.valid_from, *(e.valid_from for e in profile.categories), *(e.valid_from for e in profile.onward_removal)}
        assert until in _candidates(anchors, rulebook) | dated
        later = determine(case, rulebook, until, context, search=False).valid_until
        assert later is None or later > until


def _candidates(anchors: set[date], rulebook: Rulebook) -> set[date]:
    """Each date, the day after, and the same after each period of the rulebook (a superset)."""
    periods = {
        v.value for p in rulebook.parameters.values() for v in p.values
        if isinstance(v.value, int) and not isinstance(v.value, bool) and 0 < v.value < 100_000
    }
    out: set[date] = set()
    for anchor in anchors:
        for days in {0, *periods}:
            later = anchor + timedelta(days=days)
            out.update({later, later + timedelta(days=1)})
    return out


def test_valid_until_is_the_day_the_hold_after_hostilities_becomes_an_alert() -> None:
    """Hostilities ceased on 1 March: held beyond the alert period (R18) D7 gains an alert on the
    first day past it, and a determination of the day before says it holds until exactly then."""
    rulebook = load_rulebook()
    casefile = parse_casefiles({
        "case_id": "HELD",
        "person": {"registered_on": "2025-01-10", "family_name": {"latin": "Example"}, "given_names": {"latin": "Fictional"},
                   "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"]},
        "events": [{"type": "captured", "occurred_on": "2025-01-08", "place": "Sector", "circumstances": "captured"}],
        "context": {"detaining_power": "UKR", "hostilities": [{"state": "ongoing", "since": "2022-02-24"},
                                                               {"state": "ceased", "since": "2025-03-01"}]},
    })[0]
    assert casefile.context is not None
    alert_days = rulebook.integer("post_hostilities_hold_alert_days", date(2025, 3, 1))
    first_alert = date(2025, 3, 1) + timedelta(days=alert_days + 1)
    case = fold(casefile_history(casefile), first_alert)
    before = determine(case, rulebook, first_alert - timedelta(days=1), casefile.context, search=False)
    after = determine(case, rulebook, first_alert, casefile.context, search=False)
    assert before.valid_until == first_alert
    assert not before.verdict("D7").alerts and after.verdict("D7").alerts


def test_verdicts_without_the_search_are_the_full_verdicts_for_every_scenario() -> None:
    compared = 0
    for path in scenario_files():
        casefile = load(path)
        for expect in casefile.expect or []:
            full = run(casefile, expect)
            as_of = full.as_of
            case = fold(casefile_history(casefile), as_of)
            rulebook = _rulebook_of(expect)
            lean = determine(case, rulebook, as_of, casefile.context, search=False)
            assert lean.model_copy(update={"dispositions": ()}) == full.model_copy(update={"dispositions": ()}), path.name
            assert [v.model_copy(update={"would_change": ()}) for v in full.dispositions] == list(lean.dispositions), path.name
            alone = verdicts(case, rulebook, as_of, casefile.context)
            assert alone.dispositions == lean.dispositions and alone.valid_until == lean.valid_until == full.valid_until
            compared += 1
    assert compared >= 40


def _rulebook_of(expect: dict[str, Any]) -> Rulebook:
    return rulebook_for(expect.get("policy"))
