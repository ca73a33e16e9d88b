"""The access log: hash-chained, anchored, append-only; refusals stay although the action rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Connection, delete, text, update
from sqlalchemy.exc import DBAPIError
from tests.conftest import Backend, FixedClock
from tests.factories import person

from powcase.access import audit
from powcase.access.gate import AccessGate
from powcase.access.permissions import AccessRefused, Role, User
from powcase.access.tables import access_log, access_log_head
from powcase.app.service import Powcase
from powcase.errors import InvalidInput
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore

REG = User(1, "reg-a", frozenset({Role.REGISTRAR}))
AUDITOR = User(2, "aud-a", frozenset({Role.AUDITOR}))


@contextmanager
def _as_attacker(backend: Backend) -> Iterator[Connection]:
    """A connection that bypasses the append-only triggers, as someone with full database rights can."""
    with backend.engine.begin() as conn:
        if backend.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS access_log_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS access_log_no_delete"))
        yield conn


def _fill(gate: AccessGate, backend: Backend, clock: FixedClock, n: int = 4) -> None:
    for i in range(n):
        clock.moment += timedelta(minutes=1)
        with backend.engine.begin() as conn:
            gate.record(conn, REG, "show_identity", f"PW-TEST000{i}", purpose="casework")


def _verify(backend: Backend, key: MasterKey) -> list[str]:
    with backend.engine.begin() as conn:
        return audit.verify_audit(conn, key)


def test_records_chain_and_verify(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    assert _verify(backend, master_key) == []
    _fill(gate, backend, clock)
    assert _verify(backend, master_key) == []
    with backend.engine.begin() as conn:
        records = audit.show(conn)
    assert [r.seq for r in records] == [1, 2, 3, 4]
    assert records[0].fields == ("identity",)  # the permission table's `reads`, by default
    assert records[0].as_dict()["purpose"] == "casework"


def test_a_refusal_is_logged_although_the_action_rolls_back(
    backend: Backend, gate: AccessGate, master_key: MasterKey, clock: FixedClock
) -> None:
    pw = Powcase(EventStore(backend.engine, master_key), clock)
    case_id = pw.register(person(), "reg-a")
    with pytest.raises(AccessRefused):
        gate.check(AUDITOR, "show_identity", case_id, purpose="oversight")
    with backend.engine.begin() as conn:
        (record,) = audit.show(conn)
    assert (record.actor, record.action, record.case_id, record.outcome, record.reason) == (
        "aud-a", "show_identity", case_id, "refused", "role"
    )


def test_an_allowed_record_falls_with_its_action(backend: Backend, gate: AccessGate, master_key: MasterKey) -> None:
    gate.check(REG, "history", "PW-TEST0001")

    def action_that_fails() -> None:
        with backend.engine.begin() as conn:
            gate.record(conn, REG, "history", "PW-TEST0001")
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        action_that_fails()
    with backend.engine.begin() as conn:
        assert audit.show(conn) == []


def test_a_disclosure_without_purpose_is_refused_and_logged(backend: Backend, gate: AccessGate) -> None:
    legal = User(3, "legal-a", frozenset({Role.LEGAL_OFFICER}))
    with pytest.raises(AccessRefused, match="needs a purpose"):
        gate.check(legal, "disclose", "PW-TEST0001", purpose_required=True)
    with backend.engine.begin() as conn:
        (record,) = audit.show(conn)
    assert (record.outcome, record.reason) == ("refused", "no_purpose")


def test_records_refuse_free_text(backend: Backend, master_key: MasterKey, clock: FixedClock) -> None:
    with backend.engine.begin() as conn:
        for bad in (
            {"fields": ["Han Byol Chan"]},
            {"purpose": "moving him to Seoul next week"},
            {"outcome": "refused", "reason": "he said he wants to defect"},
            {"action": "gossip"},
        ):
            kwargs = {"actor": "reg-a", "action": "history", **bad}
            with pytest.raises(InvalidInput):
                audit.record_access(conn, master_key, at=clock(), **kwargs)  # type: ignore[arg-type]


def test_the_log_is_append_only_in_sql(backend: Backend, gate: AccessGate, clock: FixedClock) -> None:
    _fill(gate, backend, clock, 1)
    with pytest.raises(DBAPIError), backend.engine.begin() as conn:
        conn.execute(update(access_log).values(actor="someone-else"))
    with pytest.raises(DBAPIError), backend.engine.begin() as conn:
        conn.execute(delete(access_log))


def test_an_altered_record_shows(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    _fill(gate, backend, clock)
    with _as_attacker(backend) as conn:
        conn.execute(update(access_log).where(access_log.c.seq == 2).values(actor="someone-else"))
    assert _verify(backend, master_key) == ["access log record 2: its content does not match its hash (altered)"]


def test_reordered_records_show(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    _fill(gate, backend, clock)
    with _as_attacker(backend) as conn:
        conn.execute(update(access_log).where(access_log.c.seq == 2).values(seq=-2))
        conn.execute(update(access_log).where(access_log.c.seq == 3).values(seq=2))
        conn.execute(update(access_log).where(access_log.c.seq == -2).values(seq=3))
    problems = _verify(backend, master_key)
    assert any(p.startswith("access log record 2:") for p in problems)
    assert any(p.startswith("access log record 3:") for p in problems)


def test_a_removed_record_shows(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    _fill(gate, backend, clock)
    with _as_attacker(backend) as conn:
        conn.execute(delete(access_log).where(access_log.c.seq == 2))
    assert _verify(backend, master_key) == ["access log record 2: missing; the chain jumps from 1 to 3"]


def test_cutting_the_last_records_shows(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    _fill(gate, backend, clock)
    with _as_attacker(backend) as conn:
        conn.execute(delete(access_log).where(access_log.c.seq >= 3))
    assert _verify(backend, master_key) == ["access log: the chain ends at record 2 but 4 were recorded (removed)"]
    # Moving the head back too needs the master key for its MAC.
    with _as_attacker(backend) as conn:
        conn.execute(update(access_log_head).values(last_seq=2))
    assert _verify(backend, master_key) == ["access log: its head was tampered with (or the master key is not this store's)"]


def test_removing_the_head_shows(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    _fill(gate, backend, clock)
    with _as_attacker(backend) as conn:
        conn.execute(delete(access_log_head))
    assert _verify(backend, master_key) == ["access log: records exist but its head is missing (removed outside powcase)"]


def test_show_filters(backend: Backend, gate: AccessGate, clock: FixedClock) -> None:
    start = clock()
    _fill(gate, backend, clock)
    with pytest.raises(AccessRefused):
        gate.check(AUDITOR, "history", "PW-TEST0001")
    with backend.engine.begin() as conn:
        assert [r.seq for r in audit.show(conn, user="aud-a")] == [5]
        assert [r.seq for r in audit.show(conn, case_id="PW-TEST0001")] == [2, 5]
        since = start + timedelta(minutes=2)
        assert [r.seq for r in audit.show(conn, since=since, until=since + timedelta(minutes=2))] == [2, 3]


def test_concurrent_writers_make_one_chain(backend: Backend, gate: AccessGate, clock: FixedClock, master_key: MasterKey) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _fill(gate, backend, clock, 1)

    def write(i: int) -> None:
        with backend.engine.begin() as conn:
            gate.record(conn, REG, "history", f"PW-TEST{i:04d}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(20)))
    assert _verify(backend, master_key) == []
    with backend.engine.begin() as conn:
        assert [r.seq for r in audit.show(conn)] == list(range(1, 22))


def test_the_log_holds_no_name_and_no_statement(
    backend: Backend, gate: AccessGate, master_key: MasterKey, clock: FixedClock
) -> None:
    pw = Powcase(EventStore(backend.engine, master_key), clock)
    case_id = pw.register(person(), "reg-a")
    gate.check(REG, "show_identity", case_id, purpose="casework")
    with backend.engine.begin() as conn:
        gate.record(conn, REG, "show_identity", case_id, purpose="casework")
    with pytest.raises(AccessRefused):
        gate.check(AUDITOR, "show_statements", case_id)
    with backend.engine.begin() as conn:
        dump = repr([tuple(r) for r in conn.execute(access_log.select())])
    for secret in ("Han", "한", "Byol", "TEST-0001", "1999-07-23", "생각해"):
        assert secret not in dump
    assert case_id in dump
