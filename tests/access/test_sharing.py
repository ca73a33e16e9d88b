"""The sharing gate: pseudonymised views, and what a disclosure may never do."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from tests.access.helpers import base_events, case_of

from powcase.access.audit import PURPOSES
from powcase.access.events import Disclosed, Purpose
from powcase.access.permissions import AccessRefused
from powcase.access.sharing import (
    Disclosure,
    check_disclosure,
    check_disclosure_all,
    new_disclosure_id,
    propose_withholding,
    pseudonymise,
    real_risk_for_origin,
)
from powcase.domain.events import Event, Notified, RiskAssessed
from powcase.errors import InvalidInput

CASE = "PW-TEST0001"


def _request(**overrides: Any) -> Disclosure:
    data: dict[str, Any] = {
        "case_ids": [CASE],
        "purpose": "central_agency",
        "recipient": "Central Tracing Agency",
        "recipient_kind": "neutral_intermediary",
        "legal_basis": "GC3-123",
        "fields": ["family_name", "given_names", "birth_date"],
    }
    data.update(overrides)
    return Disclosure.model_validate(data)


def _withheld() -> Notified:
    return Notified(occurred_on=date(2025, 1, 20), recipient="power_of_origin", action="withheld",
                    reason="A real risk on return is recorded.")


def _risk(destination: str, conclusion: str = "real_risk", onward: list[str] | None = None) -> RiskAssessed:
    return RiskAssessed(occurred_on=date(2025, 2, 1), destination=destination, onward=onward or [],
                        conclusion=conclusion, reasoning="Invented reasoning for a test.", assessor="Legal T")


def _case(*extra: Event) -> Any:
    return case_of([*base_events(), *extra], CASE)


def test_pseudonymise_keeps_no_name_statement_or_place() -> None:
    summary = {
        "case_id": CASE, "nationality": "PRK", "armed_force": "RUS", "status": "interned", "place": "Camp Test-1",
        "captured_on": date(2025, 1, 9), "events": 3, "family_name": "Han", "words_original": "invented words",
    }
    assert pseudonymise(summary) == {"case_id": CASE, "nationality": "PRK", "status": "interned", "captured_on": "2025-01-09"}
    with pytest.raises(InvalidInput):
        pseudonymise({"nationality": "PRK"})


def test_a_disclosure_needs_purpose_recipient_basis_and_a_minimal_set_of_known_fields() -> None:
    for missing in ("purpose", "recipient", "recipient_kind", "legal_basis", "fields"):
        data = _request().model_dump()
        del data[missing]
        with pytest.raises(ValidationError, match=missing):
            Disclosure.model_validate(data)
    with pytest.raises(ValidationError, match="fields"):
        _request(fields=[])
    with pytest.raises(ValidationError, match="fields"):
        _request(fields=["everything"])
    with pytest.raises(ValidationError, match="named twice"):
        _request(fields=["rank", "rank"])
    with pytest.raises(ValidationError, match="purpose"):
        _request(purpose="moving him to a third state next week")
    with pytest.raises(ValidationError, match="recipient_state"):
        _request(recipient_kind="receiving_state")


def test_every_purpose_is_documented() -> None:
    assert set(PURPOSES) == set(Purpose.__args__)  # type: ignore[attr-defined]


def test_a_plain_case_may_go_to_his_power_of_origin_without_his_wish() -> None:
    to_origin = _request(recipient_kind="power_of_origin", recipient_state="PRK", purpose="information_bureau")
    check_disclosure(to_origin, _case())
    with pytest.raises(AccessRefused, match="stated_wish never go to a power of origin") as exc:
        check_disclosure(_request(recipient_kind="power_of_origin", recipient_state="PRK", fields=["stated_wish"]), _case())
    assert exc.value.code == "field_to_origin"
    with pytest.raises(AccessRefused, match="not his power of origin"):
        check_disclosure(_request(recipient_kind="power_of_origin", recipient_state="KOR"), _case())


@pytest.mark.parametrize("kind", ["power_of_origin", "receiving_state", "ngo", "other"])
def test_a_withheld_notification_lets_only_a_neutral_intermediary_through(kind: str) -> None:
    case = _case(_withheld())
    request = _request(recipient_kind=kind, recipient_state="PRK" if kind != "ngo" else None)
    with pytest.raises(AccessRefused, match="withheld as harmful") as exc:
        check_disclosure(request, case)
    assert exc.value.code == "notification_withheld"
    assert CASE in str(exc.value)
    check_disclosure(_request(), case)


def test_a_later_notification_sent_lifts_the_withholding() -> None:
    sent = Notified(occurred_on=date(2025, 3, 1), recipient="power_of_origin", action="sent")
    check_disclosure(_request(recipient_kind="ngo"), _case(_withheld(), sent))


def test_a_recorded_real_risk_bars_that_state_and_the_states_that_hand_him_on() -> None:
    case = _case(_risk("RUS", onward=["PRK"]))
    for state in ("RUS", "PRK"):
        with pytest.raises(AccessRefused, match=f"real risk on return to {state}") as exc:
            check_disclosure(_request(recipient_kind="receiving_state", recipient_state=state), case)
        assert exc.value.code == "real_risk"
    check_disclosure(_request(recipient_kind="receiving_state", recipient_state="KOR"), case)
    # A later assessment without real risk for that destination replaces the earlier one.
    check_disclosure(_request(recipient_kind="receiving_state", recipient_state="RUS"),
                     _case(_risk("RUS", onward=["PRK"]), _risk("RUS", "no_real_risk")))


def test_all_or_nothing_over_many_cases() -> None:
    safe, withheld = case_of(base_events(), "PW-TEST0001"), case_of([*base_events(), _withheld()], "PW-TEST0002")
    request = _request(case_ids=["PW-TEST0001", "PW-TEST0002"], recipient_kind="ngo")
    with pytest.raises(AccessRefused, match="PW-TEST0002"):
        check_disclosure_all(request, {"PW-TEST0001": safe, "PW-TEST0002": withheld})
    with pytest.raises(InvalidInput, match="not found"):
        check_disclosure_all(request, {"PW-TEST0001": safe})


def test_propose_withholding() -> None:
    assert propose_withholding(_case(), real_risk=False) is None
    reason = propose_withholding(_case(), real_risk=True)
    assert reason is not None and "real risk" in reason
    assert "Han" not in reason and CASE not in reason
    assert propose_withholding(_case(_withheld()), real_risk=True) is None  # withheld already
    assert real_risk_for_origin(_case(_risk("PRK")))
    assert not real_risk_for_origin(_case(_risk("KOR")))
    # The proposed reason is a valid reason for the Notified event it proposes.
    Notified(occurred_on=date(2025, 2, 2), recipient="power_of_origin", action="withheld", reason=reason)


def test_the_disclosed_event_keeps_recipient_and_state_sealed() -> None:
    request = _request(recipient_kind="receiving_state", recipient_state="KOR", recipient="Invented Office",
                       purpose="release_or_transfer_arrangements", details="Invented details.")
    event = request.event(date(2025, 3, 1), new_disclosure_id())
    assert isinstance(event, Disclosed)
    assert {"disclosure_id", "purpose", "fields"} == event.CLEAR
    clear = {k for k in event.model_dump() if k in event.CLEAR}
    assert {"recipient", "recipient_kind", "recipient_state", "legal_basis", "details"}.isdisjoint(clear)
    with pytest.raises(ValidationError):
        Disclosed.model_validate({**event.model_dump(), "disclosure_id": "not an id"})
