"""Master key rotation: re-wrap every case's data key, re-MAC every anchor, re-key the blind index.

One transaction: until it commits the store opens with the old key only, after it with the new key
only. No event row changes (its hash covers ciphertext that stays the same, since the data keys
themselves do not change), so every chain verifies before and after.

Every MAC is checked under the old key before it is recomputed under the new one: re-MACing a
forged anchor would launder the forgery, so rotation refuses to run on a store that does not
verify. Stop every other powcase process first: a process still holding the old key in memory
would write anchors the new key does not accept (``verify`` would then report them).
"""

from __future__ import annotations

import hmac

from sqlalchemy import Connection, Engine, select, text, update

from powcase.access.audit import remac_head
from powcase.domain.case import fold
from powcase.errors import IntegrityFailure, InvalidInput, KeyUnavailable
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore, StoreTransaction
from powcase.store.projections import service_number_digest
from powcase.store.tables import case_keys, case_summary, chain_heads, store_head
from powcase.sync.state import rewrap_identity

# Tables whose rows rotation rewrites or must see unchanged while it runs.
_LOCKED = ("case_keys", "chain_heads", "store_head", "case_summary", "events", "access_log_head", "sync_identity")


def rotate_master_key(engine: Engine, old: MasterKey, new: MasterKey) -> int:
    """Rotate from ``old`` to ``new``; returns the number of case keys re-wrapped.

    Raises :class:`KeyUnavailable` if a case key does not open with ``old`` and
    :class:`IntegrityFailure` if an anchor's MAC does not verify under ``old``; nothing changes then.
    """
    if old.key_id == new.key_id:
        raise InvalidInput("new master key: it is the same key as the old one")
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Writers wait until the rotation commits; they then fail to open case keys with the old
            # key instead of interleaving old-key anchors with new-key ones.
            conn.execute(text(f"LOCK TABLE {', '.join(_LOCKED)} IN EXCLUSIVE MODE"))
        tx = StoreTransaction(EventStore(engine, old), conn)
        tx.load_all_keys()  # unwraps every case key with the old key, or raises KeyUnavailable
        _check_heads(conn, tx.store)
        _rekey_digests(conn, tx, new)
        count = _rewrap(conn, old, new)
        rewrap_identity(conn, old, new)  # a field office's keys, if this store is one of the offices
        _remac_heads(conn, EventStore(engine, new))
        problems = remac_head(conn, old, new)
        if problems:
            raise IntegrityFailure("; ".join(problems) + ": run `powcase audit verify` before rotating")
    return count


def _check_heads(conn: Connection, store: EventStore) -> None:
    for case_id, seq, hash_, mac in conn.execute(
        select(chain_heads.c.case_id, chain_heads.c.last_seq, chain_heads.c.last_hash, chain_heads.c.mac)
    ):
        if not hmac.compare_digest(mac, store.head_mac(case_id, seq, hash_)):
            raise IntegrityFailure(f"case {case_id}: its chain head does not verify under the old master key; "
                                   "run `powcase audit verify` before rotating")
    head = conn.execute(select(store_head.c.event_count, store_head.c.mac)).first()
    if head is not None and not hmac.compare_digest(head[1], store.count_mac(int(head[0]))):
        raise IntegrityFailure("the store's event count does not verify under the old master key")


def _rekey_digests(conn: Connection, tx: StoreTransaction, new: MasterKey) -> None:
    """The service-number digests are HMACs under a key derived from the master key: recompute them
    from the identity as the case's events say it (corrections included), decrypted with the old key."""
    for (case_id,) in conn.execute(
        select(case_summary.c.case_id).where(case_summary.c.service_number_digest.is_not(None))
    ).all():
        case = fold(tx.history(case_id))
        ident = case.identity
        if ident is None or not ident.service_number:
            raise KeyUnavailable(f"case {case_id}: has a service-number digest but its identity does not open")
        digest = service_number_digest(new, ident.armed_force, ident.service_number)
        conn.execute(update(case_summary).where(case_summary.c.case_id == case_id).values(service_number_digest=digest))


def _rewrap(conn: Connection, old: MasterKey, new: MasterKey) -> int:
    rows = conn.execute(select(case_keys.c.case_id, case_keys.c.wrapped_key)).all()
    for case_id, wrapped in rows:
        data_key = old.unwrap(wrapped, case_id)
        conn.execute(
            update(case_keys).where(case_keys.c.case_id == case_id)
            .values(wrapped_key=new.wrap(data_key, case_id), master_key_id=new.key_id)
        )
    return len(rows)


def _remac_heads(conn: Connection, store: EventStore) -> None:
    for case_id, seq, hash_ in conn.execute(
        select(chain_heads.c.case_id, chain_heads.c.last_seq, chain_heads.c.last_hash)
    ).all():
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == case_id).values(mac=store.head_mac(case_id, seq, hash_)))
    head = conn.execute(select(store_head.c.id, store_head.c.event_count)).first()
    if head is not None:
        conn.execute(update(store_head).where(store_head.c.id == head[0]).values(mac=store.count_mac(int(head[1]))))
