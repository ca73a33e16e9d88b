"""The decision on a possible duplicate, as the pages show it (docs/field-offices.md): the form as
it was posted with what was wrong with it, and the notice after a decision.

The notice is read back from the history of the case that arrived — the ``duplicate_decided``
event names the other case, how many facts it carried and where they begin — never taken on
trust from the address the form redirects to. It is the reader's own read of that history
(the permission table decides, the access log keeps it), as `powcase history` would be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from powcase.app.duplicates import carriable
from powcase.app.office import Office
from powcase.domain.events import DuplicateDecided
from powcase.errors import KeyUnavailable, NotFound
from powcase.law import ExecutionRefused

CASE_MAX = 40  # a case id, as the API's path takes it


@dataclass(frozen=True)
class DecideForm:
    """One pair's decision form as it was posted (``case_id`` and ``other`` say which pair), and
    what was wrong with it; shown beside that pair on /conflicts."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    refusal: ExecutionRefused | None = None

    def is_for(self, case_id: str, other_case_id: str) -> bool:
        return self.values.get("case_id") == case_id and self.values.get("other") == other_case_id


@dataclass(frozen=True)
class Decided:
    """A decision as the closed (or kept) case's history holds it, for the notice after the form:
    ``not_carried`` are the corrections of his registration there that this decision left for a
    person to record on the other case by hand, if they hold."""

    case_id: str
    other_case_id: str
    decision: str
    carried: int = 0
    first_seq: int = 0
    not_carried: tuple[int, ...] = ()


def decided(office: Office, case_id: str, other_case_id: str | None,
            decision: Literal["same", "different"]) -> Decided | None:
    """The last decision on the pair, if it is ``decision`` (and names ``other_case_id`` when
    given); nothing for a reader who may not read the case's history, or an address that lies."""
    if not case_id or len(case_id) > CASE_MAX or not office.may("history", case_id):
        return None
    try:
        history, _ = office.history(case_id)
    except (NotFound, KeyUnavailable):
        return None
    last: DuplicateDecided | None = None
    previous, at = 1, 0  # the event after which this decision's selection began, and its own number
    for rec in history:
        if isinstance(rec.event, DuplicateDecided) and rec.event.other_case_id == (other_case_id or rec.event.other_case_id):
            if last is not None and last.decision == "same":
                previous = at
            last, at = rec.event, rec.seq
    if last is None or last.decision != decision:
        return None
    # Never carried (they would correct the other case's registration): named for a person, as
    # the command names them; those before an earlier decision "same" were named then.
    left = tuple(carriable(history, previous, at)[1]) if decision == "same" else ()
    return Decided(case_id, last.other_case_id, last.decision, last.carried, last.first_seq, left)
