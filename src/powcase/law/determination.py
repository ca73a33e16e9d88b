"""The public entry point: `determine(case, rulebook, as_of, context) -> Determination`.

A determination is one frozen value: the finding on free will (R20-R24), the risk per destination
and onward state (R25-R29), the verdict on each disposition D1-D7 with reasons, missing facts and
what would change it, the rulebook version and a SHA-256 hash of every input. The same inputs
give the same bytes from `to_json()` (ARCHITECTURE, property 2). Pure: no clock, no I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from enum import Enum
from typing import Any, NamedTuple

from pydantic import BaseModel

from powcase.domain import Case, Context, Disposition
from powcase.law.dispositions import Situation, decide_disposition, decide_dispositions
from powcase.law.dispositions.closure import duties
from powcase.law.free_will import FreeWill, assess_free_will
from powcase.law.hypotheses import what_would_change
from powcase.law.risk import DestinationRisk, personal_factors
from powcase.law.rulebook import Rulebook
from powcase.law.validity import valid_until
from powcase.law.verdicts import DispositionVerdict, Frozen, Reason, Status


class Determination(Frozen):
    case_id: str
    as_of: date
    detaining_power: str | None
    hostilities: str | None  # "ongoing", "ceased", or None when not recorded
    hostilities_since: date | None
    free_will: FreeWill
    personal_factors: tuple[str, ...]
    risk: tuple[DestinationRisk, ...]
    dispositions: tuple[DispositionVerdict, ...]
    duties: tuple[Reason, ...] = ()  # owed after a death, an escape or a recapture (R31, R32)
    rulebook_version: str
    deployment: str | None
    input_hash: str
    # The first day on which the same facts could be decided otherwise (None: not by time alone).
    # Kept out of the memo's JSON, which stays what it was; the projection of determinations stores it.
    valid_until: date | None = None

    def verdict(self, disposition: Disposition | str) -> DispositionVerdict:
        key = Disposition(disposition).value
        for verdict in self.dispositions:
            if verdict.disposition == key:
                return verdict
        raise KeyError(key)

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, fixed separators, UTF-8 text; byte-identical per input."""
        return json.dumps(self.model_dump(mode="json", exclude={"valid_until"}), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    """A JSON-ready form of the case for hashing: every dataclass field, every event in full."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def input_hash(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> str:
    """SHA-256 of the case's facts, the date, the context and the rulebook's content hash."""
    document = {
        "case": _plain(case),
        "as_of": as_of.isoformat(),
        "context": context.model_dump(mode="json") if context else None,
        "rulebook": rulebook.content_hash,
    }
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _evaluate(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> tuple[Situation, tuple[DispositionVerdict, ...]]:
    situation = Situation(case=case, rulebook=rulebook, as_of=as_of, context=context,
                          free_will=assess_free_will(case, rulebook, as_of))
    return situation, decide_dispositions(situation)


def evaluate_disposition(case: Case, rulebook: Rulebook, as_of: date, context: Context | None, disposition: str) -> DispositionVerdict:
    """One disposition's verdict, without the search for what would change it."""
    situation = Situation(case=case, rulebook=rulebook, as_of=as_of, context=context,
                          free_will=assess_free_will(case, rulebook, as_of))
    return decide_disposition(situation, disposition)


class _FreeWillOnce:
    """Free will, assessed once per set of interviews and day within one determination.

    The search tries many hypothetical cases and most share their interviews: the base case's,
    or the same hypothetical series. Only interviews, identity and registration reach the
    finding (`assess_free_will`), and a trial adds no identity or registration, so the interview
    events (by identity) and the day are the key. The cache keeps those events alive, so an id
    is never reused by another event while it is in use."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self._found: dict[tuple[date, tuple[int, ...]], tuple[FreeWill, tuple[Any, ...]]] = {}

    def __call__(self, case: Case, day: date) -> FreeWill:
        events = tuple(fact.event for fact in case.interviews)
        key = (day, tuple(id(event) for event in events))
        found = self._found.get(key)
        if found is None:
            found = (assess_free_will(case, self.rulebook, day), events)
            self._found[key] = found
        return found[0]


def _with_changes(
    case: Case, rulebook: Rulebook, as_of: date, context: Context | None, verdict: DispositionVerdict,
    free_will: _FreeWillOnce,
) -> DispositionVerdict:
    """The verdict with `would_change` filled in, by trying hypotheses through the same rules."""
    if verdict.status in (Status.PERMITTED, Status.NOT_APPLICABLE):
        return verdict

    def evaluate(trial: Case, day: date, trial_context: Context | None) -> DispositionVerdict:
        situation = Situation(case=trial, rulebook=rulebook, as_of=day, context=trial_context, free_will=free_will(trial, day))
        return decide_disposition(situation, verdict.disposition)

    changes = what_would_change(case, rulebook, as_of, context, verdict, evaluate)
    return verdict.model_copy(update={"would_change": changes})


class Verdicts(NamedTuple):
    """The verdicts alone, and until when they hold: what deciding a whole register needs."""

    dispositions: tuple[DispositionVerdict, ...]
    valid_until: date | None


def verdicts(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> Verdicts:
    """Every disposition's verdict as `determine(..., search=False)` gives it, without the rest
    of the determination (risk and personal factors listed, input hash): a register decided as
    of a day reads only the verdicts and `valid_until`."""
    _, decided = _evaluate(case, rulebook, as_of, context)
    return Verdicts(decided, valid_until(case, rulebook, as_of, context))


def determine(
    case: Case, rulebook: Rulebook, as_of: date, context: Context | None, *, search: bool = True
) -> Determination:
    """Decide every disposition for a case as of a date, under a rulebook, in a context.

    `case` must be folded up to `as_of` (`powcase.domain.fold(history, as_of)`); facts dated
    after `as_of` are ignored anyway. A case lacking a fact gets `needs_facts` naming it; only a
    rulebook with no value in force on `as_of` or a rule conflict raises (a LawError).

    With `search=False` the verdicts come without the search for what would change them (their
    `would_change` is empty): the same statuses, reasons and missing facts, at a fraction of the
    cost, for a register decided as a whole.
    """
    situation, verdicts = _evaluate(case, rulebook, as_of, context)
    once = _FreeWillOnce(rulebook)
    completed = (
        [_with_changes(case, rulebook, as_of, context, verdict, once) for verdict in verdicts] if search else list(verdicts)
    )
    period = situation.hostilities
    return Determination(
        case_id=case.case_id,
        as_of=as_of,
        detaining_power=context.detaining_power if context else None,
        hostilities=period.state if period else None,
        hostilities_since=period.since if period else None,
        free_will=situation.free_will,
        personal_factors=tuple(factor.value for factor in personal_factors(case, as_of)),
        risk=situation.assessed_destinations(),
        dispositions=tuple(completed),
        duties=duties(case),
        rulebook_version=rulebook.version,
        deployment=rulebook.deployment,
        input_hash=input_hash(case, rulebook, as_of, context),
        valid_until=valid_until(case, rulebook, as_of, context),
    )
