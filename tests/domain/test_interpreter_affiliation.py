"""The interpreter's affiliation is a structured field; free text stored before it still loads."""

from __future__ import annotations

import json
from datetime import date

import pytest

from powcase.domain.events import Interpreter, InterpreterAffiliation, Interviewed, parse_event
from powcase.store.codec import rebuild_event

OLD_INTERVIEW = {
    "interviewer": "Delegate", "language": "kor", "stated_wish": "third_state", "wish_state": "KOR",
    "interpreter": {"name": "Interpreter 7", "language": "kor", "affiliation": "independent (ICRC roster)",
                    "competence_checked": True, "security_services": False, "conflict_of_interest_declared": True},
}


def test_an_event_stored_with_free_text_still_loads_and_keeps_the_words() -> None:
    """As the store reads it back: the sealed half as written by an earlier version."""
    event = rebuild_event("interviewed", date(2025, 2, 3), "{}", json.dumps(OLD_INTERVIEW, sort_keys=True).encode())
    assert isinstance(event, Interviewed) and event.interpreter is not None
    assert event.interpreter.affiliation is None  # a claim to check, not a finding
    assert event.interpreter.affiliation_note == "independent (ICRC roster)"
    again = parse_event(event.model_dump(mode="json"))
    assert again == event


@pytest.mark.parametrize(
    ("text", "expected"),
    [("independent", InterpreterAffiliation.INDEPENDENT), ("Power of origin", InterpreterAffiliation.POWER_OF_ORIGIN),
     ("fellow-prisoner", InterpreterAffiliation.FELLOW_PRISONER), ("detaining_power", InterpreterAffiliation.DETAINING_POWER)],
)
def test_the_exact_name_of_a_category_is_read_as_that_category(text: str, expected: InterpreterAffiliation) -> None:
    interpreter = Interpreter.model_validate({"language": "rus", "affiliation": text})
    assert interpreter.affiliation is expected
    assert interpreter.affiliation_note is None


def test_free_text_joins_a_note_already_given() -> None:
    interpreter = Interpreter.model_validate({"language": "rus", "affiliation": "Ministry roster", "affiliation_note": "hired 2025"})
    assert interpreter.affiliation is None
    assert interpreter.affiliation_note == "hired 2025; Ministry roster"
