"""Where the store meets the law: determinations for stored cases and case files, and the
execution guard that re-checks the law before any transfer is recorded (ARCHITECTURE 1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from powcase.domain.case import Case, fold
from powcase.domain.casefile import casefile_history, read_casefiles
from powcase.domain.context import Context
from powcase.domain.events import OverrideGranted, RecordedEvent, SafetyPlanRecorded, Transferred
from powcase.domain.reading import load_document
from powcase.errors import InvalidInput, NotPermitted
from powcase.law import Determination, ExecutionRefused, Rulebook, check_execution, determine
from powcase.law.verdicts import DispositionVerdict
from powcase.store.eventstore import EventStore


def load_context(path: Path | None) -> Context | None:
    """The deployment's context file (hostilities, agreements), if there is one."""
    if path is None or not path.exists():
        return None
    data = load_document(path)
    try:
        return Context.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(f"{path}: not a valid context: {str(exc).splitlines()[0]}") from None


@dataclass(frozen=True)
class Determined:
    case: Case
    determination: Determination


def determine_stored(
    store: EventStore, case_id: str, rulebook: Rulebook, as_of: date, context: Context | None
) -> Determined:
    with store.begin() as tx:
        history = tx.history(case_id)
    case = fold(history, as_of)
    return Determined(case, determine(case, rulebook, as_of, context))


def determine_file(path: Path, rulebook: Rulebook, as_of: date, context: Context | None) -> list[Determined]:
    """A case file is decided in its own context when it carries one (the law scenarios do)."""
    out = []
    for cf in read_casefiles(path):
        case = fold(casefile_history(cf), as_of)
        out.append(Determined(case, determine(case, rulebook, as_of, cf.context or context)))
    return out


def determine_all(
    store: EventStore, rulebook: Rulebook, as_of: date, context: Context | None
) -> Iterator[Determination]:
    with store.begin() as tx:
        for history in tx.histories():
            if history[0].occurred_on > as_of or any(r.type == "erased" for r in history):
                continue
            case = fold(history, as_of)
            if case.in_custody:  # the law decides what may happen to those we still hold
                yield determine(case, rulebook, as_of, context)


def summarise(determinations: Sequence[Determination]) -> dict[str, Counter[str]]:
    """How many cases each disposition is permitted, barred or needs facts for."""
    table: dict[str, Counter[str]] = {}
    for d in determinations:
        for v in d.dispositions:
            table.setdefault(f"{v.disposition} {v.title}", Counter())[v.status.value] += 1
    return table


def guard_transfer(
    history: list[RecordedEvent], transfer: Transferred, rulebook: Rulebook, context: Context | None
) -> DispositionVerdict | None:
    """Refuse a transfer unless the law permits that exact disposition, to that state, that day.

    Returns the verdict relied on, or None when a recorded override (two approvers, a reason)
    is relied on instead. Conditions of the verdict (R23 reconfirmation at the point of
    departure, R30 safety measures) must be met by the transfer record itself.
    """
    if transfer.reconfirmation is not None and transfer.reconfirmation.result == "refused":
        raise NotPermitted(
            f"case {history[0].case_id}: he refused at the point of departure; the handover stops (R23)"
        )
    case = fold(history, transfer.occurred_on)
    determination = determine(case, rulebook, transfer.occurred_on, context)
    disposition = transfer.kind.disposition
    try:
        verdict = check_execution(determination, disposition, transfer.to_state)
    except ExecutionRefused:
        if _override(history, transfer) is not None:
            return None
        raise
    for condition in verdict.conditions:
        if condition.rule == "R23" and transfer.reconfirmation is None:
            raise NotPermitted(
                f"case {case.case_id}: {disposition.value} needs his private reconfirmation at the point of "
                "departure, recorded with the transfer (R23): add --set 'reconfirmation={by: ..., result: confirmed}'"
            )
        if condition.rule == "R30" and not any(
            isinstance(f.event, SafetyPlanRecorded) and f.event.disposition == disposition for f in case.safety_plans
        ):
            raise NotPermitted(f"case {case.case_id}: {disposition.value} needs the safety measures recorded first (R30)")
    return verdict


def _override(history: list[RecordedEvent], transfer: Transferred) -> OverrideGranted | None:
    if transfer.override_seq is None:
        return None
    for rec in history:
        if rec.seq == transfer.override_seq and isinstance(rec.event, OverrideGranted):
            if rec.event.disposition != transfer.kind.disposition:
                raise InvalidInput(
                    f"override_seq: event {rec.seq} overrides {rec.event.disposition.value}, not {transfer.kind.disposition.value}"
                )
            return rec.event
    raise InvalidInput(f"override_seq: event {transfer.override_seq} is not an override of this case")
