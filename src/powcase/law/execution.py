"""The execution guard's question to the law: may this disposition be carried out now?

ARCHITECTURE property 1: every execution of a transfer re-checks the engine's verdict for that
exact disposition at that moment and refuses when it is not `permitted`. The app computes a fresh
determination as of the transfer date and calls `check_execution`; an override is the app's
business (a recorded event with two approvers), never the law engine's.
"""

from __future__ import annotations

from powcase.domain import Disposition
from powcase.errors import NotPermitted
from powcase.law.determination import Determination
from powcase.law.errors import LawError
from powcase.law.verdicts import DispositionVerdict, Status


class ExecutionRefused(LawError, NotPermitted):
    """The disposition is not permitted for this case on this date (or not to that state)."""

    def __init__(self, case_id: str, verdict: DispositionVerdict, detail: str) -> None:
        self.case_id = case_id
        self.verdict = verdict
        super().__init__(f"case {case_id}: {verdict.disposition} refused: {detail}")


def check_execution(
    determination: Determination, disposition: Disposition | str, destination: str | None = None
) -> DispositionVerdict:
    """Return the verdict if `disposition` (to `destination`, if given) is permitted; else raise.

    The message names the rules that decided, never a person's name or statement. The returned
    verdict's `conditions` (R23 reconfirmation at the point of departure, R30 safety measures)
    are for the guard to check against the transfer record.
    """
    verdict = determination.verdict(disposition)
    if verdict.status is not Status.PERMITTED:
        rules = ", ".join(dict.fromkeys(reason.rule for reason in verdict.reasons)) or "no rule"
        raise ExecutionRefused(determination.case_id, verdict, f"{verdict.status.value} ({rules})")
    if destination is not None and verdict.destinations and destination not in verdict.destinations:
        raise ExecutionRefused(
            determination.case_id,
            verdict,
            f"permitted only to {', '.join(verdict.destinations)}, not to {destination}",
        )
    return verdict
