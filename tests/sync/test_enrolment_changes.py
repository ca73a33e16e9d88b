"""After enrolment: a lost package is made again, an office is given more cases, and the
register's verdicts for a case in conflict are the safer reading, as `determine` gives it."""

from __future__ import annotations

from datetime import date

import pytest
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.factories import interview
from tests.sync.conftest import Offices, chain, snapshot

from powcase.access.accounts import Accounts
from powcase.app import sync
from powcase.app.decisions import determine_all
from powcase.app.office import Office
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import RiskAssessed, SafetyPlanRecorded, ThirdStateAnswered
from powcase.errors import InvalidInput
from powcase.law.verdicts import Status
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import FIELD


def _request(offices: Offices) -> dict[str, str]:
    offices.hq.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    return sync.enrolment_request(sync.make_identity(offices.field, "CAMP-NORTH", FIELD))


def test_a_lost_enrolment_package_is_made_again_and_joined(offices: Offices) -> None:
    hq, field = offices.hq, offices.field
    lost, _, _ = sync.enrol(hq, _request(offices), [FIRST_SOLDIER])
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "hq-interviewer")
    again, _, hq_print = sync.enrol_again(hq, "CAMP-NORTH")
    applied, _ = sync.join(field, again, hq_print, "field-admin")
    assert applied.new_cases == 1 and chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    # The lost one turns up: a field office joins once.
    before = snapshot(field)
    with pytest.raises(BundleRefused, match="accepted once"):
        sync.join(field, lost, hq_print, "field-admin")
    assert snapshot(field) == before
    # Once the office has sent a bundle, it needs bundles, not packages.
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    with pytest.raises(InvalidInput, match="joined already"):
        sync.enrol_again(hq, "CAMP-NORTH")


def test_an_office_that_joined_the_older_package_is_brought_up_to_date(offices: Offices) -> None:
    hq, field = offices.hq, offices.field
    older, _, hq_print = sync.enrol(hq, _request(offices), [FIRST_SOLDIER])
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "hq-interviewer")
    sync.enrol_again(hq, "CAMP-NORTH")  # made, then the older one turns up and is joined instead
    sync.join(field, older, hq_print, "field-admin")
    # Headquarters believes it holds the newer heads, so it sends nothing yet...
    assert sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0]).events == 0
    assert chain(field, FIRST_SOLDIER) != chain(hq, FIRST_SOLDIER)
    sync.import_bundle(hq, sync.export(field, "HQ")[0])  # ...until the office's manifest says what it holds
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)


def test_an_office_is_given_more_cases_with_their_keys(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    assert [c.case_id for c in field.list_cases()] == [FIRST_SOLDIER]
    assert sync.extend(hq, "CAMP-NORTH", [SECOND_SOLDIER, FIRST_SOLDIER]) == 1
    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert applied.new_cases == 1
    assert chain(field, SECOND_SOLDIER) == chain(hq, SECOND_SOLDIER)
    assert field.case(SECOND_SOLDIER).identity == hq.case(SECOND_SOLDIER).identity
    # Work on it comes back to headquarters like work on the first.
    field.record(SECOND_SOLDIER, interview(date(2025, 11, 22)), "field-interviewer")
    assert sync.import_bundle(hq, sync.export(field, "HQ")[0]).events == 1
    with pytest.raises(InvalidInput, match="only headquarters"):
        sync.extend(field, "HQ", [SECOND_SOLDIER])


def test_the_register_decides_a_case_in_conflict_on_the_safer_reading(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    on = date(2025, 11, 28)
    hq.record(FIRST_SOLDIER, ThirdStateAnswered(occurred_on=date(2025, 11, 20), state="KOR", answer="accepts"), "hq-legal")
    hq.record(FIRST_SOLDIER, SafetyPlanRecorded(occurred_on=date(2025, 11, 21), disposition="D5", measures="Escort"), "hq-legal")
    alone = {d.case_id: d.verdict("D5").status for d in determine_all(hq.store, hq.rulebook, on, hq.context)}
    assert alone[FIRST_SOLDIER] == Status.PERMITTED
    field.record(FIRST_SOLDIER, RiskAssessed(occurred_on=date(2025, 11, 22), destination="KOR", conclusion="real_risk",
                                             reasoning="Invented.", assessor="Field legal officer"), "field-legal")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    accounts = Accounts(hq.store.engine, hq.store.master_key, hq.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    office = Office(hq, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))
    listed = {item.case_id: dict(item.verdicts) for item in office.decide_register(hq.rulebook, on, hq.context)}
    assert listed[FIRST_SOLDIER]["D5"] == Status.BARRED
    every = {d.case_id: d for d in office.determine_all(hq.rulebook, on, hq.context)}
    assert every[FIRST_SOLDIER].verdict("D5").status == Status.BARRED
    assert "in_conflict_between_offices" in every[FIRST_SOLDIER].verdict("D5").alerts
