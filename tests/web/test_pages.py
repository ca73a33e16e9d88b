"""The pages and the API as a user meets them: signing in, forms that refuse bad input beside
each field and write nothing, the interview's pre-save check, conflicts, the guard, overrides."""

from __future__ import annotations

import re
from html import unescape

import pytest
from tests.web.conftest import KOR1, KOR2, PASSWORD, Site, csrf

from powcase.access.permissions import AccessRefused
from powcase.app.office import Office

INTERVIEW = {
    "occurred_on": "2025-04-02", "interviewer": "Delegate 12", "interviewer_organisation": "ICRC", "language": "kor",
    "presence": "listed", "present_role_0": "neutral_observer", "present_org_0": "ICRC", "interpreter": "none",
    "informed_of_options": "yes", "informed_of_right_to_change": "yes", "understood": "yes", "fit_for_interview": "yes",
    "pressure": "none", "stated_wish": "third_state", "wish_state": "KOR",
    "words_original": "한국으로 가고 싶습니다.", "words_translated": "I want to go to Korea.",
}


def events(site: Site, case_id: str) -> int:
    return len(site.pw.history(case_id))


def errors_by_field(html: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'<span class="error" id="([\w-]+)-error">([^<]*)</span>', html)}


def test_login_sets_a_strict_httponly_cookie_and_every_page_sends_the_security_headers(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script at all
    assert "<script" not in page.text
    response = client.post("/login", data={"csrf": csrf(page), "name": "legal", "password": PASSWORD}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie  # plain http on loopback
    assert client.get("/cases").status_code == 200


def test_a_wrong_password_is_answered_beside_the_field_and_a_form_without_its_csrf_token_is_refused(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    wrong = client.post("/login", data={"csrf": csrf(page), "name": "legal", "password": "nope"})
    assert wrong.status_code == 401
    assert errors_by_field(wrong.text) == {"password": "Unknown account or wrong password."}
    forged = client.post("/login", data={"name": "legal", "password": PASSWORD}, follow_redirects=False)
    assert forged.status_code == 403 and "pwc_session" not in forged.headers.get("set-cookie", "")


def test_the_chosen_language_is_remembered_by_the_account(site: Site) -> None:
    client = site.browser("interviewer")
    page = client.get(f"/cases/{KOR2}")
    assert '<html lang="en">' in page.text
    client.post("/language", data={"csrf": csrf(page), "language": "ko", "next": f"/cases/{KOR2}"})
    elsewhere = site.browser("interviewer")  # another browser: no cookie, the account remembers
    korean = elsewhere.get(f"/cases/{KOR2}")
    assert '<html lang="ko">' in korean.text and "자유의사" in korean.text
    assert site.api("interviewer").get("/api/v1/me").json()["language"] == "ko"


def test_a_bad_form_comes_back_filled_with_each_error_beside_its_field_and_nothing_written(site: Site) -> None:
    client = site.browser("legal")
    form = client.get(f"/cases/{KOR1}/record/third-state-answer")
    before = events(site, KOR1)
    response = client.post(f"/cases/{KOR1}/record/third-state-answer",
                           data={"csrf": csrf(form), "occurred_on": "not a date", "state": "KOR", "reference": "note 7"})
    assert response.status_code == 422
    assert errors_by_field(response.text) == {"occurred_on": "Not a date.", "answer": "Required."}
    assert 'value="note 7"' in response.text
    assert events(site, KOR1) == before


def test_errors_are_in_the_readers_language(site: Site) -> None:
    client = site.browser("legal")
    page = client.get(f"/cases/{KOR1}")
    client.post("/language", data={"csrf": csrf(page), "language": "uk", "next": "/"})
    form = client.get(f"/cases/{KOR1}/record/legal-basis")
    response = client.post(f"/cases/{KOR1}/record/legal-basis", data={"csrf": csrf(form)})
    assert response.status_code == 422
    assert set(errors_by_field(response.text).values()) == {"Обов'язкове поле."}


def test_the_interview_page_says_before_saving_whether_it_will_qualify_and_why_not(site: Site) -> None:
    client = site.browser("interviewer")
    form = client.get(f"/cases/{KOR2}/record/interview")
    before = events(site, KOR2)
    pressured = {**INTERVIEW, "csrf": csrf(form), "present_role_1": "detaining_power_security", "action": "check"}
    check = client.post(f"/cases/{KOR2}/record/interview", data=pressured)
    assert "This interview will NOT qualify:" in check.text
    assert "not private: detaining power security present" in check.text
    saved_by_mistake = client.post(f"/cases/{KOR2}/record/interview", data={**pressured, "action": "save"})
    assert saved_by_mistake.status_code == 422 and "confirm_nonqualifying" in errors_by_field(saved_by_mistake.text)
    assert events(site, KOR2) == before
    good = client.post(f"/cases/{KOR2}/record/interview", data={**INTERVIEW, "csrf": csrf(form), "action": "check"})
    assert "This interview will qualify." in good.text
    client.post(f"/cases/{KOR2}/record/interview", data={**INTERVIEW, "csrf": csrf(form), "action": "save"})
    assert events(site, KOR2) == before + 1


def test_every_safeguard_must_be_answered(site: Site) -> None:
    client = site.browser("interviewer")
    form = client.get(f"/cases/{KOR2}/record/interview")
    skipped = {k: v for k, v in INTERVIEW.items() if k not in ("informed_of_right_to_change", "presence", "interpreter", "pressure")}
    response = client.post(f"/cases/{KOR2}/record/interview", data={**skipped, "csrf": csrf(form), "action": "save"})
    assert response.status_code == 422
    assert {"informed_of_right_to_change", "presence", "interpreter", "pressure"} <= set(errors_by_field(response.text))


def test_a_second_writer_on_the_same_case_gets_a_conflict_not_an_overwrite(site: Site) -> None:
    api = site.api("legal")
    last = len(site.pw.history(KOR1))
    answer = {"type": "third_state_answered", "occurred_on": "2025-04-18", "state": "KOR", "answer": "accepts"}
    first = api.post(f"/api/v1/cases/{KOR1}/events", json={"event": answer, "expected_seq": last})
    second = api.post(f"/api/v1/cases/{KOR1}/events", json={"event": answer, "expected_seq": last})
    assert first.status_code == 201 and second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    # On the page: the form remembers the event it was opened on.
    client = site.browser("legal")
    form = client.get(f"/cases/{KOR1}/record/third-state-answer")
    api.post(f"/api/v1/cases/{KOR1}/events", json={"event": answer})
    stale = client.post(f"/cases/{KOR1}/record/third-state-answer",
                        data={"csrf": csrf(form), "expected_seq": re.search(r'name="expected_seq" value="(\d+)"', form.text).group(1),  # type: ignore[union-attr]
                              "occurred_on": "2025-04-18", "state": "KOR", "answer": "accepts"})
    assert stale.status_code == 409, errors_by_field(stale.text) or stale.text[-2000:]
    assert "nothing was written" in stale.text


def test_the_guard_refusal_shows_its_reasons(site: Site) -> None:
    client = site.browser("legal")
    form = client.get(f"/cases/{KOR1}/record/transfer")
    before = events(site, KOR1)
    refused = client.post(f"/cases/{KOR1}/record/transfer",
                          data={"csrf": csrf(form), "occurred_on": "2025-06-10", "kind": "exchange", "to_state": "RUS"})
    assert refused.status_code == 409
    assert "The execution guard refused this transfer:" in refused.text and "real risk" in refused.text
    assert events(site, KOR1) == before
    api = site.api("legal").post(f"/api/v1/cases/{KOR1}/events", json={"event": {
        "type": "transferred", "occurred_on": "2025-06-10", "kind": "exchange", "to_state": "RUS"}})
    assert api.status_code == 409 and api.json()["reasons"]


def test_the_form_answers_a_refusal_by_the_law_and_one_by_the_table_as_the_api_does(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused by the law (the sharing gate: a real risk toward his power of origin): 409, the form again.
    notice = {"occurred_on": "2025-04-20", "recipient": "power_of_origin", "action": "sent"}
    client = site.browser("registrar")
    before = events(site, KOR2)
    form = client.get(f"/cases/{KOR2}/record/notification")
    law = client.post(f"/cases/{KOR2}/record/notification", data={**notice, "csrf": csrf(form)})
    assert law.status_code == 409 and "not sent" in unescape(law.text) and 'name="recipient"' in law.text
    api = site.api("registrar").post(f"/api/v1/cases/{KOR2}/events", json={"event": {"type": "notified", **notice}})
    assert api.status_code == 409 and api.json()["type"].endswith("/not-permitted")
    # Refused by the permission table once the form is posted (the office's own check): 403, never 409.
    def refuse(office: Office, case_id: str, *args: object, **kwargs: object) -> None:
        raise AccessRefused(f"{office.user.name} may not record_notification", "role")

    monkeypatch.setattr(Office, "record", refuse)
    table = client.post(f"/cases/{KOR2}/record/notification", data={**notice, "csrf": csrf(form)})
    assert table.status_code == 403 and "Refused: your role may not do this." in table.text
    api = site.api("registrar").post(f"/api/v1/cases/{KOR2}/events", json={"event": {"type": "notified", **notice}})
    assert api.status_code == 403 and api.json()["code"] == "role"
    interviewer = site.browser("interviewer")
    form = interviewer.get(f"/cases/{KOR2}/record/interview")
    interview = interviewer.post(f"/cases/{KOR2}/record/interview", data={**INTERVIEW, "csrf": csrf(form), "action": "save"})
    assert interview.status_code == 403
    assert events(site, KOR2) == before


def test_an_override_needs_a_second_legal_officer_on_his_own_session(site: Site) -> None:
    first = site.browser("legal")
    page = first.get(f"/cases/{KOR1}")
    first.post(f"/cases/{KOR1}/override", data={"csrf": csrf(page), "disposition": "D2", "reason": "court order 12"})
    page = first.get(f"/cases/{KOR1}")
    action = re.search(rf'action="(/cases/{KOR1}/override/OV-\w+)"', page.text)
    assert action
    alone = first.post(action.group(1), data={"csrf": csrf(page)})
    assert alone.status_code == 403
    assert not site.pw.case(KOR1).overrides
    second = site.browser("legal2")
    page2 = second.get(f"/cases/{KOR1}")
    second.post(action.group(1), data={"csrf": csrf(page2)})
    overrides = site.pw.case(KOR1).overrides
    assert len(overrides) == 1 and sorted(overrides[0].event.approvers) == ["legal", "legal2"]


def test_malformed_api_requests_get_problem_details_never_a_server_error(site: Site) -> None:
    api = site.api("legal")
    for response in (
        api.post(f"/api/v1/cases/{KOR1}/events", content=b"{not json", headers={"content-type": "application/json"}),
        api.post(f"/api/v1/cases/{KOR1}/events", json={"event": {"type": "no_such_event"}}),
        api.post(f"/api/v1/cases/{KOR1}/events", json={"event": {"type": "transferred"}, "expected_seq": -1}),
        api.get(f"/api/v1/cases/{KOR1}/determination?as_of=yesterday"),
        api.get("/api/v1/cases/%00%01"),
        api.get("/api/v1/cases?limit=0"),
        site.client().get("/api/v1/cases", headers={"Authorization": "Bearer pwc_forged"}),
    ):
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(response.json())


def test_a_name_search_is_posted_never_put_in_a_url(site: Site) -> None:
    client = site.browser("legal")
    form = client.get("/trace")
    assert re.search(r'<form method="post" action="/trace"', form.text)
    found = client.post("/trace", data={"csrf": csrf(form), "name": "Пак Ын Чхоль", "born": "2000-05-14"})
    assert KOR1 in found.text


def test_registering_a_prisoner_from_the_form(site: Site) -> None:
    client = site.browser("registrar")
    form = client.get("/register")
    before = site.pw.count_cases()
    missing = client.post("/register", data={"csrf": csrf(form), "occurred_on": "2025-05-01", "nationality": "RUS",
                                             "armed_force": "RUS", "given_names__latin": "Ivan"})
    assert missing.status_code == 422
    assert errors_by_field(missing.text) == {"family_name__native": "Required."}
    assert site.pw.count_cases() == before
    done = client.post("/register", data={"csrf": csrf(form), "occurred_on": "2025-05-01", "nationality": "RUS",
                                          "armed_force": "RUS", "family_name__latin": "Orlov", "given_names__latin": "Ivan",
                                          "languages": "rus"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/cases/PW-")
    assert site.pw.count_cases() == before + 1


def test_the_administrator_disables_an_account_and_its_session_ends(site: Site) -> None:
    observer = site.browser("observer")
    assert observer.get(f"/cases/{KOR2}").status_code == 200
    admin = site.browser("admin")
    listing = admin.get("/accounts")
    assert "observer" in listing.text and "neutral_observer" in listing.text
    admin.post("/accounts", data={"csrf": csrf(listing), "name": "observer", "action": "disable"})
    assert observer.get(f"/cases/{KOR2}", follow_redirects=False).headers["location"] == "/login"
    assert site.accounts.get("observer").disabled
