"""A case closed at headquarters as registering a man twice (a "same" decision: its facts carried onto
the case that holds him) is a stale copy: erasing his case erases the copy too, and the erasure
reaches the field office that registered it; the copy alone is neither erased, disclosed nor
exported: each refusal is one line naming his case, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import FixedClock
from tests.factories import captured, person
from tests.sync.conftest import Offices, chain, snapshot
from tests.sync.test_duplicates import HQ_LEGAL, _registered_twice

from powcase.access.accounts import Accounts
from powcase.access.sharing import Disclosure
from powcase.access.tables import access_log
from powcase.app import sync
from powcase.app.duplicates import decide_duplicate
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import Erased
from powcase.errors import KeyUnavailable, NotPermitted
from powcase.store.tables import events
from powcase.sync.identity import FIELD

REASON = "retention period ended"


@dataclass
class Staffed:
    """Headquarters and its field office, with an administrator and a legal officer at headquarters
    who may erase together (founded before the first case, past the confirmation window)."""

    hq: Powcase
    field: Powcase
    admin: Office
    legal: Office


@pytest.fixture
def staffed(offices: Offices, clock: FixedClock) -> Staffed:
    hq = offices.hq
    accounts = Accounts(hq.store.engine, hq.store.master_key, hq.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    legal = accounts.add_user("founding-legal-1", PASSWORD, ["legal_officer"], by=admin)
    accounts.change_own_password("founding-legal-1", PASSWORD, "a passphrase of my own")
    # As the `enrolled` fixture: headquarters holds the demo soldiers, the field office the first.
    hq.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    identity = sync.make_identity(offices.field, "CAMP-NORTH", FIELD)
    package, _, hq_print = sync.enrol(hq, sync.enrolment_request(identity), [the_two_soldiers()[0]["case_id"]])
    sync.join(offices.field, package, hq_print, "field-admin")
    clock.moment += timedelta(days=31)  # past the window in which admin-1 vouches for the legal officer
    return Staffed(hq, offices.field, Office(hq, accounts, admin), Office(hq, accounts, legal))


def _decided_same(staffed: Staffed) -> tuple[str, str]:
    case, other = _registered_twice(Offices(staffed.hq, staffed.field, ""))
    decide_duplicate(staffed.hq, case, other, "same", "Same man: same service number, name and birth date.", HQ_LEGAL)
    return case, other


def _events(pw: Powcase) -> int:
    with pw.store.begin() as tx:
        return int(tx.conn.execute(select(func.count()).select_from(events)).scalar_one())


def _log(office: Office, case_id: str) -> list[tuple[str, str, str, str | None]]:
    with office.pw.store.engine.begin() as conn:
        rows = conn.execute(access_log.select().where(access_log.c.case_id == case_id).order_by(access_log.c.seq)).all()
    return [(r.actor, r.action, r.outcome, r.reason) for r in rows]


def _unreadable(pw: Powcase, case_id: str) -> bool:
    case = pw.case(case_id)
    return case.erased and case.identity is None and pw.history(case_id)[0].event is None


# --- erasure ---------------------------------------------------------------------------------


def test_erasing_the_mans_case_erases_his_closed_copy_and_reaches_the_field(staffed: Staffed) -> None:
    hq, field = staffed.hq, staffed.field
    case, other = _decided_same(staffed)
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])  # the field holds both, the copy closed
    assert not field.case(case).erased and field.case(case).identity is not None

    assert staffed.admin.erasable(other) == [case]  # what the CLI names before the second password
    erased = staffed.admin.erase(other, REASON, staffed.legal.user)

    assert erased == [other, case]
    for erased_case in (other, case):
        assert _unreadable(hq, erased_case)
        last = hq.history(erased_case)[-1]
        assert (last.type, last.actor) == ("erased", "admin-1 + founding-legal-1")
        # The same two-person act, logged as an erasure of each case under both names.
        assert [e for e in _log(staffed.admin, erased_case) if e[1] == "erase"] == [
            ("admin-1", "erase", "allowed", None), ("founding-legal-1", "erase", "allowed", None)]
    with pytest.raises(KeyUnavailable, match="erased"):
        hq.export(case)
    assert hq.verify() == []

    # The next bundle carries both erasures: the field's copies of both keys are destroyed.
    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert sorted(applied.erased) == sorted([other, case])
    assert _unreadable(field, case) and _unreadable(field, other)
    assert chain(field, case) == chain(hq, case) and field.verify() == []


def test_erasing_the_closed_copy_alone_is_refused_and_names_the_mans_case(staffed: Staffed) -> None:
    hq = staffed.hq
    case, other = _decided_same(staffed)
    line = f"case {case}: closed, registered twice; erase {other}: it holds his record and erasing it erases this copy too"
    before, stored = _events(hq), snapshot(hq)

    with pytest.raises(NotPermitted) as refused:
        hq.erase(case, REASON, "admin-1 + founding-legal-1")
    assert str(refused.value) == line
    assert snapshot(hq) == stored
    with pytest.raises(NotPermitted, match=f"erase {other}: it holds his record"):
        staffed.admin.erasable(case)  # refused before the second person types a password
    with pytest.raises(NotPermitted) as refused:
        staffed.admin.erase(case, REASON, staffed.legal.user)
    assert str(refused.value) == line and "\n" not in line

    assert _events(hq) == before
    assert not hq.case(case).erased and hq.case(case).identity is not None
    assert ("founding-legal-1", "erase", "refused", "not_permitted") in _log(staffed.admin, case)
    assert all(outcome == "refused" for _, action, outcome, _ in _log(staffed.admin, case) if action == "erase")


def test_the_field_erases_neither_the_mans_case_nor_its_copy(staffed: Staffed) -> None:
    # An erasure is made at headquarters only (tests/sync/test_acts_of_headquarters.py); the
    # copy's own refusal comes first, naming his case.
    hq, field = staffed.hq, staffed.field
    case, other = _decided_same(staffed)
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    with pytest.raises(NotPermitted, match=f"erase {other}: it holds his record"):
        field.erase(case, REASON, "field-admin + field-legal")
    with pytest.raises(NotPermitted, match="an erasure is made at headquarters"):
        field.erase(other, REASON, "field-admin + field-legal")
    assert not field.case(case).erased and not field.case(other).erased


def test_a_copy_left_readable_by_an_erasure_before_this_rule_is_erased_on_its_own(staffed: Staffed) -> None:
    hq = staffed.hq
    case, other = _decided_same(staffed)
    with hq.store.begin() as tx:  # his case erased as it was before copies went with it
        hq.append_within(tx, other, tx.history(other), [Erased(occurred_on=hq.today(), reason=REASON)], "old")
        tx.destroy_case_key(other)
    assert hq.case(case).identity is not None  # the gap: his copy still readable
    assert hq.erasable(case) == []

    assert staffed.admin.erase(case, REASON, staffed.legal.user) == [case]

    assert _unreadable(hq, case) and hq.verify() == []


def test_a_different_decision_erases_nothing_but_the_case_named(staffed: Staffed) -> None:
    hq = staffed.hq
    case, other = _registered_twice(Offices(hq, staffed.field, ""))
    decide_duplicate(hq, case, other, "different", "Two men; the service number is misread on one.", HQ_LEGAL)

    assert staffed.admin.erase(other, REASON, staffed.legal.user) == [other]

    assert _unreadable(hq, other) and not hq.case(case).erased and hq.case(case).identity is not None


# --- disclosure ------------------------------------------------------------------------------


def _to_agency(case_ids: list[str]) -> Disclosure:
    return Disclosure(case_ids=case_ids, purpose="central_agency", recipient="ICRC Central Tracing Agency",
                      recipient_kind="neutral_intermediary", legal_basis="GC III Art 123", fields=["family_name", "birth_date"])


def test_disclosing_the_closed_copy_is_refused_and_names_the_mans_case(staffed: Staffed) -> None:
    hq, legal = staffed.hq, staffed.legal
    case, other = _decided_same(staffed)
    before = _events(hq)

    with pytest.raises(NotPermitted) as refused:
        legal.disclose(_to_agency([other, case]))  # one stale copy refuses the lot: all or nothing

    assert str(refused.value) == f"case {case}: closed, registered twice; the man's case is {other}: disclose {other}"
    assert _events(hq) == before
    assert ("founding-legal-1", "disclose", "refused", "not_permitted") in _log(legal, case)
    disclosure_id, records = legal.disclose(_to_agency([other]))  # his record is his case
    assert [r["case_id"] for r in records] == [other]
    assert [d.event.disclosure_id for d in hq.case(other).disclosures] == [disclosure_id]


# --- export ----------------------------------------------------------------------------------


def test_exporting_the_closed_copy_is_refused_and_names_the_mans_case(staffed: Staffed) -> None:
    legal = staffed.legal
    case, other = _decided_same(staffed)

    with pytest.raises(NotPermitted) as refused:
        legal.export(case, "legal_proceedings")

    assert str(refused.value) == f"case {case}: closed, registered twice; the man's case is {other}: export {other}"
    assert ("founding-legal-1", "export_identified", "refused", "not_permitted") in _log(legal, case)
    assert ("founding-legal-1", "export_identified", "allowed", None) not in _log(legal, case)
    assert legal.export(other, "legal_proceedings")["case_id"] == other


def test_the_closed_copy_is_left_off_the_central_agency_list(staffed: Staffed) -> None:
    hq, field, legal = staffed.hq, staffed.field, staffed.legal
    him = person(service_number="TEST-0999", nationality="RUS")  # no real risk at home: his notices are listed
    at_hq = hq.register(him, "hq-registrar")
    case = field.register(him, "field-registrar")
    field.record(case, captured(date(2025, 11, 18)), "field-registrar")  # an Art 122 notice, on the copy
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    decide_duplicate(hq, case, at_hq, "same", "Same man.", HQ_LEGAL)  # the capture is carried onto his case

    listing = legal.cta_list(date(2025, 11, 1))  # refusing the copy must not stop the list for everyone

    listed = [row[0] for row in listing.table.rows]
    assert at_hq in listed and case not in listed  # on the list once, under his case
    assert hq.case(case).disclosures == []
