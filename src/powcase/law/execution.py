"""The execution guard's question to the law: may this disposition be carried out now?

ARCHITECTURE property 1: every execution of a transfer re-checks the engine's verdict for that
exact disposition at that moment and refuses when it is not `permitted`. The app's guard
(`powcase.app.guard`) folds the facts recorded before a transfer and calls `check_transfer`; an
override is the app's business (a recorded event with two approvers), never the law engine's.

`check_transfer` asks the same question of a recorded transfer as a whole: the disposition, the
receiving state and the route (`via`) it takes. R25 bars a transfer that sends him to a state of
real risk "directly or through a state likely to hand him over": every state on the route is a
state whose hands he passes through, so each is read as a destination of its own, with its
onward chain (R29), and the worst finding bars or holds the transfer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from powcase.domain import Case, Context, Disposition
from powcase.errors import NotPermitted
from powcase.law.determination import Determination, evaluate_disposition
from powcase.law.errors import LawError
from powcase.law.risk import RiskStatus, assess_destination
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import DispositionVerdict, Reason, Status


class ExecutionRefused(LawError, NotPermitted):
    """The disposition is not permitted for this case on this date (or not to that state)."""

    def __init__(self, case_id: str, verdict: DispositionVerdict, detail: str) -> None:
        self.case_id = case_id
        self.verdict = verdict
        self.detail = detail
        super().__init__(f"case {case_id}: {verdict.disposition} refused: {detail}")


def check_execution(
    determination: Determination, disposition: Disposition | str, destination: str | None = None
) -> DispositionVerdict:
    """Return the verdict if `disposition` (to `destination`, if given) is permitted; else raise.

    The message names the rules that decided, never a person's name or statement. The returned
    verdict's `conditions` (R23 reconfirmation at the point of departure, R30 safety measures)
    are for the guard to check against the transfer record.
    """
    return _permitted(determination.case_id, determination.verdict(disposition), destination)


def check_transfer(
    case: Case, rulebook: Rulebook, as_of: date, context: Context | None,
    disposition: Disposition | str, destination: str | None, via: Sequence[str] = (),
) -> DispositionVerdict:
    """Return the verdict if this transfer - disposition, receiving state and route - is permitted
    for the case as folded, on `as_of`; else raise :class:`ExecutionRefused`.

    The disposition is decided alone (no search for what would change it: the guard asks
    a yes or no). Then the route: R25 [CAT-3, HRC-GC31-12, ICRC20-118] "directly or through a
    state likely to hand him over" and R29 [RC51-1A2, HRC-GC31-12] risk in a third state,
    "including onward removal", assessed for each state he passes through; a real risk there
    bars the transfer, a state not assessed holds it until it is (R26).
    """
    verdict = evaluate_disposition(case, rulebook, as_of, context, Disposition(disposition).value)
    verdict = _permitted(case.case_id, verdict, destination)
    for state in dict.fromkeys(via):
        risk = assess_destination(case, state, rulebook, as_of)
        route = " -> ".join(risk.chain)
        if risk.status is RiskStatus.REAL_RISK:
            risky = ", ".join(item.state for item in risk.states if item.status is RiskStatus.REAL_RISK)
            reason = Reason(rule="R25", text=f"the route via {route} is barred: real risk in {risky}",
                            sources=("CAT-3", "HRC-GC31-12", "ICRC20-118"))
            raise ExecutionRefused(case.case_id, _route_verdict(verdict, Status.BARRED, reason), f"barred (R25): {reason.text}")
        if risk.status is RiskStatus.NOT_ASSESSED:
            unassessed = ", ".join(item.state for item in risk.states if item.status is RiskStatus.NOT_ASSESSED)
            reason = Reason(rule="R29", text=f"risk not assessed for {unassessed} on the route via {route}",
                            sources=("RC51-1A2", "HRC-GC31-12"))
            raise ExecutionRefused(case.case_id, _route_verdict(verdict, Status.NEEDS_FACTS, reason), f"needs_facts (R29): {reason.text}")
    return verdict


def _route_verdict(verdict: DispositionVerdict, status: Status, reason: Reason) -> DispositionVerdict:
    return verdict.model_copy(update={"status": status, "reasons": (reason,), "conditions": ()})


def _permitted(case_id: str, verdict: DispositionVerdict, destination: str | None) -> DispositionVerdict:
    if verdict.status is not Status.PERMITTED:
        rules = ", ".join(dict.fromkeys(reason.rule for reason in verdict.reasons)) or "no rule"
        raise ExecutionRefused(case_id, verdict, f"{verdict.status.value} ({rules})")
    if destination is not None and verdict.destinations and destination not in verdict.destinations:
        raise ExecutionRefused(
            case_id,
            verdict,
            f"permitted only to {', '.join(verdict.destinations)}, not to {destination}",
        )
    return verdict
