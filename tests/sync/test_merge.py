"""Carrying one office's line into another's renumbers its events: a correction must still correct
the event it was written for, in a resolution and in the safer reading of a case in conflict."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.factories import person

from powcase.domain.case import fold
from powcase.domain.events import ConflictResolved, Corrected, CustodyMoved, Event, RecordedEvent
from powcase.errors import InvalidInput
from powcase.sync import merge

CASE = "PW-TEST-MERGE"
AT = datetime(2025, 11, 30, 12, tzinfo=UTC)


def _line(start: int, events: list[Event]) -> list[RecordedEvent]:
    return [RecordedEvent(CASE, seq, e.type, e.occurred_on, AT, "clerk", e) for seq, e in enumerate(events, start=start)]


def _move(day: int, place: str) -> CustodyMoved:
    return CustodyMoved(occurred_on=date(2025, 11, day), place=place)


def _fix(day: int, seq: int, place: str) -> Corrected:
    return Corrected(occurred_on=date(2025, 11, day), corrects_seq=seq, changes={"place": place}, reason="misheard")


COMMON = _line(1, [person()])


def test_the_union_of_two_lines_corrects_the_event_the_correction_names() -> None:
    ours = _line(2, [_move(20, "Camp A")])
    theirs = _line(2, [_move(21, "Camp B"), _fix(22, 2, "Camp C")])  # their event 2 is Camp B
    union = merge.interleave(COMMON, [ours, theirs])
    assert [c.event.place for c in fold(union).custody] == ["Camp A", "Camp C"]


def test_a_correction_of_an_event_merged_before_points_to_its_carried_copy() -> None:
    # Our line holds their event 2 carried as our event 3; their new part corrects their event 2.
    ours = _line(2, [_move(20, "Camp A"), _move(21, "Camp B")])
    theirs_new = _line(3, [_fix(22, 2, "Camp C")])
    union = merge.interleave(COMMON, [ours, theirs_new], {(1, 2): (0, 3)})
    assert [c.event.place for c in fold(union).custody] == ["Camp A", "Camp C"]


def test_carrying_maps_corrections_and_refuses_one_that_points_to_what_is_not_carried() -> None:
    theirs = [merge.TheirEvent(r, f"{r.seq:064x}") for r in _line(2, [_move(21, "Camp B"), _fix(22, 2, "Camp C")])]
    where: dict[int, int] = {}
    carried = merge.carry(theirs, 1, where, first_seq=5)
    assert isinstance(carried[1], Corrected) and carried[1].corrects_seq == 5 and where == {2: 5, 3: 6}
    orphan = [merge.TheirEvent(r, "0" * 64) for r in _line(3, [_fix(22, 2, "Camp C")])]
    with pytest.raises(InvalidInput, match="corrects its event 2, which is not carried"):
        merge.carry(orphan, 1, {}, first_seq=5)


def test_a_resolution_whose_carried_events_differ_from_the_line_is_found() -> None:
    theirs = [merge.TheirEvent(r, f"{r.seq:064x}") for r in _line(2, [_move(21, "Camp B")])]
    resolution = ConflictResolved(occurred_on=date(2025, 11, 23), office="CAMP-NORTH", fork_seq=1, our_head="a" * 64,
                                  their_head=theirs[-1].hash, carried=1, reason="Both hold.")
    faithful = _line(2, [_move(20, "Camp A"), resolution, _move(21, "Camp B")])
    assert merge.merged([*COMMON, *faithful], theirs, 1, "CAMP-NORTH").upto == 1
    altered = _line(2, [_move(20, "Camp A"), resolution, _move(21, "Camp Z")])
    with pytest.raises(merge.Unfaithful):
        merge.merged([*COMMON, *altered], theirs, 1, "CAMP-NORTH")
