"""Small builders of invented people and events for tests. Every name here is invented."""

from __future__ import annotations

from datetime import date
from typing import Any

from powcase.domain.events import Captured, CustodyMoved, Interviewed, Registered, parse_event


def person(**overrides: Any) -> Registered:
    data: dict[str, Any] = {
        "type": "registered",
        "occurred_on": date(2025, 1, 12),
        "family_name": {"native": "한", "latin": "Han"},
        "given_names": {"native": "별찬", "latin": "Byol Chan"},
        "birth_date": date(1999, 7, 23),
        "rank": "Private",
        "service_number": "TEST-0001",
        "nationality": "PRK",
        "armed_force": "RUS",
        "languages": ["kor"],
    }
    data.update(overrides)
    event = parse_event(data)
    assert isinstance(event, Registered)
    return event


def captured(on: date = date(2025, 1, 9), **overrides: Any) -> Captured:
    return Captured(occurred_on=on, place="Sector 9", circumstances="captured", **overrides)


def moved(on: date, place: str = "Camp Test-1") -> CustodyMoved:
    return CustodyMoved(occurred_on=on, place=place)


def interview(on: date, wish: str = "undecided", **overrides: Any) -> Interviewed:
    data: dict[str, Any] = {
        "type": "interviewed",
        "occurred_on": on,
        "interviewer": "Delegate T",
        "language": "kor",
        "stated_wish": wish,
        "words_original": "생각해 보겠습니다",
    }
    data.update(overrides)
    event = parse_event(data)
    assert isinstance(event, Interviewed)
    return event
