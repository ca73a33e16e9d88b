"""Store and start-up figures, each beside its baseline measured in the same run, with the ratio.

- import: the demo's invented prisoners (about ten events each) imported all or nothing through
  the execution guard, encrypted, chained, with summary and witness; against the bare driver
  writing the very same rows (plain ``executemany`` on SQLite, ``COPY`` on PostgreSQL).
- read: every case read back, checked (chain, head MAC, witness), decrypted, built and folded;
  against a plain SELECT of the same rows through the driver.
- start: ``powcase --help`` against ``import typer, sqlalchemy, pydantic, cryptography``.

Prints figures; asserts nothing. Usage:
    .venv/bin/python bench/store.py [--cases 20000] [--backend sqlite|postgresql|both] [--skip-cli]
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from powcase.app.service import Powcase
from powcase.demo import CONTEXT, demo_bundle
from powcase.domain.case import fold
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import database_url, make_engine
from powcase.store.eventstore import EventStore
from powcase.store.tables import case_keys, case_summary, chain_heads, events

TABLES = (case_keys, events, chain_heads, case_summary)
# After the demo's last day, so that none of its events lies in the future.
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def line(work: str, ours: float, unit: str, base_name: str, base: float, higher_is_better: bool = False) -> None:
    ratio = base / ours if higher_is_better else ours / base
    print(f"  {work:<44} {ours:>10,.2f} {unit:<8} | {base_name:<40} {base:>10,.2f} {unit:<8} | {ratio:5.1f}x")


def columns(table: Any) -> list[str]:
    return [c.name for c in table.columns if not (c.name == "id" and c.autoincrement is True)]


def stored_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The rows powcase wrote, as the driver returns them, to be written again by the bare driver."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in TABLES:
            names = columns(table)
            out[table.name] = [tuple(r) for r in conn.exec_driver_sql(f"SELECT {', '.join(names)} FROM {table.name}")]
    return out


def bare_write(engine: Engine, rows: dict[str, list[tuple[Any, ...]]]) -> float:
    """The same rows into empty tables, one transaction, through the driver alone."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        t0 = time.perf_counter()
        cur = driver.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "postgresql":
            for table in TABLES:
                names = columns(table)
                with cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows[table.name]:
                        copy.write_row(row)
        else:
            cur.execute("BEGIN")
            for table in TABLES:
                names = columns(table)
                marks = ", ".join("?" * len(names))
                cur.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows[table.name])
        driver.commit()  # type: ignore[union-attr]
        return time.perf_counter() - t0
    finally:
        raw.close()


def bare_read(engine: Engine) -> tuple[float, int]:
    """A plain SELECT of every event row, in case order, through the driver: cases/s."""
    names = [c.name for c in events.columns if c.name != "id"]
    raw = engine.raw_connection()
    try:
        t0 = time.perf_counter()
        cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(f"SELECT {', '.join(names)} FROM events ORDER BY case_id, seq")
        cases = len({r[0] for r in cur.fetchall()})
        return time.perf_counter() - t0, cases
    finally:
        raw.close()


def open_store(engine: Engine, key: MasterKey, folder: Path) -> EventStore:
    """With its witness, as `powcase` opens a store: writes and reads pay for what they check."""
    from powcase.store.witness import Witness

    return EventStore(engine, key, Witness.create(folder / "powcase.witness", key))


def run(backend: str, url: str, bare_url: str, count: int, files: list[Any], n_events: int) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    key = MasterKey.generate()
    with tempfile.TemporaryDirectory() as witness_dir:
        pw = Powcase(open_store(engine, key, Path(witness_dir)), lambda: NOW, context=Context.model_validate(CONTEXT))
        _ = pw.rulebook  # read once per process (YAML), not per import: kept out of the import's time
        t0 = time.perf_counter()
        pw.import_casefiles(files, "bench")
        t_import = time.perf_counter() - t0

        bare = make_engine(bare_url)
        schema.upgrade(bare)
        t_bare_write = bare_write(bare, stored_rows(engine))

        pw.store.forget_all_keys()
        t0 = time.perf_counter()
        folded = 0
        with pw.store.begin() as tx:
            for history in tx.histories():  # each case checked against its chain, head MAC and witness
                fold(history)
                folded += 1
        t_read = time.perf_counter() - t0
        t_bare_read, cases = bare_read(engine)
        assert cases == folded == count + 2
        print(f"[{backend}] {count + 2} cases, {n_events} events")
        line("import, all or nothing (s)", t_import, "s", "same rows, " + ("COPY" if backend == "postgresql" else "plain executemany"),
             t_bare_write)
        line("read + check + decrypt + validate + fold", folded / t_read, "cases/s", "plain SELECT of the rows",
             cases / t_bare_read, higher_is_better=True)
        engine.dispose()
        bare.dispose()


def best_of(argv: list[str], times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def start_up() -> None:
    powcase = str(Path(sys.executable).with_name("powcase"))
    help_time = best_of([powcase, "--help"])
    imports = best_of([sys.executable, "-c", "import typer, sqlalchemy, pydantic, cryptography"])
    print("[cli] best of 5 runs")
    line("powcase --help (s)", help_time, "s", "import typer, sqlalchemy, pydantic, crypt.", imports)


def postgres_databases(count: int) -> tuple[Any, list[str], list[str]]:
    base = database_url(os.environ.get("POWCASE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    names = [f"powcase_bench_{secrets.token_hex(3)}" for _ in range(count)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [make_url(base).set(database=name).render_as_string(hide_password=False) for name in names]
    return admin, names, urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if not args.skip_cli:
        start_up()
    t0 = time.perf_counter()
    files = parse_casefiles(demo_bundle(args.cases), "demo")
    n_events = sum(len(cf.events) + 1 for cf in files)
    print(f"(the demo's {len(files)} case files were generated and parsed in {time.perf_counter() - t0:.1f} s)")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", f"sqlite:///{Path(tmp) / 'bare.db'}", args.cases, files, n_events)
    if args.backend in ("postgresql", "both"):
        admin, names, urls = postgres_databases(2)
        try:
            run("postgresql", urls[0], urls[1], args.cases, files, n_events)
        finally:
            with admin.connect() as conn:
                for name in names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
