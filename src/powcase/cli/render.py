"""Turning cases and histories into plain data for text or JSON output."""

from __future__ import annotations

from typing import Any

from powcase.domain.case import Case, Fact
from powcase.domain.events import Event, RecordedEvent

# His words and wishes: shown only to roles allowed to read statements (docs/permissions.md).
_STATEMENTS = {"stated_wish", "wish_state", "reasons", "words_original", "words_translated", "stated_wish_to_defect"}


def _facts(facts: list[Fact[Any]], statements: bool = True) -> list[dict[str, Any]]:
    return [{"seq": f.seq, **_event(f.event, statements)} for f in facts]


def _event(event: Event, statements: bool = True) -> dict[str, Any]:
    data = event.model_dump(mode="json", exclude_none=True, exclude={"type"}, exclude_defaults=False)
    if not statements:
        hidden = sorted(_STATEMENTS & set(data))
        for key in hidden:
            del data[key]
        if hidden:
            data["withheld"] = "statements: not for this role"
    return data


def render_case(case: Case, statements: bool = True) -> dict[str, Any]:
    ident = case.identity
    data: dict[str, Any] = {
        "case_id": case.case_id,
        "status": case.status.value,
        "status_since": case.status_since.isoformat() if case.status_since else None,
        "place": case.place,
    }
    if case.erased:
        data["erased"] = True
        return data
    if ident is not None:
        data["identity"] = ident.model_dump(mode="json", exclude_none=True, exclude={"type"})
        data["identity"]["registered_on"] = data["identity"].pop("occurred_on")
    if case.capture:
        data["capture"] = _event(case.capture.event)
    sections: dict[str, list[Fact[Any]]] = {
        "custody": case.custody, "medical": case.medical, "capture_cards": case.capture_cards,
        "notifications": case.notifications, "interviews": case.interviews,
        "risk_assessments": case.risk_assessments, "third_state_answers": case.third_state_answers,
        "legal_bases": case.legal_bases, "safety_plans": case.safety_plans,
        "transferee_assessments": case.transferee_assessments, "proceedings": case.proceedings,
        "exposures": case.exposures, "decisions": case.decisions, "overrides": case.overrides,
        "transfers": case.transfers, "corrections": case.corrections, "disclosures": case.disclosures,
    }
    for name, facts in sections.items():
        if facts:
            data[name] = _facts(facts, statements)
    return data


def render_history(history: list[RecordedEvent], statements: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "seq": r.seq,
            "type": r.type,
            "occurred_on": r.occurred_on.isoformat(),
            "recorded_at": r.recorded_at.isoformat(),
            "actor": r.actor,
            # Sent by another office: the author is the name that office's store gave the row.
            **({"received_from": r.received_from} if r.received_from else {}),
            "facts": _event(r.event, statements) if r.event else None,
        }
        for r in history
    ]
