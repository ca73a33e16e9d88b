"""The list for the Central Tracing Agency: the man whose family is at risk is left off (Art 123),
every man on it carries a recorded disclosure, and a formula in a name stays inert."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.access.helpers import FAST_HASHER, PASSWORD

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused
from powcase.access.tables import access_log
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.errors import InvalidInput
from powcase.exchange.export import write_csv, write_xlsx

FORMULA = '=HYPERLINK("x")'
RUSSIAN = "PW-TEST-RUS1"


def _russian() -> dict[str, Any]:
    return {
        "case_id": RUSSIAN,
        "person": {"registered_on": "2025-02-02", "family_name": {"native": "Орлов", "latin": "Orlov"},
                   "given_names": {"native": "Игорь"}, "birth_date": "1990-07-01", "rank": FORMULA,
                   "service_number": "+7-ABC", "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"]},
        "events": [
            {"type": "captured", "occurred_on": "2025-02-01", "place": "Donetsk region", "circumstances": "captured"},
            {"type": "custody_moved", "occurred_on": "2025-02-03", "place": "Camp West-2", "kind": "camp"},
            {"type": "custody_moved", "occurred_on": "2025-03-03", "place": "Camp South-4", "kind": "camp"},
        ],
    }


@pytest.fixture
def offices(pw: Powcase) -> dict[str, Office]:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    made = {
        role: Office(pw, accounts, accounts.add_user(f"{role}-1", PASSWORD, [role], by=admin))
        for role in ("registrar", "legal_officer")
    }
    made["registrar"].import_casefiles(parse_casefiles({"cases": [*the_two_soldiers(), _russian()]}))
    return made


def test_the_man_at_risk_is_left_off_and_every_man_on_it_is_a_recorded_disclosure(offices: dict[str, Office], tmp_path: Path) -> None:
    legal = offices["legal_officer"]
    listing = legal.cta_list(date(2025, 1, 1))
    on_list = {row[0] for row in listing.table.rows}
    assert on_list == {RUSSIAN}
    # The first soldier: notifying his own state was withheld; the second: a DPRK national,
    # for whom the law engine finds a real risk, so withholding is proposed.
    withheld = {row[0]: row[2] for row in listing.withheld.rows}
    assert set(withheld) == {FIRST_SOLDIER, SECOND_SOLDIER}
    assert "recorded as withheld" in withheld[FIRST_SOLDIER] and "proposed" in withheld[SECOND_SOLDIER]
    records = listing.table.records()
    assert [(r["notice"], r["notice_date"]) for r in records] == [("particulars", "2025-02-01"), ("transfer", "2025-03-03")]
    assert records[0]["family_name"] == "Орлов" and records[0]["given_names_latin"] == "Igor"
    for case_id in on_list:
        disclosed = [f.event for f in legal.pw.case(case_id).disclosures]
        assert [(d.disclosure_id, d.recipient_kind, d.purpose) for d in disclosed] == [
            (listing.disclosure_id, "neutral_intermediary", "central_agency")]
    for case_id in withheld:
        assert not legal.pw.case(case_id).disclosures
    with legal.pw.store.engine.begin() as conn:
        log = [(r.actor, r.action, r.case_id, r.outcome) for r in conn.execute(access_log.select())]
    assert ("legal_officer-1", "cta_list", None, "allowed") in log
    assert ("legal_officer-1", "disclose", RUSSIAN, "allowed") in log

    write_csv(listing.table, tmp_path / "cta.csv")
    with (tmp_path / "cta.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    # A name cannot hold "=" (it is refused at the door); the rank, a free line, can.
    assert row["rank"] == "'" + FORMULA and row["service_number"] == "'+7-ABC"
    write_xlsx([listing.table], tmp_path / "cta.xlsx")
    sheet = load_workbook(tmp_path / "cta.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("rank") + 1)
    assert (cell.value, cell.data_type) == ("'" + FORMULA, "s")


def test_only_a_legal_officer_lists_for_the_agency(offices: dict[str, Office]) -> None:
    with pytest.raises(AccessRefused, match="may not cta_list"):
        offices["registrar"].cta_list(date(2025, 1, 1))
    assert not offices["registrar"].pw.case(RUSSIAN).disclosures


def test_a_list_that_cannot_be_written_records_no_disclosure(offices: dict[str, Office]) -> None:
    legal = offices["legal_officer"]
    before = len(legal.pw.history(RUSSIAN))

    def full_disk(_listing: object) -> None:
        raise InvalidInput("cta.xlsx: cannot write here (No space left on device); nothing was written")

    with pytest.raises(InvalidInput, match="nothing was written"):
        legal.cta_list(date(2025, 1, 1), full_disk)
    assert len(legal.pw.history(RUSSIAN)) == before
    assert not legal.pw.case(RUSSIAN).disclosures
