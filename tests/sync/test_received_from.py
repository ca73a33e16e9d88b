"""Which office sent a row. Rows travel byte for byte and their hash covers the author name the
writing store gave them, so one insider at a field office (who holds its database, master key and
signing key) can write a fact under a headquarters officer's name. Headquarters cannot refuse it
(the name is just text to it), but it records which office's bundle brought each row and shows
that beside the author wherever a person reads who wrote an event: the record no longer lets the
field pass its fact off as headquarters' own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import Backend
from tests.factories import interview
from tests.sync.conftest import Offices, snapshot

from powcase.access.accounts import Accounts
from powcase.app import sync
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER
from powcase.domain.events import RiskAssessed
from powcase.store.tables import metadata
from powcase.sync.tables import sync_received

FORGED = RiskAssessed(occurred_on=date(2025, 11, 20), destination="PRK", conclusion="no_real_risk",
                      reasoning="Invented for the test.", assessor="Legal officer 1")


def _legal_officer(pw: Powcase) -> Office:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    return Office(pw, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))


def _authors(office: Office, case_id: str) -> list[tuple[int, str, str | None]]:
    return [(r.seq, r.actor, r.received_from) for r in office.history(case_id)[0]]


def _forge_at_the_field(field: Powcase) -> int:
    """The insider writes below the use cases, straight into his laptop's store, under the name of
    an officer at headquarters: the bundle he then exports is genuine in every byte."""
    with field.store.begin() as tx:
        seq = tx.rows(FIRST_SOLDIER)[-1].seq + 1
        tx.append(FIRST_SOLDIER, seq - 1, [FORGED], "hq-legal-1", datetime.now(UTC))
    return seq


def test_a_fact_written_at_the_field_under_a_headquarters_name_says_it_came_from_the_field(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    forged = _forge_at_the_field(field)
    data, _ = sync.export(field, "HQ")
    assert sync.import_bundle(hq, data).events == 1
    own = hq.record(FIRST_SOLDIER, interview(date(2025, 11, 21)), "hq-interviewer").seq

    authors = _authors(_legal_officer(hq), FIRST_SOLDIER)
    assert (forged, "hq-legal-1", "CAMP-NORTH") in authors
    assert (own, "hq-interviewer", None) in authors  # what headquarters wrote itself says nothing of the kind
    # The demo soldier's rows were imported at headquarters: its own, no sender.
    assert all(sender is None for seq, _, sender in authors if seq != forged)

    before = snapshot(hq)
    assert sync.import_bundle(hq, data).already
    assert snapshot(hq) == before  # the same bundle twice adds nothing
    with hq.store.begin() as tx:
        assert tx.conn.execute(select(func.count()).select_from(sync_received)).scalar_one() == 1
    assert hq.verify() == []  # `audit verify`: the chain is untouched by the record beside it


def test_the_field_shows_what_headquarters_sent_as_received_from_headquarters(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    enrolment = len(field.history(FIRST_SOLDIER))
    from_hq = hq.record(FIRST_SOLDIER, interview(date(2025, 11, 21)), "hq-interviewer").seq
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    own = field.record(FIRST_SOLDIER, interview(date(2025, 11, 22)), "field-interviewer").seq

    authors = _authors(_legal_officer(field), FIRST_SOLDIER)
    # The rows of the enrolment package and of the bundle: from headquarters, under their own authors.
    assert [sender for seq, _, sender in authors if seq <= enrolment] == ["HQ"] * enrolment
    assert (from_hq, "hq-interviewer", "HQ") in authors
    assert (own, "field-interviewer", None) in authors
    assert field.verify() == []
    # Back at headquarters, the field's interview is the field's; headquarters' own rows stay its own.
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    at_hq = _authors(_legal_officer(hq), FIRST_SOLDIER)
    assert [(seq, sender) for seq, _, sender in at_hq if sender] == [(own, "CAMP-NORTH")]


def test_an_adopted_resolved_line_is_received_from_headquarters(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    hq.record(FIRST_SOLDIER, FORGED, "hq-legal")
    assert sync.import_bundle(hq, sync.export(field, "HQ")[0]).conflicts == [FIRST_SOLDIER]
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both lines hold.", "hq-legal")
    # Headquarters wrote the resolution and the carried interview itself (named with the field's office).
    assert all(sender is None for *_, sender in _authors(_legal_officer(hq), FIRST_SOLDIER))
    assert sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0]).adopted == [FIRST_SOLDIER]
    authors = _authors(_legal_officer(field), FIRST_SOLDIER)
    # Every row of the line the field adopted came in headquarters' bundle, the carried interview too.
    assert all(sender == "HQ" for *_, sender in authors)
    assert authors[-1][1] == "field-interviewer@CAMP-NORTH"
    assert field.verify() == []


def test_the_migration_creates_the_table_as_declared(backend: Backend) -> None:
    with backend.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "sync_received" in repr(d)] == []
    with backend.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sync_received)).scalar_one() == 0
