"""Case files of cases that two offices wrote: the man's case after a conflict resolution, or with the
facts a "same" decision carried onto it, and a case decided "different", export to case files that
import into another register and are decided there as here. A case file carries his facts, not the
register's record of its offices: a resolution or a decision is left out (corrections renumbered),
and a file that carries one is refused with one line. The execution guard checks what is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import FixedClock
from tests.factories import interview
from tests.sync.conftest import Offices, office_app
from tests.sync.test_duplicates import HQ_LEGAL, _registered_twice
from tests.sync.test_resolution_reaches_the_field import _hq_writes, _round

from powcase.app import sync
from powcase.app.duplicates import decide_duplicate
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import parse_event
from powcase.errors import InvalidInput
from powcase.law import ExecutionRefused, determine
from powcase.store import schema
from powcase.store.engine import make_engine

ON = date(2025, 12, 1)


@pytest.fixture
def elsewhere(tmp_path: Path, clock: FixedClock) -> Powcase:
    """Another register, where the case file is imported."""
    engine = make_engine(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    schema.upgrade(engine)
    return office_app(engine, clock)


def _verdicts(pw: Powcase, case_id: str) -> list[tuple[str, str]]:
    d = determine(pw.case(case_id), pw.rulebook, ON, pw.context)
    return [(str(v.disposition), str(v.status)) for v in d.dispositions]


def _moved(data: dict[str, object], case_id: str) -> dict[str, object]:
    return {**data, "case_id": case_id}


def test_a_case_with_a_conflict_resolution_exports_and_imports_decided_the_same(enrolled: Offices, elsewhere: Powcase) -> None:
    hq, field = enrolled.hq, enrolled.field
    field.record(FIRST_SOLDIER, interview(date(2025, 11, 20), "undecided"), "field-interviewer")
    _hq_writes(hq, date(2025, 11, 21))
    _round(field, hq)
    sync.resolve(hq, FIRST_SOLDIER, "CAMP-NORTH", "Both lines hold; the interview stands.", HQ_LEGAL)
    carried = hq.history(FIRST_SOLDIER)[-1]
    assert hq.history(FIRST_SOLDIER)[-2].type == "conflict_resolved" and carried.type == "interviewed"
    # A correction after the resolution: in the file it names the interview by its number there.
    hq.record(FIRST_SOLDIER, parse_event({"type": "corrected", "occurred_on": date(2025, 11, 22), "corrects_seq": carried.seq,
                                          "changes": {"stated_wish": "no_repatriation"}, "reason": "Misheard."}), HQ_LEGAL)

    data = hq.export(FIRST_SOLDIER)

    types = [e["type"] for e in data["events"]]
    assert "conflict_resolved" not in types and types.count("interviewed") == len(hq.case(FIRST_SOLDIER).interviews)
    correction = data["events"][-1]
    assert correction["type"] == "corrected" and data["events"][correction["corrects_seq"] - 2]["type"] == "interviewed"
    assert correction["corrects_seq"] == carried.seq - 1  # one event (the resolution) left out before it
    [imported] = elsewhere.import_casefiles(parse_casefiles(data), "importer")
    assert imported == FIRST_SOLDIER
    assert elsewhere.case(imported).interviews[-1].event.stated_wish == "no_repatriation"  # the correction holds
    assert _verdicts(elsewhere, imported) == _verdicts(hq, FIRST_SOLDIER)
    assert elsewhere.verify() == []


def test_the_mans_case_with_facts_carried_by_a_same_decision_exports_and_imports(enrolled: Offices, elsewhere: Powcase) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    decide_duplicate(hq, case, other, "same", "Same man.", HQ_LEGAL)

    data = hq.export(other)

    [imported] = elsewhere.import_casefiles(parse_casefiles(data), "importer")
    assert [r.type for r in elsewhere.history(imported)] == [r.type for r in hq.history(other)]
    assert elsewhere.case(imported).interviews[-1].event.stated_wish == "no_repatriation"  # the field's interview
    assert _verdicts(elsewhere, imported) == _verdicts(hq, other)


def test_the_guard_checks_the_carried_facts_of_an_imported_case(enrolled: Offices, elsewhere: Powcase) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)  # at the field he said he does not want to go home
    decide_duplicate(hq, case, other, "same", "Same man.", HQ_LEGAL)
    data = hq.export(other)
    events = [*data["events"], {"type": "transferred", "occurred_on": "2025-11-28", "kind": "repatriation", "to_state": "PRK"}]

    with pytest.raises(ExecutionRefused):
        elsewhere.import_casefiles(parse_casefiles({**data, "events": events}), "importer")

    assert elsewhere.count_cases() == 0


def test_a_case_decided_different_exports_and_imports(enrolled: Offices, elsewhere: Powcase) -> None:
    hq = enrolled.hq
    case, other = _registered_twice(enrolled)
    decide_duplicate(hq, case, other, "different", "Two men; the service number is misread on one.", HQ_LEGAL)
    assert hq.history(case)[-1].type == "duplicate_decided"

    data = hq.export(case)

    assert "duplicate_decided" not in [e["type"] for e in data["events"]]
    [imported] = elsewhere.import_casefiles(parse_casefiles(data), "importer")
    assert elsewhere.case(imported).duplicate_of is None
    assert _verdicts(elsewhere, imported) == _verdicts(hq, case)


@pytest.mark.parametrize("kind", ["conflict_resolved", "duplicate_decided"])
def test_a_case_file_that_carries_the_registers_own_record_is_refused_with_one_line(
        enrolled: Offices, elsewhere: Powcase, kind: str) -> None:
    data = enrolled.hq.export(FIRST_SOLDIER)
    events = [*data["events"], {"type": kind, "occurred_on": "2025-11-28"}]

    with pytest.raises(InvalidInput) as refused:
        elsewhere.import_casefiles(parse_casefiles(_moved({**data, "events": events}, "PW-ELSEWHERE"), "case.yaml"), "importer")

    line = str(refused.value)
    assert line.startswith(f"case.yaml: events.{len(events) - 1}: a {kind} event is not carried by a case file: ")
    assert "\n" not in line and "expected tags" not in line
    assert elsewhere.count_cases() == 0
    with pytest.raises(InvalidInput, match=f"cases.0.events.{len(events) - 1}: a {kind} event"):
        parse_casefiles({"cases": [{**data, "events": events}]}, "bundle.yaml")


@pytest.mark.parametrize("kind", ["override_granted", "erased", "disclosed"])
def test_a_case_file_still_may_not_carry_what_only_this_registers_accounts_record(
        enrolled: Offices, elsewhere: Powcase, kind: str) -> None:
    data = enrolled.hq.export(FIRST_SOLDIER)
    extra = {"override_granted": {"disposition": "D1", "reason": "Invented.", "approvers": ["a", "b"]},
             "erased": {"reason": "Invented."},
             "disclosed": {"disclosure_id": "DS-ABCDEFGH", "purpose": "statistics", "fields": ["status"], "recipient": "Office",
                           "recipient_kind": "other", "legal_basis": "Invented."}}[kind]
    events = [*data["events"], {"type": kind, "occurred_on": "2025-11-28", **extra}]

    with pytest.raises(InvalidInput, match=f"a {kind} event cannot be imported"):
        elsewhere.import_casefiles(parse_casefiles({**data, "events": events}), "importer")

    assert elsewhere.count_cases() == 0
