"""Writes: one transaction each, a stale writer gets a conflict, an import is all or nothing."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from tests.conftest import Backend
from tests.factories import captured, interview, moved, person

from powcase.app.service import Powcase
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import OverrideGranted, Transferred
from powcase.errors import Conflict, InvalidInput, InvariantViolation


def test_two_concurrent_writers_give_one_conflict_and_lose_nothing(pw: Powcase) -> None:
    case_id = pw.register(person(), "registrar")
    pw.record(case_id, captured(), "registrar")
    seen = pw.history(case_id)[-1].seq
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(place: str) -> None:
        barrier.wait()
        try:
            pw.record(case_id, moved(date(2025, 1, 20), place), f"writer {place}", expected_seq=seen)
            result = "written"
        except Conflict:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("Camp A", "Camp B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "written"]
    history = pw.history(case_id)
    assert [r.seq for r in history] == [1, 2, 3]
    assert pw.verify() == []
    # The loser can read again and append after the winner: nothing is lost.
    pw.record(case_id, moved(date(2025, 1, 21), "Camp C"), "writer C", expected_seq=3)
    assert [r.event.place for r in pw.history(case_id)[2:] if r.event is not None and hasattr(r.event, "place")][-1] == "Camp C"


def test_stale_expected_seq_is_refused_and_writes_nothing(pw: Powcase) -> None:
    case_id = pw.register(person(), "registrar")
    pw.record(case_id, captured(), "registrar")
    with pytest.raises(Conflict, match=f"case {case_id} changed"):
        pw.record(case_id, moved(date(2025, 1, 20)), "late writer", expected_seq=1)
    assert len(pw.history(case_id)) == 2


def _bundle(last_is_bad: bool) -> dict[str, object]:
    cases = [
        {
            "case_id": f"PW-TEST-{n}",
            "person": {**person(service_number=f"TEST-{n:04d}").model_dump(mode="json", exclude={"type", "occurred_on"}), "registered_on": "2025-01-12"},
            "events": [{"type": "captured", "occurred_on": "2025-01-09", "place": "Sector 9", "circumstances": "captured"}],
        }
        for n in range(1, 6)
    ]
    if last_is_bad:
        # Dated before his capture: refused when the fifth case is written, after four went in.
        cases[-1]["events"].append({"type": "custody_moved", "occurred_on": "2025-01-01", "place": "Camp"})  # type: ignore[attr-defined]
    return {"cases": cases}


def test_import_is_all_or_nothing(pw: Powcase) -> None:
    with pytest.raises(InvariantViolation, match="PW-TEST-5 event 3: custody_moved dated 2025-01-01, before the capture"):
        pw.import_casefiles(parse_casefiles(_bundle(last_is_bad=True)), "importer")
    assert pw.list_cases() == []
    assert pw.count_cases() == 0
    assert pw.verify() == []
    ids = pw.import_casefiles(parse_casefiles(_bundle(last_is_bad=False)), "importer")
    assert ids == [f"PW-TEST-{n}" for n in range(1, 6)]


def test_duplicate_service_number_in_one_armed_force_is_refused(pw: Powcase) -> None:
    first = pw.register(person(service_number="KPA 0071"), "registrar")
    with pytest.raises(InvalidInput, match=f"service_number: case {first} already has this service number in the armed force RUS"):
        pw.register(person(service_number="kpa0071"), "registrar")
    # Another armed force may use the same number.
    pw.register(person(service_number="KPA 0071", armed_force="PRK"), "registrar")
    assert pw.count_cases() == 2


def test_duplicate_service_number_within_one_import_is_refused(pw: Powcase) -> None:
    bundle = _bundle(last_is_bad=False)
    bundle["cases"][1]["person"]["service_number"] = "TEST-0001"  # type: ignore[index]
    with pytest.raises(InvalidInput, match="service_number"):
        pw.import_casefiles(parse_casefiles(bundle), "importer")
    assert pw.count_cases() == 0


def test_future_event_is_refused(pw: Powcase) -> None:
    case_id = pw.register(person(), "registrar")
    with pytest.raises(InvalidInput, match="occurred_on: 2026-01-05 is in the future"):
        pw.record(case_id, captured(date(2026, 1, 5)), "registrar")
    assert len(pw.history(case_id)) == 1


def test_event_after_transfer_is_refused(pw: Powcase) -> None:
    pw.import_casefiles(parse_casefiles(_bundle(last_is_bad=False)), "importer")
    # No context is recorded here, so the law permits no exchange: two people override it.
    override = pw.record("PW-TEST-1", OverrideGranted(occurred_on=date(2025, 5, 30), disposition="D2", reason="test",
                                                     approvers=["Officer A", "Officer B"]), "Officer A + Officer B")
    pw.record("PW-TEST-1", Transferred(occurred_on=date(2025, 6, 1), kind="exchange", to_state="RUS", override_seq=override.seq), "officer")
    with pytest.raises(InvariantViolation, match="PW-TEST-1 event 5: interviewed on 2025-06-05 but he is no longer in custody"):
        pw.record("PW-TEST-1", interview(date(2025, 6, 5)), "interviewer")


def test_the_schema_head_read_without_alembic_is_alembics_head(backend: Backend) -> None:
    """Commands check the schema without loading Alembic; they must agree with it."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from powcase.store import schema

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS))
    assert schema.head_revision() == ScriptDirectory.from_config(cfg).get_current_head()
    assert schema.is_current(backend.engine)
