"""One man registered at headquarters and at a field office: a legal officer at headquarters decides.
"same" carries the field's facts onto the case headquarters held, under their own authors, and
closes the field's case; facts that reach the closed case later are listed again and carried once.
"different" changes nothing but the list. A bad decision writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from tests.factories import interview, person
from tests.sync.conftest import Offices, chain, snapshot

from powcase.app import sync
from powcase.app.duplicates import decide_duplicate
from powcase.app.exchanges import plan_exchange
from powcase.app.service import Powcase
from powcase.demo import SECOND_SOLDIER
from powcase.domain.events import CustodyMoved, Transferred, parse_event
from powcase.errors import InvalidInput, NotFound, NotPermitted
from powcase.exchange import Exchange, ListRow, Terms
from powcase.sync.state import closed_duplicates, duplicate_states, duplicates
from powcase.sync.tables import sync_shared

HQ_LEGAL = "hq-legal"
FIELD_AUTHOR = "field-interviewer@CAMP-NORTH"


def _registered_twice(offices: Offices) -> tuple[str, str]:
    """HQ and the field register one man; the field interviews him; the field's bundle reaches HQ."""
    at_hq = offices.hq.register(person(service_number="TEST-0999"), "hq-registrar")
    at_field = offices.field.register(person(service_number="TEST-0999"), "field-registrar")
    offices.field.record(at_field, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    assert sync.import_bundle(offices.hq, sync.export(offices.field, "HQ")[0]).duplicates == [(at_field, at_hq)]
    return at_field, at_hq


def _open(pw: Powcase) -> list[tuple[str, str, str]]:
    with pw.store.begin() as tx:
        return duplicates(tx.conn)


def _to_carry(pw: Powcase) -> list[int]:
    with pw.store.begin() as tx:
        return [d.to_carry for d in duplicate_states(tx.conn) if d.open]


def _types(pw: Powcase, case_id: str) -> list[str]:
    return [r.type for r in pw.history(case_id)]


def test_same_carries_the_field_facts_onto_the_case_held_and_closes_the_other(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    case, other = _registered_twice(enrolled)
    before = len(hq.history(other))

    done = decide_duplicate(hq, case, other, "same", "Same man: same service number, name and birth date.", HQ_LEGAL)

    assert (done.carried, done.first_seq, done.not_carried, done.given) == (1, before + 1, [], True)
    carried = hq.history(other)[-1]
    assert (carried.type, carried.actor, carried.seq) == ("interviewed", FIELD_AUTHOR, before + 1)
    assert carried.event == field.history(case)[-1].event
    decided = hq.history(case)[-1]
    assert decided.type == "duplicate_decided" and decided.actor == HQ_LEGAL
    assert _open(hq) == []
    with hq.store.begin() as tx:
        assert closed_duplicates(tx.conn) == {case: other}
    assert hq.case(case).duplicate_of == other
    # Closed: nothing more is recorded on it here, and no transfer by any path (the guard).
    head = chain(hq, case)
    with pytest.raises(NotPermitted, match=f"registered twice; the man's case is {other}"):
        hq.record(case, interview(date(2025, 11, 25)), HQ_LEGAL)
    with pytest.raises(NotPermitted, match="no transfer of this case"), hq.store.begin() as tx:
        hq.append_within(tx, case, tx.history(case), [Transferred(occurred_on=date(2025, 11, 30), kind="third_state", to_state="KOR")], HQ_LEGAL)
    assert chain(hq, case) == head
    # The service number index stays the held case's; a rebuild keeps it so.
    assert hq.find_service_number("RUS", "TEST-0999") == other
    hq.rebuild()
    assert hq.find_service_number("RUS", "TEST-0999") == other
    assert hq.verify() == []

    # The field office is given the case held at headquarters, and hears of the decision.
    with hq.store.begin() as tx:
        assert tx.conn.execute(sync_shared.select().where(sync_shared.c.peer == "CAMP-NORTH",
                                                          sync_shared.c.case_id == other)).first() is not None
    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert applied.new_cases == 1 and applied.duplicates == [(other, case)]  # the man it holds, under its case
    assert chain(field, other) == chain(hq, other) and chain(field, case) == chain(hq, case)
    assert field.history(other)[-1].actor == FIELD_AUTHOR
    assert _open(field) == []  # the field finds the man in the case it was given: decided already
    with field.store.begin() as tx:
        assert closed_duplicates(tx.conn) == {case: other}
    with pytest.raises(NotPermitted, match=f"the man's case is {other}"):
        field.record(case, interview(date(2025, 11, 26)), "field-interviewer")
    assert field.verify() == []


def test_a_fact_headquarters_recorded_on_the_arrived_case_keeps_its_author_unnamed_with_the_field(enrolled: Offices) -> None:
    # Rows record which office sent them (sync_received): only those the field sent are carried
    # as the field's; one a headquarters officer wrote on the arrived case stays his.
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    hq.record(case, CustodyMoved(occurred_on=date(2025, 11, 22), place="Camp South"), "hq-registrar")

    decide_duplicate(hq, case, other, "same", "Same man: same service number, name and birth date.", HQ_LEGAL)

    carried = [(r.type, r.actor) for r in hq.history(other)[-2:]]
    assert carried == [("interviewed", FIELD_AUTHOR), ("custody_moved", "hq-registrar")]


def test_a_field_fact_on_the_closed_case_arrives_is_listed_and_carried_once(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    case, other = _registered_twice(enrolled)
    decide_duplicate(hq, case, other, "same", "Same man.", HQ_LEGAL)
    # Offline, before it hears of the decision, the field office moves him.
    field.record(case, CustodyMoved(occurred_on=date(2025, 11, 24), place="Camp Test-4"), "field-registrar")
    assert sync.import_bundle(hq, sync.export(field, "HQ")[0]).conflicts == [case]  # never lost: kept beside
    assert _open(hq) == []
    sync.resolve(hq, case, "CAMP-NORTH", "The move stands.", HQ_LEGAL)
    assert _open(hq) == [(case, other, "CAMP-NORTH")] and _to_carry(hq) == [1]

    done = decide_duplicate(hq, case, other, "same", "The move too.", HQ_LEGAL)

    assert done.carried == 1
    assert [r.type for r in hq.history(other)].count("interviewed") == 1  # the interview is not carried twice
    moved = hq.history(other)[-1]
    assert (moved.type, moved.actor) == ("custody_moved", "field-registrar@CAMP-NORTH")
    assert hq.case(other).place == "Camp Test-4"
    assert _open(hq) == []
    with pytest.raises(NotFound, match="not listed"):
        decide_duplicate(hq, case, other, "same", "Again.", HQ_LEGAL)
    # The field adopts the resolved line of its case, with both decisions, and gets the case held.
    applied = sync.import_bundle(field, sync.export(hq, "CAMP-NORTH")[0])
    assert applied.adopted == [case]
    assert chain(field, case) == chain(hq, case) and chain(field, other) == chain(hq, other)
    assert _open(field) == [] and field.verify() == [] and hq.verify() == []


def test_corrections_point_to_the_carried_event_and_a_correction_of_the_registration_stays(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    at_hq = hq.register(person(service_number="TEST-0999"), "hq-registrar")
    case = field.register(person(service_number="TEST-0999"), "field-registrar")
    field.record(case, interview(date(2025, 11, 20)), "field-interviewer")
    field.record(case, parse_event({"type": "corrected", "occurred_on": date(2025, 11, 21), "corrects_seq": 2,
                                    "changes": {"stated_wish": "no_repatriation"}, "reason": "Misheard."}), "field-interviewer")
    field.record(case, parse_event({"type": "corrected", "occurred_on": date(2025, 11, 21), "corrects_seq": 1,
                                    "changes": {"rank": "Corporal"}, "reason": "Rank misread."}), "field-registrar")
    sync.import_bundle(hq, sync.export(field, "HQ")[0])
    first = len(hq.history(at_hq)) + 1

    done = decide_duplicate(hq, case, at_hq, "same", "Same man.", HQ_LEGAL)

    assert (done.carried, done.not_carried) == (2, [4])
    correction = hq.history(at_hq)[-1].event
    assert correction is not None and correction.corrects_seq == first  # type: ignore[attr-defined]
    assert hq.case(at_hq).interviews[-1].event.stated_wish == "no_repatriation"
    assert hq.case(at_hq).identity.rank == "Private"  # type: ignore[union-attr]


def test_different_changes_nothing_but_the_list(enrolled: Offices) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    held = chain(hq, other)

    done = decide_duplicate(hq, case, other, "different", "Two men; the field misread the service number.", HQ_LEGAL)

    assert (done.decision, done.carried, done.given) == ("different", 0, False)
    assert chain(hq, other) == held
    assert _types(hq, case)[-1] == "duplicate_decided"
    assert hq.case(case).duplicate_of is None and _open(hq) == []
    assert hq.record(case, interview(date(2025, 11, 25)), HQ_LEGAL).type == "interviewed"  # still open for work
    assert hq.find_service_number("RUS", "TEST-0999") == other


def test_exchange_planning_lists_the_man_once(enrolled: Offices) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    exchange = Exchange(id="EX-2025-12-DUP", counterpart="RUS", date=date(2025, 12, 1), terms=Terms(total=10),
                        request_list=(ListRow(row=2, name="Han Byol Chan", service_number="TEST-0999"),))

    def named() -> set[str]:
        plan = plan_exchange(hq, exchange)
        return {c for e in plan.report for c in (e.case_id, *e.candidates) if c} | set(plan.plan.chosen)

    assert case in named()
    decide_duplicate(hq, case, other, "same", "Same man.", HQ_LEGAL)
    assert case not in named() and other in named()


@pytest.mark.parametrize(("args", "error", "message"), [
    (("PW-NOSUCH01", "OTHER", "same", "Why."), NotFound, "no case PW-NOSUCH01"),
    (("CASE", SECOND_SOLDIER, "same", "Why."), NotFound, "not listed as possibly the same man"),
    (("CASE", "OTHER", "same", "  "), InvalidInput, "--reason"),
    (("CASE", "OTHER", "maybe", "Why."), InvalidInput, "--decision: same or different"),
])
def test_a_bad_decision_gives_one_line_and_writes_nothing(enrolled: Offices, args: tuple[str, str, str, str],
                                                          error: type[Exception], message: str) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    names = {"CASE": case, "OTHER": other}
    before = snapshot(hq)
    with pytest.raises(error, match=message) as raised:
        decide_duplicate(hq, *(names.get(a, a) for a in args[:2]), args[2], args[3], HQ_LEGAL)
    assert len(str(raised.value).splitlines()) == 1
    assert snapshot(hq) == before


def test_a_field_office_does_not_decide(enrolled: Offices) -> None:
    field = enrolled.field
    case, other = _registered_twice(enrolled)
    sync.import_bundle(field, sync.export(enrolled.hq, "CAMP-NORTH")[0])
    before = snapshot(field)
    with pytest.raises(InvalidInput, match="decided at headquarters"):
        decide_duplicate(field, case, other, "same", "Why.", "field-legal")
    assert snapshot(field) == before


def test_the_register_decides_the_man_once_under_the_case_that_holds_him(enrolled: Offices) -> None:
    from tests.access.helpers import FAST_HASHER, PASSWORD

    from powcase.access.accounts import Accounts
    from powcase.app.office import Office

    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    decide_duplicate(hq, case, other, "same", "Same man.", HQ_LEGAL)
    accounts = Accounts(hq.store.engine, hq.store.master_key, hq.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    office = Office(hq, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))
    on = date(2025, 11, 28)
    listed = {item.case_id for item in office.decide_register(hq.rulebook, on, hq.context) if item.verdicts}
    every = {d.case_id for d in office.determine_all(hq.rulebook, on, hq.context)}
    assert other in listed and other in every
    assert case not in listed and case not in every
