"""How an event becomes a stored row, and the hash that chains the rows of a case.

The hash covers the row as stored (clear part, ciphertext, metadata), not the plaintext, so the
chain still verifies after a case's key is destroyed, and verifying needs no key at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from powcase.domain.events import EVENT_TYPES, Event
from powcase.domain.text import STORED

GENESIS = "0" * 64
# JSON string encoding as json.dumps(ensure_ascii=False) does it (the C implementation).
_string = json.encoder.encode_basestring


# One encoder for every row: json.dumps with these options builds a new encoder per call, which
# an import of 200,000 events paid twice per event.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_text(obj: Any) -> str:
    """One text per value: sorted keys, no spaces (what :func:`canonical` encodes as UTF-8)."""
    return _CANONICAL.encode(obj)


def canonical(obj: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return _CANONICAL.encode(obj).encode()


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Row(NamedTuple):
    """An events-table row, as stored."""

    case_id: str
    seq: int
    type: str
    occurred_on: date
    recorded_at: str
    actor: str
    clear: str
    sealed: bytes | None
    prev_hash: str
    hash: str


def split(event: Event) -> tuple[dict[str, Any], dict[str, Any]]:
    """The event's fields that stay in clear, and those to seal."""
    data = event.model_dump(mode="json", exclude={"type", "occurred_on"})
    clear = {k: v for k, v in data.items() if k in event.CLEAR}
    sealed = {k: v for k, v in data.items() if k not in event.CLEAR}
    return clear, sealed


def aad(case_id: str, seq: int, type_: str) -> bytes:
    return f"powcase/event/{case_id}/{seq}/{type_}".encode()


def hash_of(row: Row) -> str:
    """SHA-256 over the row as stored, its ``hash`` field aside.

    The bytes hashed are exactly ``canonical()`` of the row's fields as a dict (sorted keys, no
    spaces, UTF-8); they are assembled by hand because this runs on every event of every read,
    and a test holds the two forms equal.
    """
    sealed = '"' + base64.b64encode(row.sealed).decode() + '"' if row.sealed is not None else "null"
    body = (
        f'{{"actor":{_string(row.actor)},"case_id":{_string(row.case_id)},"clear":{_string(row.clear)},'
        f'"occurred_on":"{row.occurred_on.isoformat()}","prev_hash":{_string(row.prev_hash)},'
        f'"recorded_at":{_string(row.recorded_at)},"sealed":{sealed},"seq":{int(row.seq)},"type":{_string(row.type)}}}'
    )
    return hashlib.sha256(body.encode()).hexdigest()


def hash_of_slow(row: Row) -> str:
    """The definition :func:`hash_of` implements, kept for the test that holds them equal."""
    body = canonical(
        {
            "case_id": row.case_id,
            "seq": row.seq,
            "type": row.type,
            "occurred_on": row.occurred_on.isoformat(),
            "recorded_at": row.recorded_at,
            "actor": row.actor,
            "clear": row.clear,
            "sealed": base64.b64encode(row.sealed).decode() if row.sealed is not None else None,
            "prev_hash": row.prev_hash,
        }
    )
    return hashlib.sha256(body).hexdigest()


def rebuild_event(type_: str, occurred_on: date, clear: str, opened: bytes, authenticated: bool = False) -> Event:
    """The event from its two stored halves. Validation runs again: stored data is input too.

    Both halves are canonical JSON objects written by :func:`canonical`; they are joined as text
    and parsed once by pydantic's JSON parser, which is several times faster than json.loads
    followed by validation. A clear half may name only the fields its event keeps in clear.
    Validation runs with the STORED context: a value written before today's rules at the door
    is read as it was written (in NFC), never refused, so that one old record cannot stop a read.

    ``authenticated``: the row's chain ends at a head whose MAC (under a key the database does
    not hold) and the witness vouch for, so its clear half is the one powcase wrote, which named
    only clear fields; it is then parsed once, by the model, not first by json.loads to check that.
    """
    cls = EVENT_TYPES[type_]
    parts = [f'"type":"{type_}","occurred_on":"{occurred_on.isoformat()}"']
    if clear != "{}":
        if not authenticated and not set(json.loads(clear)) <= cls.CLEAR:
            raise ValueError(f"{type_}: the clear part holds fields that must be sealed")
        parts.append(clear[1:-1])
    if opened != b"{}":
        parts.append(opened[1:-1].decode())
    return cls.model_validate_json("{" + ",".join(parts) + "}", context=STORED)
