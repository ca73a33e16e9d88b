"""The vocabulary of powcase: value types, events and the case fold. Pure: no I/O, no clock."""

from powcase.domain.case import Case, Fact, apply_corrections, fold
from powcase.domain.casefile import (
    CaseFile,
    Person,
    casefile_events,
    casefile_history,
    casefile_schema,
    parse_casefiles,
    read_casefiles,
)
from powcase.domain.context import Agreement, Context, HostilitiesPeriod
from powcase.domain.events import COMMANDS, EVENT_TYPES, Event, RecordedEvent, parse_event
from powcase.domain.values import CaseStatus, Disposition, StatedWish, TransferKind

__all__ = [
    "COMMANDS",
    "EVENT_TYPES",
    "Agreement",
    "Case",
    "CaseFile",
    "CaseStatus",
    "Context",
    "Disposition",
    "Event",
    "Fact",
    "HostilitiesPeriod",
    "Person",
    "RecordedEvent",
    "StatedWish",
    "TransferKind",
    "apply_corrections",
    "casefile_events",
    "casefile_history",
    "casefile_schema",
    "fold",
    "parse_casefiles",
    "parse_event",
    "read_casefiles",
]
