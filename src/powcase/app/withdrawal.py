"""Taking cases back from a field office (need-to-know): a man moved to another camp should not
stay readable on a laptop that no longer needs him. Nothing the field office wrote is lost.

1. Headquarters records the order (``sync_withdrawn``) and stops sending the case's events to
   that office; every bundle to it until it is done says "withdraw case X: headquarters holds
   your line of it up to one of these heads" (the rows of its own chain from the head the office
   last acknowledged, and the office's line kept beside it in a conflict).
2. The field office, on import: if its head of X is one of those, headquarters holds every event
   it has on X; it destroys its copy of X's data key (as an erasure on import does: the chain
   rows stay and verify, nothing readable remains) and writes nothing more on X. Otherwise it
   keeps X and sends its remaining events with its next bundle, and withdraws X on the first
   bundle from headquarters that names its head.
3. Each field bundle names the cases withdrawn there, with the number of headquarters' bundle
   they were withdrawn on: headquarters counts one done only on a bundle made after its order,
   so that a report written before a case was given again never closes a later order.

``powcase field extend`` gives a case taken back again: headquarters sends it afresh, its key
with it, and the field office takes the key back (the rows it kept are the same chain).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update

from powcase.app.determinations import forget_determination
from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.errors import InvalidInput, NotFound
from powcase.store import codec
from powcase.store.eventstore import StoreTransaction
from powcase.store.projections import summary_row, upsert_summary
from powcase.store.tables import events
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import HQ
from powcase.sync.state import enrolled_field_office, index_stays_with_other, own_role
from powcase.sync.tables import sync_branches, sync_shared, sync_withdrawn


def withdraw(pw: Powcase, name: str, case_ids: list[str]) -> list[str]:
    """At headquarters: take these cases back from field office ``name``. Returns those newly
    ordered (ordering a case again changes nothing)."""
    if not case_ids:
        raise InvalidInput("--cases: no case matches")
    with pw.store.begin() as tx:
        if own_role(tx.conn) != HQ:
            raise InvalidInput("only headquarters takes cases back from a field office")
        other = enrolled_field_office(tx.conn, name)
        missing = [c for c in case_ids if not tx.exists(c)]
        if missing:
            raise NotFound(f"no case {missing[0]}")
        held = set(tx.conn.execute(select(sync_shared.c.case_id).where(sync_shared.c.peer == name)).scalars())
        ordered = set(tx.conn.execute(select(sync_withdrawn.c.case_id).where(sync_withdrawn.c.peer == name)).scalars())
        not_held = sorted(c for c in case_ids if c not in held and c not in ordered)
        if not_held:
            raise InvalidInput(f"office {name} does not hold case {not_held[0]}; nothing was taken back")
        new = sorted(set(case_ids) - ordered)
        now = codec.timestamp(pw.clock())
        for case_id in new:
            # Bundles numbered above the last one made so far carry the order.
            tx.conn.execute(insert(sync_withdrawn).values(peer=name, case_id=case_id, ordered_at=now,
                                                          after_bundle=other.sent_number, done_at=None, done_bundle=None))
        return new


def give_again(tx: StoreTransaction, name: str, case_ids: list[str]) -> set[str]:
    """At headquarters, within `field extend`: cases taken back (or being taken back) from the
    office are given again, from their first event and with their key. Returns them."""
    ordered = set(tx.conn.execute(select(sync_withdrawn.c.case_id).where(
        sync_withdrawn.c.peer == name, sync_withdrawn.c.case_id.in_(case_ids))).scalars())
    for case_id in sorted(ordered):
        tx.conn.execute(delete(sync_withdrawn).where(sync_withdrawn.c.peer == name, sync_withdrawn.c.case_id == case_id))
        tx.conn.execute(delete(sync_shared).where(sync_shared.c.peer == name, sync_shared.c.case_id == case_id))
        tx.conn.execute(insert(sync_shared).values(peer=name, case_id=case_id, acked_seq=0, acked_hash=codec.GENESIS))
    return ordered


def pending(tx: StoreTransaction, name: str) -> set[str]:
    """At headquarters: the cases ordered back from ``name`` that it has not reported withdrawn."""
    return set(tx.conn.execute(select(sync_withdrawn.c.case_id).where(
        sync_withdrawn.c.peer == name, sync_withdrawn.c.done_at.is_(None))).scalars())


def orders(tx: StoreTransaction, name: str, cases: set[str]) -> dict[str, list[list[Any]]]:
    """For a bundle to ``name``: each case ordered back, with every head of the office's line of
    it that headquarters holds (its own chain from what the office last acknowledged, and the
    office's line kept beside it in a conflict). The office's head is one of them exactly when
    headquarters holds every event the office has on the case."""
    out: dict[str, list[list[Any]]] = {}
    for case_id in sorted(cases):
        acked = tx.conn.execute(select(sync_shared.c.acked_seq).where(
            sync_shared.c.peer == name, sync_shared.c.case_id == case_id)).scalar() or 0
        ours = tx.conn.execute(select(events.c.seq, events.c.hash).where(
            events.c.case_id == case_id, events.c.seq >= acked).order_by(events.c.seq))
        theirs = tx.conn.execute(select(sync_branches.c.seq, sync_branches.c.hash).where(
            sync_branches.c.case_id == case_id, sync_branches.c.peer == name).order_by(sync_branches.c.seq))
        out[case_id] = [[int(s), str(h)] for s, h in [*ours, *theirs]]
    return out


def reports(tx: StoreTransaction) -> dict[str, int]:
    """For a field office's bundle: every case withdrawn here, with the number of headquarters'
    bundle that last found it so (the report headquarters checks against its order)."""
    w = sync_withdrawn.c
    rows = tx.conn.execute(select(w.case_id, w.done_bundle).where(w.done_at.is_not(None)))
    return {str(c): int(n) for c, n in rows}


def take_back_here(pw: Powcase, tx: StoreTransaction, sender: str, number: int, given: Any) -> tuple[list[str], list[str]]:
    """At the field office, on importing headquarters' bundle ``number``: carry out its orders.
    Returns the cases withdrawn now and those kept until headquarters holds their events."""
    if given is not None and not isinstance(given, dict):
        raise BundleRefused(f"bundle from {sender}: its cases to take back are not a list of heads (altered)")
    given = given or {}
    w = sync_withdrawn.c
    # Headquarters repeats every open order in each bundle until it is carried out: an order still
    # waiting here that this bundle no longer carries was ended by giving the case again (`field
    # extend`), which may bring no rows of it to carry the news (the office holds them all).
    tx.conn.execute(delete(sync_withdrawn).where(w.peer == sender, w.done_at.is_(None), w.case_id.not_in(sorted(given))))
    done, waiting = [], []
    now = codec.timestamp(pw.clock())
    for case_id, heads in sorted(given.items()):
        try:
            held = {(int(seq), str(hash_)) for seq, hash_ in heads}
        except (TypeError, ValueError):
            raise BundleRefused(f"bundle from {sender}: case {case_id}: its heads to take back are not heads (altered)") from None
        row = tx.conn.execute(select(w.done_at).where(w.peer == sender, w.case_id == case_id)).first()
        if row is None:
            tx.conn.execute(insert(sync_withdrawn).values(peer=sender, case_id=case_id, ordered_at=now, after_bundle=number,
                                                          done_at=None, done_bundle=None))
        elif row[0] is not None:
            # Withdrawn already: said again as of this bundle, which headquarters made after its order.
            tx.conn.execute(update(sync_withdrawn).where(w.peer == sender, w.case_id == case_id).values(done_bundle=number))
            continue
        local = tx.rows(case_id)
        if local and (local[-1].seq, local[-1].hash) not in held:
            waiting.append(case_id)  # events headquarters has not received: they go with the next bundle
            continue
        if local:
            if tx.sealer(case_id) is not None:
                tx.destroy_case_key(case_id)
            summary_again(pw, tx, case_id)
        tx.conn.execute(update(sync_withdrawn).where(w.peer == sender, w.case_id == case_id)
                        .values(done_at=now, done_bundle=number))
        done.append(case_id)
    return done, waiting


def given_back_here(tx: StoreTransaction, sender: str, case_id: str, key: Any) -> bool:
    """At the field office, before applying a case's rows: a case headquarters took back comes
    again only with its key (`field extend`), and is then this office's again. Returns whether
    it came back (its summary is to be made again once its rows are applied)."""
    w = sync_withdrawn.c
    row = tx.conn.execute(select(w.done_at).where(w.peer == sender, w.case_id == case_id)).first()
    if row is None:
        return False
    if key is None:
        if row[0] is None:
            return False  # still held here, waiting: headquarters sends nothing of it, but this costs nothing
        raise BundleRefused(f"bundle from {sender}: case {case_id} was taken back from this office and comes without its key")
    tx.conn.execute(delete(sync_withdrawn).where(w.peer == sender, w.case_id == case_id))
    return row[0] is not None


def summary_again(pw: Powcase, tx: StoreTransaction, case_id: str) -> None:
    """The summary made again from what this office can read of the case: with its key once more
    (given again), or without it (taken back: nationality, place and the service number's index
    entry were read with the key, and nothing of him may stay readable here)."""
    history = tx.history(case_id)
    row = summary_row(fold(history), pw.store.master_key, max(r.occurred_on for r in history))
    upsert_summary(tx.conn, index_stays_with_other(tx.conn, row))
    tx.summary_changed(case_id)
    forget_determination(tx.conn, case_id)


def reported_at_headquarters(pw: Powcase, tx: StoreTransaction, sender: str, reported: Any, sent_number: int) -> list[str]:
    """At headquarters, on importing a field bundle: the cases it reports withdrawn on a bundle
    made after the order are done; nothing of them is sent to it or accepted from it again."""
    if reported is None:
        return []
    if not isinstance(reported, dict) or not all(isinstance(n, int) for n in reported.values()):
        raise BundleRefused(f"bundle from {sender}: its cases taken back are not a list of bundle numbers (altered)")
    if any(n > sent_number for n in reported.values()):
        raise BundleRefused(f"bundle from {sender}: it names a bundle headquarters never sent it (altered)")
    w = sync_withdrawn.c
    done = []
    now = codec.timestamp(pw.clock())
    for case_id, number in sorted(reported.items()):
        after = tx.conn.execute(select(w.after_bundle).where(w.peer == sender, w.case_id == case_id, w.done_at.is_(None))).scalar()
        if after is None or number <= after:
            continue  # no order open, or a report written before the order: not this order's
        tx.conn.execute(update(sync_withdrawn).where(w.peer == sender, w.case_id == case_id).values(done_at=now, done_bundle=number))
        tx.conn.execute(delete(sync_shared).where(sync_shared.c.peer == sender, sync_shared.c.case_id == case_id))
        done.append(case_id)
    return done


def taken_back_from(tx: StoreTransaction, name: str, case_id: str) -> str | None:
    """At headquarters: when ``case_id`` was taken back from ``name`` (done), if it was."""
    w = sync_withdrawn.c
    return tx.conn.execute(select(w.done_at).where(w.peer == name, w.case_id == case_id, w.done_at.is_not(None))).scalar()
