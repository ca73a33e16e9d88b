"""Many rows written through the database driver, inside the caller's transaction.

An import writes a few rows per event; SQLAlchemy's per-row processing of an ``executemany``
was a fifth of its time. Here the rows go to the driver as tuples: ``COPY ... FROM STDIN`` on
PostgreSQL (psycopg), ``executemany`` on SQLite. The connection is the transaction's own, so
the rows commit or roll back with everything else the transaction did.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, Table
from sqlalchemy.exc import IntegrityError


def columns(table: Table) -> list[str]:
    """The columns a row supplies, in table order: all but an autoincrementing id."""
    return [c.name for c in table.columns if not (c.primary_key and c.autoincrement is True)]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in :func:`columns` order). A duplicate key raises SQLAlchemy's
    IntegrityError, as an ``insert()`` through SQLAlchemy would."""
    if not rows:
        return
    names = columns(table)
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.dbapi
    if driver is None or dbapi is None:
        raise RuntimeError("no live database connection")
    statement = f"{table.name} ({', '.join(names)})"
    try:
        if conn.dialect.name == "postgresql":
            with driver.cursor() as cur, cur.copy(f"COPY {statement} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # SQLite holds dates as ISO text (as SQLAlchemy's Date type writes them); the driver's
            # own date adapter is deprecated.
            dated = [i for i, name in enumerate(names) if isinstance(table.c[name].type, Date)]
            if dated:
                rows = [_iso(row, dated) for row in rows]
            marks = ", ".join("?" * len(names))
            cur = driver.cursor()
            try:
                cur.executemany(f"INSERT INTO {statement} VALUES ({marks})", rows)  # noqa: S608 - names from our metadata
            finally:
                cur.close()
    except dbapi.IntegrityError as exc:
        raise IntegrityError(f"insert into {table.name}", None, exc) from None


def _iso(row: Sequence[Any], dated: list[int]) -> list[Any]:
    out = list(row)
    for i in dated:
        value = out[i]
        if isinstance(value, date):
            out[i] = value.isoformat()
    return out


_walks = itertools.count(1)


def select_rows(conn: Connection, table: Table, names: Sequence[str], order_by: Sequence[str], batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` (the ``names`` columns, in order) through the driver, streamed:
    a server-side cursor on PostgreSQL. Dates come back as dates on both backends."""
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("no live database connection")
    sql = f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {', '.join(order_by)}"  # noqa: S608 - names from our metadata
    postgres = conn.dialect.name == "postgresql"
    # A named cursor is PostgreSQL's server-side one; a name per walk lets walks nest.
    cur = driver.cursor(name=f"powcase_walk_{next(_walks)}") if postgres else driver.cursor()
    dated = [] if postgres else [i for i, name in enumerate(names) if isinstance(table.c[name].type, Date)]
    try:
        cur.execute(sql)
        while chunk := cur.fetchmany(batch):
            if dated:
                chunk = [_from_iso(row, dated) for row in chunk]
            yield from chunk
    finally:
        cur.close()


def _from_iso(row: Sequence[Any], dated: list[int]) -> tuple[Any, ...]:
    out = list(row)
    for i in dated:
        if isinstance(out[i], str):
            out[i] = date.fromisoformat(out[i])
    return tuple(out)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off for a batch that builds many objects and frees none (an import):
    its full passes over a growing heap took up to a third of the time. Restored however the
    batch ends."""
    enabled = gc.isenabled()
    gc.freeze()  # what exists already is not scanned again when the collector is back
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()
