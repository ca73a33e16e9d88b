"""What a store knows about synchronisation, read and written inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from powcase.errors import NotFound
from powcase.store.crypto import MasterKey
from powcase.sync.identity import OfficeIdentity
from powcase.sync.tables import sync_conflicts, sync_duplicates, sync_identity, sync_peers


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
                row.sent_number, row.received_number, row.received_digest)


def known_peer(conn: Connection, name: str) -> Peer:
    found = peer(conn, name)
    if found is None:
        raise NotFound(f"office {name}: not enrolled here (`powcase field list`)")
    return found


def peers(conn: Connection) -> list[Peer]:
    names = conn.execute(select(sync_peers.c.name).order_by(sync_peers.c.name)).scalars()
    return [known_peer(conn, n) for n in names]


def set_peer(conn: Connection, name: str, **values: Any) -> None:
    conn.execute(update(sync_peers).where(sync_peers.c.name == name).values(**values))


def open_conflicts(conn: Connection, case_id: str | None = None) -> list[tuple[str, str, int]]:
    """(case id, office, event after which the lines diverge) of every unresolved conflict."""
    query = select(sync_conflicts.c.case_id, sync_conflicts.c.peer, sync_conflicts.c.fork_seq).where(
        sync_conflicts.c.resolved_seq.is_(None)
    ).order_by(sync_conflicts.c.case_id, sync_conflicts.c.peer)
    if case_id is not None:
        query = query.where(sync_conflicts.c.case_id == case_id)
    return [(c, p, int(f)) for c, p, f in conn.execute(query)]


def in_conflict(conn: Connection, case_id: str) -> bool:
    return bool(open_conflicts(conn, case_id))


def duplicates(conn: Connection) -> list[tuple[str, str, str]]:
    query = select(sync_duplicates.c.case_id, sync_duplicates.c.other_case_id, sync_duplicates.c.peer)
    return [(a, b, p) for a, b, p in conn.execute(query.order_by(sync_duplicates.c.case_id))]


def rewrap_identity(conn: Connection, old: MasterKey, new: MasterKey) -> None:
    """Within a master key rotation: this office's private keys follow the master key, so that
    the office keeps signing and opening bundles with the same keys its peers registered."""
    identity = own_identity(conn, old)
    if identity is None:
        return
    signing, agreement = identity.wrapped(new)
    conn.execute(update(sync_identity).where(sync_identity.c.id == 1).values(signing_key=signing, agreement_key=agreement))


def pending_duplicates(conn: Connection) -> set[str]:
    """Cases that arrived from another office for a man already registered here under another id."""
    return set(conn.execute(select(sync_duplicates.c.case_id)).scalars())
