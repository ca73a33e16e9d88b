"""The execution guard, held as an invariant of a case's history (ARCHITECTURE property 1).

Every path that adds events - `record`, a correction, an import, an exchange's execution, later a
sync - hands the case's resulting history to :func:`check_history` before anything is written.
The history is refused unless:

1. every transfer in the effective (corrected) history is permitted by the law engine - the
   disposition, the receiving state and every state of its route (`via`) - on the facts recorded
   before it, both as of its own date and as of the latest date among those facts: a transfer
   dated back before refusals already on record is decided on those refusals too;
2. no transfer is dated before a fact already on record that shows him still in custody;
3. a correction never changes a transfer's kind, receiving state or route, nor an override at all;
   any other correction of a transfer is decided again like the transfer itself;
4. no event recorded after a transfer but dated on or before it changes that transfer's verdict
   (corrections excepted: they keep the original and record their reason);
5. a transfer whose reconfirmation at the point of departure says `refused` never stands (R23),
   and an override relied on is one granted in this store, before the transfer, for its
   disposition (an override, an erasure or a disclosure never arrives in a case file).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from powcase.domain.case import apply_corrections, fold
from powcase.domain.context import Context
from powcase.domain.events import (
    Corrected,
    OverrideGranted,
    RecordedEvent,
    SafetyPlanRecorded,
    Transferred,
)
from powcase.errors import InvalidInput, InvariantViolation, NotPermitted, PowcaseError
from powcase.law import DispositionVerdict, ExecutionRefused, Rulebook, check_transfer

# What a transfer is: changing any of these is another transfer, never a correction of one.
FIXED_BY_TRANSFER = ("kind", "to_state", "via")
# Written only by this store's own accounts: a case file that carries one is refused.
NEVER_IMPORTED = {
    "override_granted": "an override is granted in this store by two of its own accounts (`powcase override`)",
    "erased": "an erasure is made in this store by destroying the case's key (`powcase erase`)",
    "disclosed": "a disclosure is recorded in this store by the sharing gate (`powcase disclose`)",
}
# Recorded after a transfer and dated before it, these do not bear on its verdict.
_NO_BEARING = frozenset({"corrected", "erased", "disclosed", "transferred"})


def check_imported(case_id: str, history: Sequence[RecordedEvent]) -> None:
    """A case file may not carry what only this store's own accounts can record."""
    for rec in history:
        why = NEVER_IMPORTED.get(rec.type)
        if why is not None:
            raise InvalidInput(f"case {case_id} event {rec.seq}: a {rec.type} event cannot be imported: {why}")


def check_history(
    history: Sequence[RecordedEvent], first_new: int, rulebook: Rulebook, context: Context | None
) -> None:
    """Refuse the history unless the guard's invariant holds, where events from `first_new` on
    are the ones about to be written (the rest was checked when it was written)."""
    types = {rec.seq: rec.type for rec in history}
    new = [rec for rec in history if rec.seq >= first_new]
    corrected_transfers: set[int] = set()
    for rec in new:
        if isinstance(rec.event, Corrected):
            target = rec.event.corrects_seq
            if types.get(target) == "transferred":
                _check_transfer_correction(rec, rec.event)
                corrected_transfers.add(target)
            elif types.get(target) == "override_granted":
                raise InvalidInput(
                    f"case {rec.case_id} event {rec.seq}: an override is granted by two people together and "
                    "cannot be corrected: grant a new one"
                )
    effective = {rec.seq: rec for rec in apply_corrections(history)}
    for rec in history:
        transfer = effective[rec.seq].event
        if rec.type != "transferred" or not isinstance(transfer, Transferred):
            continue
        before = [r for r in history if r.seq < rec.seq]
        if rec.seq >= first_new or rec.seq in corrected_transfers:
            decide_transfer(rec.case_id, rec.seq, before, transfer, rulebook, context)
        else:
            _check_back_dated(history, rec, before, transfer, first_new, rulebook, context)


def _check_transfer_correction(rec: RecordedEvent, correction: Corrected) -> None:
    fixed = [name for name in FIXED_BY_TRANSFER if name in correction.changes]
    if fixed:
        raise InvalidInput(
            f"case {rec.case_id} event {rec.seq}: a correction cannot change the {', '.join(fixed)} of the transfer "
            f"(event {correction.corrects_seq}): record a new event instead"
        )


