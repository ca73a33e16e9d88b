"""Case files: one JSON or YAML document holding a person and his events in order.

Events are numbered as they will be in the store: the person's registration is event 1 and the
n-th entry of ``events`` is event n+1, so a correction in a file can name the event it corrects.
An optional ``context`` (hostilities, agreements) and ``expect`` block serve the law scenarios.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from powcase.domain.case import every_error
from powcase.domain.context import Context
from powcase.domain.events import AnyEvent, Event, RecordedEvent, Registered
from powcase.domain.reading import load_document
from powcase.domain.values import Model
from powcase.errors import InvalidInput

CASE_ID_PATTERN = r"^[A-Z0-9][A-Z0-9-]{2,39}$"


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
    try:
        if "cases" in data:
            return list(Bundle.model_validate(data).cases)
        return [CaseFile.model_validate(data)]
    except ValidationError as exc:
        raise InvalidInput(f"{source}: {every_error(exc)}") from None


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
