"""An override of a bar and an erasure are made at headquarters by two of its own accounts: a field
office's laptop is in one person's hands (its database, master key and signing key), so neither is
made there, and one forged there and signed with the office's real key is refused at headquarters.
(The attack: one insider at a field office sends a man home over his refusal through an override
he wrote alone, or destroys headquarters' copy of a man's record with an erasure.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.sync.conftest import Offices, chain, snapshot

from powcase.app import sync
from powcase.demo import FIRST_SOLDIER
from powcase.domain.events import Erased, OverrideGranted
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


@pytest.mark.parametrize("forged", [OVERRIDE, Erased(occurred_on=date(2025, 11, 20), reason="forged")],
                         ids=["override", "erasure"])
def test_one_forged_at_a_field_office_is_refused_at_headquarters(enrolled: Offices, forged: OverrideGranted | Erased) -> None:
    hq, field = enrolled.hq, enrolled.field
    # The insider writes below the use cases, straight into his laptop's store, and signs the
    # bundle with the office's own key: everything about the bundle is genuine but its content.
    with field.store.begin() as tx:
        tx.append(FIRST_SOLDIER, tx.rows(FIRST_SOLDIER)[-1].seq, [forged], "field-insider", datetime.now(UTC))
    data, _ = sync.export(field, "HQ")
    before = snapshot(hq)
    with pytest.raises(BundleRefused, match=rf"case {FIRST_SOLDIER} event \d+ is an? (override|erasure), which only headquarters makes"):
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
