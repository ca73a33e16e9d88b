"""Every use case through the office, as a named user: authorised by the permission table,
written to the access log, and leaving through the sharing gate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import Backend, FixedClock

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused, User
from powcase.access.sharing import Disclosure
from powcase.access.tables import access_log
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import Notified, OverrideGranted
from powcase.domain.values import Disposition
from powcase.errors import InvalidInput, NotPermitted

MakeOffice = Callable[..., Office]
OWN_PASSWORD = "a passphrase of my own"


@pytest.fixture
def office_for(pw: Powcase) -> MakeOffice:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    made: dict[str, User] = {"admin-1": admin}

    def make(name: str, *roles: str) -> Office:
        if name not in made:
            made[name] = accounts.add_user(name, PASSWORD, roles, by=admin)
        return Office(pw, accounts, made[name])

    registrar = make("registrar-1", "registrar")
    # Founded before the first case (confirmed by their founding, vouched for by admin-1 for the
    # confirmation window): the two-person tests move the clock past it.
    for name in ("founding-legal-1", "founding-legal-2"):
        make(name, "legal_officer")
        accounts.change_own_password(name, PASSWORD, OWN_PASSWORD)  # the owner's own, not admin-1's
    registrar.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}))
    return make


def _log(office: Office, case_id: str | None = None) -> list[tuple[str, str, str | None, str, str | None]]:
    with office.pw.store.engine.begin() as conn:
        rows = conn.execute(access_log.select().order_by(access_log.c.seq)).all()
    return [(r.actor, r.action, r.case_id, r.outcome, r.reason) for r in rows if case_id is None or r.case_id == case_id]


def test_lists_are_pseudonymised(office_for: MakeOffice) -> None:
    rows = office_for("legal-1", "legal_officer").list_cases(nationality="PRK")
    assert [r["case_id"] for r in rows] == [FIRST_SOLDIER, SECOND_SOLDIER]
    assert set(rows[0]) <= {"case_id", "nationality", "status", "status_since", "registered_on", "captured_on", "last_occurred_on"}


def test_registrar_reads_identity_but_not_statements(office_for: MakeOffice) -> None:
    case, statements = office_for("registrar-1").case(FIRST_SOLDIER)
    assert case.identity is not None and statements is False
    case, statements = office_for("interviewer-1", "interviewer").case(FIRST_SOLDIER)
    assert statements is True
    assert ("registrar-1", "show_identity", FIRST_SOLDIER, "allowed", None) in _log(office_for("registrar-1"), FIRST_SOLDIER)


def test_a_refusal_is_logged_and_writes_nothing(office_for: MakeOffice) -> None:
    auditor = office_for("auditor-1", "auditor")
    before = len(auditor.pw.history(FIRST_SOLDIER))
    with pytest.raises(AccessRefused, match="may not show_identity"):
        auditor.case(FIRST_SOLDIER)
    with pytest.raises(AccessRefused, match="may not record_notification"):
        auditor.record(FIRST_SOLDIER, Notified(occurred_on=date(2025, 3, 1), recipient="central_agency", action="sent"))
    assert len(auditor.pw.history(FIRST_SOLDIER)) == before
    log = _log(auditor, FIRST_SOLDIER)
    assert ("auditor-1", "show_identity", FIRST_SOLDIER, "refused", "role") in log


def test_disclosure_to_his_own_state_is_refused_where_notification_was_withheld(office_for: MakeOffice) -> None:
    legal = office_for("legal-1", "legal_officer")
    to_origin = Disclosure(case_ids=[FIRST_SOLDIER], purpose="information_bureau", recipient="Ministry of Defence",
                           recipient_kind="power_of_origin", recipient_state="PRK", legal_basis="GC III Art 122",
                           fields=["family_name", "given_names"])
    before = len(legal.pw.history(FIRST_SOLDIER))
    with pytest.raises(AccessRefused):
        legal.disclose(to_origin)
    assert len(legal.pw.history(FIRST_SOLDIER)) == before
    assert any(entry[1:] == ("disclose", None, "refused", entry[4]) and entry[4] for entry in _log(legal))
    to_icrc = Disclosure(case_ids=[FIRST_SOLDIER, SECOND_SOLDIER], purpose="central_agency", recipient="ICRC Central Tracing Agency",
                         recipient_kind="neutral_intermediary", legal_basis="GC III Art 123", fields=["family_name", "birth_date"])
    disclosure_id, records = legal.disclose(to_icrc)
    assert [r["case_id"] for r in records] == [FIRST_SOLDIER, SECOND_SOLDIER]
    assert set(records[0]) == {"case_id", "family_name", "birth_date"}
    for case_id in (FIRST_SOLDIER, SECOND_SOLDIER):
        disclosed = legal.pw.case(case_id).disclosures
        assert [d.event.disclosure_id for d in disclosed] == [disclosure_id]


def test_erasure_needs_an_administrator_and_a_legal_officer(office_for: MakeOffice, clock: FixedClock) -> None:
    admin, legal = office_for("admin-1"), office_for("founding-legal-1")
    with pytest.raises(AccessRefused):
        admin.erase(SECOND_SOLDIER, "test", admin.user)
    with pytest.raises(AccessRefused):
        office_for("registrar-1").erase(SECOND_SOLDIER, "test", legal.user)
    with pytest.raises(AccessRefused, match="admin-1 founded founding-legal-1 on 2025-12-01; within 30 day"):
        admin.erase(SECOND_SOLDIER, "retention period ended", legal.user)
    clock.moment += timedelta(days=31)
    admin.erase(SECOND_SOLDIER, "retention period ended", legal.user)
    assert admin.pw.case(SECOND_SOLDIER).erased


def test_verify_covers_the_access_log(office_for: MakeOffice, backend: Backend) -> None:
    auditor = office_for("auditor-1", "auditor")
    office_for("legal-1", "legal_officer").case(FIRST_SOLDIER)
    assert auditor.verify() == ([], [])
    # The log refuses edits in the database itself; tampering that gets past the triggers is
    # found by verify (tests/access/test_access_log.py).
    with pytest.raises(DBAPIError, match="append-only"), backend.engine.begin() as conn:
        conn.execute(update(access_log).where(access_log.c.action == "show_identity").values(actor="someone-else"))
    assert auditor.verify() == ([], [])


def test_notifying_his_own_state_is_refused_where_there_is_a_real_risk(office_for: MakeOffice) -> None:
    legal = office_for("legal-1", "legal_officer")
    to_origin = Notified(occurred_on=date(2025, 3, 1), recipient="power_of_origin", action="sent")
    with pytest.raises(NotPermitted, match=f"case {SECOND_SOLDIER}: notification to the power of origin not sent"):
        legal.record(SECOND_SOLDIER, to_origin)
    withheld = Notified(occurred_on=date(2025, 3, 1), recipient="power_of_origin", action="withheld",
                        reason="real risk of persecution on return")
    legal.record(SECOND_SOLDIER, withheld)
    legal.record(SECOND_SOLDIER, Notified(occurred_on=date(2025, 3, 1), recipient="central_agency", action="sent"))
    assert [n.event.action for n in legal.pw.case(SECOND_SOLDIER).notifications][-2:] == ["withheld", "sent"]


def test_export_with_identities_needs_a_purpose(office_for: MakeOffice) -> None:
    legal = office_for("legal-1", "legal_officer")
    with pytest.raises(AccessRefused, match="needs a purpose"):
        legal.export(FIRST_SOLDIER, None)  # type: ignore[arg-type]
    assert legal.export(FIRST_SOLDIER, "casework")["person"]["family_name"]["latin"] == "Pak"


def test_an_override_needs_two_authenticated_people_who_may_record_one(office_for: MakeOffice, clock: FixedClock) -> None:
    clock.moment += timedelta(days=31)  # past the confirmation window of their founding
    legal, other_legal = office_for("founding-legal-1"), office_for("founding-legal-2")
    with pytest.raises(InvalidInput, match="use `powcase override`"):
        legal.record(FIRST_SOLDIER, OverrideGranted(occurred_on=date(2025, 6, 9), disposition="D2", reason="r",
                                                    approvers=["legal-1", "somebody"]))
    with pytest.raises(AccessRefused, match="two different people"):
        legal.grant_override(FIRST_SOLDIER, Disposition.EXCHANGE, "court order", legal.user, date(2025, 6, 9))
    with pytest.raises(AccessRefused, match="may not record_override"):
        legal.grant_override(FIRST_SOLDIER, Disposition.EXCHANGE, "court order", office_for("registrar-1").user, date(2025, 6, 9))
    written = legal.grant_override(FIRST_SOLDIER, Disposition.EXCHANGE, "court order 17/2025", other_legal.user, date(2025, 6, 9))
    granted = legal.pw.case(FIRST_SOLDIER).overrides
    assert [f.seq for f in granted] == [written.seq]
    assert granted[0].event.approvers == ["founding-legal-1", "founding-legal-2"]
