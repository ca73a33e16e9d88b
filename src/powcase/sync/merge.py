"""How another office's line of a case is carried into this one: pure, no store, no clock.

A resolution at headquarters records the other office's events again after a ``conflict_resolved``
event, where they get new numbers. A correction names the event it corrects by its number, so a
correction carried from the other line must name where that event stands now, or it would
correct the wrong event. The same holds for the safer reading (:mod:`powcase.app.sync_reading`),
which reads both lines as one history.

A line may be resolved more than once (the field office wrote again on its old line before it
heard of the first resolution): each resolution carries only what the earlier ones did not, and
:func:`merged` finds what they did from the resolutions themselves, checking on the way that each
carried exactly the events it names. The field office runs the same check before it adopts
headquarters' line: a resolution that left out one of its events is refused, never adopted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from powcase.domain.events import ConflictResolved, Corrected, Event, RecordedEvent
from powcase.errors import InvalidInput

# Never carried into another office's line: made only by a store's own accounts, or by a merge.
NOT_CARRIED = frozenset({"registered", "erased", "override_granted", "conflict_resolved", "disclosed",
                         "duplicate_decided"})


@dataclass(frozen=True)
class TheirEvent:
    """One event of the other line after the fork, with the hash that names it in resolutions."""

    recorded: RecordedEvent
    hash: str


@dataclass
class Merged:
    """What of the other line our line holds already.

    ``upto``: how many of its events after the fork the resolutions merged; ``where``: the number
    each carried event has on our line; ``heads``: the heads of it that resolutions named.
    """

    upto: int = 0
    where: dict[int, int] = field(default_factory=dict)
    heads: list[str] = field(default_factory=list)


class Unfaithful(InvalidInput):
    """A resolution does not carry the events it names: never adopted."""


def carried_by(theirs: Sequence[TheirEvent], office: str) -> list[str]:
    """Who recorded each event :func:`carry` carries, named with his office: the person at the
    field office stays the author of what he recorded, not the officer who merged it."""
    return [f"{item.recorded.actor}@{office}"[:120] for item in theirs if item.recorded.type not in NOT_CARRIED]


def carry(theirs: Sequence[TheirEvent], fork: int, where: dict[int, int], first_seq: int) -> list[Event]:
    """Their events (after the fork, not yet merged) as they are recorded again on our line from
    number ``first_seq``; a correction points to where its event stands on our line.
    ``where`` is extended with the numbers given here."""
    out: list[Event] = []
    for item in theirs:
        rec = item.recorded
        if rec.type in NOT_CARRIED:
            continue
        if rec.event is None:
            raise InvalidInput(f"event {rec.seq} of the other line cannot be read (its case was erased); nothing is carried")
        event = rec.event
        if isinstance(event, Corrected) and event.corrects_seq > fork:
            target = where.get(event.corrects_seq)
            if target is None:
                raise InvalidInput(
                    f"event {rec.seq} of the other line corrects its event {event.corrects_seq}, which is not carried "
                    "(a registration, erasure, override or disclosure is never carried); correct it here first"
                )
            event = event.model_copy(update={"corrects_seq": target})
        where[rec.seq] = first_seq + len(out)
        out.append(event)
    return out


def merged(ours: Sequence[RecordedEvent], theirs: Sequence[TheirEvent], fork: int, office: str) -> Merged:
    """What the resolutions on our line (those naming ``office``) carried of their line, checked:
    each must be followed by exactly the events it names, numbers of corrections mapped."""
    done = Merged()
    position = {item.hash: i for i, item in enumerate(theirs)}
    for rec in ours[fork:]:
        resolution = rec.event
        if not isinstance(resolution, ConflictResolved) or resolution.office != office:
            continue
        end = position.get(resolution.their_head)
        if end is None or end < done.upto:
            # A head not on the line we hold (an older fork of it): nothing of this line.
            continue
        expected = carry(theirs[done.upto : end + 1], fork, done.where, rec.seq + 1)
        found = [r.event for r in ours[rec.seq : rec.seq + len(expected)]]
        if resolution.carried != len(expected) or found != expected:
            raise Unfaithful(
                f"the resolution at event {rec.seq} does not carry the events of office {office}'s line that it names"
            )
        done.upto = end + 1
        done.heads.append(resolution.their_head)
    return done


def interleave(common: Sequence[RecordedEvent], lines: Sequence[Sequence[RecordedEvent]],
               elsewhere: Mapping[tuple[int, int], tuple[int, int]] | None = None) -> list[RecordedEvent]:
    """One history of the common part and every line's events after it, in the order they
    occurred, numbered afresh: each correction names its event's new number. ``elsewhere``:
    events left out of a line because another line holds them (line, number) -> (line, number),
    for the corrections that point to them."""
    fork = len(common)
    moved = elsewhere or {}
    tagged = [(r.occurred_on, r.recorded_at, k, r) for k, line in enumerate(lines) for r in line]
    tagged.sort(key=lambda t: (t[0], t[1], t[2], t[3].seq))
    where: dict[tuple[int, int], int] = {}
    for i, (_, _, k, r) in enumerate(tagged, start=fork + 1):
        where[(k, r.seq)] = i
    out = list(common)
    for i, (_, _, k, r) in enumerate(tagged, start=fork + 1):
        event = r.event
        if isinstance(event, Corrected) and event.corrects_seq > fork:
            target = where.get(moved.get((k, event.corrects_seq), (k, event.corrects_seq)))
            event = event.model_copy(update={"corrects_seq": target}) if target is not None else event
        out.append(RecordedEvent(r.case_id, i, r.type, r.occurred_on, r.recorded_at, r.actor, event))
    return out
