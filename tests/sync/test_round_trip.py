"""Work done at either office reaches the other, as the same chain; a bundle imported twice
changes nothing; a field office holds only the cases it was enrolled with."""

from __future__ import annotations

from datetime import date

from tests.factories import interview, person
from tests.sync.conftest import Offices, chain, snapshot

from powcase.app import sync
from powcase.demo import FIRST_SOLDIER, the_two_soldiers
from powcase.domain.events import RiskAssessed


def test_enrolment_gives_the_field_only_its_cases_with_the_same_chain(enrolled: Offices) -> None:
    second = the_two_soldiers()[1]["case_id"]
    assert [s.case_id for s in enrolled.field.list_cases()] == [FIRST_SOLDIER]
    assert chain(enrolled.field, FIRST_SOLDIER) == chain(enrolled.hq, FIRST_SOLDIER)
    assert enrolled.field.case(FIRST_SOLDIER).identity == enrolled.hq.case(FIRST_SOLDIER).identity
    assert enrolled.field.store.master_key.key_id != enrolled.hq.store.master_key.key_id
    assert second in [s.case_id for s in enrolled.hq.list_cases()]


def test_work_in_the_field_reaches_hq_and_hq_decisions_reach_the_field(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    new_case = field.register(person(service_number="TEST-0777"), "field-registrar")
    data, count = sync.export(field, "HQ")
    assert count == len(field.history(FIRST_SOLDIER)) - len(hq.history(FIRST_SOLDIER)) + 1
    applied = sync.import_bundle(hq, data)
    assert (applied.events, applied.new_cases, applied.conflicts) == (count, 1, [])
    assert chain(hq, FIRST_SOLDIER) == chain(field, FIRST_SOLDIER)
    assert chain(hq, new_case) == chain(field, new_case)
    assert hq.history(FIRST_SOLDIER)[-1].event == field.history(FIRST_SOLDIER)[-1].event

    hq.record(FIRST_SOLDIER, RiskAssessed(occurred_on=date(2025, 11, 25), destination="PRK", conclusion="real_risk",
                                          reasoning="Invented.", assessor="Legal officer 1"), "hq-legal")
    back, sent = sync.export(hq, "CAMP-NORTH")
    assert sent == 1  # HQ knows from the field's manifest what the field holds already
    sync.import_bundle(field, back)
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    assert field.history(FIRST_SOLDIER)[-1].type == "risk_assessed"


def test_the_same_bundle_twice_changes_nothing(enrolled: Offices) -> None:
    enrolled.field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    data, _ = sync.export(enrolled.field, "HQ")
    sync.import_bundle(enrolled.hq, data)
    before = snapshot(enrolled.hq)
    again = sync.import_bundle(enrolled.hq, data)
    assert again.already and again.events == 0
    assert snapshot(enrolled.hq) == before


def test_a_lost_bundle_is_covered_by_the_next(enrolled: Offices) -> None:
    field, hq = enrolled.field, enrolled.hq
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    sync.export(field, "HQ")  # lost on the way
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 21)), "field-interviewer")
    data, count = sync.export(field, "HQ")
    assert count == 2
    sync.import_bundle(hq, data)
    assert chain(hq, FIRST_SOLDIER) == chain(field, FIRST_SOLDIER)


def test_the_field_access_log_reaches_hq_record_for_record_and_once(enrolled: Offices) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from powcase.access.audit import record_access
    from powcase.sync.tables import sync_access_log

    field = enrolled.field
    with field.store.engine.begin() as conn:
        for action in ("show_identity", "history"):
            record_access(conn, field.store.master_key, at=datetime(2025, 11, 20, tzinfo=UTC), actor="field-clerk",
                          action=action, case_id=FIRST_SOLDIER)
    applied = sync.import_bundle(enrolled.hq, sync.export(field, "HQ")[0])
    assert applied.log_records == 2
    sync.import_bundle(field, sync.export(enrolled.hq, "CAMP-NORTH")[0])  # HQ says what it holds
    again = sync.import_bundle(enrolled.hq, sync.export(field, "HQ")[0])
    assert again.log_records == 0
    with enrolled.hq.store.engine.connect() as conn:
        kept = list(conn.execute(select(sync_access_log.c.office, sync_access_log.c.seq, sync_access_log.c.action)))
    assert kept == [("CAMP-NORTH", 1, "show_identity"), ("CAMP-NORTH", 2, "history")]
