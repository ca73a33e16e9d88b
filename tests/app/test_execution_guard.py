"""The execution guard: no transfer is recorded unless the law permits that exact disposition,
to that state, on that day; an override needs a recorded reason and two approvers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.conftest import Backend, FixedClock

from powcase.app.service import Powcase
from powcase.demo import CONTEXT, FIRST_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import OverrideGranted, Transferred, parse_event
from powcase.errors import NotPermitted
from powcase.law import ExecutionRefused
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore


@pytest.fixture
def app(backend: Backend, master_key: MasterKey, clock: FixedClock) -> Powcase:
    return Powcase(EventStore(backend.engine, master_key), clock, context=Context.model_validate(CONTEXT))


def _wants_home(case_id: str) -> dict[str, Any]:
    interview = {"type": "interviewed", "interviewer": "Delegate 3", "interviewer_organisation": "ICRC", "language": "rus",
                 "present": [{"role": "neutral_observer", "organisation": "ICRC"}], "informed_of_options": True,
                 "informed_of_right_to_change": True, "stated_wish": "repatriation"}
    return {
        "case_id": case_id,
        "person": {"registered_on": "2025-02-02", "family_name": {"native": "Тестов", "latin": "Testov"},
                   "given_names": {"latin": "Ivan"}, "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"]},
        "events": [
            {"type": "captured", "occurred_on": "2025-02-01", "place": "Sector 2", "circumstances": "captured"},
            {**interview, "occurred_on": "2025-03-01"},
            {**interview, "occurred_on": "2025-03-20"},
            {"type": "risk_assessed", "occurred_on": "2025-04-01", "destination": "RUS", "conclusion": "no_real_risk",
             "reasoning": "Invented.", "assessor": "Legal officer 2"},
        ],
    }


def exchange(on: date, to: str = "RUS", **extra: Any) -> Transferred:
    event = parse_event({"type": "transferred", "occurred_on": on, "kind": "exchange", "to_state": to, **extra})
    assert isinstance(event, Transferred)
    return event


def test_exchange_of_the_soldier_who_asks_for_south_korea_is_refused(app: Powcase) -> None:
    app.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    before = len(app.history(FIRST_SOLDIER))
    with pytest.raises(ExecutionRefused, match=f"case {FIRST_SOLDIER}: D2 refused: barred \\(R25") as refused:
        app.record(FIRST_SOLDIER, exchange(date(2025, 6, 10), reconfirmation={"by": "ICRC", "result": "confirmed"}), "officer")
    assert any("CAT-3" in r.sources for r in refused.value.verdict.reasons)
    assert len(app.history(FIRST_SOLDIER)) == before


def test_override_with_two_approvers_lets_a_refused_transfer_through_and_is_recorded(app: Powcase) -> None:
    app.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    override = app.record(FIRST_SOLDIER, OverrideGranted(occurred_on=date(2025, 6, 9), disposition="D2",
                                                         reason="court order 17/2025", approvers=["Officer A", "Officer B"]), "officer")
    written = app.record(FIRST_SOLDIER, exchange(date(2025, 6, 10), override_seq=override.seq), "officer")
    assert written.type == "transferred"
    case = app.case(FIRST_SOLDIER)
    assert case.status.value == "transferred" and case.overrides[0].event.approvers == ["Officer A", "Officer B"]


def test_permitted_exchange_needs_the_reconfirmation_at_handover(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_wants_home("PW-HOME-1")), "importer")
    with pytest.raises(NotPermitted, match="reconfirmation at the point of departure"):
        app.record(case_id, exchange(date(2025, 6, 10)), "officer")
    with pytest.raises(NotPermitted, match="he refused at the point of departure"):
        app.record(case_id, exchange(date(2025, 6, 10), reconfirmation={"by": "ICRC", "result": "refused"}), "officer")
    assert app.case(case_id).status.value == "interned"
    app.record(case_id, exchange(date(2025, 6, 10), reconfirmation={"by": "ICRC", "result": "confirmed"}), "officer")
    assert app.case(case_id).status.value == "transferred"


def test_permitted_exchange_to_another_state_is_refused(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_wants_home("PW-HOME-2")), "importer")
    with pytest.raises(ExecutionRefused, match="permitted only to RUS, not to BLR"):
        app.record(case_id, exchange(date(2025, 6, 10), to="BLR", reconfirmation={"by": "ICRC", "result": "confirmed"}), "officer")


def test_exchange_outside_any_agreement_is_not_permitted(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_wants_home("PW-HOME-3")), "importer")
    with pytest.raises(ExecutionRefused, match="D2 refused"):
        app.record(case_id, exchange(date(2025, 4, 10), reconfirmation={"by": "ICRC", "result": "confirmed"}), "officer")
