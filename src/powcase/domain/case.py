"""A case is what its events say: ``Case = fold(events)``, a pure function.

Corrections are applied in the fold: the corrected event is read as if it had been recorded with
the changes, while the history keeps both the original and the correction with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from powcase.domain.events import (
    EVENT_TYPES,
    CaptureCardRecorded,
    Captured,
    ConflictResolved,
    Corrected,
    CustodyMoved,
    Decided,
    DetentionReasonRecorded,
    Died,
    Disclosed,
    DuplicateDecided,
    Erased,
    Escaped,
    Event,
    Exposed,
    Interviewed,
    LegalBasisRecorded,
    MedicallyAssessed,
    Notified,
    OverrideGranted,
    ProceedingsRecorded,
    RecordedEvent,
    Registered,
    RiskAssessed,
    SafetyPlanRecorded,
    ThirdStateAnswered,
    TransfereeAssessed,
    Transferred,
    parse_event,
)
from powcase.domain.values import CaseStatus
from powcase.errors import InvalidInput, InvariantViolation

E = TypeVar("E", bound=Event)


@dataclass(frozen=True, slots=True)
class Fact(Generic[E]):
    """One event as the case sees it: its place in the history and its (corrected) content."""

    seq: int
    event: E

    @property
    def occurred_on(self) -> date:
        return self.event.occurred_on


@dataclass(slots=True)
class Case:
    """The current facts about one prisoner, as of the last event folded."""

    case_id: str
    identity: Registered | None = None
    registered_on: date | None = None  # also set, without identity, when registered after the as-of date
    capture: Fact[Captured] | None = None
    custody: list[Fact[CustodyMoved]] = field(default_factory=list)
    medical: list[Fact[MedicallyAssessed]] = field(default_factory=list)
    capture_cards: list[Fact[CaptureCardRecorded]] = field(default_factory=list)
    notifications: list[Fact[Notified]] = field(default_factory=list)
    interviews: list[Fact[Interviewed]] = field(default_factory=list)
    risk_assessments: list[Fact[RiskAssessed]] = field(default_factory=list)
    third_state_answers: list[Fact[ThirdStateAnswered]] = field(default_factory=list)
    legal_bases: list[Fact[LegalBasisRecorded]] = field(default_factory=list)
    safety_plans: list[Fact[SafetyPlanRecorded]] = field(default_factory=list)
    transferee_assessments: list[Fact[TransfereeAssessed]] = field(default_factory=list)
    proceedings: list[Fact[ProceedingsRecorded]] = field(default_factory=list)
    exposures: list[Fact[Exposed]] = field(default_factory=list)
    decisions: list[Fact[Decided]] = field(default_factory=list)
    overrides: list[Fact[OverrideGranted]] = field(default_factory=list)
    transfers: list[Fact[Transferred]] = field(default_factory=list)
    corrections: list[Fact[Corrected]] = field(default_factory=list)
    disclosures: list[Fact[Disclosed]] = field(default_factory=list)
    detention_reasons: list[Fact[DetentionReasonRecorded]] = field(default_factory=list)
    death: Fact[Died] | None = None
    escapes: list[Fact[Escaped]] = field(default_factory=list)  # a recapture reopens the case, not the past
    status: CaseStatus = CaseStatus.INTERNED
    status_since: date | None = None
    last_seq: int = 0
    erased: bool = False
    # Closed as registered twice: the case that holds this man (a decision at headquarters).
    duplicate_of: str | None = None

    @property
    def place(self) -> str | None:
        """The current place of internment, if any was recorded."""
        return self.custody[-1].event.place if self.custody else None

    @property
    def captured_on(self) -> date | None:
        return self.capture.occurred_on if self.capture else None

    @property
    def in_custody(self) -> bool:
        return self.status == CaseStatus.INTERNED


def apply_corrections(history: Sequence[RecordedEvent]) -> list[RecordedEvent]:
    """Return the history with each corrected event replaced by its corrected reading.

    A correction names the event by its number and gives new values for top-level fields; the
    result must still be a valid event of the same type, or the correction is refused.
    """
    corrections: dict[int, dict[str, Any]] = {}
    types = {rec.seq: rec.type for rec in history}
    for rec in history:
        if isinstance(rec.event, Corrected):
            target = rec.event.corrects_seq
            if target >= rec.seq or target not in types:
                raise InvalidInput(f"case {rec.case_id} event {rec.seq}: corrects event {target}, which does not precede it")
            if types[target] in ("corrected", "erased"):
                raise InvalidInput(f"case {rec.case_id} event {rec.seq}: event {target} ({types[target]}) cannot be corrected")
            corrections.setdefault(target, {}).update(rec.event.changes)
    if not corrections:
        return list(history)
    out: list[RecordedEvent] = []
    for rec in history:
        changes = corrections.get(rec.seq)
        out.append(_corrected(rec, changes) if changes else rec)
    return out


def _corrected(rec: RecordedEvent, changes: dict[str, Any]) -> RecordedEvent:
    if rec.event is None:  # erased: nothing left to correct
        return rec
    if "type" in changes:
        raise InvalidInput(f"case {rec.case_id} event {rec.seq}: a correction cannot change the event type")
    data = rec.event.model_dump(mode="json")
    unknown = sorted(set(changes) - set(data))
    if unknown:
        raise InvalidInput(f"case {rec.case_id} event {rec.seq}: a correction names unknown field(s) {', '.join(unknown)}")
    data.update(changes)
    try:
        event = parse_event(data)
    except ValidationError as exc:
        raise InvalidInput(f"case {rec.case_id} event {rec.seq}: corrected event is invalid: {first_error(exc)}") from None
    return RecordedEvent(rec.case_id, rec.seq, rec.type, event.occurred_on, rec.recorded_at, rec.actor, event)


def first_error(exc: ValidationError) -> str:
    """One line naming the field and the problem, without echoing the value (it may be personal)."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, str) or p not in EVENT_TYPES)
    msg = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


