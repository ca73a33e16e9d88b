"""Case files: one JSON or YAML document holding a person and his events in order.

Events are numbered as they will be in the store: the person's registration is event 1 and the
n-th entry of ``events`` is event n+1, so a correction in a file can name the event it corrects.
An optional ``context`` (hostilities, agreements) and ``expect`` block serve the law scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from powcase.domain.case import every_error
from powcase.domain.context import Context
from powcase.domain.events import AnyEvent, Corrected, Event, RecordedEvent, Registered
from powcase.domain.reading import load_document
from powcase.domain.values import Model
from powcase.errors import InvalidInput

CASE_ID_PATTERN = r"^[A-Z0-9][A-Z0-9-]{2,39}$"

# What a case file never carries: the register's own record of its offices, not a fact about him.
# A conflict resolution names the heads of two offices' chains (the facts it merged follow it as
# events of their own); a decision on a possible duplicate names another case of this register.
# Neither means anything in another register, and the law reads neither (domain/case.py).
NOT_IN_CASE_FILE = {
    "conflict_resolved": "it is this register's record of two offices' lines merged (the facts it merged "
                         "are events of their own); `powcase export-case` leaves it out",
    "duplicate_decided": "it is this register's decision on two of its cases; `powcase export-case` leaves "
                         "it out, and refuses a case it closed",
}


class Person(Registered):
    """The registration, as a case file writes it: ``registered_on`` instead of ``occurred_on``."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    occurred_on: date = Field(alias="registered_on")

    def to_event(self) -> Registered:
        # The same fields, validated by the same rules when the case file was read (Person is a
        # Registered): built, not validated a second time (that was a third of an import).
        return Registered.model_construct(**{name: getattr(self, name) for name in Registered.model_fields})


class CaseFile(Model):
    case_id: str | None = Field(default=None, pattern=CASE_ID_PATTERN)
    person: Person
    events: list[AnyEvent] = Field(default_factory=list)
    context: Context | None = None
    expect: Any = None


class Bundle(Model):
    """Many case files in one document, imported all or nothing."""

    cases: list[CaseFile] = Field(min_length=1)


def casefile_schema() -> dict[str, Any]:
    schema = CaseFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "powcase case file"
    return schema


def parse_casefiles(data: Any, source: str = "case file") -> list[CaseFile]:
    """Validate a document holding one case file or a bundle (``cases: [...]``)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping with 'person' and 'events', or 'cases'")
    _refuse_bookkeeping(data, source)
    try:
        if "cases" in data:
            return list(Bundle.model_validate(data).cases)
        return [CaseFile.model_validate(data)]
    except ValidationError as exc:
        raise InvalidInput(f"{source}: {every_error(exc)}") from None


def _refuse_bookkeeping(data: dict[str, Any], source: str) -> None:
    """One line naming the event, rather than a list of every type a case file may carry."""
    bundled = isinstance(data.get("cases"), list)
    for i, one in enumerate(data["cases"] if bundled else [data]):
        events = one.get("events") if isinstance(one, dict) else None
        for n, event in enumerate(events if isinstance(events, list) else []):
            kind = event.get("type") if isinstance(event, dict) else None
            if isinstance(kind, str) and kind in NOT_IN_CASE_FILE:
                where = f"cases.{i}.events.{n}" if bundled else f"events.{n}"
                raise InvalidInput(f"{source}: {where}: a {kind} event is not carried by a case file: {NOT_IN_CASE_FILE[kind]}")


def file_events(history: Sequence[RecordedEvent]) -> list[Event]:
    """The events after his registration as a case file writes them: without the register's
    bookkeeping (``NOT_IN_CASE_FILE``), and so each correction names its event by the number it
    has in the file; a correction of a left-out event is left out with it."""
    numbers: dict[int, int] = {history[0].seq: 1} if history else {}
    out: list[Event] = []
    for rec in history[1:]:
        event = rec.event
        if event is None or rec.type in NOT_IN_CASE_FILE:
            continue
        if isinstance(event, Corrected):
            target = numbers.get(event.corrects_seq)
            if target is None:
                continue
            event = event.model_copy(update={"corrects_seq": target})
        out.append(event)
        numbers[rec.seq] = len(out) + 1
    return out


def read_casefiles(path: Path) -> list[CaseFile]:
    return parse_casefiles(load_document(path), str(path))


def casefile_events(cf: CaseFile) -> list[Event]:
    """The case file's events in history order, the registration first."""
    return [cf.person.to_event(), *cf.events]


def casefile_history(cf: CaseFile, case_id: str | None = None, actor: str = "case-file") -> list[RecordedEvent]:
    """The history a case file describes, as the store would number it.

    ``recorded_at`` is taken as midnight UTC of the day each event occurred: a case file says
    nothing of when it was typed, and a pure function may not read the clock.
    """
    cid = case_id or cf.case_id or "CASE-FILE"
    return [
        RecordedEvent(cid, seq, ev.type, ev.occurred_on, datetime.combine(ev.occurred_on, time(), UTC), actor, ev)
        for seq, ev in enumerate(casefile_events(cf), start=1)
    ]
