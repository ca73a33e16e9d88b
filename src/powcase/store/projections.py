"""The case summary: a projection of the events for listing and filtering, rebuilt at will.

It holds only what a list needs and what the README names as clear: nationality, armed force,
status, place, dates, and the keyed hash of the service number for duplicate detection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, String, any_, bindparam, delete, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

from powcase.domain.case import Case
from powcase.store.crypto import MasterKey
from powcase.store.tables import case_summary

SERVICE_NUMBER_INDEX = "service-number"


def service_number_digest(master_key: MasterKey, armed_force: str, service_number: str) -> str:
    normalised = "".join(service_number.split()).upper()
    return master_key.blind_index(SERVICE_NUMBER_INDEX, f"{armed_force}|{normalised}")


def summary_row(case: Case, master_key: MasterKey, last_occurred_on: Any) -> dict[str, Any]:
    ident = case.identity
    digest = None
    if ident is not None and ident.service_number:
        digest = service_number_digest(master_key, ident.armed_force, ident.service_number)
    return {
        "case_id": case.case_id,
        "nationality": ident.nationality if ident else None,
        "armed_force": ident.armed_force if ident else None,
        "power_of_dependence": ident.power_of_dependence if ident else None,
        "status": case.status.value,
        "place": case.place,
        "registered_on": case.registered_on,
        "captured_on": case.captured_on,
        "last_seq": case.last_seq,
        "last_occurred_on": last_occurred_on,
        "service_number_digest": digest,
    }


def upsert_summary(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(delete(case_summary).where(case_summary.c.case_id == row["case_id"]))
    conn.execute(insert(case_summary).values(**row))


def owners_of_digests(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(armed force, digest) -> case id, for those of the keys the summary holds."""
    digests = [digest for _, digest in keys]
    if conn.dialect.name == "postgresql":
        # One array parameter: PostgreSQL looks each row up in a hash of it. A list of a thousand
        # separate parameters is compared row by row, before autovacuum has given the planner
        # statistics for a table that an import is still filling.
        wanted = case_summary.c.service_number_digest == any_(bindparam("digests", digests, type_=ARRAY(String)))
    else:
        wanted = case_summary.c.service_number_digest.in_(digests)
    rows = conn.execute(
        select(case_summary.c.armed_force, case_summary.c.service_number_digest, case_summary.c.case_id).where(
            case_summary.c.armed_force.in_(sorted({force for force, _ in keys})), wanted
        )
    )
    return {(force, digest): case_id for force, digest, case_id in rows}


def find_by_service_number(conn: Connection, digest: str, armed_force: str) -> str | None:
    return conn.execute(
        select(case_summary.c.case_id).where(
            case_summary.c.service_number_digest == digest, case_summary.c.armed_force == armed_force
        )
    ).scalar()
