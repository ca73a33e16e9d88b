"""The offices a store synchronises with, on the web: /offices and GET /api/v1/offices show what
`powcase field list` shows, through the same use case and the table's ``field_list``.

Headquarters is the web tests' store (on the suite's backend); the field office CAMP-NORTH is an
SQLite file beside it, enrolled with the first soldier, served by its own app with its own
administrator. Headquarters takes the first soldier back after the field interviewed him offline:
the order waits for the field's events, then for its report, then is done at both ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
from argon2 import PasswordHasher
from tests.factories import interview
from tests.web import browsing
from tests.web.browsing import CHROMIUM
from tests.web.conftest import KOR1, PASSWORD, Joined, Site

from powcase.access.accounts import Accounts
from powcase.app import sync
from powcase.app.withdrawal import withdraw
from powcase.web.i18n import translator


@dataclass
class Field:
    site: Site  # the field office's own store and app, with one administrator ("admin")
    fingerprint: str
    hq_fingerprint: str


@pytest.fixture
def field(joined_field: Joined) -> Field:
    """CAMP-NORTH, enrolled by headquarters with the first soldier and joined, with an administrator."""
    pw = joined_field.pw
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    admin = accounts.add_user("admin", PASSWORD, ["administrator"], by=None)
    return Field(Site(pw, accounts, {"admin": accounts.issue_token(admin, "api")}), joined_field.fingerprint,
                 joined_field.hq_fingerprint)


def _taken_back_section(html: str) -> str:
    start = html.index('id="h-taken-1"')
    return unescape(html[start : html.index("</section>", start)])


def test_a_legal_officer_at_headquarters_sees_the_field_office_and_a_case_taken_back(site: Site, field: Field) -> None:
    today = translator("en").date(site.pw.clock().date())
    page = site.browser("legal").get("/offices")
    assert page.status_code == 200 and 'href="/offices"' in page.text
    assert "CAMP-NORTH" in page.text and field.fingerprint in page.text and "Field office" in page.text
    assert today in page.text and "not revoked" in page.text
    assert 'id="h-taken-1"' not in page.text  # nothing taken back yet
    [office] = site.api("legal").get("/api/v1/offices").json()["offices"]
    assert office == {"office": "CAMP-NORTH", "role": "field", "fingerprint": field.fingerprint,
                      "enrolled_at": office["enrolled_at"], "revoked_at": None, "sent": 1, "received": 0,
                      "withdrawn": [], "withdrawing": []}
    assert office["enrolled_at"].startswith(site.pw.clock().date().isoformat())

    # The field interviewed him offline; headquarters takes him back before it has heard of it.
    field.site.pw.record(KOR1, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    assert withdraw(site.pw, "CAMP-NORTH", [KOR1]) == [KOR1]
    taken = _taken_back_section(site.browser("legal").get("/offices").text)
    assert "Cases taken back from CAMP-NORTH" in taken and KOR1 in taken and "being taken back" in taken
    assert "waiting for the office's bundle that reports it done" in taken
    [office] = site.api("legal").get("/api/v1/offices").json()["offices"]
    assert [w["case_id"] for w in office["withdrawing"]] == [KOR1] and office["withdrawn"] == []

    # The order reaches the field, which sends its interview first, then gives the case up and says so.
    sync.import_bundle(field.site.pw, sync.export(site.pw, "CAMP-NORTH")[0])
    sync.import_bundle(site.pw, sync.export(field.site.pw, "HQ")[0])
    assert "being taken back" in _taken_back_section(site.browser("legal").get("/offices").text)  # not reported yet
    sync.import_bundle(field.site.pw, sync.export(site.pw, "CAMP-NORTH")[0])
    sync.import_bundle(site.pw, sync.export(field.site.pw, "HQ")[0])
    taken = _taken_back_section(site.browser("legal").get("/offices").text)
    assert KOR1 in taken and "being taken back" not in taken and "taken back" in taken and today in taken
    [office] = site.api("legal").get("/api/v1/offices").json()["offices"]
    assert office["withdrawing"] == [] and [w["case_id"] for w in office["withdrawn"]] == [KOR1]
    assert office["withdrawn"][0]["done_at"] is not None and (office["sent"], office["received"]) == (3, 2)


def test_a_role_that_may_not_list_the_offices_is_refused_and_has_no_link(site: Site, field: Field) -> None:
    for who in ("interviewer", "registrar", "observer"):
        assert site.browser(who).get("/offices").status_code == 403
        refused = site.api(who).get("/api/v1/offices")
        assert refused.status_code == 403 and "problem+json" in refused.headers["content-type"]
        assert "CAMP-NORTH" not in refused.text
        assert 'href="/offices"' not in site.browser(who).get("/cases").text
    # The auditor may list them: the link and the page, without the right to take anything back.
    assert 'href="/offices"' in site.browser("auditor").get("/cases").text
    assert field.fingerprint in site.browser("auditor").get("/offices").text


def test_at_the_field_office_the_page_shows_headquarters_and_the_case_it_takes_back(site: Site, field: Field) -> None:
    page = field.site.browser("admin").get("/offices")
    assert page.status_code == 200
    assert "HQ" in page.text and "Headquarters" in page.text and field.hq_fingerprint in page.text
    field.site.pw.record(KOR1, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    withdraw(site.pw, "CAMP-NORTH", [KOR1])
    sync.import_bundle(field.site.pw, sync.export(site.pw, "CAMP-NORTH")[0])
    # Its interview has not reached headquarters: the field keeps the case until it has.
    taken = _taken_back_section(field.site.browser("admin").get("/offices").text)
    assert "Cases taken back by headquarters (HQ)" in taken and KOR1 in taken and "being taken back" in taken
    assert "headquarters has not acknowledged" in taken
    sync.import_bundle(site.pw, sync.export(field.site.pw, "HQ")[0])
    sync.import_bundle(field.site.pw, sync.export(site.pw, "CAMP-NORTH")[0])
    taken = _taken_back_section(field.site.browser("admin").get("/offices").text)
    assert KOR1 in taken and "being taken back" not in taken
    [hq] = field.site.api("admin").get("/api/v1/offices").json()["offices"]
    assert (hq["office"], hq["role"], hq["fingerprint"]) == ("HQ", "hq", field.hq_fingerprint)
    assert [w["case_id"] for w in hq["withdrawn"]] == [KOR1]
    # In Korean, with the role and the state in Korean.
    korean = field.site.browser("admin").get("/offices", headers={"Accept-Language": "ko"}).text
    assert "본부" in korean and field.hq_fingerprint in korean


@pytest.fixture
def served(site: Site, field: Field) -> Iterator[str]:
    """Headquarters' store, a case being taken back from CAMP-NORTH, served on a random loopback port."""
    withdraw(site.pw, "CAMP-NORTH", [KOR1])
    site.client()
    with browsing.served(site.app) as url:
        yield url


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)")
def test_in_the_browser_the_offices_page_is_accessible(served: str, axe: str | None) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        page = browsing.logged_in(playwright, served, "legal", PASSWORD)
        page.get_by_role("link", name="Offices").click()
        page.wait_for_url(served + "/offices")
        expect(page.locator("main table").first).to_contain_text("CAMP-NORTH")
        expect(page.locator("#h-taken-1")).to_contain_text("CAMP-NORTH")
        violations = browsing.serious_violations(page, axe)
        page.context.close()
    assert violations == []
    if axe is None:
        pytest.skip("axe-core could not be installed with npm: the page was driven, not checked by axe")
