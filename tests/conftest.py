"""Fixtures shared by the whole suite: a store on each backend, and the app over it.

Store tests run on SQLite and on PostgreSQL. PostgreSQL is reached through
POWCASE_TEST_POSTGRES_URL (``make test`` sets it to the local server); each test session creates
its own database and drops it at the end. Set the variable to an empty string to run on SQLite
only: the PostgreSQL cases are then skipped, visibly.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from powcase.app.service import Powcase
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import database_url, make_engine
from powcase.store.eventstore import EventStore
from powcase.store.tables import metadata
from powcase.store.witness import Witness

PG_ENV = "POWCASE_TEST_POSTGRES_URL"
TODAY = date(2025, 12, 1)


@dataclass
class Backend:
    name: str
    url: str
    engine: Engine


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    base = database_url(base)
    name = f"powcase_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path, postgres_database: str | None) -> Iterator[Backend]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'powcase.db'}"
        engine = make_engine(url)
        schema.upgrade(engine)
        yield Backend("sqlite", url, engine)
        engine.dispose()
        return
    if postgres_database is None:
        pytest.skip(f"{PG_ENV} is empty: PostgreSQL not tested in this run")
    engine = make_engine(postgres_database)
    _truncate(engine)
    yield Backend("postgresql", postgres_database, engine)
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names}"))


class FixedClock:
    """A clock the test moves by hand; the app reads it instead of the system clock."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def master_key() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 9, 30, tzinfo=UTC))


@pytest.fixture
def pw(backend: Backend, master_key: MasterKey, clock: FixedClock, tmp_path: Path) -> Powcase:
    # With its witness, as `powcase` opens a store: every test then reads through its checks.
    return Powcase(EventStore(backend.engine, master_key, Witness.create(tmp_path / "powcase.witness", master_key)), clock)


@functools.cache
def _personal_data() -> frozenset[str]:
    """Every name, birth date and service number of the demo people and of the test factories."""
    from powcase.demo import demo_bundle

    found: set[str] = {"별찬", "Byol Chan", "TEST-0001", "1999-07-23"}
    for case in demo_bundle(count=1000)["cases"]:
        person = case["person"]
        for key in ("family_name", "given_names", "patronymic"):
            forms = person.get(key) or {}
            found.update(f for f in forms.values() if len(f) >= 4 or not f.isascii())
        found.add(person["birth_date"])
        found.add(person["service_number"])
    return frozenset(found)


@pytest.fixture(autouse=True)
def no_personal_data_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The whole suite runs with logging captured at DEBUG; no log line may carry a demo
    person's name, birth date or service number (issue 4, item 6)."""
    caplog.set_level(logging.DEBUG)
    yield
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in records)
    if text.strip():
        leaked = sorted(p for p in _personal_data() if p in text)
        assert not leaked, f"personal data in log records: {len(leaked)} item(s)"
