"""A conflict resolved at headquarters reaches the field office: it adopts the resolved line, keeps
its own line row for row, and both offices hold the same chain again. A resolution that leaves out
one of the field's events is refused there; a correction carried across points to the right event;
a line resolved twice carries each event once."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, update
from tests.factories import interview
from tests.sync.conftest import Offices, chain, snapshot

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER
from powcase.domain.events import ConflictResolved, Corrected, CustodyMoved, RiskAssessed
from powcase.sync.errors import BundleRefused
from powcase.sync.state import open_conflicts
from powcase.sync.tables import sync_superseded

HQ_LEGAL = "hq-legal"


def _hq_writes(hq: Powcase, on: date) -> None:
    hq.record(FIRST_SOLDIER, RiskAssessed(occurred_on=on, destination="PRK", conclusion="real_risk",
                                          reasoning="Invented.", assessor="Legal officer 1"), HQ_LEGAL)


def _conflicts(pw: Powcase) -> list[str]:
    with pw.store.begin() as tx:
        return [c for c, _, _ in open_conflicts(tx.conn)]


def _superseded(pw: Powcase) -> list[tuple[int, str]]:
    with pw.store.begin() as tx:
        return [(r.seq, r.type) for r in tx.conn.execute(
            select(sync_superseded.c.seq, sync_superseded.c.type).order_by(sync_superseded.c.seq))]


def _round(field: Powcase, hq: Powcase) -> tuple[sync.Applied, sync.Applied]:
    at_hq = sync.import_bundle(hq, sync.export(field, "HQ")[0])
    at_field = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    return at_hq, at_field


def test_the_field_adopts_the_resolved_line_and_both_offices_hold_one_chain(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    _round(field, hq)
    assert _conflicts(hq) == _conflicts(field) == [FIRST_SOLDIER]
    checkpoint = field.checkpoint()  # the neutral intermediary's copy, taken on the field's own line
    own_line = chain(field, FIRST_SOLDIER)
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both hold; the interview stands.", HQ_LEGAL)

    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])

    assert applied.adopted == [FIRST_SOLDIER] and applied.conflicts == []
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    assert _conflicts(field) == [] and _conflicts(hq) == []
    # Nothing of the field's line is lost: its row is kept as it was, and its fact is on the chain.
    assert _superseded(field) == [(own_line[-1][0], "interviewed")]
    assert field.case(FIRST_SOLDIER).interviews[-1].event.stated_wish == "no_repatriation"
    resolution, carried = field.history(FIRST_SOLDIER)[-2:]
    assert (resolution.actor, carried.actor) == (HQ_LEGAL, "field-interviewer@CAMP-NORTH")  # its author stays his
    assert field.case(FIRST_SOLDIER).risk_assessments  # headquarters' assessment is here too
    assert field.verify() == [] and hq.verify() == []
    # The checkpoint's head is on the line the resolution merged: not a rewind.
    breaks, sealed = field.check_against(checkpoint)
    assert breaks == [] and sealed
    # From now on both write on one line: plain appends, no conflict.
    field.record(FIRST_SOLDIER, CustodyMoved(occurred_on=date(2025, 11, 25), place="Camp Test-3"), "field-registrar")
    at_hq, at_field = _round(field, hq)
    assert at_hq.conflicts == at_field.conflicts == [] and at_hq.events == 1
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)


def test_a_line_resolved_twice_carries_each_event_once(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "undecided"), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    assert sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The first interview stands.", HQ_LEGAL) == 1
    # Before hearing of it, the field interviews him again on its old line.
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 24), "no_repatriation"), "field-interviewer")
    assert sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0]).adopted == []
    assert _conflicts(field) == [FIRST_SOLDIER]  # its newest event is not merged: still in conflict
    assert sync.import_bundle(hq, sync.export(field, "HQ")[0]).conflicts == [FIRST_SOLDIER]
    assert sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The second interview stands too.", HQ_LEGAL) == 1
    assert sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0]).adopted == [FIRST_SOLDIER]
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    wishes = [r.event.stated_wish for r in hq.case(FIRST_SOLDIER).interviews if r.occurred_on >= date(2025, 11, 20)]
    assert wishes == ["undecided", "no_repatriation"]


def test_a_bundle_repeating_a_merged_line_does_not_reopen_the_conflict(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The interview stands.", HQ_LEGAL)
    again = sync.import_bundle(hq, sync.export(field, "HQ")[0])  # made before the field heard of it
    assert again.conflicts == [] and _conflicts(hq) == []


def test_a_correction_carried_across_points_to_the_event_it_corrects(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    fork = len(field.history(FIRST_SOLDIER))
    field.record(FIRST_SOLDIER, CustodyMoved(occurred_on=date(2025, 11, 20), place="Camp Test-2"), "field-registrar")
    field.record(FIRST_SOLDIER, Corrected(occurred_on=date(2025, 11, 21), corrects_seq=fork + 1,
                                          changes={"place": "Camp Test-4"}, reason="misheard"), "field-registrar")
    _hq_writes(hq, date(2025, 11, 21))
    hq.record(FIRST_SOLDIER, CustodyMoved(occurred_on=date(2025, 11, 22), place="Camp Test-7"), "hq-registrar")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The move and its correction stand.", HQ_LEGAL)
    history = hq.history(FIRST_SOLDIER)
    moved, correction = history[-2:]
    assert moved.type == "custody_moved" and isinstance(correction.event, Corrected)
    assert correction.event.corrects_seq == moved.seq  # not fork + 1, which is headquarters' assessment there
    assert [c.event.place for c in hq.case(FIRST_SOLDIER).custody][-2:] == ["Camp Test-7", "Camp Test-4"]
    assert sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0]).adopted == [FIRST_SOLDIER]
    assert field.case(FIRST_SOLDIER).place == hq.case(FIRST_SOLDIER).place == "Camp Test-4"


def test_a_resolution_that_leaves_out_a_field_event_is_refused_at_the_field(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    fork = len(field.history(FIRST_SOLDIER))
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    field_head = chain(field, FIRST_SOLDIER)[-1][1]
    # One insider at headquarters writes a resolution by hand that drops the man's refusal.
    with hq.store.begin() as tx:
        history = tx.history(FIRST_SOLDIER)
        forged = ConflictResolved(occurred_on=date(2025, 11, 22), office="CAMP-NORTH", fork_seq=fork,
                                  our_head=tx.rows(FIRST_SOLDIER)[-1].hash, their_head=field_head, carried=0,
                                  reason="Nothing to carry.")
        hq.append_within(tx, FIRST_SOLDIER, history, [forged], HQ_LEGAL)
    before = snapshot(field)
    with pytest.raises(BundleRefused, match=f"case {FIRST_SOLDIER}: the resolution at event .* does not carry"):
        sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert snapshot(field) == before
    assert field.case(FIRST_SOLDIER).interviews[-1].event.stated_wish == "no_repatriation"


def test_audit_verify_finds_an_altered_superseded_line(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "The interview stands.", HQ_LEGAL)
    sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    with field.store.engine.begin() as conn:
        clear = json.loads(conn.execute(select(sync_superseded.c.clear)).scalar_one())
        clear["interpreter"] = "someone else"
        conn.execute(update(sync_superseded).values(clear=json.dumps(clear)))
    assert [b.problem for b in field.verify()] == ["a row of its superseded line does not match its hash (altered)"]
