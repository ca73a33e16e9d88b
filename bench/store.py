"""Store throughput: events appended per second (encrypted, in bulk) and cases folded per second
(decrypted), for synthetic cases of about ten events, on SQLite and PostgreSQL.

Prints figures; asserts nothing. Usage:
    .venv/bin/python bench/store.py [--cases 100000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.domain.casefile import parse_casefiles
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import database_url, make_engine
from powcase.store.eventstore import EventStore
from powcase.store.witness import Witness

BATCH = 1000


def synthetic(n: int, start: int) -> dict[str, object]:
    cases = []
    for i in range(start, start + n):
        captured = date(2023, 1, 1) + timedelta(days=i % 700)
        events: list[dict[str, object]] = [
            {"type": "captured", "occurred_on": captured.isoformat(), "place": "Sector 9", "circumstances": "captured"},
        ]
        for k in range(1, 4):
            events.append({"type": "custody_moved", "occurred_on": (captured + timedelta(days=k * 10)).isoformat(),
                           "place": f"Camp {k}", "kind": "camp"})
        for k in range(1, 4):
            events.append({"type": "interviewed", "occurred_on": (captured + timedelta(days=40 + k * 10)).isoformat(),
                           "interviewer": "Delegate", "language": "rus", "stated_wish": "repatriation",
                           "present": [{"role": "neutral_observer", "organisation": "ICRC"}],
                           "informed_of_options": True, "informed_of_right_to_change": True,
                           "words_original": "Хочу домой", "words_translated": "I want to go home"})
        events.append({"type": "medically_assessed", "occurred_on": (captured + timedelta(days=90)).isoformat(),
                       "assessed_by": "physician", "fit_to_travel": True})
        events.append({"type": "notified", "occurred_on": (captured + timedelta(days=3)).isoformat(),
                       "recipient": "central_agency", "action": "sent"})
        events.sort(key=lambda e: str(e["occurred_on"]))
        cases.append({
            "case_id": f"PW-B{i:08d}",
            "person": {"registered_on": (captured + timedelta(days=1)).isoformat(),
                       "family_name": {"latin": "Synthetic", "native": "Синтетик"},
                       "given_names": {"latin": f"Person {i}"}, "birth_date": "1990-01-01",
                       "service_number": f"SN-{i:08d}", "nationality": "RUS", "armed_force": "RUS",
                       "languages": ["rus"]},
            "events": events,
        })
    return {"cases": cases}


def run(backend: str, url: str, count: int) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    key = MasterKey.generate()
    witness_dir = tempfile.TemporaryDirectory()
    # With its witness, as `powcase` opens a store: reads pay for the checks they make.
    witness = Witness.create(Path(witness_dir.name) / "powcase.witness", key)
    pw = Powcase(EventStore(engine, key, witness), lambda: datetime(2026, 1, 1, tzinfo=UTC))
    files = []
    t0 = time.perf_counter()
    for start in range(0, count, BATCH):
        files.append(parse_casefiles(synthetic(min(BATCH, count - start), start)))
    t_parse = time.perf_counter() - t0
    n_events = sum(1 + len(cf.events) for batch in files for cf in batch)
    t0 = time.perf_counter()
    for batch in files:
        pw.import_casefiles(batch, "bench")
    t_append = time.perf_counter() - t0
    pw.store.forget_all_keys()
    t0 = time.perf_counter()
    folded = 0
    with pw.store.begin() as tx:
        tx.load_all_keys()
        t_keys = time.perf_counter() - t0
        for history in tx.histories():  # each case checked against its head MAC and the witness
            fold(history)
            folded += 1
    t_fold = time.perf_counter() - t0
    t0 = time.perf_counter()
    listed = len(pw.list_cases())
    t_list = time.perf_counter() - t0
    t0 = time.perf_counter()
    breaks = pw.verify()
    t_verify = time.perf_counter() - t0
    print(f"[{backend}] {count} cases, {n_events} events (parsing the case files took {t_parse:.1f} s)")
    print(f"[{backend}] append, encrypted, validated, with projection: {n_events / t_append:,.0f} events/s ({t_append:.1f} s)")
    print(f"[{backend}] read + decrypt + fold: {folded / t_fold:,.0f} cases/s ({t_fold:.1f} s, of which unwrapping keys {t_keys:.1f} s)")
    print(f"[{backend}] list (every summary row checked against the witness): {listed / t_list:,.0f} cases/s ({t_list:.2f} s)")
    print(f"[{backend}] audit verify: {n_events / t_verify:,.0f} events/s ({t_verify:.1f} s, {len(breaks)} breaks)")
    engine.dispose()
    witness_dir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.cases)
    if args.backend in ("postgresql", "both"):
        base = database_url(os.environ.get("POWCASE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
        name = f"powcase_bench_{secrets.token_hex(3)}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("postgresql", make_url(base).set(database=name).render_as_string(hide_password=False), args.cases)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
