"""Whoever holds only the database cannot rewind a case, cut its last events, forge a linked last
row, launder a tampered head with a new write, or edit the clear summary: the witness outside the
database, and the head MACs, find each of them on every read, decision, write and `audit verify`."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update
from tests.conftest import Backend
from tests.factories import captured, interview, moved, person

from powcase.app.decisions import determine_stored
from powcase.app.service import Powcase
from powcase.domain.events import Exposed
from powcase.errors import IntegrityFailure
from powcase.store import codec
from powcase.store.checkpoint import read_checkpoint, write_checkpoint
from powcase.store.eventstore import EventStore, StoreTransaction
from powcase.store.tables import case_summary, chain_heads, events, store_head

AS_OF = date(2025, 11, 1)


def _case(pw: Powcase) -> str:
    case_id = pw.register(person(), "registrar")
    for ev in (captured(), moved(date(2025, 1, 15)), interview(date(2025, 2, 1), "repatriation")):
        pw.record(case_id, ev, "interviewer")
    return case_id


def _snapshot(backend: Backend, case_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    with backend.engine.begin() as conn:
        head = dict(conn.execute(select(chain_heads).where(chain_heads.c.case_id == case_id)).mappings().one())
        count = dict(conn.execute(select(store_head)).mappings().one())
        summary = dict(conn.execute(select(case_summary).where(case_summary.c.case_id == case_id)).mappings().one())
    return head, count, summary


def _event_count(backend: Backend) -> int:
    with backend.engine.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def _roll_back(backend: Backend, case_id: str, saved: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
    """What a DBA does: cut the events after the saved head and put the saved anchor rows back."""
    head, count, summary = saved
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq > head["last_seq"]))
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(**head))
        conn.execute(update(store_head).values(**count))
        conn.execute(delete(case_summary).where(case_summary.c.case_id == case_id))
        conn.execute(insert(case_summary).values(**summary))


def _refuses(pw: Powcase, case_id: str, problem: str) -> None:
    """Every read and every decision of the case refuses, with one line naming it."""
    for read in (lambda: pw.history(case_id), lambda: pw.case(case_id),
                 lambda: determine_stored(pw.store, case_id, pw.rulebook, AS_OF, None)):
        with pytest.raises(IntegrityFailure, match=problem) as caught:
            read()
        assert str(caught.value).startswith(f"case {case_id}: ") and "\n" not in str(caught.value)


def test_a_rolled_back_case_is_found_by_verify_reads_decisions_and_writes(pw: Powcase, backend: Backend) -> None:
    case_id = _case(pw)
    saved = _snapshot(backend, case_id)
    pw.record(case_id, interview(date(2025, 3, 1), "no_repatriation"), "interviewer")
    pw.record(case_id, interview(date(2025, 3, 20), "no_repatriation"), "interviewer")
    _roll_back(backend, case_id, saved)
    problems = [str(b) for b in pw.verify()]
    assert f"case {case_id}: the database holds 4 event(s) but the witness records 6 (rolled back or removed)" in problems
    _refuses(pw, case_id, r"witness records 6 \(rolled back or removed\)")
    stored = _event_count(backend)
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: .*witness records 6"):
        pw.record(case_id, moved(date(2025, 4, 1)), "registrar")
    assert _event_count(backend) == stored


def test_a_removed_last_event_is_refused_on_read_and_decision(pw: Powcase, backend: Backend) -> None:
    case_id = _case(pw)
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq == 4))
    _refuses(pw, case_id, "the chain ends at event 3 but 4 were recorded")
    assert f"case {case_id} event 4: the chain ends at event 3 but 4 were recorded (removed)" in [str(b) for b in pw.verify()]


def test_a_forged_linked_last_row_is_refused(pw: Powcase, backend: Backend) -> None:
    """A `died` row in clear, correctly linked and hashed (SHA-256 needs no key), with the head
    moved to it: the head's MAC, which needs the key, does not match."""
    case_id = _case(pw)
    with backend.engine.begin() as conn:
        last = codec.Row._make(conn.execute(select(*[events.c[n] for n in codec.Row._fields])
                                            .where(events.c.case_id == case_id, events.c.seq == 4)).one())
        forged = codec.Row(case_id, 5, "died", date(2025, 4, 1), last.recorded_at, "registrar", "{}", None, last.hash, "")
        forged = forged._replace(hash=codec.hash_of(forged))
        conn.execute(insert(events).values(**forged._asdict()))
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(last_seq=5, last_hash=forged.hash))
    _refuses(pw, case_id, "its chain head was tampered with")
    problems = [str(b) for b in pw.verify()]
    assert f"case {case_id}: its chain head was tampered with" in problems
    assert f"case {case_id}: its last event 5 is not the one the witness records (altered, or written outside powcase)" in problems


