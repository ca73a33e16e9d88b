"""Access-log records travel with the events: headquarters sees who read and wrote what at a
field office, and the other way round. Each office's log is kept apart, record for record, and
its chain is checked on import exactly as ``audit verify`` checks a store's own log."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, func, insert, select

from powcase.access.tables import access_log
from powcase.store import codec
from powcase.sync.errors import BundleRefused
from powcase.sync.tables import sync_access_log

_BODY = ("seq", "at", "actor", "action", "case_id", "fields", "purpose", "outcome", "reason", "prev_hash")


def _hash(record: dict[str, Any]) -> str:
    # The access log's own definition (access/audit.py): SHA-256 of the canonical body.
    return hashlib.sha256(codec.canonical({k: record[k] for k in _BODY})).hexdigest()


def records_after(conn: Connection, seq: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(access_log).where(access_log.c.seq > seq).order_by(access_log.c.seq)).mappings()
    return [dict(r) for r in rows]


def held_from(conn: Connection, office: str) -> int:
    """The last record of ``office``'s log this store holds."""
    return int(conn.execute(select(func.coalesce(func.max(sync_access_log.c.seq), 0))
                            .where(sync_access_log.c.office == office)).scalar_one())


def keep(conn: Connection, office: str, records: Any) -> int:
    """Keep the records of ``office``'s log that follow those held; returns how many were new."""
    if not isinstance(records, list):
        raise BundleRefused(f"bundle from {office}: its access-log records are not a list (altered)")
    last = held_from(conn, office)
    prev = conn.execute(select(sync_access_log.c.hash).where(
        sync_access_log.c.office == office, sync_access_log.c.seq == last)).scalar() or codec.GENESIS
    new = []
    for record in records:
        if not isinstance(record, dict) or set(record) != {*_BODY, "hash"}:
            raise BundleRefused(f"bundle from {office}: an access-log record is not one (altered)")
        if int(record["seq"]) <= last:
            continue  # held already
        if int(record["seq"]) != last + 1 or record["prev_hash"] != prev or _hash(record) != record["hash"]:
            raise BundleRefused(f"bundle from {office}: its access log does not verify at record {record['seq']}")
        new.append({**record, "office": office})
        last, prev = int(record["seq"]), str(record["hash"])
    if new:
        conn.execute(insert(sync_access_log), new)
    return len(new)
