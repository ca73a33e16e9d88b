"""Both offices wrote after their common head: both lines are kept, the case is in conflict, and
no transfer is recorded while it is. An erasure at headquarters destroys the field's key."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from tests.factories import interview, person
from tests.sync.conftest import Offices, chain

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER
from powcase.domain.events import RiskAssessed, Transferred
from powcase.errors import NotPermitted
from powcase.store.tables import case_keys
from powcase.sync.state import duplicates, open_conflicts
from powcase.sync.tables import sync_branches


def _both_write(offices: Offices) -> None:
    offices.field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    offices.hq.record(FIRST_SOLDIER, RiskAssessed(occurred_on=date(2025, 11, 21), destination="PRK", conclusion="no_real_risk",
                                                  reasoning="Invented.", assessor="Legal officer 1"), "hq-legal")


def _conflicts(pw: Powcase) -> list[tuple[str, str, int]]:
    with pw.store.begin() as tx:
        return open_conflicts(tx.conn)


def _branch_rows(pw: Powcase) -> int:
    with pw.store.begin() as tx:
        return int(tx.conn.execute(select(func.count()).select_from(sync_branches)).scalar_one())


def test_two_lines_are_kept_and_the_case_is_in_conflict_at_both_offices(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    fork = len(hq.history(FIRST_SOLDIER))
    _both_write(enrolled)
    to_hq, _ = sync.export(field, "HQ")
    to_field, _ = sync.export(hq, "CAMP-NORTH")
    assert sync.import_bundle(hq, to_hq).conflicts == [FIRST_SOLDIER]
    assert sync.import_bundle(field, to_field).conflicts == [FIRST_SOLDIER]
    assert _conflicts(hq) == [(FIRST_SOLDIER, "CAMP-NORTH", fork)]
    assert _conflicts(field) == [(FIRST_SOLDIER, "HQ", fork)]
    # Nothing overwritten, nothing dropped: each keeps its own line and the other's beside it.
    assert hq.history(FIRST_SOLDIER)[-1].type == "risk_assessed"
    assert field.history(FIRST_SOLDIER)[-1].type == "interviewed"
    assert _branch_rows(hq) == _branch_rows(field) == 1
    # The same bundles again: still one branch row each, still one conflict.
    sync.import_bundle(hq, to_hq)
    again, _ = sync.export(field, "HQ")
    sync.import_bundle(hq, again)
    assert _branch_rows(hq) == 1 and len(_conflicts(hq)) == 1


def test_the_guard_refuses_a_transfer_of_a_case_in_conflict(enrolled: Offices) -> None:
    _both_write(enrolled)
    sync.import_bundle(enrolled.hq, sync.export(enrolled.field, "HQ")[0])
    before = chain(enrolled.hq, FIRST_SOLDIER)
    with pytest.raises(NotPermitted, match="no transfer until a legal officer resolves the conflict"):
        enrolled.hq.record(FIRST_SOLDIER, Transferred(occurred_on=date(2025, 11, 30), kind="third_state", to_state="KOR"), "hq-legal")
    assert chain(enrolled.hq, FIRST_SOLDIER) == before


def test_one_man_registered_at_both_offices_is_surfaced_not_merged(enrolled: Offices) -> None:
    at_hq = enrolled.hq.register(person(service_number="TEST-0999"), "hq-registrar")
    at_field = enrolled.field.register(person(service_number="TEST-0999"), "field-registrar")
    applied = sync.import_bundle(enrolled.hq, sync.export(enrolled.field, "HQ")[0])
    assert applied.duplicates == [(at_field, at_hq)]
    with enrolled.hq.store.begin() as tx:
        assert duplicates(tx.conn) == [(at_field, at_hq, "CAMP-NORTH")]
    assert {at_hq, at_field} <= {s.case_id for s in enrolled.hq.list_cases()}
    assert enrolled.hq.find_service_number("RUS", "TEST-0999") == at_hq
    assert enrolled.hq.rebuild() == len(enrolled.hq.list_cases())  # the summary is rebuilt with both
    assert enrolled.hq.find_service_number("RUS", "TEST-0999") == at_hq


def test_an_erasure_at_hq_destroys_the_field_copy_of_the_key(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    hq.erase(FIRST_SOLDIER, "retention period over", "admin + legal")
    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert applied.erased == [FIRST_SOLDIER]
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    with field.store.begin() as tx:
        assert tx.conn.execute(select(case_keys).where(case_keys.c.case_id == FIRST_SOLDIER)).first() is None
    field.store.forget_all_keys()
    assert field.history(FIRST_SOLDIER)[0].event is None  # his identity is gone at the field too
    assert field.verify() == []


def test_rotating_the_field_master_key_does_not_break_sync(enrolled: Offices) -> None:
    from powcase.access.keys import rotate_master_key
    from powcase.store.crypto import MasterKey
    from powcase.store.eventstore import EventStore

    field = enrolled.field
    new = MasterKey.generate()
    rotate_master_key(field.store.engine, field.store.master_key, new)
    rotated = Powcase(EventStore(field.store.engine, new), field.clock, context=field.context)
    rotated.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    sync.import_bundle(enrolled.hq, sync.export(rotated, "HQ")[0])
    assert chain(enrolled.hq, FIRST_SOLDIER) == chain(rotated, FIRST_SOLDIER)


def test_a_case_in_conflict_is_decided_on_the_safer_reading_of_both_lines(enrolled: Offices) -> None:
    from powcase.app.sync_reading import lines, safer_determination
    from powcase.domain.events import SafetyPlanRecorded, ThirdStateAnswered
    from powcase.law import determine

    hq, field = enrolled.hq, enrolled.field
    on = date(2025, 11, 28)
    hq.record(FIRST_SOLDIER, ThirdStateAnswered(occurred_on=date(2025, 11, 20), state="KOR", answer="accepts"), "hq-legal")
    hq.record(FIRST_SOLDIER, SafetyPlanRecorded(occurred_on=date(2025, 11, 21), disposition="D5", measures="Escort"), "hq-legal")
    assert determine(hq.case(FIRST_SOLDIER, on), hq.rulebook, on, hq.context).verdict("D5").status == "permitted"
    # Meanwhile, offline, the field office learns of a real risk in Korea for him.
    field.record(FIRST_SOLDIER, RiskAssessed(occurred_on=date(2025, 11, 22), destination="KOR", conclusion="real_risk",
                                             reasoning="Invented.", assessor="Field legal officer"), "field-legal")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    others = lines(hq.store, FIRST_SOLDIER)
    assert [(o.office, o.history[-1].type) for o in others] == [("CAMP-NORTH", "risk_assessed")]
    _, safer = safer_determination(hq.history(FIRST_SOLDIER), others, hq.rulebook, on, hq.context)
    assert safer.verdict("D5").status == "barred"
    assert all("in_conflict_between_offices" in v.alerts for v in safer.dispositions)


def test_a_legal_officer_at_hq_resolves_a_conflict_and_the_field_line_is_carried_through_the_guard(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    _both_write(enrolled)
    field_head = chain(field, FIRST_SOLDIER)[-1][1]
    hq_head = chain(hq, FIRST_SOLDIER)[-1][1]
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    assert sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both lines hold; the field interview stands.", "hq-legal") == 1
    assert _conflicts(hq) == []
    resolution, carried = hq.history(FIRST_SOLDIER)[-2:]
    assert resolution.type == "conflict_resolved" and carried.type == "interviewed"
    assert resolution.event is not None and (resolution.event.our_head, resolution.event.their_head) == (hq_head, field_head)
    assert carried.event == field.history(FIRST_SOLDIER)[-1].event
    assert hq.case(FIRST_SOLDIER).interviews[-1].event.stated_wish == "no_repatriation"
    # The field office writes again on its old line: the conflict opens again, never silently.
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 29)), "field-interviewer")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    assert [c for c, _, _ in _conflicts(hq)] == [FIRST_SOLDIER]


def test_after_the_resolution_the_guard_alone_decides_the_transfer(enrolled: Offices) -> None:
    from powcase.domain.events import (
        CustodyMoved,
        Reconfirmation,
        SafetyPlanRecorded,
        ThirdStateAnswered,
    )

    hq, field = enrolled.hq, enrolled.field
    hq.record(FIRST_SOLDIER, ThirdStateAnswered(occurred_on=date(2025, 11, 20), state="KOR", answer="accepts"), "hq-legal")
    hq.record(FIRST_SOLDIER, SafetyPlanRecorded(occurred_on=date(2025, 11, 21), disposition="D5", measures="Escort"), "hq-legal")
    field.record(FIRST_SOLDIER, CustodyMoved(occurred_on=date(2025, 11, 22), place="Camp Test-2"), "field-registrar")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    transfer = Transferred(occurred_on=date(2025, 11, 30), kind="third_state", to_state="KOR",
                           reconfirmation=Reconfirmation(by="ICRC delegate", result="confirmed"))
    with pytest.raises(NotPermitted, match="resolves the conflict"):
        hq.record(FIRST_SOLDIER, transfer, "hq-legal")
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The move stands.", "hq-legal")
    assert hq.record(FIRST_SOLDIER, transfer, "hq-legal").type == "transferred"
