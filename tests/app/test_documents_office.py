"""Printing a document is an audited read: allowed and logged for those who may read what it
carries, refused and logged for the others, refused with the missing facts when the case lacks them."""

from __future__ import annotations

from datetime import date

import pytest
from tests.access.helpers import FAST_HASHER, PASSWORD

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused
from powcase.access.tables import access_log
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.documents import DocumentKind, MissingFacts
from powcase.domain.casefile import parse_casefiles

AS_OF = date(2025, 11, 30)


@pytest.fixture
def offices(pw: Powcase) -> dict[str, Office]:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    made = {
        role: Office(pw, accounts, accounts.add_user(f"{role}-1", PASSWORD, [role], by=admin))
        for role in ("registrar", "auditor")
    }
    made["registrar"].import_casefiles(parse_casefiles({"cases": the_two_soldiers()}))
    return made


def _log(office: Office) -> list[tuple[str, str, str | None, str, str | None]]:
    with office.pw.store.engine.begin() as conn:
        rows = conn.execute(access_log.select().order_by(access_log.c.seq)).all()
    return [(r.actor, r.action, r.case_id, r.outcome, r.reason) for r in rows]


def test_printing_is_an_audited_read_refused_to_those_who_may_not_read_it(offices: dict[str, Office]) -> None:
    registrar, auditor = offices["registrar"], offices["auditor"]
    pdf = registrar.document(DocumentKind.CAPTURE_CARD, FIRST_SOLDIER, None, AS_OF)
    assert pdf.startswith(b"%PDF")
    assert ("registrar-1", "print_document", FIRST_SOLDIER, "allowed", None) in _log(registrar)
    with pytest.raises(AccessRefused):
        auditor.document(DocumentKind.CAPTURE_CARD, FIRST_SOLDIER, None, AS_OF)
    # The registrar reads identity but not his words: no interview record.
    with pytest.raises(AccessRefused, match="show_statements"):
        registrar.document(DocumentKind.INTERVIEW_RECORD, FIRST_SOLDIER, None, AS_OF)
    log = _log(registrar)
    assert ("auditor-1", "print_document", FIRST_SOLDIER, "refused", "role") in log
    assert ("registrar-1", "show_statements", FIRST_SOLDIER, "refused", "role") in log


def test_a_case_lacking_facts_is_refused_with_the_list(offices: dict[str, Office]) -> None:
    registrar = offices["registrar"]
    before = _log(registrar)
    with pytest.raises(MissingFacts, match="his death"):
        registrar.document(DocumentKind.DEATH_NOTIFICATION, SECOND_SOLDIER, None, AS_OF)
    with pytest.raises(MissingFacts, match="a place of internment"):
        registrar.document(DocumentKind.CAPTURE_CARD, SECOND_SOLDIER, None, date(2025, 1, 9))
    assert [row for row in _log(registrar) if row[1] == "print_document"] == [r for r in before if r[1] == "print_document"]
