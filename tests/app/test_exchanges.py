"""Exchange lists on the demo data: nobody goes on a list against his will or into danger."""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import Backend, FixedClock

from powcase.app.exchanges import execute_exchange, plan_exchange
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, FIRST_SOLDIER, SECOND_SOLDIER, demo_bundle
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Interviewed, Registered
from powcase.exchange import Exchange, ExclusionCode, ListRow, Terms
from powcase.law import Status, determine
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore

ON = date(2025, 6, 10)  # the demo's categories agreement with Russia is in force


@pytest.fixture
def app(backend: Backend, master_key: MasterKey, clock: FixedClock) -> Powcase:
    pw = Powcase(EventStore(backend.engine, master_key), clock, context=Context.model_validate(CONTEXT))
    pw.import_casefiles(parse_casefiles(demo_bundle(count=80)), "importer")
    return pw


def _request_list(pw: Powcase, how_many_others: int) -> tuple[ListRow, ...]:
    """What the counterpart asks for: both soldiers (as a North Korean list spells them) and some
    of the Russians we held on the day."""
    rows = [
        ListRow(row=2, name="Pak Un Chol", birth_date="2000-05-14"),
        ListRow(row=3, name="Jo Myong Su", birth_date="2004-08-02"),
        ListRow(row=4, name="Unknown Person Nobody", birth_date="1990-01-01"),
    ]
    held = [s for s in pw.list_cases(nationality="RUS", status="interned") if s.captured_on and s.captured_on < ON]
    for n, summary in enumerate(held[:how_many_others]):
        ident = pw.case(summary.case_id).identity
        assert isinstance(ident, Registered)
        rows.append(ListRow(row=5 + n, name=f"{ident.family_name.native} {ident.given_names.native}",
                            service_number=ident.service_number))
    return tuple(rows)


def test_the_two_soldiers_are_never_on_the_list_and_the_report_says_why(app: Powcase) -> None:
    exchange = Exchange(id="EX-2025-06-CAT", counterpart="RUS", date=ON, terms=Terms(total=500),
                        request_list=_request_list(app, 30))
    result = plan_exchange(app, exchange)
    assert FIRST_SOLDIER not in result.plan.chosen and SECOND_SOLDIER not in result.plan.chosen
    by_case = {e.case_id: e for e in result.report}
    assert by_case[FIRST_SOLDIER].code is ExclusionCode.REFUSES_REPATRIATION
    assert any("CAT-3" in r.sources for r in by_case[FIRST_SOLDIER].reasons)
    assert by_case[SECOND_SOLDIER].code is ExclusionCode.REAL_RISK
    assert any("real risk" in r.text for r in by_case[SECOND_SOLDIER].reasons)
    assert [e.code for e in result.report if e.row == 4] == [ExclusionCode.NOT_FOUND]
    # Everyone chosen is permitted by the law that day, and the list is not empty.
    assert result.plan.chosen
    for case_id in result.plan.chosen:
        d = determine(app.case(case_id, ON), app.rulebook, ON, app.context)
        assert d.verdict("D2").status is Status.PERMITTED
    # Every requested row is either on the list or explained.
    explained = {e.row for e in result.report}
    listed = {m for m in result.plan.chosen}
    assert len(explained) + len(listed) == len(exchange.request_list)


def test_execution_rechecks_each_man_and_removes_who_changed_his_mind(app: Powcase) -> None:
    exchange = Exchange(id="EX-2025-06-CAT", counterpart="RUS", date=ON, terms=Terms(total=3),
                        request_list=_request_list(app, 30))
    result = plan_exchange(app, exchange)
    assert len(result.plan.chosen) == 3
    changed, *others = result.plan.chosen
    app.record(changed, Interviewed(occurred_on=ON, interviewer="Delegate 4", language="rus", stated_wish="no_repatriation",
                                    present=[{"role": "neutral_observer"}], informed_of_options=True,
                                    informed_of_right_to_change=True, at_handover=True), "interviewer")
    reconfirmed = {case_id: {"result": "confirmed", "by": "ICRC delegate"} for case_id in others}
    done = execute_exchange(app, result.to_file(), ON, reconfirmed, "officer")
    assert sorted(done.transferred) == sorted(others)
    assert list(done.removed) == [changed]
    assert app.case(changed).in_custody
    assert all(app.case(c).status.value == "transferred" for c in others)
    assert app.verify() == []
