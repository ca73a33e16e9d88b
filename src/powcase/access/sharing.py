"""The sharing gate: what may leave the casework, to whom, and what never goes to his own state.

Two ways out:
- ``pseudonymise``: a case summary without names, statements or places, for lists and reports;
- a :class:`Disclosure`: named fields of named cases to one recipient, with a purpose category,
  a legal basis and the minimal set of fields, checked case by case by :func:`check_disclosure`
  and recorded as a :class:`~powcase.access.events.Disclosed` event on every case.

A man who asked not to go home is endangered by his own state learning it; these checks are the
last line before his data leaves, so each refusal is a rule written out below.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args

from pydantic import Field, model_validator

from powcase.access.events import (
    DisclosableField,
    Disclosed,
    Purpose,
    RecipientKind,
)
from powcase.access.permissions import AccessRefused
from powcase.domain.case import Case
from powcase.domain.events import Notified, Text
from powcase.domain.values import CountryCode, Model, RiskConclusion
from powcase.errors import InvalidInput

DISCLOSABLE_FIELDS: tuple[str, ...] = get_args(DisclosableField)

# Never to his power of origin, whatever else is recorded: what he wished and what we found about
# the risk he runs there are exactly what his state could punish him or his family for.
NEVER_TO_POWER_OF_ORIGIN: frozenset[str] = frozenset({"stated_wish", "risk_conclusion"})

# What a pseudonymised view keeps. A whitelist: a field added to the summary later stays out until
# someone decides here, in review, that it says nothing about who he is.
PSEUDONYMISED_KEYS: tuple[str, ...] = (
    "case_id", "nationality", "status", "status_since", "registered_on", "captured_on", "last_occurred_on",
)

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def pseudonymise(case_summary: Mapping[str, Any]) -> dict[str, Any]:
    """Case id, nationality, dates and status; no names, no statements, no places."""
    if not case_summary.get("case_id"):
        raise InvalidInput("case_id: a pseudonymised view needs the case id")
    out: dict[str, Any] = {}
    for key in PSEUDONYMISED_KEYS:
        if key in case_summary:
            value = case_summary[key]
            out[key] = value.isoformat() if isinstance(value, date) else value
    return out


def new_disclosure_id() -> str:
    return "DS-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


class Disclosure(Model):
    """A request to disclose named fields of named cases to one recipient."""

    case_ids: list[str] = Field(min_length=1, max_length=10_000)
    purpose: Purpose
    recipient: Text = Field(max_length=200)
    recipient_kind: RecipientKind
    recipient_state: CountryCode | None = None
    legal_basis: Text = Field(max_length=500)
    fields: list[DisclosableField] = Field(min_length=1)
    details: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _consistent(self) -> Disclosure:
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("fields: a field is named twice")
        if len(set(self.case_ids)) != len(self.case_ids):
            raise ValueError("case_ids: a case is named twice")
        if self.recipient_kind in ("power_of_origin", "receiving_state") and self.recipient_state is None:
            raise ValueError(f"recipient_state: required when the recipient is a {self.recipient_kind}")
        return self

    def event(self, occurred_on: date, disclosure_id: str) -> Disclosed:
        """The event to append to each disclosed case, once every case passed the gate."""
        return Disclosed(
            occurred_on=occurred_on, disclosure_id=disclosure_id, purpose=self.purpose, fields=list(self.fields),
            recipient=self.recipient, recipient_kind=self.recipient_kind, recipient_state=self.recipient_state,
            legal_basis=self.legal_basis, details=self.details,
        )


def origin_states(case: Case) -> frozenset[str]:
    """The states he could be returned to as 'his own': nationality, armed force, power of dependence."""
    ident = case.identity
    if ident is None:
        return frozenset()
    return frozenset(s for s in (ident.nationality, ident.armed_force, ident.power_of_dependence) if s)


def notification_withheld(case: Case) -> bool:
    """True when the latest decision on notifying his power of origin was to withhold it."""
    latest: Notified | None = None
    for fact in case.notifications:
        if fact.event.recipient == "power_of_origin":
            latest = fact.event
    return latest is not None and latest.action == "withheld"


def real_risk_recorded(case: Case, state: str) -> bool:
    """True when the latest risk assessment for a return to ``state`` (or through it) found a real risk.

    An assessment for another destination that names ``state`` as an onward state counts too: a
    state that would hand him on is as dangerous as the one that would persecute him.
    """
    latest: dict[str, RiskConclusion] = {}
    for fact in case.risk_assessments:
        latest[fact.event.destination] = fact.event.conclusion
    if latest.get(state) == RiskConclusion.REAL_RISK:
        return True
    for fact in case.risk_assessments:
        ev = fact.event
        if state in ev.onward and latest.get(ev.destination) == RiskConclusion.REAL_RISK:
            return True
    return False


def check_disclosure(request: Disclosure, case: Case) -> None:
    """Return if the request may disclose this case; raise :class:`AccessRefused` (NotPermitted).

    The message names the case and the rule, never his data; its ``code`` goes to the access log.
    """
    cid = case.case_id
    if cid not in request.case_ids:
        raise InvalidInput(f"case {cid} is not named in the disclosure request")
    if case.erased or case.identity is None:
        raise AccessRefused(f"case {cid}: erased or unreadable; nothing can be disclosed", "erased")
    neutral = request.recipient_kind == "neutral_intermediary"
    if request.recipient_kind == "power_of_origin":
        forbidden = sorted(NEVER_TO_POWER_OF_ORIGIN & set(request.fields))
        if forbidden:
            raise AccessRefused(
                f"case {cid}: {', '.join(forbidden)} never go to a power of origin", "field_to_origin"
            )
        if request.recipient_state not in origin_states(case):
            raise AccessRefused(
                f"case {cid}: {request.recipient_state} is not his power of origin; name the recipient's kind truly",
                "recipient_kind",
            )
    if notification_withheld(case) and not neutral:
        raise AccessRefused(
            f"case {cid}: notifying his power of origin was withheld as harmful; "
            "only a neutral intermediary may receive his data", "notification_withheld",
        )
    if request.recipient_state is not None and not neutral and real_risk_recorded(case, request.recipient_state):
        raise AccessRefused(
            f"case {cid}: a real risk on return to {request.recipient_state} is recorded; "
            "only a neutral intermediary may receive his data", "real_risk",
        )


def check_disclosure_all(request: Disclosure, cases: Mapping[str, Case]) -> None:
    """All or nothing: every case named in the request must exist and pass the gate."""
    for cid in request.case_ids:
        case = cases.get(cid)
        if case is None:
            raise InvalidInput(f"case {cid}: not found")
        check_disclosure(request, case)


def propose_withholding(case: Case, real_risk: bool) -> str | None:
    """The reason to propose withholding the notification to his power of origin, or None.

    ``real_risk``: the law engine's risk verdict for a return to his power of origin, or
    :func:`real_risk_for_origin` on the recorded assessments. Proposed, not decided: the legal
    officer records the ``Notified`` event with ``action="withheld"`` and this reason.
    The reason names no fact about him: it is stored sealed, but it is also shown on screens.
    """
    if not real_risk or case.erased or notification_withheld(case):
        return None
    return (
        "A real risk of persecution on return to his power of origin is recorded for this case. "
        "Notifying that power of his capture, whereabouts or wishes could harm him or his relatives, "
        "so the notification is withheld; neutral intermediaries (the ICRC Central Tracing Agency) "
        "may still be informed."
    )


def real_risk_for_origin(case: Case) -> bool:
    """True when a real risk is recorded for any of his origin states."""
    return any(real_risk_recorded(case, state) for state in origin_states(case))


__all__ = [
    "DISCLOSABLE_FIELDS",
    "NEVER_TO_POWER_OF_ORIGIN",
    "Disclosure",
    "check_disclosure",
    "check_disclosure_all",
    "new_disclosure_id",
    "notification_withheld",
    "origin_states",
    "propose_withholding",
    "pseudonymise",
    "real_risk_for_origin",
    "real_risk_recorded",
]
