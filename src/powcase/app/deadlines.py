"""The register's duties on time: the law engine's `deadlines` for every stored case, as of a date.

A duty row leaves this module with the case id and, only when the caller may read identity, the
name in the script it was recorded in and in Latin letters; the office decides which.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from powcase.domain.case import Case, fold
from powcase.domain.context import Context
from powcase.domain.events import RecordedEvent
from powcase.law.deadlines import DUTY_KEYS, Duty, DutyStatus, deadlines
from powcase.law.rulebook import Rulebook
from powcase.store.eventstore import EventStore
from powcase.sync.state import withdrawn_here

STATUSES: tuple[str, ...] = tuple(status.value for status in DutyStatus)


@dataclass(frozen=True)
class DutyRow:
    duty: Duty
    name: str | None  # None: pseudonymised

    def as_dict(self) -> dict[str, str]:
        d = self.duty
        row = {
            "case_id": d.case_id,
            "duty": d.duty,
            "title": d.title,
            "status": d.status.value,
            "trigger_on": d.trigger_on.isoformat() if d.trigger_on else "",
            "due_on": d.due_on.isoformat() if d.due_on else "",
            "done_on": d.done_on.isoformat() if d.done_on else "",
            "sources": " ".join(d.sources),
            "discharged_by": d.discharged_by,
            "detail": d.detail,
        }
        if self.name is not None:
            row = {"case_id": d.case_id, "name": self.name, **{k: v for k, v in row.items() if k != "case_id"}}
        return row


def display_name(case: Case) -> str:
    """Family and given names, native script then Latin letters, as recorded."""
    ident = case.identity
    if ident is None:
        return ""
    parts = []
    for attr in ("native", "latin"):
        words = [getattr(n, attr) for n in (ident.family_name, ident.given_names) if getattr(n, attr)]
        if words:
            parts.append(" ".join(words))
    return " / ".join(parts)


def _cases(histories: Iterable[list[RecordedEvent]], as_of: date, case_id: str | None) -> Iterable[Case]:
    for history in histories:
        if not history or (case_id is not None and history[0].case_id != case_id):
            continue
        if history[0].occurred_on > as_of or any(r.type == "erased" for r in history):
            continue
        yield fold(history, as_of)


def register_deadlines(
    store: EventStore, rulebook: Rulebook, as_of: date, context: Context | None, *,
    case_id: str | None = None, identified: bool = False,
) -> list[DutyRow]:
    """Every duty of every case (or of one), as of a date, in register order."""
    rows: list[DutyRow] = []
    with store.begin() as tx:
        # At a field office, a case headquarters took back is not this office's duty any more
        # (and nothing of him is readable here): left out, as from the case list.
        taken = withdrawn_here(tx.conn)
        histories: Iterable[list[RecordedEvent]] = [tx.history(case_id)] if case_id else tx.histories()
        for case in _cases((h for h in histories if h and h[0].case_id not in taken), as_of, case_id):
            name = display_name(case) if identified else None
            rows.extend(DutyRow(duty, name) for duty in deadlines(case, rulebook, as_of, context))
    return rows


def summary(rows: Sequence[DutyRow]) -> dict[str, dict[str, int]]:
    """How many duties of each kind are due, overdue, done or not applicable; overdue first."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in DUTY_KEYS}
    for row in rows:
        counts[row.duty.duty][row.duty.status.value] += 1
    order = sorted(DUTY_KEYS, key=lambda k: (-counts[k][DutyStatus.OVERDUE.value], DUTY_KEYS.index(k)))
    return {key: {status: counts[key][status] for status in STATUSES} for key in order}
