"""Cases, histories and determinations as plain data, for the pages and the API alike.

His statements (stated wish, words, reasons) leave only for roles that may read them; the
caller says whether (the Office decided it, from the permission table).
"""

from __future__ import annotations

from typing import Any

from powcase.app.office import STATEMENT_FIELDS
from powcase.domain.case import Case
from powcase.domain.events import Event, RecordedEvent
from powcase.law import Determination

# What a role without the right to statements does not get (his words, his wish, his reasons).
_STATEMENTS = {*STATEMENT_FIELDS, "stated_wish_to_defect"}


def event_data(event: Event, statements: bool) -> dict[str, Any]:
    data = event.model_dump(mode="json", exclude_none=True, exclude={"type"})
    data.pop("occurred_on", None)
    if not statements:
        hidden = _STATEMENTS & set(data)
        for key in hidden:
            del data[key]
        if hidden:
            data["withheld"] = "statements: not for this role"
    return data


def identity_data(case: Case) -> dict[str, Any] | None:
    if case.identity is None:
        return None
    data = case.identity.model_dump(mode="json", exclude_none=True, exclude={"type"})
    data["registered_on"] = data.pop("occurred_on")
    return data


def case_data(case: Case, statements: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_id": case.case_id,
        "status": case.status.value,
        "status_since": case.status_since.isoformat() if case.status_since else None,
        "place": case.place,
    }
    if case.erased:
        data["erased"] = True
        return data
    data["identity"] = identity_data(case)
    data["interviews"] = [{"seq": f.seq, "occurred_on": f.occurred_on.isoformat(), **event_data(f.event, statements)}
                          for f in case.interviews]
    return data


def history_data(history: list[RecordedEvent], statements: bool) -> list[dict[str, Any]]:
    return [
        {
            "seq": r.seq,
            "type": r.type,
            "occurred_on": r.occurred_on.isoformat(),
            "recorded_at": r.recorded_at.isoformat(),
            "actor": r.actor,
            # Sent by another office: the author is the name that office's store gave the row.
            **({"received_from": r.received_from} if r.received_from else {}),
            "facts": event_data(r.event, statements) if r.event else None,
        }
        for r in history
    ]


def determination_data(d: Determination) -> dict[str, Any]:
    data: dict[str, Any] = d.model_dump(mode="json")
    return data
