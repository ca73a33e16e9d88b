"""Master key rotation: every case opens with the new key only; chains, anchors and lookups hold."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from tests.conftest import Backend, FixedClock
from tests.factories import captured, interview, person

from powcase.access import audit
from powcase.access.keys import rotate_master_key
from powcase.app.service import Powcase
from powcase.domain.events import Corrected
from powcase.errors import IntegrityFailure, InvalidInput, KeyUnavailable
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore
from powcase.store.tables import case_keys, chain_heads, events


def _store(backend: Backend, key: MasterKey, clock: FixedClock) -> Powcase:
    return Powcase(EventStore(backend.engine, key), clock)


def _fill(pw: Powcase, backend: Backend, key: MasterKey, clock: FixedClock) -> list[str]:
    ids = [pw.register(person(service_number=f"TEST-00{i}"), "reg-a") for i in range(3)]
    pw.record(ids[0], captured(), "reg-a")
    pw.record(ids[0], interview(date(2025, 2, 1)), "int-a")
    # A service number corrected after registration: the digest must follow the correction.
    pw.record(ids[1], _correction(), "reg-a")
    pw.erase(ids[2], "retention period ended", "admin-a")
    with backend.engine.begin() as conn:
        audit.record_access(conn, key, at=clock(), actor="reg-a", action="history", case_id=ids[0])
    return ids


def _correction() -> Corrected:
    return Corrected(occurred_on=date(2025, 2, 2), corrects_seq=1, changes={"service_number": "TEST-099"}, reason="typo")


def _rows(backend: Backend) -> list[tuple[object, ...]]:
    with backend.engine.begin() as conn:
        return [tuple(r) for r in conn.execute(select(events).order_by(events.c.id))]


def test_rotation_rewraps_keys_and_keeps_history(backend: Backend, master_key: MasterKey, clock: FixedClock) -> None:
    old_pw = _store(backend, master_key, clock)
    ids = _fill(old_pw, backend, master_key, clock)
    before = _rows(backend)
    histories = {cid: old_pw.history(cid) for cid in ids}
    new_key = MasterKey.generate()

    assert rotate_master_key(backend.engine, master_key, new_key) == 2  # the erased case has no key left

    assert _rows(backend) == before  # no event row changes, so every hash stays
    new_pw = _store(backend, new_key, clock)
    for cid in ids:
        assert new_pw.history(cid) == histories[cid]
    assert new_pw.verify() == []
    assert new_pw.find_service_number("RUS", "TEST-000") == ids[0]
    assert new_pw.find_service_number("RUS", "TEST-099") == ids[1]
    assert new_pw.find_service_number("RUS", "TEST-001") is None  # corrected away
    with backend.engine.begin() as conn:
        assert set(conn.execute(select(case_keys.c.master_key_id)).scalars()) == {new_key.key_id}
        assert audit.verify_audit(conn, new_key) == []
        assert audit.verify_audit(conn, master_key) != []

    stale = _store(backend, master_key, clock)
    with pytest.raises(KeyUnavailable, match="does not open with this master key"):
        stale.history(ids[0])
    assert stale.verify() != []  # the anchors now carry MACs under the new key
    # The store keeps working under the new key.
    new_pw.record(ids[0], interview(date(2025, 3, 1)), "int-a")
    new_pw.register(person(service_number="TEST-777"), "reg-a")
    assert new_pw.verify() == []


def test_a_wrong_old_key_changes_nothing(backend: Backend, master_key: MasterKey, clock: FixedClock) -> None:
    pw = _store(backend, master_key, clock)
    case_id = pw.register(person(), "reg-a")
    with pytest.raises(KeyUnavailable):
        rotate_master_key(backend.engine, MasterKey.generate(), MasterKey.generate())
    assert _store(backend, master_key, clock).history(case_id)


def test_rotation_refuses_to_launder_a_forged_anchor(backend: Backend, master_key: MasterKey, clock: FixedClock) -> None:
    pw = _store(backend, master_key, clock)
    case_id = pw.register(person(), "reg-a")
    pw.record(case_id, captured(), "reg-a")
    with backend.engine.begin() as conn:
        conn.execute(update(chain_heads).values(last_seq=1))
    new_key = MasterKey.generate()
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: its chain head does not verify"):
        rotate_master_key(backend.engine, master_key, new_key)
    # Rolled back: still the old key's store, with the forgery still visible.
    fresh = _store(backend, master_key, clock)
    with pytest.raises(IntegrityFailure, match="its chain head was tampered with"):
        fresh.history(case_id)  # reads refuse a forged head too
    assert fresh.verify() != []


def test_rotating_to_the_same_key_is_refused(backend: Backend, master_key: MasterKey) -> None:
    with pytest.raises(InvalidInput, match="same key"):
        rotate_master_key(backend.engine, master_key, MasterKey(master_key.material))
