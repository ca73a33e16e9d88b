"""Every bundle that must not be applied is refused with one line naming the problem, and the
receiving store is exactly as before."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from tests.factories import interview
from tests.sync.conftest import Offices, snapshot

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.store import codec
from powcase.sync import bundle
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import FIELD
from powcase.sync.state import own_identity
from powcase.sync.tables import sync_shared


def _field_bundle(offices: Offices) -> bytes:
    offices.field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    data, _ = sync.export(offices.field, "HQ")
    return data


def refused(pw: Powcase, data: bytes, match: str) -> None:
    before = snapshot(pw)
    with pytest.raises(BundleRefused, match=match) as caught:
        sync.import_bundle(pw, data)
    assert "\n" not in str(caught.value)
    assert snapshot(pw) == before


def _edit(data: bytes, change: Callable[[dict[str, object]], None]) -> bytes:
    envelope = json.loads(data)
    change(envelope)
    return json.dumps(envelope).encode()


def test_a_truncated_bundle_is_refused(enrolled: Offices) -> None:
    data = _field_bundle(enrolled)
    refused(enrolled.hq, data[: len(data) // 2], "truncated")


def test_a_bundle_with_one_byte_changed_is_refused(enrolled: Offices) -> None:
    data = _field_bundle(enrolled)

    def flip(envelope: dict[str, object]) -> None:
        body = bytearray(bundle.unb64(envelope["ciphertext"]))
        body[40] ^= 1
        envelope["ciphertext"] = bundle.b64(bytes(body))

    refused(enrolled.hq, _edit(data, flip), "signature does not verify")


def test_a_bundle_for_another_office_is_refused(enrolled: Offices) -> None:
    data = _field_bundle(enrolled)
    refused(enrolled.hq, _edit(data, lambda e: e.update(to="HQ-SOUTH")), "made for office HQ-SOUTH")
    # and the field office does not take a bundle made for headquarters
    refused(enrolled.field, data, "made for office HQ, not for this office \\(CAMP-NORTH\\)")


def test_a_bundle_from_an_office_never_enrolled_is_refused(enrolled: Offices) -> None:
    data = _field_bundle(enrolled)
    refused(enrolled.hq, _edit(data, lambda e: e.update({"from": "CAMP-SOUTH"})), "no such office is enrolled here")


def test_a_bundle_from_a_revoked_office_is_refused(enrolled: Offices) -> None:
    data = _field_bundle(enrolled)
    sync.revoke(enrolled.hq, "CAMP-NORTH")
    refused(enrolled.hq, data, "CAMP-NORTH: that office's enrolment was revoked")


def test_an_older_bundle_after_a_newer_one_is_refused_as_a_replay(enrolled: Offices) -> None:
    first = _field_bundle(enrolled)
    second = _field_bundle(enrolled)
    sync.import_bundle(enrolled.hq, second)
    refused(enrolled.hq, first, "bundle 1 from CAMP-NORTH: replayed or out of order")


def test_a_signed_bundle_whose_chain_does_not_verify_is_refused(enrolled: Offices) -> None:
    """The field office itself (or whoever holds its keys) signs rows whose hashes are wrong."""
    field = enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    with field.store.begin() as tx:
        me = own_identity(tx.conn, field.store.master_key)
        rows = tx.rows(FIRST_SOLDIER)
        assert me is not None and me.role == FIELD
    last = rows[-1]._replace(actor="someone else")  # altered after it was hashed
    payload = {"from": me.name, "to": "HQ", "manifest": {FIRST_SOLDIER: [last.seq, last.hash]},
               "cases": {FIRST_SOLDIER: {"rows": [[last.seq, last.type, last.occurred_on.isoformat(), last.recorded_at,
                                                   last.actor, last.clear, bundle.b64(last.sealed) if last.sealed else None,
                                                   last.prev_hash, last.hash]]}}}
    hq = enrolled.hq
    hq_identity = sync.own_identity_or_none(hq)
    assert hq_identity is not None
    data = bundle.seal(me, "HQ", hq_identity.agreement_public, sync.SYNC, 5, payload)
    refused(hq, data, f"case {FIRST_SOLDIER} event {last.seq}: its content does not match its hash")
    assert codec.hash_of(rows[-1]) == rows[-1].hash


def test_an_enrolment_package_from_someone_else_is_refused_at_the_field(offices: Offices) -> None:
    """Anyone can make a package that names his own keys; the fingerprint read out by
    headquarters is what tells the field office it came from headquarters."""
    offices.hq.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    identity = sync.make_identity(offices.field, "CAMP-NORTH", FIELD)
    package, _, _ = sync.enrol(offices.hq, sync.enrolment_request(identity), [FIRST_SOLDIER])
    before = snapshot(offices.field)
    with pytest.raises(BundleRefused, match="not the one headquarters read out; not joined"):
        sync.join(offices.field, package, "0000-0000-0000-0000-0000-0000", "field-admin")
    assert snapshot(offices.field) == before


def test_a_field_office_cannot_reach_a_case_it_was_not_enrolled_with(enrolled: Offices) -> None:
    """Its keys in other hands: rows for another case are refused, and naming that case's head in
    the manifest does not make headquarters send it."""
    other = the_two_soldiers()[1]["case_id"]
    hq, field = enrolled.hq, enrolled.field
    with hq.store.begin() as tx:
        rows = tx.rows(other)
    with field.store.begin() as tx:
        me = own_identity(tx.conn, field.store.master_key)
    hq_identity = sync.own_identity_or_none(hq)
    assert me is not None and hq_identity is not None
    head = [rows[-1].seq, rows[-1].hash]
    forged = rows[-1]._replace(seq=rows[-1].seq + 1, prev_hash=rows[-1].hash, type="custody_moved", sealed=None,
                               clear='{}', hash="")
    forged = forged._replace(hash=codec.hash_of(forged))
    item = [forged.seq, forged.type, forged.occurred_on.isoformat(), forged.recorded_at, forged.actor, forged.clear, None,
            forged.prev_hash, forged.hash]
    payload = {"from": me.name, "to": "HQ", "manifest": {other: [forged.seq, forged.hash]}, "cases": {other: {"rows": [item]}}}
    refused(hq, bundle.seal(me, "HQ", hq_identity.agreement_public, sync.SYNC, 7, payload), f"case {other} was not enrolled")
    only_manifest = {"from": me.name, "to": "HQ", "manifest": {other: head}, "cases": {}}
    sync.import_bundle(hq, bundle.seal(me, "HQ", hq_identity.agreement_public, sync.SYNC, 8, only_manifest))
    with hq.store.begin() as tx:
        given = set(tx.conn.execute(select(sync_shared.c.case_id).where(sync_shared.c.peer == "CAMP-NORTH")).scalars())
    assert given == {FIRST_SOLDIER}
