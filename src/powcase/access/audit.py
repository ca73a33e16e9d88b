"""The access log: who read or did what, on which case, for what purpose, allowed or refused.

One global SHA-256 hash chain over append-only rows, anchored by a head that carries a MAC under
a key derived from the master key (as ``chain_heads`` anchors the case chains): whoever holds
only the database can neither alter a record, nor insert one, nor cut the last ones unseen.

A record holds account names, use cases, case ids, field names, a purpose category and a refusal
code: never a prisoner's name, never a statement, never free text. The log is in clear in the
database, so anything written here is readable by whoever steals a dump.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from powcase.access.events import Purpose
from powcase.access.permissions import ALL_USE_CASES
from powcase.access.tables import access_log, access_log_head
from powcase.errors import Conflict, InvalidInput
from powcase.store import codec
from powcase.store.crypto import MasterKey

Outcome = Literal["allowed", "refused"]

# Actions that are not use cases: authentication itself.
AUTH_ACTIONS: frozenset[str] = frozenset({"login", "token", "logout"})
ACTIONS: frozenset[str] = ALL_USE_CASES | AUTH_ACTIONS

# Why a record says what it says: a category, never a narrative (a narrative in clear could say
# "arranging his transfer to a third state", which is exactly the secret).
PURPOSES: dict[Purpose, str] = {
    "casework": "routine handling of the case by its case workers",
    "information_bureau": "duties of the National Information Bureau (GC III Art 122)",
    "central_agency": "the Central Tracing Agency (GC III Art 123)",
    "tracing_and_family_news": "tracing and news to the family",
    "protecting_power_or_icrc_visit": "a visit of the Protecting Power or the ICRC (GC III Art 126)",
    "release_or_transfer_arrangements": "arranging a release, repatriation or transfer (one category on purpose)",
    "legal_proceedings": "judicial or disciplinary proceedings",
    "medical_care": "medical care",
    "oversight": "audit and oversight",
    "statistics": "statistics without identities",
}

# Refusal codes: short, fixed, safe to keep in clear.
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Field names as the permission table and the sharing gate name them; nothing free-form.
_FIELD = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
_ACTOR = re.compile(r"^[\w.@-]{1,64}$|^\?unknown$")

UNKNOWN_ACTOR = "?unknown"
_HEAD_ID = 1


@dataclass(frozen=True)
class AccessRecord:
    seq: int
    at: datetime
    actor: str
    action: str
    case_id: str | None
    fields: tuple[str, ...]
    purpose: str | None
    outcome: Outcome
    reason: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq, "at": codec.timestamp(self.at), "actor": self.actor, "action": self.action,
            "case_id": self.case_id, "fields": list(self.fields), "purpose": self.purpose,
            "outcome": self.outcome, "reason": self.reason,
        }


def check_purpose(purpose: str | None, required: bool = False) -> str | None:
    if purpose is None:
        if required:
            raise InvalidInput(f"purpose: required; one of {', '.join(PURPOSES)}")
        return None
    if purpose not in PURPOSES:
        raise InvalidInput(f"purpose: unknown purpose {purpose!r}; one of {', '.join(PURPOSES)}")
    return purpose


def _hash(values: dict[str, object]) -> str:
    return hashlib.sha256(codec.canonical(values)).hexdigest()


def _body(row: dict[str, object]) -> dict[str, object]:
    return {k: row[k] for k in ("seq", "at", "actor", "action", "case_id", "fields", "purpose", "outcome", "reason", "prev_hash")}


def head_mac(master_key: MasterKey, seq: int, hash_: str) -> str:
    return master_key.blind_index("access-log-head", f"{seq}|{hash_}")


def record_access(
    conn: Connection,
    master_key: MasterKey,
    *,
    at: datetime,
    actor: str,
    action: str,
    case_id: str | None = None,
    fields: Iterable[str] = (),
    purpose: str | None = None,
    outcome: Outcome = "allowed",
    reason: str | None = None,
) -> int:
    """Append one record in ``conn``'s transaction; returns its number.

    Call it in the action's own transaction for an allowed access (the record stands or falls with
    the action), and in a transaction of its own for a refusal (the action rolls back; the refusal
    must stay). Takes the log's head row for update: appends are serialised, one chain.
    """
    if action not in ACTIONS:
        raise InvalidInput(f"action: {action!r} is neither a use case nor an authentication step")
    if not _ACTOR.match(actor):
        raise InvalidInput("actor: not an account name")
    if outcome not in ("allowed", "refused"):
        raise InvalidInput(f"outcome: {outcome!r}")
    if reason is not None and not _CODE.match(reason):
        raise InvalidInput(f"reason: {reason!r} is not a refusal code")
    if outcome == "refused" and reason is None:
        raise InvalidInput("reason: a refusal needs its code")
    names = sorted(set(fields))
    for name in names:
        if not _FIELD.match(name):
            raise InvalidInput(f"fields: {name!r} is not a field name")
    check_purpose(purpose)
    if case_id is not None and (not case_id or len(case_id) > 40):
        raise InvalidInput("case_id: empty or too long")

    head = conn.execute(
        select(access_log_head.c.last_seq, access_log_head.c.last_hash)
        .where(access_log_head.c.id == _HEAD_ID)
        .with_for_update()
    ).first()
    last_seq, prev = (int(head[0]), str(head[1])) if head else (0, codec.GENESIS)
    row: dict[str, object] = {
        "seq": last_seq + 1, "at": codec.timestamp(at), "actor": actor, "action": action, "case_id": case_id,
        "fields": ",".join(names), "purpose": purpose, "outcome": outcome, "reason": reason, "prev_hash": prev,
    }
    row["hash"] = _hash(_body(row))
    seq, hash_ = int(str(row["seq"])), str(row["hash"])
    mac = head_mac(master_key, seq, hash_)
    try:
        conn.execute(insert(access_log).values(**row))
        if head is None:
            conn.execute(insert(access_log_head).values(id=_HEAD_ID, last_seq=seq, last_hash=hash_, mac=mac))
        else:
            conn.execute(
                update(access_log_head).where(access_log_head.c.id == _HEAD_ID).values(last_seq=seq, last_hash=hash_, mac=mac)
            )
    except IntegrityError:
        # Only the very first record can race (there is no head row to lock yet): the chain never forks.
        raise Conflict("access log: another record was written at the same moment; retry") from None
    return seq


def verify_audit(conn: Connection, master_key: MasterKey) -> list[str]:
    """Every place where the access log was altered, removed, reordered or cut; empty if intact."""
    problems: list[str] = []
    prev = codec.GENESIS
    expected = 1
    last: tuple[int, str] | None = None
    for r in conn.execute(select(access_log).order_by(access_log.c.seq)).mappings():
        row = dict(r)
        seq = int(row["seq"])
        if seq != expected:
            problems.append(f"access log record {expected}: missing; the chain jumps from {expected - 1} to {seq}")
        elif row["prev_hash"] != prev:
            problems.append(f"access log record {seq}: does not follow the record before it")
        if _hash(_body(row)) != row["hash"]:
            problems.append(f"access log record {seq}: its content does not match its hash (altered)")
        prev = str(row["hash"])
        expected = seq + 1
        last = (seq, prev)
    head = conn.execute(
        select(access_log_head.c.last_seq, access_log_head.c.last_hash, access_log_head.c.mac)
        .where(access_log_head.c.id == _HEAD_ID)
    ).first()
    if head is None:
        if last is not None:
            problems.append("access log: records exist but its head is missing (removed outside powcase)")
        return problems
    if not hmac.compare_digest(str(head[2]), head_mac(master_key, int(head[0]), str(head[1]))):
        problems.append("access log: its head was tampered with (or the master key is not this store's)")
    elif last is None or (int(head[0]), str(head[1])) != last:
        ends = last[0] if last else 0
        problems.append(f"access log: the chain ends at record {ends} but {head[0]} were recorded (removed)")
    return problems


def show(
    conn: Connection,
    user: str | None = None,
    case_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[AccessRecord]:
    """Records in order, filtered by account, case and time (``since`` inclusive, ``until`` exclusive)."""
    query = select(access_log).order_by(access_log.c.seq)
    if user is not None:
        query = query.where(access_log.c.actor == user)
    if case_id is not None:
        query = query.where(access_log.c.case_id == case_id)
    if since is not None:
        query = query.where(access_log.c.at >= codec.timestamp(since))
    if until is not None:
        query = query.where(access_log.c.at < codec.timestamp(until))
    if limit is not None:
        query = query.limit(limit)
    return [
        AccessRecord(
            seq=r.seq, at=codec.parse_timestamp(r.at), actor=r.actor, action=r.action, case_id=r.case_id,
            fields=tuple(f for f in r.fields.split(",") if f), purpose=r.purpose, outcome=r.outcome, reason=r.reason,
        )
        for r in conn.execute(query)
    ]


def remac_head(conn: Connection, old: MasterKey, new: MasterKey) -> list[str]:
    """Re-MAC the head under a new master key (key rotation); problems if the old MAC is wrong."""
    head = conn.execute(
        select(access_log_head.c.last_seq, access_log_head.c.last_hash, access_log_head.c.mac)
        .where(access_log_head.c.id == _HEAD_ID)
    ).first()
    if head is None:
        return []
    if not hmac.compare_digest(str(head[2]), head_mac(old, int(head[0]), str(head[1]))):
        return ["access log: its head does not verify under the old master key"]
    conn.execute(
        update(access_log_head).where(access_log_head.c.id == _HEAD_ID)
        .values(mac=head_mac(new, int(head[0]), str(head[1])))
    )
    return []
