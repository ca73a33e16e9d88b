"""Validation at the door: codes, names, wishes, overrides."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from tests.factories import interview, person

from powcase.domain.case import first_error
from powcase.domain.events import Notified, OverrideGranted


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return first_error(exc.value)


def test_country_and_language_codes_are_normalised() -> None:
    p = person(nationality="prk", languages=["ko", "RUS"])
    assert p.nationality == "PRK" and p.languages == ["kor", "rus"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("nationality", "PKR", "nationality: unknown country code 'PKR'"),
        ("armed_force", "Russia", "armed_force: unknown country code 'Russia'"),
        ("languages", ["xx"], "languages.0: unknown language code 'xx'"),
        ("family_name", {}, "family_name: a name needs its native or its Latin form"),
        ("birth_date", "14/05/2000", "birth_date: Input should be a valid date"),
        ("colour", "blue", "colour: Extra inputs are not permitted"),
    ],
)
def test_bad_registration_names_the_field(field: str, value: object, expected: str) -> None:
    with pytest.raises(ValidationError) as exc:
        person(**{field: value})
    assert _message(exc).startswith(expected)


def test_third_state_wish_needs_the_state() -> None:
    with pytest.raises(ValidationError) as exc:
        interview(date(2025, 2, 1), "third_state")
    assert _message(exc) == "wish_state: a wish to go to a third state must name the state"


def test_state_named_without_third_state_wish_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        interview(date(2025, 2, 1), "repatriation", wish_state="KOR")
    assert "wish_state" in _message(exc)


def test_withheld_notification_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="reason"):
        Notified(occurred_on=date(2025, 2, 1), recipient="power_of_origin", action="withheld")


def test_override_needs_two_different_approvers() -> None:
    with pytest.raises(ValidationError, match="two different approvers"):
        OverrideGranted(occurred_on=date(2025, 2, 1), disposition="D2", reason="r", approvers=["Officer A", "officer a"])
    ok = OverrideGranted(occurred_on=date(2025, 2, 1), disposition="D2", reason="r", approvers=["Officer A", "Officer B"])
    assert len(ok.approvers) == 2
