"""One man registered at two offices: a legal officer at headquarters decides (docs/field-offices.md).

A field office that registers a man headquarters already holds (the same service number in the
same armed force) sends his case as a case of its own; headquarters lists the two as a possible
duplicate (:func:`powcase.app.sync._adopt`) and never merges them by itself. This module records
the decision, in one transaction:

- "different": a ``duplicate_decided`` event on the case that arrived; nothing else changes. Two
  men with one service number is a data error, corrected on the case that holds it wrongly.
- "same": the facts recorded on the case that arrived after its registration are recorded again
  on the case headquarters held, each under its own author, named with the office that sent it
  (as a conflict resolution carries them: :mod:`powcase.sync.merge`; a fact recorded at
  headquarters itself keeps its author's name as it is), through the execution guard; then the
  decision on the case that arrived closes it (no more local writes, no transfer: app/service.py).
  A correction of its registration is not carried (it would correct the other man's registration):
  it is named in the result, for the officer to record again by hand.

Nothing from the field is ever lost: facts that arrive on the closed case later are accepted by
sync, list the pair again ("to carry"), and the next decision carries those only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from powcase.app.service import Powcase, duplicate_of
from powcase.domain.events import Corrected, DuplicateDecided, RecordedEvent
from powcase.errors import InvalidInput, NotFound, NotPermitted
from powcase.store import codec
from powcase.store.eventstore import StoreTransaction
from powcase.sync import merge
from powcase.sync.identity import FIELD, HQ
from powcase.sync.state import duplicate_states, in_conflict, own_role, peer, received_from
from powcase.sync.tables import sync_shared

DECISIONS = ("same", "different")


@dataclass
class DuplicateDecision:
    """What one decision did: how many facts it carried onto the other case, from which event
    number there, the corrections of the registration left for a person, and whether the office
    that registered the case was given the other one."""

    case_id: str
    other_case_id: str
    decision: str
    office: str
    carried: int = 0
    first_seq: int = 0
    not_carried: list[int] = field(default_factory=list)
    given: bool = False


def decide_duplicate(pw: Powcase, case_id: str, other_case_id: str, decision: str, reason: str,
                     actor: str) -> DuplicateDecision:
    """Record a person's decision on a pair ``powcase sync conflicts`` lists (see the module)."""
    if decision not in DECISIONS:
        raise InvalidInput(f"--decision: same or different, not {decision!r}")
    if not reason.strip():
        raise InvalidInput("--reason: say why the two cases are (or are not) one man, without personal data")
    with pw.store.begin() as tx:
        if own_role(tx.conn) != HQ:
            raise InvalidInput("a possible duplicate is decided at headquarters, where the register of record is")
        for wanted in (case_id, other_case_id):
            if not tx.exists(wanted):
                raise NotFound(f"no case {wanted}")
        state = next((d for d in duplicate_states(tx.conn, case_id) if d.other_case_id == other_case_id and d.open), None)
        if state is None:
            raise NotFound(f"case {case_id}: not listed as possibly the same man as case {other_case_id} (`powcase sync conflicts`)")
        if state.decision == "same" and decision != "same":
            raise InvalidInput(f"case {case_id}: decided the same man as case {other_case_id} already; "
                               "deciding \"same\" again carries what arrived since")
        if in_conflict(tx.conn, case_id):
            raise NotPermitted(f"case {case_id}: in conflict between offices; resolve the conflict first (`powcase sync resolve`)")
        history, other_history = tx.history(case_id), tx.history(other_case_id)
        if any(r.event is None or r.type == "erased" for r in (*history, *other_history)):
            raise InvalidInput(f"case {case_id} or case {other_case_id} was erased; there is nothing to decide on")
        closed = duplicate_of(other_history)
        if closed is not None:
            raise InvalidInput(f"case {other_case_id}: itself closed, registered twice; the man's case is {closed}")
        done = DuplicateDecision(case_id, other_case_id, decision, state.peer)
        if decision == "different":
            event = DuplicateDecided(occurred_on=pw.today(), other_case_id=other_case_id, decision="different", reason=reason)
            pw.append_within(tx, case_id, history, [event], actor)
            return done
        # What earlier decisions carried, and where it stands on the other case: a correction
        # carried now names the event it corrects there. The same selection, so the same numbers.
        where: dict[int, int] = {}
        after = 1
        for rec in history:
            if isinstance(rec.event, DuplicateDecided) and rec.event.decision == "same" \
                    and rec.event.other_case_id == other_case_id:
                merge.carry(carriable(history, after, rec.seq)[0], 0, where, rec.event.first_seq)
                after = rec.seq
        picked, done.not_carried = carriable(history, after, history[-1].seq + 1)
        first_seq = other_history[-1].seq + 1
        carried = merge.carry(picked, 0, where, first_seq)
        done.carried, done.first_seq = len(carried), first_seq if carried else 0
        decided = DuplicateDecided(occurred_on=pw.today(), other_case_id=other_case_id, decision="same",
                                   carried=done.carried, first_seq=done.first_seq, reason=reason)
        pw.append_within(tx, case_id, history, [decided], actor)
        # Each fact keeps its author, named with his office; the guard checks every step.
        sent_by = received_from(tx.conn, case_id)
        for author, group in itertools.groupby(zip(_authors(picked, sent_by), carried, strict=True), key=lambda p: p[0]):
            other_history = [*other_history, *pw.append_within(tx, other_case_id, other_history,
                                                               [event for _, event in group], author)]
        done.given = _give(tx, state.peer, other_case_id)
        return done


def carriable(history: Sequence[RecordedEvent], after: int, before: int) -> tuple[list[merge.TheirEvent], list[int]]:
    """The facts between two event numbers that a decision "same" carries, and the corrections of
    his registration among them (never carried: they would correct the other case's registration)."""
    picked, left = [], []
    for rec in history:
        if not after < rec.seq < before or rec.type in merge.NOT_CARRIED:
            continue
        if isinstance(rec.event, Corrected) and rec.event.corrects_seq == 1:
            left.append(rec.seq)
            continue
        picked.append(merge.TheirEvent(rec, ""))
    return picked, left


def _authors(picked: list[merge.TheirEvent], sent_by: dict[int, str]) -> list[str]:
    """Who recorded each fact, named with the office that sent it here (merge.carried_by); a fact
    recorded at headquarters itself keeps its author's name as it is, and one carried here before
    by a conflict resolution names its office already."""
    out = []
    for item in picked:
        actor, office = item.recorded.actor, sent_by.get(item.recorded.seq)
        out.append(actor[:120] if "@" in actor or office is None else f"{actor}@{office}"[:120])
    return out


def _give(tx: StoreTransaction, office: str, case_id: str) -> bool:
    """The office that registered the man twice is given the case that holds him (as `powcase
    field extend` does): the next bundle carries it, and the decision with the closed case."""
    found = peer(tx.conn, office)
    if found is None or found.role != FIELD or found.revoked_at is not None:
        return False
    held = select(sync_shared.c.case_id).where(sync_shared.c.peer == office, sync_shared.c.case_id == case_id)
    if tx.conn.execute(held).first() is None:
        tx.conn.execute(insert(sync_shared).values(peer=office, case_id=case_id, acked_seq=0, acked_hash=codec.GENESIS))
    return True
