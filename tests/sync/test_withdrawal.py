"""Headquarters takes a case back from a field office (need-to-know): the field office sends what
it holds on it first, then destroys its copy of the key; nothing it wrote is lost. And a conflict
on a case that was erased is over: nothing is left to resolve."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.factories import interview, person
from tests.sync.conftest import Offices, chain, snapshot

from powcase.access.accounts import Accounts
from powcase.access.retention import CATEGORIES, RetentionPolicy, due_for_erasure
from powcase.app import sync
from powcase.app.deadlines import register_deadlines
from powcase.app.exchanges import ExchangePlan, plan_exchange
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.app.tracing import possible_duplicates
from powcase.app.tracing import search as trace_search
from powcase.app.withdrawal import withdraw
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER
from powcase.domain.events import Died, RiskAssessed
from powcase.errors import InvalidInput, NotFound, NotPermitted
from powcase.exchange import Exchange, ListRow, Terms
from powcase.store.tables import case_keys
from powcase.sync.errors import BundleRefused
from powcase.sync.state import open_conflicts, withdrawals, withdrawn_here


def _to_field(offices: Offices) -> sync.Applied:
    return sync.import_bundle(offices.field, sync.export(offices.hq, "CAMP-NORTH")[0])


def _to_hq(offices: Offices) -> sync.Applied:
    return sync.import_bundle(offices.hq, sync.export(offices.field, "HQ")[0])


def _has_key(pw: Powcase, case_id: str) -> bool:
    with pw.store.begin() as tx:
        return tx.conn.execute(select(case_keys.c.case_id).where(case_keys.c.case_id == case_id)).first() is not None


def _state(pw: Powcase) -> list[tuple[str, str, bool]]:
    with pw.store.begin() as tx:
        return [(w.office, w.case_id, w.done_at is not None) for w in withdrawals(tx.conn)]


def _conflicts(pw: Powcase) -> list[str]:
    with pw.store.begin() as tx:
        return [case_id for case_id, _, _ in open_conflicts(tx.conn)]


def test_the_field_sends_what_it_holds_then_its_copy_is_unreadable(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    # The field interviewed him offline; headquarters has not heard of it when it takes him back.
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    assert withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER]) == [FIRST_SOLDIER]
    assert _state(hq) == [("CAMP-NORTH", FIRST_SOLDIER, False)]
    order = sync.export(hq, "CAMP-NORTH")[0]
    applied = sync.import_bundle(field, order)
    # Its interview has not reached headquarters: the field keeps the case, readable, and says why.
    assert applied.waiting == [FIRST_SOLDIER] and applied.withdrawn == []
    assert field.case(FIRST_SOLDIER).identity is not None
    assert _to_hq(enrolled).events == 1
    assert hq.case(FIRST_SOLDIER).interviews[-1].event.stated_wish == "no_repatriation"
    # The next bundle acknowledges it: now the field office gives the case up.
    assert _to_field(enrolled).withdrawn == [FIRST_SOLDIER]
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)  # the rows stay, the same chain
    assert not _has_key(field, FIRST_SOLDIER) and _has_key(hq, FIRST_SOLDIER)
    field.store.forget_all_keys()
    assert all(r.event is None for r in field.history(FIRST_SOLDIER))  # nothing of him is readable there
    assert field.verify() == []
    with field.store.begin() as tx:
        assert list(withdrawn_here(tx.conn)) == [FIRST_SOLDIER]
    # No more writes on it there, in one line naming why; nothing written.
    before = snapshot(field)
    with pytest.raises(NotPermitted, match=r"taken back by headquarters on .*need-to-know") as refused:
        field.record(FIRST_SOLDIER, interview(date(2025, 11, 25)), "field-interviewer")
    assert "\n" not in str(refused.value)
    assert snapshot(field) == before
    # The field's next bundle says so; headquarters shows it done and sends nothing of him again.
    assert _to_hq(enrolled).reported_withdrawn == [FIRST_SOLDIER]
    assert _state(hq) == [("CAMP-NORTH", FIRST_SOLDIER, True)]
    assert sync.shared_cases(hq, "CAMP-NORTH") == []
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 26)), "hq-interviewer")
    applied = _to_field(enrolled)
    assert (applied.events, applied.withdrawn, applied.waiting) == (0, [], [])
    assert len(chain(field, FIRST_SOLDIER)) == len(chain(hq, FIRST_SOLDIER)) - 1
    # The bundle that carried the order, imported again, or an older one: refused, nothing changes.
    before = snapshot(field)
    with pytest.raises(BundleRefused, match="replayed or out of order"):
        sync.import_bundle(field, order)
    assert snapshot(field) == before
    assert field.verify() == [] and hq.verify() == []


def test_a_case_held_in_step_is_withdrawn_on_the_first_bundle(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 20)), "hq-interviewer")  # written after, never sent
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    applied = _to_field(enrolled)
    assert applied.withdrawn == [FIRST_SOLDIER] and applied.events == 0
    assert not _has_key(field, FIRST_SOLDIER)
    # A bundle lost on the way back: the next one reports it too.
    sync.export(field, "HQ")
    assert _to_hq(enrolled).reported_withdrawn == [FIRST_SOLDIER]


def test_refusals_leave_the_store_unchanged(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    before = snapshot(hq)
    for name, cases, error, message in [
        ("CAMP-NORTH", [SECOND_SOLDIER], InvalidInput, f"office CAMP-NORTH does not hold case {SECOND_SOLDIER}"),
        ("CAMP-SOUTH", [FIRST_SOLDIER], NotFound, "office CAMP-SOUTH: not enrolled here"),
        ("CAMP-NORTH", ["PW-NOSUCH1"], NotFound, "no case PW-NOSUCH1"),
        ("CAMP-NORTH", [], InvalidInput, "no case matches"),
    ]:
        with pytest.raises(error, match=message):
            withdraw(hq, name, cases)
    assert snapshot(hq) == before
    with pytest.raises(InvalidInput, match="only headquarters"):
        withdraw(field, "HQ", [FIRST_SOLDIER])
    # Twice changes nothing.
    assert withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER]) == [FIRST_SOLDIER]
    before = snapshot(hq)
    assert withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER]) == []
    assert snapshot(hq) == before
    sync.revoke(hq, "CAMP-NORTH")
    with pytest.raises(InvalidInput, match="revoked"):
        withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])


def test_a_case_taken_back_is_given_again_with_its_key(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    _to_field(enrolled)
    _to_hq(enrolled)
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 24)), "hq-interviewer")
    assert sync.extend(hq, "CAMP-NORTH", [FIRST_SOLDIER]) == 1
    assert _state(hq) == []
    applied = _to_field(enrolled)
    assert applied.given_again == [FIRST_SOLDIER] and applied.events == 1
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    field.store.forget_all_keys()
    assert field.case(FIRST_SOLDIER).identity == hq.case(FIRST_SOLDIER).identity
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 25)), "field-interviewer")
    assert _to_hq(enrolled).events == 1
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)
    assert field.verify() == []


def test_an_order_ended_by_giving_the_case_again_before_the_field_carried_it_out_is_over_there(enrolled: Offices) -> None:
    # Found by the simulation at 10,000 cases: the field kept the order "waiting" for ever when
    # headquarters gave the case again before the field's events reached it, and the give-back
    # carried no rows (the field's next bundle had acknowledged them).
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    assert _to_field(enrolled).waiting == [FIRST_SOLDIER]
    assert _state(field) == [("HQ", FIRST_SOLDIER, False)]
    sync.extend(hq, "CAMP-NORTH", [FIRST_SOLDIER])  # headquarters changes its mind
    assert _to_hq(enrolled).events == 1  # the field's interview arrives and is acknowledged
    applied = _to_field(enrolled)
    assert applied.waiting == [] and applied.withdrawn == []
    assert _state(field) == [] and _state(hq) == []  # no order left at either office
    assert _has_key(field, FIRST_SOLDIER) and field.case(FIRST_SOLDIER).identity is not None
    assert chain(field, FIRST_SOLDIER) == chain(hq, FIRST_SOLDIER)


def test_a_report_made_before_the_case_was_given_again_does_not_close_a_new_order(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    _to_field(enrolled)
    stale, _ = sync.export(field, "HQ")  # "withdrawn", on its way while headquarters changes its mind
    sync.extend(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    afresh, _ = sync.export(hq, "CAMP-NORTH")
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    assert sync.import_bundle(hq, stale).reported_withdrawn == []
    assert _state(hq) == [("CAMP-NORTH", FIRST_SOLDIER, False)]  # the field holds the case again once it imports
    assert sync.import_bundle(field, afresh).given_again == [FIRST_SOLDIER]
    assert _has_key(field, FIRST_SOLDIER)
    assert _to_field(enrolled).withdrawn == [FIRST_SOLDIER]
    assert _to_hq(enrolled).reported_withdrawn == [FIRST_SOLDIER]
    assert _state(hq) == [("CAMP-NORTH", FIRST_SOLDIER, True)]


def test_a_line_headquarters_keeps_in_conflict_is_held_and_the_case_is_taken_back(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    hq.record(FIRST_SOLDIER, RiskAssessed(occurred_on=date(2025, 11, 21), destination="PRK", conclusion="no_real_risk",
                                          reasoning="Invented.", assessor="Legal officer 1"), "hq-legal")
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    assert _to_field(enrolled).waiting == [FIRST_SOLDIER]
    assert _to_hq(enrolled).conflicts == [FIRST_SOLDIER]  # its line is kept beside headquarters'
    assert _to_field(enrolled).withdrawn == [FIRST_SOLDIER]
    assert _conflicts(field) == []
    # Headquarters resolves it alone: the field's interview is carried onto its chain.
    assert _conflicts(hq) == [FIRST_SOLDIER]
    assert sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both hold.", "hq-legal") == 1
    assert hq.case(FIRST_SOLDIER).interviews[-1].event.stated_wish == "no_repatriation"


def test_an_erasure_ends_a_conflict_at_both_offices(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    hq.record(FIRST_SOLDIER, interview(date(2025, 11, 21)), "hq-interviewer")
    _to_hq(enrolled)
    assert _conflicts(hq) == [FIRST_SOLDIER]
    hq.erase(FIRST_SOLDIER, "retention period over", "admin + legal")
    assert _conflicts(hq) == []
    with pytest.raises(NotFound, match="no open conflict"):
        sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both hold.", "hq-legal")
    # The field office gets headquarters' line with the erasure beside its own: erased there too.
    applied = _to_field(enrolled)
    assert applied.erased == [FIRST_SOLDIER] and _conflicts(field) == []
    assert not _has_key(field, FIRST_SOLDIER)
    assert hq.verify() == [] and field.verify() == []


def test_the_field_register_leaves_a_case_taken_back_out(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.register(person(service_number="TEST-0777"), "field-registrar")
    withdraw(hq, "CAMP-NORTH", [FIRST_SOLDIER])
    _to_field(enrolled)
    accounts = Accounts(field.store.engine, field.store.master_key, field.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    legal = Office(field, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))
    on = date(2025, 11, 28)
    assert FIRST_SOLDIER not in [r["case_id"] for r in legal.list_cases()]
    assert len(legal.list_cases()) == 1  # the man the field office registered itself stays
    assert FIRST_SOLDIER not in [d.case_id for d in legal.determine_all(field.rulebook, on, field.context)]
    assert FIRST_SOLDIER not in [item.case_id for item in legal.decide_register(field.rulebook, on, field.context)]
    assert FIRST_SOLDIER not in [r["case_id"] for r in legal.export_pseudonymised()]
    # The other walks of the register leave it out too (each tested below), without failing.
    assert FIRST_SOLDIER not in {r.duty.case_id for r in legal.deadlines(on)}
    assert FIRST_SOLDIER not in {d.case_id for d in legal.retention(RetentionPolicy())}
    assert legal.trace("Han", None, 5).skipped == []



# --- the field office's walks of the register leave a case taken back out -------------------------

ON = date(2025, 11, 28)
HIS_NAME = "Pak Un Chol"  # the first soldier, in Latin letters


def _legal_officer(pw: Powcase) -> Office:
    """A legal officer at the office: may read identity and statements and run every walk."""
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    return Office(pw, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))


def _taken_back_at_field(enrolled: Offices) -> None:
    """The field office registered a man of its own, and headquarters took the first soldier back."""
    enrolled.field.register(person(service_number="TEST-0777"), "field-registrar")
    withdraw(enrolled.hq, "CAMP-NORTH", [FIRST_SOLDIER])
    assert _to_field(enrolled).withdrawn == [FIRST_SOLDIER]


def test_deadlines_at_the_field_leave_a_case_taken_back_out(enrolled: Offices) -> None:
    legal = _legal_officer(enrolled.field)
    assert FIRST_SOLDIER in {r.duty.case_id for r in legal.deadlines(ON)}
    _taken_back_at_field(enrolled)
    rows = legal.deadlines(ON)
    assert FIRST_SOLDIER not in {r.duty.case_id for r in rows}
    assert rows and {r.duty.case_id for r in rows} == {c["case_id"] for c in legal.list_cases()}  # his own man stays
    with pytest.raises(NotPermitted, match=rf"case {FIRST_SOLDIER}: taken back by headquarters on .*need-to-know"):
        legal.deadlines(ON, FIRST_SOLDIER)
    # At headquarters, the register of record, his duties are still walked.
    assert FIRST_SOLDIER in {d.duty.case_id for d in register_deadlines(enrolled.hq.store, enrolled.hq.rulebook, ON, None)}


def test_the_central_agency_list_at_the_field_leaves_a_case_taken_back_out(enrolled: Offices) -> None:
    legal = _legal_officer(enrolled.field)

    def named(since: date) -> set[str]:
        listing = legal.cta_list(since)
        return {row[0] for row in listing.table.rows} | {row[0] for row in listing.withheld.rows}

    assert FIRST_SOLDIER in named(date(2025, 1, 1))  # withheld there: notifying his own state was withheld
    _taken_back_at_field(enrolled)
    assert FIRST_SOLDIER not in named(date(2025, 1, 1))


def test_retention_at_the_field_leaves_a_case_taken_back_out(enrolled: Offices) -> None:
    # He died in captivity; every category is past a one-day period: due for erasure, at the
    # field office too while it holds him.
    enrolled.hq.record(FIRST_SOLDIER, Died(occurred_on=date(2025, 11, 10)), "hq-clerk")
    _to_field(enrolled)
    policy = RetentionPolicy(days=dict.fromkeys(CATEGORIES, 1))
    legal = _legal_officer(enrolled.field)
    assert FIRST_SOLDIER in {d.case_id for d in legal.retention(policy)}
    _taken_back_at_field(enrolled)
    # Taken back: not this office's to keep or erase; headquarters, which holds his record, decides.
    assert FIRST_SOLDIER not in {d.case_id for d in legal.retention(policy)}
    assert FIRST_SOLDIER in {d.case_id for d in due_for_erasure([enrolled.hq.case(FIRST_SOLDIER)], enrolled.hq.today(), policy)}


def test_tracing_at_the_field_leaves_a_case_taken_back_out(enrolled: Offices) -> None:
    hq, field = enrolled.hq, enrolled.field
    legal = _legal_officer(field)
    assert FIRST_SOLDIER in [c.record_id for c in legal.trace(HIS_NAME, None, 5).candidates]
    _taken_back_at_field(enrolled)
    found = legal.trace(HIS_NAME, None, 5)
    # Not a candidate, and not a record the search "could not read": the warning is for records
    # of this office, and nothing of him is this office's any more.
    assert FIRST_SOLDIER not in [c.record_id for c in found.candidates] and found.skipped == []
    assert [c.record_id for c in legal.trace("Han Byol Chan", None, 5).candidates][:1] != []  # the index still works
    # The register index a new registration is checked against: the same.
    duplicates = possible_duplicates(field.store, person(service_number="TEST-0778"))
    assert FIRST_SOLDIER not in [c.record_id for c in duplicates.candidates] and duplicates.skipped == []
    # Headquarters still finds him.
    assert FIRST_SOLDIER in [c.record_id for c in trace_search(hq.store, HIS_NAME, None, 5).candidates]


def test_exchange_planning_at_the_field_leaves_a_case_taken_back_out(enrolled: Offices) -> None:
    exchange = Exchange(id="EX-2025-12-WD", counterpart="PRK", date=date(2025, 12, 1), terms=Terms(total=10),
                        request_list=(ListRow(row=2, name=HIS_NAME, service_number="KPA-4471-0932"),))

    def named(plan: ExchangePlan) -> set[str]:
        return {c for e in plan.report for c in (e.case_id, *e.candidates) if c} | set(plan.plan.chosen)

    legal = _legal_officer(enrolled.field)
    assert FIRST_SOLDIER in named(legal.plan_exchange(exchange))
    _taken_back_at_field(enrolled)
    plan = legal.plan_exchange(exchange)
    assert FIRST_SOLDIER not in named(plan) and plan.skipped == ()
    assert FIRST_SOLDIER in named(plan_exchange(enrolled.hq, exchange))