_ERRORS_SHOWN = 12  # enough for every missing field of one event; a broken bundle says how many more


def every_error(exc: ValidationError) -> str:
    """Every problem at once, on one line (a missing field after a missing field, not one a run),
    each naming the field and the problem, never echoing the value."""
    seen: list[str] = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, str) or p not in EVENT_TYPES)
        msg = err["msg"].removeprefix("Value error, ")
        line = f"{loc}: {msg}" if loc else msg
        if line not in seen:
            seen.append(line)
    shown = seen[:_ERRORS_SHOWN]
    more = f"; and {len(seen) - len(shown)} more" if len(seen) > len(shown) else ""
    return "; ".join(shown) + more




def fold(history: Iterable[RecordedEvent], as_of: date | None = None) -> Case:
    """Fold a case's history, in order, into its facts (as of a date, if given).

    Facts are taken as of the date they occurred: an interview recorded late still counts from
    the day it was held, and a correction counts from the day it was made.
    """
    recorded = list(history)
    events = [r for r in recorded if as_of is None or r.occurred_on <= as_of]
    if not events:
        raise InvalidInput("a case needs at least its registration")
    case = Case(case_id=events[0].case_id)
    for rec in apply_corrections(events):
        _apply(case, rec)
    if case.identity is None:
        # Registered after the date asked about: no identity as of then, but the date of the
        # registration is kept so that a reader is told why, not that it is missing.
        later = [r.occurred_on for r in recorded if r.type == "registered" and as_of is not None and r.occurred_on > as_of]
        case.registered_on = min(later) if later else None
    return case


