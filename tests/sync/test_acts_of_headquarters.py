"""An override of a bar and an erasure (each by two of headquarters' own accounts), a resolution of a
conflict and a decision on a man registered twice (by a legal officer there) are made at
headquarters: a field office's laptop is in one person's hands (its database, master key and
signing key), so none is made there, and one forged there and signed with the office's real key is
refused at headquarters. (The attack: one insider at a field office sends a man home over his
refusal through an override he wrote alone, destroys headquarters' copy of a man's record with an
erasure, ends a conflict that stops a transfer, or closes the man's own case as a duplicate.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.sync.conftest import Offices, chain, snapshot

from powcase.app import sync
from powcase.demo import FIRST_SOLDIER
from powcase.domain.events import ConflictResolved, DuplicateDecided, Erased, Event, OverrideGranted
from powcase.errors import NotPermitted
from powcase.sync.errors import BundleRefused

OVERRIDE = OverrideGranted(occurred_on=date(2025, 11, 20), disposition="D2", reason="Invented for the test.",
                           approvers=["field-legal-1", "field-legal-2"])


def test_a_field_office_neither_overrides_nor_erases(enrolled: Offices) -> None:
    field = enrolled.field
    before = chain(field, FIRST_SOLDIER)
    with pytest.raises(NotPermitted, match="an override is made at headquarters"):
        field.record(FIRST_SOLDIER, OVERRIDE, "field-legal-1")
    with pytest.raises(NotPermitted, match="an erasure is made at headquarters"):
        field.erase(FIRST_SOLDIER, "asked by nobody", "field-admin + field-legal")
    assert chain(field, FIRST_SOLDIER) == before
    assert field.history(FIRST_SOLDIER)[0].event is not None  # his key is still there


FORGED = {
    "override": OVERRIDE,
    "erasure": Erased(occurred_on=date(2025, 11, 20), reason="forged"),
    "resolution": ConflictResolved(occurred_on=date(2025, 11, 20), office="HQ", fork_seq=1, our_head="0" * 64, their_head="1" * 64,
                                   carried=0, reason="forged"),
    "duplicate": DuplicateDecided(occurred_on=date(2025, 11, 20), other_case_id="PW-TEST-0002", decision="same", reason="forged"),
}


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
def test_one_forged_at_a_field_office_is_refused_at_headquarters(enrolled: Offices, forged: Event) -> None:
    hq, field = enrolled.hq, enrolled.field
    # The insider writes below the use cases, straight into his laptop's store, and signs the
    # bundle with the office's own key: everything about the bundle is genuine but its content.
    with field.store.begin() as tx:
        tx.append(FIRST_SOLDIER, tx.rows(FIRST_SOLDIER)[-1].seq, [forged], "field-insider", datetime.now(UTC))
    data, _ = sync.export(field, "HQ")
    before = snapshot(hq)
    with pytest.raises(BundleRefused, match=rf"case {FIRST_SOLDIER} event \d+ is an? [a-z ]+, which only headquarters makes"):
        sync.import_bundle(hq, data)
    assert snapshot(hq) == before
    assert hq.history(FIRST_SOLDIER)[0].event is not None


def test_an_erasure_made_at_headquarters_still_reaches_the_field_and_comes_back_as_it_went(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    hq.erase(FIRST_SOLDIER, "retention period over", "admin + legal")
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    # The field's next bundle may name the erasure among its heads: headquarters holds it already.
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