def test_a_write_never_reseals_a_tampered_head(pw: Powcase, backend: Backend) -> None:
    case_id = _case(pw)
    with backend.engine.begin() as conn:
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(mac="0" * 64))
    stored = _event_count(backend)
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: its chain head was tampered with") as caught:
        pw.record(case_id, Exposed(occurred_on=date(2025, 5, 1), channel="television"), "legal")
    assert "\n" not in str(caught.value)
    assert _event_count(backend) == stored
    # The evidence is still there for the auditor.
    assert f"case {case_id}: its chain head was tampered with" in [str(b) for b in pw.verify()]


def test_an_edited_summary_is_found_and_never_listed(pw: Powcase, backend: Backend) -> None:
    case_id = _case(pw)
    other = pw.register(person(service_number="TEST-0002"), "registrar")
    with backend.engine.begin() as conn:
        conn.execute(update(case_summary).where(case_summary.c.case_id == case_id).values(status="transferred"))
        conn.execute(delete(case_summary).where(case_summary.c.case_id == other))
    problems = [str(b) for b in pw.verify()]
    assert f"case {case_id}: its summary row does not match its events (edited in the database); `powcase rebuild` recomputes it" in problems
    assert f"case {other}: its summary row was removed; `powcase rebuild` recomputes it" in problems
    listed = {s.case_id: s.status for s in pw.list_cases()}
    assert listed == {case_id: "interned", other: "interned"}
    assert [s.case_id for s in pw.list_cases(status="transferred")] == []
    assert case_id in [s.case_id for s in pw.list_cases(status="interned")]
    pw.rebuild()
    assert pw.verify() == []


def test_a_whole_case_removed_is_refused_not_unknown(pw: Powcase, backend: Backend) -> None:
    case_id = _case(pw)
    with backend.engine.begin() as conn:
        for table in (events, chain_heads, case_summary):
            conn.execute(delete(table).where(table.c.case_id == case_id))
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: all its events were removed from the database"):
        pw.history(case_id)
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: all its events were removed"):
        pw.list_cases()


def test_a_crash_between_commit_and_witness_loses_nothing(pw: Powcase, backend: Backend) -> None:
    """Staged, then the database commits, then the process dies before confirming: the write
    stands and is confirmed by the next read. Staged and never committed: the old head stands."""
    case_id = _case(pw)
    with backend.engine.begin() as conn:
        tx = StoreTransaction(pw.store, conn)
        tx.append(case_id, 4, [moved(date(2025, 6, 1))], "registrar", pw.clock())
        tx.stage_witness()
    assert [r.seq for r in pw.history(case_id)] == [1, 2, 3, 4, 5]
    conn = backend.engine.connect()
    trans = conn.begin()
    tx = StoreTransaction(pw.store, conn)
    tx.append(case_id, 5, [moved(date(2025, 6, 2))], "registrar", pw.clock())
    tx.stage_witness()
    trans.rollback()  # the power cut: staged in the witness, never committed
    conn.close()
    assert [r.seq for r in pw.history(case_id)] == [1, 2, 3, 4, 5]
    pw.record(case_id, moved(date(2025, 6, 3)), "registrar")
    assert pw.verify() == []


def test_a_lost_witness_stops_reads_until_rebuilt(pw: Powcase, backend: Backend, tmp_path: Path) -> None:
    case_id = _case(pw)
    assert pw.store.witness is not None
    pw.store.witness.path.unlink()
    with pytest.raises(IntegrityFailure, match=r"the witness .* is missing: restore it from its backup"):
        pw.history(case_id)
    assert any("is missing" in str(b) for b in pw.verify())
    assert pw.init_witness() == 1
    assert pw.verify() == []
    assert len(pw.history(case_id)) == 4


def test_a_checkpoint_finds_a_rollback_of_database_and_witness_together(pw: Powcase, backend: Backend, tmp_path: Path) -> None:
    """Someone who can replace both (backups of each) rewinds them together: only the checkpoint
    given to the neutral intermediary shows it."""
    case_id = _case(pw)
    assert pw.store.witness is not None
    saved = _snapshot(backend, case_id)
    old_witness = tmp_path / "witness.saved"
    shutil.copyfile(pw.store.witness.path, old_witness)
    pw.record(case_id, interview(date(2025, 3, 1), "no_repatriation"), "interviewer")
    published = tmp_path / "checkpoint.json"
    write_checkpoint(published, pw.checkpoint())
    assert published.stat().st_mode & 0o777 == 0o600
    _roll_back(backend, case_id, saved)
    shutil.copyfile(old_witness, pw.store.witness.path)
    assert pw.verify() == []  # consistent: the database and the witness were rewound together
    breaks, sealed = pw.check_against(read_checkpoint(published))
    assert sealed
    problems = [str(b) for b in breaks]
    assert any(p.startswith("store: the witness is older than the checkpoint") for p in problems)
    assert any(p.startswith(f"case {case_id} event 5: is gone: the checkpoint of") for p in problems)


