"""Builders for the access tests. Every name and case here is invented."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from argon2 import PasswordHasher
from tests.factories import captured, person

from powcase.domain.case import Case, fold
from powcase.domain.events import Event, RecordedEvent

# argon2id with tiny costs: the tests check the logic, not the hash's strength.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse battery"


def case_of(events: Sequence[Event], case_id: str = "PW-TEST0001") -> Case:
    """A folded case from events, without a store."""
    at = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    history = [
        RecordedEvent(case_id, i, ev.type, ev.occurred_on, at, "test-registrar", ev)
        for i, ev in enumerate(events, start=1)
    ]
    return fold(history)


def base_events() -> list[Event]:
    return [person(occurred_on=date(2025, 1, 12)), captured()]
