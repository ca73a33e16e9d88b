"""What a store knows about synchronisation, read and written inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from powcase.domain.events import RecordedEvent
from powcase.errors import InvalidInput, NotFound
from powcase.store import codec
from powcase.store.crypto import MasterKey
from powcase.store.projections import owners_of_digests
from powcase.store.tables import events
from powcase.sync.identity import FIELD, HQ, OfficeIdentity
from powcase.sync.merge import NOT_CARRIED
from powcase.sync.tables import (
    sync_branches,
    sync_conflicts,
    sync_duplicates,
    sync_identity,
    sync_peers,
    sync_received,
    sync_withdrawn,
)


@dataclass(frozen=True)
class Peer:
    name: str
    role: str
    signing_public: str
    agreement_public: str
    revoked_at: str | None
    sent_number: int
    received_number: int
    received_digest: str | None
    enrolled_at: str | None = None  # when this store registered the office (shown by /offices)


def own_identity(conn: Connection, master_key: MasterKey) -> OfficeIdentity | None:
    row = conn.execute(select(sync_identity).where(sync_identity.c.id == 1)).first()
    if row is None:
        return None
    return OfficeIdentity.unwrapped(row.name, row.role, row.signing_key, row.agreement_key, master_key)


def own_role(conn: Connection) -> str | None:
    """This store's office role ("hq" or "field"), without opening its keys; None before enrolment."""
    return conn.execute(select(sync_identity.c.role).where(sync_identity.c.id == 1)).scalar()


def save_identity(conn: Connection, identity: OfficeIdentity, master_key: MasterKey) -> None:
    signing, agreement = identity.wrapped(master_key)
    conn.execute(insert(sync_identity).values(id=1, name=identity.name, role=identity.role,
                                              signing_key=signing, agreement_key=agreement))


def peer(conn: Connection, name: str) -> Peer | None:
    row = conn.execute(select(sync_peers).where(sync_peers.c.name == name)).first()
    if row is None:
        return None
    return Peer(row.name, row.role, row.signing_public, row.agreement_public, row.revoked_at,
                row.sent_number, row.received_number, row.received_digest, row.enrolled_at)


def known_peer(conn: Connection, name: str) -> Peer:
    found = peer(conn, name)
    if found is None:
        raise NotFound(f"office {name}: not enrolled here (`powcase field list`)")
    return found


def enrolled_field_office(conn: Connection, name: str) -> Peer:
    """A field office enrolled here and not revoked (what `field extend` and `field withdraw` act
    on), or a one-line refusal."""
    found = known_peer(conn, name)
    if found.role != FIELD or found.revoked_at is not None:
        raise InvalidInput(f"office {name}: not an enrolled field office (revoked, or headquarters)")
    return found


def peers(conn: Connection) -> list[Peer]:
    names = conn.execute(select(sync_peers.c.name).order_by(sync_peers.c.name)).scalars()
    return [known_peer(conn, n) for n in names]


def set_peer(conn: Connection, name: str, **values: Any) -> None:
    conn.execute(update(sync_peers).where(sync_peers.c.name == name).values(**values))


def open_conflicts(conn: Connection, case_id: str | None = None) -> list[tuple[str, str, int]]:
    """(case id, office, event after which the lines diverge) of every unresolved conflict.

    A case erased on either line has nothing left to resolve (no event can be appended to it, and
    neither line is readable): the erasure ends the conflict. So does headquarters taking a case
    back from a field office: the field office keeps nothing readable of it, and headquarters,
    which holds the field's line, resolves it there."""
    c = sync_conflicts.c
    erased = exists().where(events.c.case_id == c.case_id, events.c.type == "erased")
    erased_there = exists().where(sync_branches.c.case_id == c.case_id, sync_branches.c.type == "erased")
    w = sync_withdrawn.c
    withdrawn = exists().where(w.case_id == c.case_id, w.done_at.is_not(None), w.peer == sync_peers.c.name,
                               sync_peers.c.role == HQ)
    query = select(c.case_id, c.peer, c.fork_seq).where(
        c.resolved_seq.is_(None), ~erased, ~erased_there, ~withdrawn
    ).order_by(c.case_id, c.peer)
    if case_id is not None:
        query = query.where(sync_conflicts.c.case_id == case_id)
    return [(c, p, int(f)) for c, p, f in conn.execute(query)]


