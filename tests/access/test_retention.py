"""Retention: what is due for erasure, per category, and when the whole case can go."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.access.helpers import base_events, case_of

from powcase.access.retention import (
    CATEGORIES,
    WHOLE_CASE,
    RetentionPolicy,
    closed_on,
    due_for_erasure,
    erasable,
)
from powcase.domain.case import Case
from powcase.domain.events import Died, Escaped, Transferred
from powcase.errors import InvalidInput

CLOSED = date(2025, 6, 1)
POLICY = RetentionPolicy.from_mapping({"statements": 30, "medical": 60, "risk_assessments": 60, "identity": 90, "history": 90})


def _repatriated(case_id: str = "PW-TEST0001") -> Case:
    return case_of([*base_events(), Transferred(occurred_on=CLOSED, kind="repatriation", to_state="RUS")], case_id)


def test_open_cases_are_never_due() -> None:
    interned = case_of(base_events())
    escaped = case_of([*base_events(), Escaped(occurred_on=CLOSED)])
    assert closed_on(interned) is None and closed_on(escaped) is None
    assert due_for_erasure([interned, escaped], CLOSED + timedelta(days=10_000), POLICY) == []


def test_categories_fall_due_one_by_one_and_the_whole_case_last() -> None:
    case = _repatriated()
    assert due_for_erasure([case], CLOSED + timedelta(days=29), POLICY) == []
    due = due_for_erasure([case], CLOSED + timedelta(days=30), POLICY)
    assert [(d.case_id, d.category) for d in due] == [("PW-TEST0001", "statements")]
    assert due[0].reason == "closed (transferred) on 2025-06-01; statements is kept 30 days after closing, until 2025-07-01"
    assert erasable(due) == []
    due = due_for_erasure([case], CLOSED + timedelta(days=90), POLICY)
    assert {d.category for d in due} == {*CATEGORIES, WHOLE_CASE}
    assert erasable(due) == ["PW-TEST0001"]


def test_a_death_closes_the_case() -> None:
    dead = case_of([*base_events(), Died(occurred_on=CLOSED)])
    assert closed_on(dead) == CLOSED


def test_reasons_carry_no_personal_data() -> None:
    for due in due_for_erasure([_repatriated()], CLOSED + timedelta(days=365), POLICY):
        assert "Han" not in due.reason and "TEST-0001" not in due.reason


def test_the_policy_is_checked(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown categories photos"):
        RetentionPolicy.from_mapping({"photos": 3})
    with pytest.raises(InvalidInput, match="whole number of days"):
        RetentionPolicy.from_mapping({"statements": -1})
    path = tmp_path / "retention.yaml"
    path.write_text("statements: 10\nidentity: 20\n", encoding="utf-8")
    policy = RetentionPolicy.from_yaml(path)
    assert policy.days["statements"] == 10 and policy.days["identity"] == 20
    assert RetentionPolicy().days.keys() == CATEGORIES.keys()