def decide_transfer(
    case_id: str, seq: int, before: Sequence[RecordedEvent], transfer: Transferred,
    rulebook: Rulebook, context: Context | None,
) -> DispositionVerdict | None:
    """Decide one transfer on the facts recorded before it (`before`, in its corrected reading).

    Returns the verdict relied on, or None when a valid override is relied on instead.
    Conditions of the verdict (R23 reconfirmation at the point of departure, R30 safety
    measures) must be met by the transfer record itself.
    """
    if transfer.reconfirmation is not None and transfer.reconfirmation.result == "refused":
        raise NotPermitted(f"case {case_id}: he refused at the point of departure; the handover stops (R23)")
    facts = apply_corrections(before)
    day = transfer.occurred_on
    for fact in facts:
        if fact.event is not None and fact.event.needs_custody and fact.occurred_on > day:
            raise InvariantViolation(
                f"case {case_id}: he was still in custody on {fact.occurred_on} (event {fact.seq}, {fact.type}); "
                f"a transfer cannot be dated {day}, before it"
            )
    if _override(case_id, seq, facts, transfer) is not None:
        return None
    latest = max((fact.occurred_on for fact in facts), default=day)
    verdict = _decide_on(case_id, before, transfer, day, rulebook, context)
    if latest > day:
        try:
            verdict = _decide_on(case_id, before, transfer, latest, rulebook, context)
        except ExecutionRefused as exc:
            raise ExecutionRefused(
                case_id, exc.verdict,
                f"{exc.detail}, on everything recorded before it (as of {latest}), not only as of its date {day}",
            ) from None
    return verdict


def _decide_on(
    case_id: str, before: Sequence[RecordedEvent], transfer: Transferred, as_of: date,
    rulebook: Rulebook, context: Context | None,
) -> DispositionVerdict:
    case = fold(before, as_of)
    disposition = transfer.kind.disposition
    verdict = check_transfer(case, rulebook, as_of, context, disposition, transfer.to_state, transfer.via)
    for condition in verdict.conditions:
        if condition.rule == "R23" and transfer.reconfirmation is None:
            raise NotPermitted(
                f"case {case_id}: {disposition.value} needs his private reconfirmation at the point of "
                "departure, recorded with the transfer (R23): add --set 'reconfirmation={by: ..., result: confirmed}'"
            )
        if condition.rule == "R30" and not any(
            isinstance(f.event, SafetyPlanRecorded) and f.event.disposition == disposition for f in case.safety_plans
        ):
            raise NotPermitted(f"case {case_id}: {disposition.value} needs the safety measures recorded first (R30)")
    return verdict


def _override(case_id: str, seq: int, facts: Sequence[RecordedEvent], transfer: Transferred) -> OverrideGranted | None:
    """The override the transfer names: granted in this store before it, for its disposition."""
    if transfer.override_seq is None:
        return None
    for rec in facts:
        if rec.seq == transfer.override_seq and rec.seq < seq and isinstance(rec.event, OverrideGranted):
            if rec.event.disposition != transfer.kind.disposition:
                raise InvalidInput(
                    f"override_seq: event {rec.seq} overrides {rec.event.disposition.value}, not {transfer.kind.disposition.value}"
                )
            return rec.event
    raise InvalidInput(f"override_seq: event {transfer.override_seq} is not an override of case {case_id} recorded before the transfer")


def _check_back_dated(
    history: Sequence[RecordedEvent], rec: RecordedEvent, before: list[RecordedEvent], transfer: Transferred,
    first_new: int, rulebook: Rulebook, context: Context | None,
) -> None:
    """A fact recorded after this transfer and dated on or before it must not change its verdict."""
    later = [r for r in history if r.seq > rec.seq and r.type not in _NO_BEARING and r.occurred_on <= transfer.occurred_on]
    added = [r for r in later if r.seq >= first_new]
    if not added:
        return
    try:
        decide_transfer(rec.case_id, rec.seq, [*before, *later], transfer, rulebook, context)
    except PowcaseError as exc:
        try:  # a history already at odds with the guard is not blamed on the new event
            decide_transfer(rec.case_id, rec.seq, [*before, *(r for r in later if r.seq < first_new)], transfer, rulebook, context)
        except PowcaseError:
            return
        first = added[0]
        raise InvariantViolation(
            f"case {rec.case_id}: this {first.type} is dated {first.occurred_on}, on or before the transfer recorded as "
            f"event {rec.seq} ({transfer.occurred_on}), and would change its verdict ({_detail(exc)}); a fact learned "
            "after a transfer is not back-dated before it: correct the facts it changes, with the reason"
        ) from None


def _detail(exc: PowcaseError) -> str:
    if isinstance(exc, ExecutionRefused):
        return f"{exc.verdict.disposition} {exc.detail}"
    return str(exc).split(": ", 1)[-1]