@dataclass(frozen=True)
class Withdrawal:
    """A case taken back from a field office: ``office`` is the field office at headquarters and
    headquarters at the field office; ``done_at`` None while the field office still holds it."""

    office: str
    case_id: str
    ordered_at: str
    done_at: str | None


def withdrawals(conn: Connection, office: str | None = None) -> list[Withdrawal]:
    w = sync_withdrawn.c
    query = select(w.peer, w.case_id, w.ordered_at, w.done_at).order_by(w.peer, w.case_id)
    if office is not None:
        query = query.where(w.peer == office)
    return [Withdrawal(*r) for r in conn.execute(query)]


def withdrawn_here(conn: Connection, case_id: str | None = None) -> dict[str, str]:
    """At a field office: the cases headquarters took back and whose key this office destroyed,
    with the date (none at headquarters, where the register of record keeps every case)."""
    w = sync_withdrawn.c
    query = select(w.case_id, w.done_at).join(sync_peers, sync_peers.c.name == w.peer).where(
        sync_peers.c.role == HQ, w.done_at.is_not(None))
    if case_id is not None:
        query = query.where(w.case_id == case_id)
    return {str(c): str(at) for c, at in conn.execute(query)}


def in_conflict(conn: Connection, case_id: str) -> bool:
    return bool(open_conflicts(conn, case_id))


def listed_duplicates(conn: Connection) -> list[tuple[str, str, str]]:
    """Every pair ever surfaced (case that arrived, case held here, office), decided or not."""
    query = select(sync_duplicates.c.case_id, sync_duplicates.c.other_case_id, sync_duplicates.c.peer)
    return [(a, b, p) for a, b, p in conn.execute(query.order_by(sync_duplicates.c.case_id))]


@dataclass(frozen=True)
class DuplicateState:
    """Where a pair stands, read from the ``duplicate_decided`` events on the case that arrived:
    ``decision`` None (open), "different" (closed), or "same" with the event it was last run at
    and ``to_carry`` facts recorded on the case since (arrived from the field: open again)."""

    case_id: str
    other_case_id: str
    peer: str
    decision: str | None = None
    decided_seq: int = 0
    to_carry: int = 0

    @property
    def open(self) -> bool:
        return self.decision is None or (self.decision == "same" and self.to_carry > 0)


def duplicate_states(conn: Connection, case_id: str | None = None) -> list[DuplicateState]:
    """Every pair surfaced, with the decisions on it: from the events' clear fields (no key needed)."""
    out = []
    for case, other, office in listed_duplicates(conn):
        if case_id is not None and case != case_id:
            continue
        rows = conn.execute(select(events.c.seq, events.c.type, events.c.clear).where(events.c.case_id == case)
                            .order_by(events.c.seq)).all()
        decision, at = None, 0
        for seq, type_, clear in rows:
            fields = json.loads(clear) if type_ in ("duplicate_decided", "corrected") else {}
            if type_ == "duplicate_decided" and fields.get("other_case_id") == other:
                decision, at = fields.get("decision"), int(seq)
        if decision is None:
            # Decided the other way round: the field office that is given the case held at
            # headquarters finds the same man in it, and the decision on its own case says so.
            reverse = conn.execute(select(events.c.clear).where(events.c.case_id == other,
                                                                events.c.type == "duplicate_decided")).scalars()
            decision = next((f.get("decision") for f in map(json.loads, reverse) if f.get("other_case_id") == case), None)
            out.append(DuplicateState(case, other, office, decision))
            continue
        to_carry = 0
        if decision == "same":
            for seq, type_, clear in rows:
                if seq <= at or type_ in NOT_CARRIED:
                    continue
                if type_ == "corrected" and json.loads(clear).get("corrects_seq") == 1:
                    continue  # a correction of his registration here is never carried: re-recorded by hand
                to_carry += 1
        out.append(DuplicateState(case, other, office, decision, at, to_carry))
    return out


def duplicates(conn: Connection) -> list[tuple[str, str, str]]:
    """The pairs open for a person's decision: undecided, or decided "same" with facts recorded on
    the case since that are still to carry."""
    return [(d.case_id, d.other_case_id, d.peer) for d in duplicate_states(conn) if d.open]


