"""The hash chain shows any row altered, removed or reordered directly in the database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, text, update
from tests.conftest import Backend
from tests.factories import captured, interview, moved, person

from powcase.app.service import Powcase
from powcase.errors import IntegrityFailure
from powcase.store.tables import chain_heads, events


def _case_with_five_events(pw: Powcase) -> str:
    case_id = pw.register(person(), "registrar")
    for ev in (captured(), moved(date(2025, 1, 15)), interview(date(2025, 2, 1)), interview(date(2025, 2, 9))):
        pw.record(case_id, ev, "registrar")
    return case_id


def _problems(pw: Powcase) -> list[str]:
    return [str(b) for b in pw.verify()]


def test_untouched_store_verifies(pw: Powcase) -> None:
    _case_with_five_events(pw)
    pw.register(person(service_number="TEST-0002"), "registrar")
    assert _problems(pw) == []


def test_altered_row_is_named(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(
            update(events).where(events.c.case_id == case_id, events.c.seq == 3).values(clear='{"place":"Elsewhere","kind":"camp"}')
        )
    assert _problems(pw) == [f"case {case_id} event 3: its content does not match its hash (altered)"]


def test_altered_date_is_named(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 4).values(occurred_on=date(2025, 3, 1)))
    assert any(p.startswith(f"case {case_id} event 4:") and "altered" in p for p in _problems(pw))


def test_removed_middle_row_is_named(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq == 2))
    problems = _problems(pw)
    assert f"case {case_id} event 2: missing: the chain jumps from 1 to 3 (removed or reordered)" in problems


def test_removed_last_row_is_found(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq == 5))
    problems = _problems(pw)
    assert f"case {case_id} event 5: the chain ends at event 4 but 5 were recorded (removed)" in problems


def test_removed_last_row_and_forged_head_is_found(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        fourth = conn.execute(text("SELECT hash FROM events WHERE case_id = :c AND seq = 4"), {"c": case_id}).scalar()
        conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq == 5))
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(last_seq=4, last_hash=fourth))
    assert f"case {case_id}: its chain head was tampered with" in _problems(pw)


def test_reordered_rows_are_named(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 4).values(seq=-4))
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 5).values(seq=4))
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == -4).values(seq=5))
    problems = _problems(pw)
    assert any(p.startswith(f"case {case_id} event 4:") for p in problems)
    assert any(p.startswith(f"case {case_id} event 5:") for p in problems)


def test_whole_case_removed_is_found(pw: Powcase, backend: Backend) -> None:
    case_id = _case_with_five_events(pw)
    other = pw.register(person(service_number="TEST-0002"), "registrar")
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == case_id))
        conn.execute(delete(chain_heads).where(chain_heads.c.case_id == case_id))
    problems = _problems(pw)
    assert "store: 6 events were recorded but 1 are stored" in problems
    # The witness outside the database names the case, too.
    assert f"case {case_id}: all its events were removed (the witness records 5)" in problems
    assert other not in " ".join(problems)


def test_sealed_part_moved_to_another_event_is_found(pw: Powcase, backend: Backend) -> None:
    """Ciphertext is bound to its case and place: moving it is caught by the hash and by AES-GCM."""
    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        blob = conn.execute(text("SELECT sealed FROM events WHERE case_id = :c AND seq = 5"), {"c": case_id}).scalar()
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 4).values(sealed=blob))
    assert any(p.startswith(f"case {case_id} event 4:") for p in _problems(pw))


def test_no_fact_is_read_from_an_altered_history(pw: Powcase, backend: Backend) -> None:
    """Reading checks the chain too: nothing is shown or decided from a tampered case."""
    from powcase.errors import IntegrityFailure

    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 3).values(clear='{"place":"Elsewhere","kind":"camp"}'))
    with pytest.raises(IntegrityFailure, match=f"case {case_id} event 3: its content does not match its hash"):
        pw.case(case_id)


def test_a_clear_part_cannot_smuggle_in_a_sealed_field(pw: Powcase, backend: Backend) -> None:
    """Even with a recomputed hash, a forged last row is refused: its head's MAC does not match
    (the decoder would refuse a field that must be sealed found in clear, as a second line)."""
    from powcase.store import codec

    case_id = _case_with_five_events(pw)
    with backend.engine.begin() as conn:
        columns = [events.c[name] for name in codec.Row._fields]
        row = codec.Row._make(conn.execute(select(*columns).where(events.c.case_id == case_id, events.c.seq == 5)).one())
        forged = row._replace(clear='{"stated_wish":"repatriation"}')
        forged = forged._replace(hash=codec.hash_of(forged))
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == 5).values(clear=forged.clear, hash=forged.hash))
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(last_hash=forged.hash))
    with pytest.raises(IntegrityFailure, match=f"case {case_id}: its chain head was tampered with"):
        pw.case(case_id)
