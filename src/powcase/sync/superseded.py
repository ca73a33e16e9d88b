"""A field office's own lines that headquarters' resolved line replaced (``sync_superseded``):
checked by `audit verify` as the chains are, and still counted as reached by a checkpoint.

Each superseded line must link to the chain it left (its first row follows the chain's event at
the fork), hash as stored, and end at the head that a ``conflict_resolved`` event on the chain
names: otherwise it is not the line that was merged.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

from sqlalchemy import Connection, select

from powcase.store import codec
from powcase.store.eventstore import ChainBreak
from powcase.store.tables import events
from powcase.sync.tables import sync_superseded

_COLUMNS = (sync_superseded.c.case_id, sync_superseded.c.seq, sync_superseded.c.type, sync_superseded.c.occurred_on,
            sync_superseded.c.recorded_at, sync_superseded.c.actor, sync_superseded.c.clear, sync_superseded.c.sealed,
            sync_superseded.c.prev_hash, sync_superseded.c.hash)


def _lines(conn: Connection) -> dict[tuple[str, str], list[codec.Row]]:
    lines: dict[tuple[str, str], list[codec.Row]] = defaultdict(list)
    query = select(sync_superseded.c.resolution_hash, *_COLUMNS).order_by(sync_superseded.c.case_id, sync_superseded.c.seq)
    for resolution, *row in conn.execute(query):
        lines[(row[0], resolution)].append(codec.Row(*row))
    return lines


def problems(conn: Connection) -> list[ChainBreak]:
    out: list[ChainBreak] = []
    for (case_id, resolution_hash), rows in _lines(conn).items():
        chain = {seq: (type_, clear, hash_) for seq, type_, clear, hash_ in conn.execute(
            select(events.c.seq, events.c.type, events.c.clear, events.c.hash).where(events.c.case_id == case_id))}
        first = rows[0]
        at_fork = chain.get(first.seq - 1)
        problem = None
        if any(codec.hash_of(r) != r.hash for r in rows):
            problem = "a row of its superseded line does not match its hash (altered)"
        elif any(b.seq != a.seq + 1 or b.prev_hash != a.hash for a, b in itertools.pairwise(rows)):
            problem = "its superseded line is not one chain (a row removed or altered)"
        elif first.seq > 1 and (at_fork is None or at_fork[2] != first.prev_hash):
            problem = "its superseded line does not leave the chain where it says"
        else:
            resolution = next(((t, c) for t, c, h in chain.values() if h == resolution_hash), None)
            named = json.loads(resolution[1]).get("their_head") if resolution and resolution[0] == "conflict_resolved" else None
            if named != rows[-1].hash:
                problem = "its superseded line is not the one a resolution on the chain merged"
        if problem is not None:
            out.append(ChainBreak(case_id, first.seq, problem))
    return out


def heads(conn: Connection) -> set[tuple[str, int, str]]:
    """Every (case, event, hash) of a superseded line: a checkpoint made before the line was
    replaced reaches the chain through the resolution that merged it."""
    return {(r.case_id, r.seq, r.hash) for rows in _lines(conn).values() for r in rows}