def closed_duplicates(conn: Connection) -> dict[str, str]:
    """Case closed as registered twice -> the case that holds the man."""
    # Only a case of a pair surfaced here can be closed (at a field office, the one it registered is
    # the pair's other case): read through the events' (case, seq) key, not the whole table.
    paired = select(sync_duplicates.c.case_id).union(select(sync_duplicates.c.other_case_id))
    query = select(events.c.case_id, events.c.clear).where(
        events.c.case_id.in_(paired), events.c.type == "duplicate_decided").order_by(events.c.seq)
    out: dict[str, str] = {}
    for case_id, clear in conn.execute(query):
        fields = json.loads(clear)
        if fields.get("decision") == "same":
            out[case_id] = str(fields.get("other_case_id"))
    return out


def rewrap_identity(conn: Connection, old: MasterKey, new: MasterKey) -> None:
    """Within a master key rotation: this office's private keys follow the master key, so that
    the office keeps signing and opening bundles with the same keys its peers registered."""
    identity = own_identity(conn, old)
    if identity is None:
        return
    signing, agreement = identity.wrapped(new)
    conn.execute(update(sync_identity).where(sync_identity.c.id == 1).values(signing_key=signing, agreement_key=agreement))


def pending_duplicates(conn: Connection) -> set[str]:
    """Cases that arrived from another office for a man already registered here under another id,
    waiting for a person's decision (or with facts that arrived since, to carry)."""
    return {case for case, _, _ in duplicates(conn)}


def duplicate_cases(conn: Connection) -> set[str]:
    """Every case that arrived for a man already registered here, decided or not: its service
    number stays the other case's in the index (a man decided different is a data error to correct)."""
    return set(conn.execute(select(sync_duplicates.c.case_id)).scalars())


def index_stays_with_other(conn: Connection, row: dict[str, Any]) -> dict[str, Any]:
    """A summary row of a case that arrived for a man held here under another case: while its
    service number is the other case's, the index stays the other case's (no digest here)."""
    digest = row.get("service_number_digest")
    arrived = select(sync_duplicates.c.case_id).where(sync_duplicates.c.case_id == row["case_id"]).limit(1)
    if digest and conn.execute(arrived).first() is not None:
        owner = owners_of_digests(conn, [(row["armed_force"], digest)]).get((row["armed_force"], digest))
        if owner is not None and owner != row["case_id"]:
            row["service_number_digest"] = None
    return row


def branch_rows(conn: Connection, case_id: str, office: str) -> list[codec.Row]:
    """The other office's line of a case as kept beside ours (``sync_branches``), in order."""
    b = sync_branches.c
    query = (select(b.seq, b.type, b.occurred_on, b.recorded_at, b.actor, b.clear, b.sealed, b.prev_hash, b.hash)
             .where(b.case_id == case_id, b.peer == office).order_by(b.seq))
    return [codec.Row(case_id, *r) for r in conn.execute(query)]


def mark_received(conn: Connection, case_id: str, rows: Sequence[codec.Row], office: str) -> None:
    """Record that ``office`` sent this store ``rows``, appended to the case's chain in the same
    transaction. A row's author is the name the writing store gave it; this says whose bundle
    brought it, which no row can claim for itself. A row recorded already keeps its first sender."""
    if not rows:
        return
    hashes = [r.hash for r in rows]
    held = set(conn.execute(select(sync_received.c.hash).where(
        sync_received.c.case_id == case_id, sync_received.c.hash.in_(hashes))).scalars())
    fresh = [h for h in dict.fromkeys(hashes) if h not in held]
    if fresh:
        conn.execute(insert(sync_received), [{"case_id": case_id, "hash": h, "peer": office} for h in fresh])


def received_from(conn: Connection, case_id: str) -> dict[int, str]:
    """Event number -> the office that sent it, for the rows of a case's chain this store did
    not write itself: one query, joined on the row's hash (a replaced line's rows drop out)."""
    r, e = sync_received.c, events.c
    query = select(e.seq, r.peer).join_from(sync_received, events, (e.case_id == r.case_id) & (e.hash == r.hash)).where(
        r.case_id == case_id)
    return {int(seq): str(office) for seq, office in conn.execute(query)}


def with_senders(conn: Connection, case_id: str, history: list[RecordedEvent]) -> list[RecordedEvent]:
    """A history as shown to a person: each event another office sent names that office."""
    received = received_from(conn, case_id)
    if not received:
        return history
    return [replace(r, received_from=received[r.seq]) if r.seq in received else r for r in history]
