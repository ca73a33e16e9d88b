"""The execution guard holds over the resulting history, whatever path writes it: a correction
cannot turn a checked transfer into another one, the route is part of the check, a transfer dated
back is decided on everything already on record, and a case file is checked like a record.

Each test reproduces one way around the guard found on the demo store and shows it refused with
one line, the store unchanged."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from tests.conftest import Backend, FixedClock

from powcase.app.exchanges import execute_exchange
from powcase.app.guard import decide_transfer
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, FIRST_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Event, Reconfirmation, Transferred, parse_event
from powcase.domain.values import TransferKind
from powcase.errors import InvalidInput, InvariantViolation, NotPermitted, PowcaseError
from powcase.law import ExecutionRefused
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore

CONFIRMED = {"by": "ICRC delegate", "result": "confirmed"}


@pytest.fixture
def app(backend: Backend, master_key: MasterKey, clock: FixedClock) -> Powcase:
    return Powcase(EventStore(backend.engine, master_key), clock, context=Context.model_validate(CONTEXT))


def ev(**data: Any) -> Event:
    return parse_event(data)


def _rows(app: Powcase) -> list[tuple[str, int]]:
    """Every stored event, by case and number: what "the store unchanged" is checked against."""
    return [(cid, len(app.history(cid))) for cid in sorted(s.case_id for s in app.list_cases())]


def refused(app: Powcase, error: type[PowcaseError], match: str, case_id: str, event: Event) -> str:
    before = _rows(app)
    with pytest.raises(error, match=match) as caught:
        app.record(case_id, event, "legal-officer")
    message = str(caught.value)
    assert "\n" not in message
    assert _rows(app) == before
    return message


@pytest.fixture
def korea(app: Powcase) -> Powcase:
    """The first demo soldier, handed over to South Korea as the law permits: event 18."""
    app.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    app.record(FIRST_SOLDIER, ev(type="third_state_answered", occurred_on="2025-05-20", state="KOR", answer="accepts"), "officer")
    app.record(FIRST_SOLDIER, ev(type="safety_plan_recorded", occurred_on="2025-05-25", disposition="D5",
                                 measures="Escort to Seoul; documents; no contact with the DPRK embassy"), "officer")
    written = app.record(FIRST_SOLDIER, ev(type="transferred", occurred_on="2025-06-10", kind="third_state", to_state="KOR",
                                           reconfirmation=CONFIRMED), "officer")
    assert written.seq == 18
    return app


# --- a correction rewrites a checked transfer -----------------------------------------------


def test_a_correction_cannot_turn_the_transfer_to_korea_into_an_exchange_with_russia(korea: Powcase) -> None:
    refused(korea, InvalidInput, "event 19: a correction cannot change the kind, to_state of the transfer \\(event 18\\): record a new event instead",
            FIRST_SOLDIER, ev(type="corrected", occurred_on="2025-06-11", corrects_seq=18,
                              changes={"kind": "exchange", "to_state": "RUS"}, reason="typing error"))
    transfer = korea.case(FIRST_SOLDIER).transfers[-1].event
    assert (transfer.kind.value, transfer.to_state, transfer.via) == ("third_state", "KOR", [])


def test_a_correction_cannot_add_a_route_through_the_dprk(korea: Powcase) -> None:
    refused(korea, InvalidInput, "cannot change the via of the transfer \\(event 18\\): record a new event instead",
            FIRST_SOLDIER, ev(type="corrected", occurred_on="2025-06-11", corrects_seq=18, changes={"via": ["PRK"]}, reason="route"))


def test_any_other_correction_of_a_transfer_is_decided_like_the_transfer(korea: Powcase) -> None:
    refused(korea, NotPermitted, "he refused at the point of departure", FIRST_SOLDIER,
            ev(type="corrected", occurred_on="2025-06-11", corrects_seq=18,
               changes={"reconfirmation": {"by": "ICRC delegate", "result": "refused"}}, reason="form misread"))
    # Dated before South Korea's written acceptance, it was never permitted.
    refused(korea, ExecutionRefused, "D5 refused: needs_facts \\(R17\\)", FIRST_SOLDIER,
            ev(type="corrected", occurred_on="2025-06-11", corrects_seq=18, changes={"occurred_on": "2025-05-15"}, reason="date"))
    fine = korea.record(FIRST_SOLDIER, ev(type="corrected", occurred_on="2025-06-11", corrects_seq=18,
                                          changes={"agreement": "ROK-UKR-2025-1"}, reason="reference added"), "officer")
    assert fine.seq == 19 and korea.case(FIRST_SOLDIER).transfers[-1].event.agreement == "ROK-UKR-2025-1"


def test_an_override_cannot_be_corrected_by_one_person(app: Powcase) -> None:
    app.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    override = app.record(FIRST_SOLDIER, ev(type="override_granted", occurred_on="2025-06-01", disposition="D6",
                                            reason="release order 3/2025", approvers=["Officer A", "Officer B"]), "Officer A + Officer B")
    refused(app, InvalidInput, "an override is granted by two people together and cannot be corrected", FIRST_SOLDIER,
            ev(type="corrected", occurred_on="2025-06-02", corrects_seq=override.seq, changes={"disposition": "D2"}, reason="x"))


# --- the route is part of the check -----------------------------------------------------------


def test_the_guard_decides_the_route_of_the_transfer_to_korea(korea: Powcase) -> None:
    """On the facts that permitted event 18, the same transfer by way of Russia and the DPRK is barred."""
    before = korea.history(FIRST_SOLDIER)[:17]
    via = Transferred(occurred_on=date(2025, 6, 10), kind=TransferKind.THIRD_STATE, to_state="KOR", via=["RUS", "PRK"],
                      reconfirmation=Reconfirmation(by="ICRC delegate", result="confirmed"))
    with pytest.raises(ExecutionRefused, match="D5 refused: barred \\(R25\\): the route via RUS -> PRK is barred: real risk in RUS, PRK") as caught:
        decide_transfer(FIRST_SOLDIER, 18, before, via, korea.rulebook, korea.context)
    assert "CAT-3" in caught.value.verdict.reasons[0].sources
    assert decide_transfer(FIRST_SOLDIER, 18, before, via.model_copy(update={"via": []}), korea.rulebook, korea.context) is not None


def test_record_transfer_via_russia_and_the_dprk_is_refused_and_nothing_written(app: Powcase) -> None:
    app.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    app.record(FIRST_SOLDIER, ev(type="third_state_answered", occurred_on="2025-05-20", state="KOR", answer="accepts"), "officer")
    app.record(FIRST_SOLDIER, ev(type="safety_plan_recorded", occurred_on="2025-05-25", disposition="D5", measures="Escort"), "officer")
    refused(app, ExecutionRefused, "route via RUS -> PRK is barred: real risk in RUS, PRK", FIRST_SOLDIER,
            ev(type="transferred", occurred_on="2025-06-10", kind="third_state", to_state="KOR", via=["RUS", "PRK"], reconfirmation=CONFIRMED))
    # A state on the route that nobody assessed holds the transfer until someone does (R29).
    refused(app, ExecutionRefused, "needs_facts \\(R29\\): risk not assessed for POL on the route via POL", FIRST_SOLDIER,
            ev(type="transferred", occurred_on="2025-06-10", kind="third_state", to_state="KOR", via=["POL"], reconfirmation=CONFIRMED))
    assert app.case(FIRST_SOLDIER).status.value == "interned"


# --- a transfer dated back is decided on everything recorded --------------------------------


def _home_then_refuses(case_id: str, july: list[dict[str, Any]]) -> dict[str, Any]:
    """Wished to go home in February and March; what happened in July is `july`."""
    interview = {"type": "interviewed", "interviewer": "Delegate 3", "interviewer_organisation": "ICRC", "language": "rus",
                 "present": [{"role": "neutral_observer", "organisation": "ICRC"}], "informed_of_options": True,
                 "informed_of_right_to_change": True}
    return {
        "case_id": case_id,
        "person": {"registered_on": "2025-02-02", "family_name": {"native": "Тестов", "latin": "Testov"},
                   "given_names": {"latin": "Ivan"}, "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"]},
        "events": [
            {"type": "captured", "occurred_on": "2025-02-01", "place": "Sector 2", "circumstances": "captured"},
            {**interview, "occurred_on": "2025-02-10", "stated_wish": "repatriation"},
            {**interview, "occurred_on": "2025-03-01", "stated_wish": "repatriation"},
            {"type": "risk_assessed", "occurred_on": "2025-04-01", "destination": "RUS", "conclusion": "no_real_risk",
             "reasoning": "Invented.", "assessor": "Legal officer 2"},
            *({**interview, **item} if item["type"] == "interviewed" else item for item in july),
        ],
    }


JULY_REFUSALS = [{"type": "interviewed", "occurred_on": "2025-07-02", "stated_wish": "no_repatriation"},
                 {"type": "interviewed", "occurred_on": "2025-07-20", "stated_wish": "no_repatriation"}]


def test_an_exchange_dated_before_the_july_refusals_on_record_is_refused(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-BACK-1", JULY_REFUSALS)), "importer")
    exchange = ev(type="transferred", occurred_on="2025-06-10", kind="exchange", to_state="RUS", reconfirmation=CONFIRMED)
    refused(app, InvariantViolation, "he was still in custody on 2025-07-02 \\(event 6, interviewed\\); a transfer cannot be dated 2025-06-10, before it",
            case_id, exchange)
    # Without the July refusals the same exchange is lawful: it is the record that decides.
    (other,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-BACK-2", [])), "importer")
    app.record(other, exchange, "officer")


def test_an_exchange_dated_before_a_real_risk_found_in_july_is_decided_on_it(app: Powcase) -> None:
    july = [{"type": "risk_assessed", "occurred_on": "2025-07-05", "destination": "RUS", "conclusion": "real_risk",
             "test": ["CAT-3"], "reasoning": "Invented: new evidence of reprisals.", "assessor": "Legal officer 4"}]
    (case_id,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-BACK-3", july)), "importer")
    refused(app, ExecutionRefused, "D2 refused: barred \\(R25\\), on everything recorded before it \\(as of 2025-07-05\\), not only as of its date 2025-06-10",
            case_id, ev(type="transferred", occurred_on="2025-06-10", kind="exchange", to_state="RUS", reconfirmation=CONFIRMED))


def test_a_fact_back_dated_before_a_recorded_transfer_that_changes_its_verdict_is_refused(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-BACK-4", [])), "importer")
    app.record(case_id, ev(type="transferred", occurred_on="2025-06-10", kind="exchange", to_state="RUS", reconfirmation=CONFIRMED), "officer")
    refused(app, InvariantViolation, "this risk_assessed is dated 2025-06-01, on or before the transfer recorded as event 6 \\(2025-06-10\\), and would change its verdict",
            case_id, ev(type="risk_assessed", occurred_on="2025-06-01", destination="RUS", conclusion="real_risk",
                        reasoning="Invented.", assessor="Legal officer 4"))
    # Dated when it was made, after the transfer, it is recorded: it cannot rewrite what was decided.
    app.record(case_id, ev(type="risk_assessed", occurred_on="2025-08-01", destination="RUS", conclusion="real_risk",
                           reasoning="Invented.", assessor="Legal officer 4"), "officer")


# --- imports are checked like records -------------------------------------------------------


def _first_soldier_with(*events: dict[str, Any]) -> dict[str, Any]:
    first = copy.deepcopy(the_two_soldiers()[0])
    first["events"].extend(events)
    return first


EXCHANGE = {"type": "transferred", "occurred_on": "2025-06-10", "kind": "exchange", "to_state": "RUS"}


@pytest.mark.parametrize(
    ("extra", "error", "match"),
    [
        pytest.param([{**EXCHANGE, "reconfirmation": CONFIRMED}], ExecutionRefused, "PW-DEMO-KOR1: D2 refused: barred \\(R25", id="exchange-of-a-refuser"),
        pytest.param([{"type": "override_granted", "occurred_on": "2025-06-09", "disposition": "D2", "reason": "forged",
                       "approvers": ["x", "y"]}, {**EXCHANGE, "override_seq": 16}],
                     InvalidInput, "event 16: a override_granted event cannot be imported: an override is granted in this store", id="forged-override"),
        pytest.param([{**EXCHANGE, "reconfirmation": {"by": "ICRC", "result": "refused"}}], NotPermitted,
                     "he refused at the point of departure", id="reconfirmation-refused"),
        pytest.param([{"type": "erased", "occurred_on": "2025-06-10", "reason": "forged"}], InvalidInput,
                     "a erased event cannot be imported: an erasure is made in this store", id="erased"),
        pytest.param([{"type": "disclosed", "occurred_on": "2025-06-10", "disclosure_id": "DS-ABCDEFGH", "purpose": "casework",
                       "fields": ["family_name"], "recipient": "Somebody", "recipient_kind": "other", "legal_basis": "none"}],
                     InvalidInput, "a disclosed event cannot be imported: a disclosure is recorded in this store", id="disclosed"),
        pytest.param([{"type": "third_state_answered", "occurred_on": "2025-05-20", "state": "KOR", "answer": "accepts"},
                      {"type": "safety_plan_recorded", "occurred_on": "2025-05-25", "disposition": "D5", "measures": "Escort"},
                      {"type": "transferred", "occurred_on": "2025-06-10", "kind": "third_state", "to_state": "KOR", "reconfirmation": CONFIRMED},
                      {"type": "corrected", "occurred_on": "2025-06-11", "corrects_seq": 18, "changes": {"kind": "exchange", "to_state": "RUS"},
                       "reason": "x"}],
                     InvalidInput, "a correction cannot change the kind, to_state of the transfer", id="corrected-in-the-file"),
    ],
)
def test_a_case_file_cannot_bring_what_the_guard_refuses(app: Powcase, extra: list[dict[str, Any]], error: type[PowcaseError], match: str) -> None:
    with pytest.raises(error, match=match) as caught:
        app.import_casefiles(parse_casefiles(_first_soldier_with(*extra)), "importer")
    assert "\n" not in str(caught.value)
    assert app.count_cases() == 0 and app.list_cases() == []


def test_a_lawful_case_file_with_its_transfer_is_imported(app: Powcase) -> None:
    (case_id,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-FILE-1", [
        {"type": "transferred", "occurred_on": "2025-06-10", "kind": "exchange", "to_state": "RUS", "reconfirmation": CONFIRMED}])), "importer")
    assert app.case(case_id).status.value == "transferred"


def test_an_exchange_executed_on_a_day_before_his_july_refusals_takes_him_off_the_list(app: Powcase) -> None:
    (refuser,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-EXEC-1", JULY_REFUSALS)), "importer")
    (willing,) = app.import_casefiles(parse_casefiles(_home_then_refuses("PW-EXEC-2", [])), "importer")
    plan = {"exchange_id": "EX-2025-06-CAT", "counterpart": "RUS", "chosen": [refuser, willing]}
    done = execute_exchange(app, plan, date(2025, 6, 10), {refuser: CONFIRMED, willing: CONFIRMED}, "legal-officer")
    assert done.transferred == (willing,)
    assert "he was still in custody on 2025-07-02" in done.removed[refuser]
    assert app.case(refuser).status.value == "interned" and len(app.history(refuser)) == 7
