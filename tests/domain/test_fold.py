"""The fold: a case is what its events say, corrections included, as of any date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.factories import captured, interview, moved, person

from powcase.domain.case import fold
from powcase.domain.events import Corrected, Event, RecordedEvent, Transferred
from powcase.domain.values import CaseStatus
from powcase.errors import InvalidInput, InvariantViolation


def history(*events: Event) -> list[RecordedEvent]:
    at = datetime(2025, 12, 1, tzinfo=UTC)
    return [RecordedEvent("PW-T", seq, ev.type, ev.occurred_on, at, "tester", ev) for seq, ev in enumerate(events, 1)]


def test_fold_gathers_the_facts() -> None:
    case = fold(history(person(), captured(), moved(date(2025, 1, 15), "Camp A"), moved(date(2025, 2, 1), "Camp B"),
                        interview(date(2025, 2, 3), "third_state", wish_state="KOR")))
    assert case.identity is not None and case.identity.family_name.latin == "Han"
    assert case.captured_on == date(2025, 1, 9)
    assert case.place == "Camp B"
    assert [f.seq for f in case.interviews] == [5]
    assert case.interviews[0].event.wish_state == "KOR"
    assert case.status == CaseStatus.INTERNED and case.last_seq == 5


def test_fold_as_of_a_date_ignores_later_facts() -> None:
    events = history(person(), captured(), moved(date(2025, 1, 15), "Camp A"), moved(date(2025, 2, 1), "Camp B"))
    assert fold(events, as_of=date(2025, 1, 20)).place == "Camp A"
    assert fold(events, as_of=date(2025, 1, 10)).place is None


def test_correction_is_applied_in_the_fold_and_the_original_kept() -> None:
    fix = Corrected(occurred_on=date(2025, 3, 1), corrects_seq=1, changes={"birth_date": "1998-07-23"}, reason="card misread")
    events = history(person(), captured(), fix)
    case = fold(events)
    assert case.identity is not None and case.identity.birth_date == date(1998, 7, 23)
    assert events[0].event is not None and events[0].event.birth_date == date(1999, 7, 23)  # type: ignore[attr-defined]
    assert fold(events, as_of=date(2025, 2, 1)).identity.birth_date == date(1999, 7, 23)  # type: ignore[union-attr]
    assert [f.event.reason for f in case.corrections] == ["card misread"]


def test_correction_that_makes_an_event_invalid_is_refused() -> None:
    fix = Corrected(occurred_on=date(2025, 3, 1), corrects_seq=3, changes={"wish_state": None}, reason="misheard")
    with pytest.raises(InvalidInput, match="event 3: corrected event is invalid: wish_state: a wish to go to a third state must name the state"):
        fold(history(person(), captured(), interview(date(2025, 2, 3), "third_state", wish_state="KOR"), fix))


def test_correction_of_a_later_or_unknown_event_is_refused() -> None:
    fix = Corrected(occurred_on=date(2025, 3, 1), corrects_seq=9, changes={"place": "X"}, reason="r")
    with pytest.raises(InvalidInput, match="event 3: corrects event 9, which does not precede it"):
        fold(history(person(), captured(), fix))


def test_correction_naming_an_unknown_field_is_refused() -> None:
    fix = Corrected(occurred_on=date(2025, 3, 1), corrects_seq=2, changes={"colour": "blue"}, reason="r")
    with pytest.raises(InvalidInput, match="unknown field"):
        fold(history(person(), captured(), fix))


def test_event_before_capture_is_refused() -> None:
    with pytest.raises(InvariantViolation, match="event 3: custody_moved dated 2025-01-01, before the capture on 2025-01-09"):
        fold(history(person(), captured(), moved(date(2025, 1, 1))))


def test_transferred_and_still_interned_is_a_contradiction() -> None:
    out = Transferred(occurred_on=date(2025, 6, 1), kind="exchange", to_state="RUS")
    with pytest.raises(InvariantViolation, match="event 4: custody_moved on 2025-06-09 but he is no longer in custody"):
        fold(history(person(), captured(), out, moved(date(2025, 6, 9))))


def test_registered_twice_is_refused() -> None:
    with pytest.raises(InvariantViolation, match="registered twice"):
        fold(history(person(), person()))


def test_status_follows_death_and_escape_and_recapture() -> None:
    from powcase.domain.events import Escaped

    case = fold(history(person(), captured(), Escaped(occurred_on=date(2025, 3, 1)), captured(date(2025, 3, 4))))
    assert case.status == CaseStatus.INTERNED and case.captured_on == date(2025, 3, 4)
