"""Two offices for the sync tests: headquarters and one field office, each with its own store,
master key and office identity. One of them is on the suite's backend (PostgreSQL when it runs),
the other on an SQLite file, and the test runs with each placement: field on SQLite and HQ on
PostgreSQL, and the reverse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.conftest import Backend, FixedClock

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import make_engine
from powcase.store.eventstore import EventStore
from powcase.store.tables import metadata
from powcase.sync.identity import FIELD


@dataclass
class Offices:
    hq: Powcase
    field: Powcase
    placement: str


def office_app(engine: Engine, clock: FixedClock) -> Powcase:
    return Powcase(EventStore(engine, MasterKey.generate()), clock, context=Context.model_validate(CONTEXT))


@pytest.fixture(params=["hq-on-backend", "field-on-backend"])
def offices(request: pytest.FixtureRequest, backend: Backend, tmp_path: Path, clock: FixedClock) -> Iterator[Offices]:
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    schema.upgrade(other)
    on_backend, on_file = office_app(backend.engine, clock), office_app(other, clock)
    if request.param == "hq-on-backend":
        yield Offices(on_backend, on_file, request.param)
    else:
        yield Offices(on_file, on_backend, request.param)
    other.dispose()


@pytest.fixture
def enrolled(offices: Offices) -> Offices:
    """HQ holds the two demo soldiers; the field office is enrolled with the first only."""
    offices.hq.import_casefiles(parse_casefiles({"cases": the_two_soldiers()}), "importer")
    identity = sync.make_identity(offices.field, "CAMP-NORTH", FIELD)
    package, _, hq_print = sync.enrol(offices.hq, sync.enrolment_request(identity), [the_two_soldiers()[0]["case_id"]])
    sync.join(offices.field, package, hq_print, "field-admin")
    return offices


def snapshot(pw: Powcase) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: what "nothing written" is checked against."""
    with pw.store.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr) for t in metadata.sorted_tables}


def chain(pw: Powcase, case_id: str) -> list[tuple[int, str]]:
    with pw.store.begin() as tx:
        return [(r.seq, r.hash) for r in tx.rows(case_id)]
