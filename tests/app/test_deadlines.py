"""The register's duties on time through the office: names only to roles that read identity,
every listing in the access log, and the deadlines the demo misses on purpose."""

from __future__ import annotations

from datetime import date

import pytest
from tests.access.helpers import FAST_HASHER, PASSWORD

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused
from powcase.access.tables import access_log
from powcase.app.deadlines import summary
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles

AS_OF = date(2025, 11, 30)


@pytest.fixture
def offices(pw: Powcase) -> dict[str, Office]:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    made = {
        role: Office(pw, accounts, accounts.add_user(f"{role}-1", PASSWORD, [role], by=admin))
        for role in ("registrar", "legal_officer", "auditor", "interviewer")
    }
    made["registrar"].import_casefiles(parse_casefiles({"cases": the_two_soldiers()}))
    return made


def test_the_two_soldiers_missed_deadlines(offices: dict[str, Office]) -> None:
    rows = offices["legal_officer"].deadlines(AS_OF)
    overdue = {(r.duty.case_id, r.duty.duty, r.duty.due_on) for r in rows if r.duty.status.value == "overdue"}
    # Wounded and taken to hospital first: neither admission to hospital was notified, and the
    # second soldier was never enabled to write a capture card.
    assert overdue == {
        (FIRST_SOLDIER, "notice_hospital", date(2025, 1, 17)),
        (SECOND_SOLDIER, "notice_hospital", date(2025, 1, 17)),
        (SECOND_SOLDIER, "capture_card", date(2025, 1, 17)),
        (SECOND_SOLDIER, "capture_card", date(2025, 2, 6)),
    }
    first_card = [r.duty for r in rows if r.duty.case_id == FIRST_SOLDIER and r.duty.duty == "capture_card"]
    assert [(d.status.value, d.done_on) for d in first_card] == [("done", date(2025, 1, 28)), ("done", date(2025, 1, 28))]
    assert "late by 11 days" in first_card[0].detail
    assert rows[0].name == "박 은철 / Pak Un Chol"
    table = summary(rows)
    assert next(iter(table)) == "capture_card" and table["capture_card"]["overdue"] == 2


def test_pseudonymised_for_the_auditor_and_every_listing_logged(offices: dict[str, Office]) -> None:
    rows = offices["auditor"].deadlines(AS_OF)
    assert rows and all(r.name is None and "name" not in r.as_dict() for r in rows)
    assert all(r.name for r in offices["registrar"].deadlines(AS_OF, SECOND_SOLDIER))
    with pytest.raises(AccessRefused, match="may not deadlines"):
        offices["interviewer"].deadlines(AS_OF)
    with offices["auditor"].pw.store.engine.begin() as conn:
        log = [(r.actor, r.action, r.case_id, r.outcome) for r in conn.execute(access_log.select().order_by(access_log.c.seq))]
    assert ("auditor-1", "deadlines", None, "allowed") in log
    assert ("registrar-1", "deadlines", SECOND_SOLDIER, "allowed") in log
    assert ("interviewer-1", "deadlines", None, "refused") in log