def _apply(case: Case, rec: RecordedEvent) -> None:
    case.last_seq = rec.seq
    ev = rec.event
    if rec.type == "erased":
        case.erased = True
        case.identity = None
        _set_status(case, CaseStatus.ERASED, rec.occurred_on)
        return
    if ev is None:  # sealed and unreadable: the case was erased
        return
    if ev.needs_custody and case.status != CaseStatus.INTERNED:
        raise InvariantViolation(
            f"case {rec.case_id} event {rec.seq}: {ev.type} on {ev.occurred_on} but he is no longer "
            f"in custody ({case.status.value} since {case.status_since})"
        )
    if case.capture and ev.occurred_on < case.capture.occurred_on and not isinstance(ev, Corrected | Registered):
        raise InvariantViolation(
            f"case {rec.case_id} event {rec.seq}: {ev.type} dated {ev.occurred_on}, before the capture on {case.capture.occurred_on}"
        )
    handler = _HANDLERS.get(type(ev))
    if handler is None:
        raise InvalidInput(f"case {rec.case_id} event {rec.seq}: no fold for event type {ev.type}")
    handler(case, Fact(rec.seq, ev))


def _set_status(case: Case, status: CaseStatus, since: date) -> None:
    case.status = status
    case.status_since = since


def _registered(case: Case, f: Fact[Any]) -> None:
    if case.identity is not None:
        raise InvariantViolation(f"case {case.case_id} event {f.seq}: registered twice")
    case.identity = f.event
    case.registered_on = f.occurred_on


def _captured(case: Case, f: Fact[Any]) -> None:
    if case.capture is not None and case.status != CaseStatus.ESCAPED:
        raise InvariantViolation(f"case {case.case_id} event {f.seq}: captured again while in custody")
    born = case.identity.birth_date if case.identity else None
    if born is not None and f.occurred_on < born:
        # The date itself stays out of the message: a birth date is personal data.
        raise InvariantViolation(f"case {case.case_id} event {f.seq}: captured before his date of birth; check either date")
    case.capture = f
    _set_status(case, CaseStatus.INTERNED, f.occurred_on)


def _transferred(case: Case, f: Fact[Any]) -> None:
    case.transfers.append(f)
    _set_status(case, CaseStatus.TRANSFERRED, f.occurred_on)


def _died(case: Case, f: Fact[Any]) -> None:
    case.death = f
    _set_status(case, CaseStatus.DIED, f.occurred_on)


def _escaped(case: Case, f: Fact[Any]) -> None:
    case.escapes.append(f)
    _set_status(case, CaseStatus.ESCAPED, f.occurred_on)


def _appender(attr: str) -> Any:
    def append(case: Case, f: Fact[Any]) -> None:
        getattr(case, attr).append(f)

    return append


def _duplicate_decided(case: Case, fact: Fact[DuplicateDecided]) -> None:
    if fact.event.decision == "same":
        case.duplicate_of = fact.event.other_case_id


_HANDLERS: dict[type[Event], Any] = {
    Registered: _registered,
    Captured: _captured,
    CustodyMoved: _appender("custody"),
    MedicallyAssessed: _appender("medical"),
    CaptureCardRecorded: _appender("capture_cards"),
    Notified: _appender("notifications"),
    Interviewed: _appender("interviews"),
    Corrected: _appender("corrections"),
    RiskAssessed: _appender("risk_assessments"),
    ThirdStateAnswered: _appender("third_state_answers"),
    LegalBasisRecorded: _appender("legal_bases"),
    SafetyPlanRecorded: _appender("safety_plans"),
    TransfereeAssessed: _appender("transferee_assessments"),
    ProceedingsRecorded: _appender("proceedings"),
    Exposed: _appender("exposures"),
    Decided: _appender("decisions"),
    OverrideGranted: _appender("overrides"),
    Transferred: _transferred,
    Died: _died,
    Escaped: _escaped,
    Disclosed: _appender("disclosures"),
    ConflictResolved: lambda case, fact: None,  # names the lines merged; the facts follow it
    DuplicateDecided: _duplicate_decided,
    DetentionReasonRecorded: _appender("detention_reasons"),
    Erased: lambda case, f: None,
}
