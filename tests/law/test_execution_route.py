"""The route of a transfer is decided with it (R25 "directly or through a state likely to hand him
over", R29 onward removal): pure law, on the first demo soldier's case file."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from powcase.demo import CONTEXT, the_two_soldiers
from powcase.domain.case import Case, fold
from powcase.domain.casefile import casefile_history, parse_casefiles
from powcase.domain.context import Context
from powcase.law import ExecutionRefused, Status, check_transfer, load_rulebook

ON = date(2025, 6, 10)


def _ready_for_korea() -> Case:
    first = copy.deepcopy(the_two_soldiers()[0])
    first["events"] += [
        {"type": "third_state_answered", "occurred_on": "2025-05-20", "state": "KOR", "answer": "accepts"},
        {"type": "safety_plan_recorded", "occurred_on": "2025-05-25", "disposition": "D5", "measures": "Escort"},
    ]
    return fold(casefile_history(parse_casefiles(first)[0]), ON)


def test_korea_directly_is_permitted_but_not_through_russia_or_the_dprk() -> None:
    case, rulebook, context = _ready_for_korea(), load_rulebook(), Context.model_validate(CONTEXT)
    assert check_transfer(case, rulebook, ON, context, "D5", "KOR").status is Status.PERMITTED
    with pytest.raises(ExecutionRefused, match="the route via RUS -> PRK is barred: real risk in RUS, PRK") as caught:
        check_transfer(case, rulebook, ON, context, "D5", "KOR", ["RUS", "PRK"])
    assert caught.value.verdict.status is Status.BARRED and caught.value.verdict.reasons[0].rule == "R25"
    with pytest.raises(ExecutionRefused, match="the route via PRK is barred"):
        check_transfer(case, rulebook, ON, context, "D5", "KOR", ["PRK"])
    with pytest.raises(ExecutionRefused, match="needs_facts \\(R29\\): risk not assessed for POL"):
        check_transfer(case, rulebook, ON, context, "D5", "KOR", ["POL"])
