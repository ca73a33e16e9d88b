"""Determinism, hashing, conflicts, bad input and the execution guard."""

from __future__ import annotations

from datetime import date

import pytest
from tests.law.law_scenarios import SCENARIOS, load

from powcase.domain import Context, Disposition, casefile_history, fold
from powcase.law import (
    Determination,
    ExecutionRefused,
    RuleConflictError,
    check_execution,
    determine,
    load_rulebook,
    render_memo,
)
from powcase.law.verdicts import Effect, decide, finding

DEMO = SCENARIOS / "demo-first-soldier-asks-for-south-korea.yaml"
MARCH = date(2025, 3, 15)


def demo(as_of: date = MARCH) -> Determination:
    casefile = load(DEMO)
    return determine(fold(casefile_history(casefile), as_of), load_rulebook(), as_of, casefile.context)


def test_same_inputs_give_byte_identical_json() -> None:
    assert demo().to_json() == demo().to_json()
    assert demo().input_hash == demo().input_hash


def test_hash_changes_with_date_and_facts() -> None:
    assert demo().input_hash != demo(date(2025, 3, 16)).input_hash


def test_json_names_no_prisoner() -> None:
    text = demo().to_json()
    assert "Demo-One" not in text and "Ri" not in text.split('"case_id"')[0]


def test_demo_first_soldier_in_march() -> None:
    d = demo()
    assert d.verdict(Disposition.REPATRIATION).status.value == "barred"
    assert d.verdict(Disposition.EXCHANGE).status.value == "barred"
    d5 = d.verdict(Disposition.THIRD_STATE_TRANSFER)
    assert d5.status.value == "needs_facts"
    assert [c.facts for c in d5.would_change] == [("written acceptance by KOR",)]


def test_memo_reads_and_cites() -> None:
    memo = render_memo(demo(), load_rulebook())
    assert "D1 Repatriation" in memo and "BARRED" in memo and "CAT-3" in memo
    assert "written acceptance by KOR" in memo
    assert "Demo-One" not in memo


def test_execution_guard() -> None:
    d = demo()
    assert check_execution(d, Disposition.CONTINUED_INTERNMENT).status.value == "permitted"
    with pytest.raises(ExecutionRefused, match="D2 refused: barred"):
        check_execution(d, "D2")


def test_execution_guard_refuses_other_destination() -> None:
    casefile = load(SCENARIOS / "wants-third-state-accepted.yaml")
    as_of = date(2025, 3, 1)
    d = determine(fold(casefile_history(casefile), as_of), load_rulebook(), as_of, casefile.context)
    assert check_execution(d, "D5", "KOR").status.value == "permitted"
    with pytest.raises(ExecutionRefused, match="not to CHE"):
        check_execution(d, "D5", "CHE")


def test_a_conflict_without_priority_fails_loudly() -> None:
    findings = [
        finding("R18", Effect.REQUIRE, "required", ("GC3-118",)),
        finding("R17", Effect.BAR, "barred", ("GC3-12",)),
    ]
    with pytest.raises(RuleConflictError, match="R18 and R17"):
        decide("D1", "test", findings)


def test_a_named_exception_resolves_the_same_pair() -> None:
    findings = [
        finding("R18", Effect.REQUIRE, "required", ("GC3-118",)),
        finding("R19", Effect.BAR, "held", ("GC3-119(5)",), exception_to=("R18",)),
    ]
    assert decide("D1", "test", findings).status.value == "barred"


def test_bad_input_gives_needs_facts_not_an_exception() -> None:
    casefile = load(SCENARIOS / "registration-only-no-capture.yaml")
    case = fold(casefile_history(casefile), date(2025, 1, 15))
    for context in (None, Context(detaining_power="UKR", hostilities=[{"state": "ceased", "since": date(2025, 1, 1)}])):  # type: ignore[list-item]
        d = determine(case, load_rulebook(), date(2025, 1, 15), context)
        assert all(v.status.value in ("permitted", "barred", "needs_facts") for v in d.dispositions)
