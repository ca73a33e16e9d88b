"""The exclusion report and our list: every requested person accounted for, names only on request."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from powcase.errors import InvalidInput
from powcase.exchange import (
    Ambiguous,
    Candidate,
    Exchange,
    Exclusion,
    ExclusionCode,
    Ineligibility,
    InMemoryRegister,
    LawReason,
    ListRow,
    Matched,
    Plan,
    Quota,
    Terms,
    Unmatched,
    exchange_list,
    exclusion_table,
    exclusions,
    list_table,
    match_rows,
    plan_milp,
    write_csv,
    write_xlsx,
)
from powcase.tracing import RegisterEntry

ENTRIES = [
    RegisterEntry(id="C-1", family_name="김", given_name="철국", birth_date="1995-03-04"),
    RegisterEntry(id="C-2", family_name="Ермаков", given_name="Игорь", birth_date="1990-07-01"),
    RegisterEntry(id="C-3", family_name="Коваленко", given_name="Олександр", birth_date="1988-02-02"),
    RegisterEntry(id="C-4", family_name="Смирнов", given_name="Павел", birth_date="1993-09-09"),
    RegisterEntry(id="C-5", family_name="Кузнецов", given_name="Олег", birth_date="1991-01-01"),
    RegisterEntry(id="C-6", family_name="박", given_name="영호", birth_date="1989-05-05"),
    RegisterEntry(id="C-7", family_name="박", given_name="영호", birth_date="1989-05-05"),
]
REQUEST = (
    ListRow(row=2, name="Kim Chol Guk", birth_date="1995-03-04", service_number="=HYPERLINK(1)"),
    ListRow(row=3, name="Ермаков Игорь", birth_date="1990-07-01", categories=("officers",)),
    ListRow(row=4, name="Коваленко Олександр", birth_date="1988-02-02"),
    ListRow(row=5, name="Смирнов Павел", birth_date="1993-09-09", service_number="S-5"),
    ListRow(row=6, name="Кузнецов Олег", birth_date="1991-01-01"),
    ListRow(row=7, name="Шевченко Тарас", birth_date="1971-01-01"),
    ListRow(row=8, name="Pak Yong Ho", birth_date="1989-05-05"),
)
NAMES = ["Kim Chol Guk", "Ермаков", "Коваленко", "Смирнов", "Кузнецов", "Шевченко", "Pak Yong Ho",
         "1995-03-04", "1990-07-01", "S-5"]
NATIONALITY = {"C-1": "PRK", "C-2": "RUS", "C-3": "RUS", "C-4": "RUS", "C-5": "RUS"}
REFUSES = Ineligibility(code=ExclusionCode.REFUSES_REPATRIATION, reasons=(
    LawReason(text="established refusal is honoured during hostilities", sources=("GC3-109(3)", "GC3-ROK")),
))
RISK = Ineligibility(code=ExclusionCode.REAL_RISK, reasons=(
    LawReason(text="real risk in the final destination", sources=("CAT-3", "HRC-GC31-12")),
))
GONE = Ineligibility(code=ExclusionCode.NOT_IN_CUSTODY)


Scenario = tuple[Exchange, list[Candidate], dict[str, Ineligibility]]
Built = tuple[list[Matched | Ambiguous | Unmatched], Plan, tuple[Exclusion, ...]]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    exchange = Exchange(id="X-2025-06", counterpart="RUS", date=dt.date(2025, 6, 2),
                        terms=Terms(total=1, quotas=(Quota(category="officers", max=1),)),
                        request_list=REQUEST)
    candidates = [
        Candidate(case_id="C-2", eligible=True, categories=frozenset({"officers"}), captivity_days=900),
        Candidate(case_id="C-3", eligible=True, captivity_days=100),
        Candidate(case_id="C-4", eligible=False, priority_weight=1000.0),
        Candidate(case_id="C-1", eligible=False),
    ]
    return exchange, candidates, {"C-1": RISK, "C-4": REFUSES, "C-5": GONE}


def _build(scenario: Scenario) -> Built:
    exchange, candidates, findings = scenario
    register = InMemoryRegister(ENTRIES, {"C-4": "S5"})
    matches = match_rows(exchange.request_list, register)
    plan = plan_milp(candidates, exchange.terms, offer_count=len(exchange.offer_list))
    return matches, plan, exclusions(exchange.request_list, matches, plan, findings, NATIONALITY)


def test_every_requested_person_off_the_list_has_a_reason(scenario: Scenario) -> None:
    _, plan, entries = _build(scenario)
    assert plan.chosen == ("C-2",)
    codes = {e.row: e.code for e in entries}
    assert codes == {
        2: ExclusionCode.REAL_RISK, 4: ExclusionCode.QUOTA_FULL, 5: ExclusionCode.REFUSES_REPATRIATION,
        6: ExclusionCode.NOT_IN_CUSTODY, 7: ExclusionCode.NOT_FOUND, 8: ExclusionCode.AMBIGUOUS,
    }
    by_row = {e.row: e for e in entries}
    assert by_row[4].reasons[0].text == "size limit of 1 reached"
    assert by_row[8].candidates == ("C-6", "C-7")
    assert by_row[5].reasons[0].sources == ("GC3-109(3)", "GC3-ROK")


def test_pseudonymised_report_has_no_names_and_cannot_be_laid_over_their_list(scenario: Scenario) -> None:
    _, _, entries = _build(scenario)
    table = exclusion_table(entries)
    assert table.columns == ("case_id", "nationality", "reason_code", "reasons", "sources",
                             "request_row", "candidates")
    text = repr(table.rows) + repr(entries)
    for name in NAMES:
        assert name not in text
    refused = next(r for r in table.records() if r["reason_code"] == "refuses_repatriation")
    assert refused == {"case_id": "C-4", "nationality": "RUS", "reason_code": "refuses_repatriation",
                       "reasons": "established refusal is honoured during hostilities",
                       "sources": "GC3-109(3), GC3-ROK", "request_row": "", "candidates": ""}
    # Rows are ordered by reason and case, not by the counterpart's list.
    assert [r["reason_code"] for r in table.records()] == sorted(r["reason_code"] for r in table.records())
    not_found = next(r for r in table.records() if r["reason_code"] == "not_found")
    assert not_found["request_row"] == "7"


def test_identified_report_only_when_asked(scenario: Scenario) -> None:
    _, _, entries = _build(scenario)
    table = exclusion_table(entries, identified=True)
    first = table.records()[0]
    assert first["request_row"] == "2"
    assert first["name"] == "Kim Chol Guk"
    assert first["case_id"] == "C-1"
    assert first["reason_code"] == "real_risk"


def test_exports_csv_and_xlsx_with_formulas_neutralised(scenario: Scenario, tmp_path: Path) -> None:
    exchange, candidates, _ = scenario
    matches, plan, entries = _build(scenario)
    ours = list_table(exchange_list(plan, candidates, matches, exchange.request_list, NATIONALITY),
                      identified=True)
    assert ours.records() == [{"position": "1", "case_id": "C-2", "nationality": "RUS",
                               "categories": "officers", "request_row": "3", "service_number": "",
                               "name": "Ермаков Игорь", "birth_date": "1990-07-01", "rank": ""}]
    identified = exclusion_table(entries, identified=True)
    write_csv(identified, tmp_path / "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["service_number"] == "'=HYPERLINK(1)"
    assert rows[0]["name"] == "Kim Chol Guk"
    write_xlsx([ours, identified], tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Exchange list (identified)", "Exclusions (identified)"]
    cell = book["Exclusions (identified)"]["B2"]
    assert (cell.value, cell.data_type) == ("'=HYPERLINK(1)", "s")  # text, and inert even if re-typed or saved as CSV


def test_pseudonymised_list_has_no_names(scenario: Scenario) -> None:
    exchange, candidates, _ = scenario
    matches, plan, _ = _build(scenario)
    table = list_table(exchange_list(plan, candidates, matches, exchange.request_list, NATIONALITY))
    assert table.rows == (("1", "C-2", "RUS", "officers"),)


def test_a_matched_case_without_a_reason_is_an_error_not_other(scenario: Scenario) -> None:
    exchange, _, findings = scenario
    matches, plan, _ = _build(scenario)
    incomplete = {k: v for k, v in findings.items() if k != "C-5"}
    with pytest.raises(InvalidInput, match="case C-5: requested and not eligible"):
        exclusions(exchange.request_list, matches, plan, incomplete, NATIONALITY)


def test_matching_and_planning_codes_cannot_be_passed_in() -> None:
    with pytest.raises(ValueError, match="decided by matching and planning"):
        Ineligibility(code=ExclusionCode.QUOTA_FULL)