def test_a_checkpoint_of_an_intact_store_holds(pw: Powcase, tmp_path: Path) -> None:
    case_id = _case(pw)
    published = tmp_path / "checkpoint.json"
    write_checkpoint(published, pw.checkpoint())
    pw.record(case_id, moved(date(2025, 7, 1)), "registrar")
    assert pw.check_against(read_checkpoint(published)) == ([], True)
    text = published.read_text(encoding="utf-8").replace('"heads": {\n  "PW', '"heads": {\n  "PX')
    published.write_text(text, encoding="utf-8")
    breaks, _ = pw.check_against(read_checkpoint(published))
    assert [str(b) for b in breaks] == ["store: the checkpoint's heads do not match its root: the file was altered"]


def test_a_store_without_its_witness_entry_refuses_a_planted_case(pw: Powcase, backend: Backend) -> None:
    """A case copied in from another store (rows, key, genuine MACs of that store) is unknown here."""
    case_id = _case(pw)
    bare = Powcase(EventStore(backend.engine, pw.store.master_key), pw.clock)
    planted = bare.register(person(service_number="TEST-0003"), "registrar")
    with pytest.raises(IntegrityFailure, match=f"case {planted}: the witness has no record of it"):
        pw.history(planted)
    assert f"case {planted}: the witness has no record of it (inserted outside powcase)" in [str(b) for b in pw.verify()]
    assert len(pw.history(case_id)) == 4


def test_an_old_entry_put_back_inside_the_witness_is_found_by_verify(pw: Powcase, backend: Backend, tmp_path: Path) -> None:
    """Someone who can write the witness file but lacks the key can only replay its old entries;
    the state row's MAC over the sum of entry MACs shows it."""
    import sqlite3

    case_id = _case(pw)
    other = pw.register(person(service_number="TEST-0002"), "registrar")
    assert pw.store.witness is not None
    saved_db = _snapshot(backend, case_id)
    with sqlite3.connect(pw.store.witness.path) as db:
        old_entry = db.execute("SELECT seq, hash, summary, mac FROM heads WHERE case_id = ?", (case_id,)).fetchone()
    pw.record(case_id, interview(date(2025, 3, 1), "no_repatriation"), "interviewer")
    pw.record(other, captured(), "registrar")
    _roll_back(backend, case_id, saved_db)
    with sqlite3.connect(pw.store.witness.path) as db:
        db.execute("UPDATE heads SET seq = ?, hash = ?, summary = ?, mac = ? WHERE case_id = ?", (*old_entry, case_id))
    assert len(pw.history(case_id)) == 4  # both sides rewound for this case: a single read cannot tell
    assert "store: the witness's entries are not the ones it wrote (replaced, removed or added)" in [str(b) for b in pw.verify()]


def test_the_witness_opens_under_whichever_key_a_rotation_ends_with(pw: Powcase, backend: Backend) -> None:
    """Rotation re-MACs the witness before the database rotates; a crash before or after the
    database's commit leaves a witness that opens with the key the store then has."""
    from powcase.access.keys import rotate_master_key
    from powcase.store.crypto import MasterKey

    case_id = _case(pw)
    witness = pw.store.witness
    assert witness is not None
    old, new = pw.store.master_key, MasterKey.generate()
    witness.rekey(old, new)  # ... and the process dies: the database still runs under the old key
    assert len(pw.history(case_id)) == 4
    pw.record(case_id, moved(date(2025, 8, 1)), "registrar")  # a write under the old key settles it back
    assert pw.verify() == []
    witness.rekey(old, new)
    rotate_master_key(backend.engine, old, new)  # committed, and the process dies before settling
    rotated = Powcase(EventStore(backend.engine, new, witness), pw.clock)
    assert len(rotated.history(case_id)) == 5
    assert rotated.verify() == []
    witness.settle(new)
    retired = Powcase(EventStore(backend.engine, old, witness), pw.clock)
    assert "store: the witness was not written under this master key" in [str(b) for b in retired.verify()]
