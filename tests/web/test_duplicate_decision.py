"""One man registered at two offices, decided on the web: the form beside each possible duplicate on
/conflicts and `POST /api/v1/cases/{id}/duplicate`, through the same use case as `powcase sync
duplicate` (the permission table, the access log, the execution guard).

Headquarters is the web tests' store (on the suite's backend); the field office CAMP-NORTH is an
SQLite file beside it (tests/web/test_conflicts_page.py). Both register one man under the same
service number; the field interviews him and corrects his registration; its bundle reaches
headquarters, which lists the two cases as possibly one man.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from tests.conftest import FixedClock
from tests.factories import interview, person
from tests.sync.conftest import office_app
from tests.web import browsing
from tests.web.browsing import CHROMIUM
from tests.web.conftest import KOR2, PASSWORD, Site, csrf

from powcase.access.accounts import Accounts
from powcase.app import sync
from powcase.app.service import Powcase
from powcase.domain.events import CustodyMoved, parse_event
from powcase.store import schema
from powcase.store.engine import make_engine
from powcase.sync.identity import FIELD

SERVICE_NUMBER = "TEST-0999"
FORM_NOTE = "The same man: the facts recorded on case"


@pytest.fixture
def pair(site: Site, field_office: Powcase) -> tuple[str, str]:
    """(the case that arrived from CAMP-NORTH, the case headquarters held): the field interviewed
    him and corrected the rank it registered (a correction never carried: it would correct the
    other case's registration)."""
    held = site.pw.register(person(service_number=SERVICE_NUMBER), "hq-registrar")
    arrived = field_office.register(person(service_number=SERVICE_NUMBER), "field-registrar")
    field_office.record(arrived, interview(date(2025, 11, 20), "no_repatriation"), "field-interviewer")
    field_office.record(arrived, parse_event({"type": "corrected", "occurred_on": date(2025, 11, 21), "corrects_seq": 1,
                                              "changes": {"rank": "Corporal"}, "reason": "Rank misread."}), "field-registrar")
    assert sync.import_bundle(site.pw, sync.export(field_office, "HQ")[0]).duplicates == [(arrived, held)]
    return arrived, held


def _decide(site: Site, who: str, case_id: str, **data: Any) -> tuple[TestClient, Any]:
    client = site.browser(who)
    page = client.get("/conflicts")
    return client, client.post(f"/cases/{case_id}/duplicate", data={"csrf": csrf(page), **data}, follow_redirects=False)


def _histories(site: Site, *case_ids: str) -> list[int]:
    return [len(site.pw.history(c)) for c in case_ids]


def test_a_legal_officer_sees_a_form_beside_the_pair_and_others_do_not(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    page = site.browser("legal").get("/conflicts")
    assert page.status_code == 200
    assert f'action="/cases/{arrived}/duplicate"' in page.text and f'name="other" value="{held}"' in page.text
    assert f"Decide: case {arrived} and case {held}" in page.text and FORM_NOTE in page.text
    assert "The same man" in page.text and "Different men" in page.text
    # The registrar and the auditor see the list, not the form: they may not decide.
    for who in ("registrar", "auditor"):
        listed = site.browser(who).get("/conflicts")
        assert listed.status_code == 200 and arrived in listed.text
        assert "/duplicate" not in listed.text and FORM_NOTE not in listed.text
    # In Korean, the form's words are Korean.
    korean = site.browser("legal").get("/conflicts", headers={"Accept-Language": "ko"})
    assert "같은 사람" in korean.text and "결정 기록" in korean.text


def test_the_same_man_carries_his_facts_and_the_closed_case_points_to_his_case(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    first = len(site.pw.history(held)) + 1
    client, response = _decide(site, "legal", arrived, other=held, decision="same",
                               reason="Same man: same name, birth date and unit.")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{held}?same_as={arrived}"
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert 'role="status" id="decided-same"' in page.text
    assert f"Case {arrived} is the same man as this case: 1 of its facts recorded here, from event #{first}" in page.text
    assert f"Not carried: event(s) #3 of case {arrived} correct his registration there." in page.text
    assert "field-interviewer@CAMP-NORTH" in page.text  # the carried interview, under its own author
    carried = site.pw.history(held)[-1]
    assert (carried.seq, carried.type, carried.actor) == (first, "interviewed", "field-interviewer@CAMP-NORTH")
    assert site.pw.history(arrived)[-1].type == "duplicate_decided" and site.pw.history(arrived)[-1].actor == "legal"
    # The closed case's page points to the man's case; the list has nothing left to decide.
    closed = client.get(f"/cases/{arrived}")
    assert 'id="registered-twice"' in closed.text and f'href="/cases/{held}"' in closed.text
    assert "No possible duplicate." in client.get("/conflicts").text
    # A notice is never taken on trust from the address.
    assert 'id="decided-same"' not in client.get(f"/cases/{held}?same_as=PW-DEMO-KOR2").text
    assert 'id="decided-same"' not in client.get(f"/cases/PW-DEMO-KOR2?same_as={arrived}").text


def test_different_men_close_the_listing_and_change_nothing_else(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    before = _histories(site, arrived, held)
    client, response = _decide(site, "legal", arrived, other=held, decision="different",
                               reason="Two men; the field misread the service number.")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/conflicts?different={arrived}"
    page = client.get(response.headers["location"])
    assert 'role="status" id="decided-different"' in page.text
    assert f"Case {arrived} is not the same man as case {held}: nothing was carried, and both stay open." in page.text
    assert "No possible duplicate." in page.text and f'action="/cases/{arrived}/duplicate"' not in page.text
    assert _histories(site, arrived, held) == [before[0] + 1, before[1]]
    assert 'id="registered-twice"' not in client.get(f"/cases/{arrived}").text
    assert 'id="decided-different"' not in client.get(f"/conflicts?different={held}").text


def test_a_registrar_is_refused_and_nothing_is_written(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    before = _histories(site, arrived, held)
    _, refused = _decide(site, "registrar", arrived, other=held, decision="same", reason="Same man.")
    assert refused.status_code == 403
    api = site.api("registrar").post(f"/api/v1/cases/{arrived}/duplicate",
                                      json={"other_case_id": held, "decision": "same", "reason": "Same man."})
    assert api.status_code == 403 and "problem+json" in api.headers["content-type"]
    assert _histories(site, arrived, held) == before
    assert site.api("legal").get("/api/v1/conflicts").json()["duplicates"] == [
        {"case_id": arrived, "other_case_id": held, "office": "CAMP-NORTH"}]


def test_a_decision_without_a_reason_or_a_choice_is_refused_beside_its_field(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    before = _histories(site, arrived, held)
    _, response = _decide(site, "legal", arrived, other=held, decision="same", reason="   ")
    assert response.status_code == 422
    assert 'id="reason-error"' in response.text and "Required: say why the two cases" in response.text
    assert 'value="same" required checked' in response.text  # the form keeps the choice
    assert 'aria-invalid="true" aria-describedby="reason-error"' in response.text
    _, unchosen = _decide(site, "legal", arrived, other=held, reason="Same name and unit.")
    assert unchosen.status_code == 422
    assert 'id="decision-error"' in unchosen.text and "Required: the same man, or different men." in unchosen.text
    assert ">Same name and unit.</textarea>" in unchosen.text  # the reason typed is kept
    assert _histories(site, arrived, held) == before
    # A pair that is not listed: said above the forms, nothing written.
    _, unknown = _decide(site, "legal", arrived, other="PW-DEMO-KOR2", decision="same", reason="Same man.")
    assert unknown.status_code == 404
    assert 'id="decide-problem"' in unknown.text and "not listed as possibly one man" in unknown.text
    assert _histories(site, arrived, held) == before


def test_a_case_in_conflict_is_refused_with_why_beside_its_form(site: Site, pair: tuple[str, str],
                                                                 field_office: Powcase) -> None:
    """Both offices wrote to the case that arrived since they last agreed: the conflict is resolved
    first, and the decision is refused (409) beside the pair's form, the reason typed kept."""
    arrived, held = pair
    field_office.record(arrived, CustodyMoved(occurred_on=date(2025, 11, 24), place="Camp Test-4"), "field-registrar")
    site.pw.record(arrived, CustodyMoved(occurred_on=date(2025, 11, 25), place="Camp Test-5"), "hq-registrar")
    assert sync.import_bundle(site.pw, sync.export(field_office, "HQ")[0]).conflicts == [arrived]
    before = _histories(site, arrived, held)
    _, response = _decide(site, "legal", arrived, other=held, decision="same", reason="Same man.")
    assert response.status_code == 409
    form = response.text[response.text.index(f"Decide: case {arrived}"):]
    assert 'id="decide-problem"' in form and "in conflict between offices; resolve the conflict first" in form
    assert ">Same man.</textarea>" in form
    refused = site.api("legal").post(f"/api/v1/cases/{arrived}/duplicate",
                                     json={"other_case_id": held, "decision": "same", "reason": "Same man."})
    assert refused.status_code == 409 and "resolve the conflict first" in refused.json()["detail"]
    assert _histories(site, arrived, held) == before


def test_the_api_decides_and_answers_problems(site: Site, pair: tuple[str, str]) -> None:
    arrived, held = pair
    api = site.api("legal")
    before = _histories(site, arrived, held)
    for body, status in (
        ({"other_case_id": held, "decision": "maybe", "reason": "Why."}, 422),
        ({"other_case_id": held, "decision": "same", "reason": ""}, 422),
        ({"other_case_id": held, "decision": "same", "reason": "Why.", "merge": True}, 422),
        ({"other_case_id": "PW-DEMO-KOR2", "decision": "same", "reason": "Why."}, 404),
    ):
        answer = api.post(f"/api/v1/cases/{arrived}/duplicate", json=body)
        assert answer.status_code == status and "problem+json" in answer.headers["content-type"], body
    assert _histories(site, arrived, held) == before
    done = api.post(f"/api/v1/cases/{arrived}/duplicate",
                    json={"other_case_id": held, "decision": "same", "reason": "Same man: same name and unit."})
    assert done.status_code == 200, done.text
    assert done.json() == {"case_id": arrived, "other_case_id": held, "decision": "same", "office": "CAMP-NORTH",
                           "carried": 1, "first_seq": before[1] + 1, "not_carried": [3], "given": True}
    assert api.get("/api/v1/conflicts").json()["duplicates"] == []
    again = api.post(f"/api/v1/cases/{arrived}/duplicate", json={"other_case_id": held, "decision": "same", "reason": "Again."})
    assert again.status_code == 404 and "not listed as possibly the same man" in again.json()["detail"]
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{case_id}/duplicate" in schema["paths"]


def test_facts_that_reach_the_closed_case_later_are_carried_from_the_same_form(site: Site, pair: tuple[str, str],
                                                                                field_office: Powcase) -> None:
    """The field moved him before it heard of the decision: the pair is listed again, and its form
    offers only "the same man" (the decision stands), which carries that one fact."""
    arrived, held = pair
    api = site.api("legal")
    assert api.post(f"/api/v1/cases/{arrived}/duplicate",
                    json={"other_case_id": held, "decision": "same", "reason": "Same man."}).status_code == 200
    field_office.record(arrived, CustodyMoved(occurred_on=date(2025, 11, 24), place="Camp Test-4"), "field-registrar")
    sync.import_bundle(site.pw, sync.export(field_office, "HQ")[0])
    sync.resolve(site.pw, arrived, "CAMP-NORTH", "The move stands.", "hq-legal")
    page = site.browser("legal").get("/conflicts")
    assert "decided the same man; 1 event(s) since, to carry" in page.text
    assert f'action="/cases/{arrived}/duplicate"' in page.text and 'value="different"' not in page.text
    assert f"Decided the same man before: the facts recorded on case {arrived} since" in page.text
    first = len(site.pw.history(held)) + 1
    client, response = _decide(site, "legal", arrived, other=held, decision="same", reason="The move stands too.")
    assert response.status_code == 303, response.text
    notice = client.get(response.headers["location"]).text
    assert f"Case {arrived} is the same man as this case: 1 of its facts recorded here, from event #{first}" in notice
    assert "Not carried" not in notice  # the correction of his registration was named by the first decision
    assert site.pw.history(held)[-1].type == "custody_moved"


@pytest.fixture
def field_site(site: Site, tmp_path: Path) -> Iterator[tuple[Site, str, str]]:
    """The field office's own store and web app (a legal officer of its own), holding a pair it
    lists: it registered a man whom headquarters registered too and then gave it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'field-web.db'}")
    schema.upgrade(engine)
    field = office_app(engine, FixedClock(site.pw.clock()))
    accounts = Accounts(engine, field.store.master_key, field.clock, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    admin = accounts.add_user("admin", PASSWORD, ["administrator"], by=None)
    accounts.add_user("legal", "set by the administrator", ["legal_officer"], by=admin)
    accounts.change_own_password("legal", "set by the administrator", PASSWORD)
    identity = sync.make_identity(field, "CAMP-SOUTH", FIELD)
    package, _, hq_print = sync.enrol(site.pw, sync.enrolment_request(identity), [KOR2])
    sync.join(field, package, hq_print, "field-admin")
    own = field.register(person(service_number="TEST-0888"), "field-registrar")
    held = site.pw.register(person(service_number="TEST-0888"), "hq-registrar")
    sync.extend(site.pw, "CAMP-SOUTH", [held])
    assert sync.import_bundle(field, sync.export(site.pw, "CAMP-SOUTH")[0]).duplicates == [(held, own)]
    tokens = {"legal": accounts.issue_token(accounts.get("legal"), "api")}
    yield Site(field, accounts, tokens), held, own
    engine.dispose()


def test_a_field_office_lists_the_pair_without_a_form_and_its_api_refuses(field_site: tuple[Site, str, str]) -> None:
    field, held, own = field_site
    page = field.browser("legal").get("/conflicts")
    assert page.status_code == 200 and held in page.text and own in page.text
    assert "/duplicate" not in page.text and FORM_NOTE not in page.text
    before = _histories(field, held, own)
    refused = field.api("legal").post(f"/api/v1/cases/{held}/duplicate",
                                      json={"other_case_id": own, "decision": "same", "reason": "Same man."})
    assert refused.status_code == 422 and "decided at headquarters" in refused.json()["detail"]
    _, posted = _decide(field, "legal", held, other=own, decision="same", reason="Same man.")
    assert posted.status_code == 422 and 'id="decide-problem"' in posted.text and "decided at headquarters" in posted.text
    assert _histories(field, held, own) == before


@pytest.fixture
def served(site: Site, pair: tuple[str, str]) -> Iterator[str]:
    """Headquarters' store, with the pair listed, served on a random loopback port."""
    site.client()
    with browsing.served(site.app) as url:
        yield url


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)")
def test_in_the_browser_a_legal_officer_decides_the_same_man(served: str, pair: tuple[str, str], axe: str | None) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    arrived, held = pair
    violations: dict[str, list[str]] = {}

    def check_accessibility(page: Page, name: str) -> None:
        found = browsing.serious_violations(page, axe)
        if found:
            violations[name] = found

    with sync_playwright() as playwright:
        page = browsing.logged_in(playwright, served, "legal", PASSWORD)
        page.get_by_role("link", name="Conflicts").click()
        page.wait_for_url(served + "/conflicts")
        form = page.locator(f'form[action="/cases/{arrived}/duplicate"]')
        expect(form).to_be_visible()
        check_accessibility(page, "conflicts with the decision form")
        # Sent without a reason (the browser's own check set aside): the server says what is missing.
        form.get_by_label("The same man").check()
        form.locator("textarea").evaluate("e => e.removeAttribute('required')")
        form.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#reason-error")).to_contain_text("Required")
        expect(form.get_by_label("The same man")).to_be_checked()
        expect(form.locator("textarea")).to_have_attribute("aria-invalid", "true")
        check_accessibility(page, "decision form with an error")
        form.locator("textarea").fill("Same man: same name, birth date and unit.")
        form.get_by_role("button", name="Record the decision").click()
        page.wait_for_url(served + f"/cases/{held}?same_as={arrived}")
        expect(page.get_by_role("status")).to_contain_text(f"Case {arrived} is the same man as this case: 1 of its facts")
        expect(page.get_by_role("status")).to_contain_text("Not carried: event(s) #3")
        check_accessibility(page, "the man's case after the decision")
        page.goto(served + f"/cases/{arrived}")
        expect(page.locator("#registered-twice")).to_contain_text("This man is registered twice")
        page.locator("#registered-twice").get_by_role("link", name=held).click()
        page.wait_for_url(served + f"/cases/{held}")
        page.context.close()
    assert violations == {}, violations
    if axe is None:
        pytest.skip("axe-core could not be installed with npm: the pages were driven, not checked by axe")
