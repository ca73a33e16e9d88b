"""How a case in conflict is read while it stays in conflict: on every line at once, and the
safer of their verdicts wins.

Each line (this office's chain, and each other office's line kept beside it) is folded and
decided on its own, and so is the union of both lines' facts; for each disposition the strictest
verdict among them is the one shown (barred over needs facts over permitted). A refusal or a real
risk recorded on either line therefore counts, and no line can make a transfer look permitted that
another line bars. The execution guard refuses any transfer of the case meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from powcase.domain.case import Case, fold
from powcase.domain.context import Context
from powcase.domain.events import RecordedEvent
from powcase.errors import InvalidInput
from powcase.law import Determination, Rulebook, determine
from powcase.law.verdicts import Status
from powcase.store.eventstore import EventStore
from powcase.sync import merge
from powcase.sync.state import branch_rows, open_conflicts

# The flag every verdict of a case in conflict carries, for people and for scripts.
IN_CONFLICT = "in_conflict_between_offices"
# Stricter first: the verdict shown for a disposition is the first of these found on any line.
_STRICTER = (Status.BARRED, Status.NEEDS_FACTS, Status.NOT_APPLICABLE, Status.PERMITTED)


@dataclass(frozen=True)
class Line:
    """One line of a case in conflict: whose it is, where it leaves the common history, its events."""

    office: str
    fork_seq: int
    history: list[RecordedEvent]
    # How many of its events after the fork a resolution on our line carried already (a line
    # that grew after a resolution is read for what it added), and where each carried one stands.
    merged: int = 0
    carried_to: dict[int, int] = field(default_factory=dict)


def lines(store: EventStore, case_id: str) -> list[Line]:
    """The other offices' lines of a case in conflict (empty when it is not in conflict)."""
    with store.begin() as tx:
        found = open_conflicts(tx.conn, case_id)
        if not found:
            return []
        local = tx.rows(case_id)
        ours = tx.decode(local)
        out = []
        for _, office, fork in found:
            branch = branch_rows(tx.conn, case_id, office)
            history = tx.decode([*local[:fork], *branch])
            theirs = [merge.TheirEvent(r, row.hash) for r, row in zip(history[fork:], branch, strict=True)]
            try:
                done = merge.merged(ours, theirs, fork, office)
            except InvalidInput:
                done = merge.Merged()  # read it whole: the safer reading never leaves out what may not be merged
            out.append(Line(office, fork, history, done.upto, done.where))
        return out


def safer_determination(history: list[RecordedEvent], others: list[Line], rulebook: Rulebook, as_of: date,
                        context: Context | None) -> tuple[Case, Determination]:
    """The case as this office holds it, and the determination on the safer reading of all lines."""
    case = fold(history, as_of)
    readings = [determine(case, rulebook, as_of, context)]
    for line in others:
        fork = line.fork_seq
        readings.append(determine(fold(line.history, as_of), rulebook, as_of, context))
        # Both lines' facts as one history, each correction still naming the event it corrects.
        union = merge.interleave(history[:fork], [history[fork:], line.history[fork + line.merged :]],
                                 {(1, theirs): (0, ours) for theirs, ours in line.carried_to.items()})
        readings.append(determine(fold(union, as_of), rulebook, as_of, context))
    base = readings[0]
    verdicts = []
    for verdict in base.dispositions:
        candidates = [d.verdict(verdict.disposition) for d in readings]
        safer = min(candidates, key=lambda v: _STRICTER.index(v.status))
        verdicts.append(safer.model_copy(update={"alerts": (*safer.alerts, IN_CONFLICT)}))
    return case, base.model_copy(update={"dispositions": tuple(verdicts)})
