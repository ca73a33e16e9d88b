"""Personal data at rest: never in clear in the database file or a dump; gone after erasure."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from tests.conftest import Backend
from tests.factories import captured, interview, person

from powcase.app.service import Powcase
from powcase.demo import CONTEXT, demo_bundle
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Registered
from powcase.errors import KeyUnavailable
from powcase.store.tables import case_keys, case_summary


def _secrets_of(bundle: dict[str, object]) -> set[str]:
    """Every name, birth date and service number of the demo people, as they could appear."""
    found: set[str] = set()
    for case in bundle["cases"]:  # type: ignore[attr-defined]
        p = case["person"]
        for key in ("family_name", "given_names", "patronymic"):
            for form in (p.get(key) or {}).values():
                if len(form) >= 3:
                    found.add(form)
        found.add(p["birth_date"])
        found.add(p["service_number"])
        for ev in case["events"]:
            for key in ("words_original", "words_translated"):
                if key in ev:
                    found.add(ev[key])
    return found


def _raw_bytes(backend: Backend, tmp_path: Path) -> bytes:
    if backend.name == "sqlite":
        database = make_url(backend.url).database
        assert database is not None
        return Path(database).read_bytes()
    url = make_url(backend.url)
    dump = tmp_path / "dump.sql"
    subprocess.run(
        ["pg_dump", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
         "-d", url.database or "", "-f", str(dump)],
        check=True,
    )
    return dump.read_bytes()


def test_no_demo_identity_in_the_raw_database(pw: Powcase, backend: Backend, tmp_path: Path) -> None:
    bundle = demo_bundle(count=60)
    pw.context = Context.model_validate(CONTEXT)  # the demo's exchanges are decided in its context
    pw.import_casefiles(parse_casefiles(bundle), "importer")
    raw = _raw_bytes(backend, tmp_path)
    secrets = _secrets_of(bundle)
    assert len(secrets) > 150
    leaked = sorted(s for s in secrets if s.encode() in raw)
    assert leaked == []
    # The data is there all the same, readable through powcase with the key.
    first = pw.history("PW-DEMO-KOR1")[0].event
    assert isinstance(first, Registered) and first.family_name.native == "박"


def test_erase_destroys_identity_and_keeps_history_verifiable(pw: Powcase, backend: Backend) -> None:
    case_id = pw.register(person(), "registrar")
    pw.record(case_id, captured(), "registrar")
    pw.record(case_id, interview(date(2025, 2, 1), "third_state", wish_state="KOR"), "interviewer")
    before = [(r.seq, r.type) for r in pw.history(case_id)]
    pw.erase(case_id, "retention period ended", "administrator")

    history = pw.history(case_id)
    assert [(r.seq, r.type) for r in history] == [*before, (4, "erased")]
    assert all(r.event is None for r in history[:3])
    assert pw.verify() == []
    case = pw.case(case_id)
    assert case.erased and case.identity is None and case.status.value == "erased"
    with backend.engine.begin() as conn:
        assert conn.execute(select(case_keys).where(case_keys.c.case_id == case_id)).first() is None
        row = conn.execute(select(case_summary).where(case_summary.c.case_id == case_id)).one()
        assert row.status == "erased" and row.service_number_digest is None
    with pytest.raises(KeyUnavailable):
        pw.export(case_id)
    with pytest.raises(KeyUnavailable):
        pw.record(case_id, interview(date(2025, 3, 1)), "interviewer")


def test_erased_key_bytes_do_not_stay_in_the_sqlite_file(pw: Powcase, backend: Backend) -> None:
    if backend.name != "sqlite":
        pytest.skip("SQLite's secure_delete; PostgreSQL keeps dead rows until VACUUM (see README)")
    case_id = pw.register(person(), "registrar")
    with backend.engine.begin() as conn:
        wrapped = conn.execute(select(case_keys.c.wrapped_key).where(case_keys.c.case_id == case_id)).scalar_one()
    database = make_url(backend.url).database
    assert database is not None
    assert wrapped in Path(database).read_bytes()
    pw.erase(case_id, "test", "administrator")
    assert wrapped not in Path(database).read_bytes()


def test_a_store_opened_with_another_master_key_reads_nothing(pw: Powcase, backend: Backend) -> None:
    from powcase.store.crypto import MasterKey
    from powcase.store.eventstore import EventStore

    case_id = pw.register(person(), "registrar")
    thief = Powcase(EventStore(backend.engine, MasterKey.generate()), pw.clock)
    with pytest.raises(KeyUnavailable, match=f"case {case_id}"):
        thief.history(case_id)


def test_rebuild_gives_the_same_summary(pw: Powcase, backend: Backend) -> None:
    pw.context = Context.model_validate(CONTEXT)  # the demo's exchanges are decided in its context
    pw.import_casefiles(parse_casefiles(demo_bundle(count=40)), "importer")
    pw.erase("PW-DEMO-00003", "test", "administrator")

    def snapshot() -> list[tuple[object, ...]]:
        with backend.engine.begin() as conn:
            return [tuple(r) for r in conn.execute(select(case_summary).order_by(case_summary.c.case_id))]

    before = snapshot()
    assert len(before) == 42
    assert pw.rebuild() == 42
    assert snapshot() == before
