"""The deadlines dashboard and a case's documents on the web, under the same rules as the CLI."""

from __future__ import annotations

from tests.web.conftest import KOR1, KOR2, Site

from powcase.access.audit import show


def test_the_dashboard_counts_duties_overdue_first_and_draws_open_duties_without_script(site: Site) -> None:
    page = site.browser("registrar").get("/deadlines?as_of=2025-06-01")
    assert page.status_code == 200
    assert "<script" not in page.text and "style=" not in page.text  # the CSP allows neither
    assert "<svg" in page.text and "<polyline" in page.text
    api = site.api("registrar").get("/api/v1/deadlines", params={"as_of": "2025-06-01"}).json()
    summary = api["summary"]
    overdue = [duty for duty, counts in summary.items() if counts["overdue"]]
    # Overdue duties lead the summary, and the page's table follows the same order.
    assert list(summary)[: len(overdue)] == overdue
    assert {row["case_id"] for row in api["duties"]} == {KOR1, KOR2}
    statuses = [row["status"] for row in api["duties"]]
    assert statuses == sorted(statuses, key=["overdue", "due", "done", "not_applicable"].index)
    assert "name" in api["duties"][0]  # a registrar may read identity
    only = site.api("registrar").get("/api/v1/deadlines", params={"as_of": "2025-06-01", "overdue": "true"}).json()
    assert {r["status"] for r in only["duties"]} <= {"overdue"}


def test_an_auditor_sees_the_dashboard_by_case_number_only_and_an_interviewer_not_at_all(site: Site) -> None:
    page = site.browser("auditor").get("/deadlines?as_of=2025-06-01")
    assert page.status_code == 200 and KOR1 in page.text
    assert "Un Chol" not in page.text and "은철" not in page.text
    rows = site.api("auditor").get("/api/v1/deadlines", params={"as_of": "2025-06-01"}).json()["duties"]
    assert rows and all("name" not in r for r in rows)
    assert site.browser("interviewer").get("/deadlines").status_code == 403
    assert site.api("interviewer").get("/api/v1/deadlines").status_code == 403


def test_a_document_downloads_as_pdf_and_its_print_is_in_the_access_log(site: Site) -> None:
    client = site.browser("legal")
    case = client.get(f"/cases/{KOR1}")
    assert f'action="/cases/{KOR1}/documents"' in case.text and 'value="decision-memo"' in case.text
    pdf = client.get(f"/cases/{KOR1}/documents", params={"kind": "notice", "lang": "ko"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    with site.pw.store.engine.begin() as conn:
        printed = [r for r in show(conn, user="legal") if r.action == "print_document"]
    assert printed and printed[-1].case_id == KOR1 and printed[-1].outcome == "allowed"


def test_a_case_lacking_facts_lists_what_is_missing_and_prints_nothing(site: Site) -> None:
    client = site.browser("registrar")
    response = client.get(f"/cases/{KOR1}/documents", params={"kind": "death-notification"})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "death" in response.text.lower() and "<li>" in response.text


def test_a_document_carrying_his_words_is_refused_to_a_role_that_may_not_read_them(site: Site) -> None:
    client = site.browser("registrar")
    assert 'value="interview-record"' not in client.get(f"/cases/{KOR1}").text
    refused = client.get(f"/cases/{KOR1}/documents", params={"kind": "interview-record"})
    assert refused.status_code == 403 and not refused.content.startswith(b"%PDF")
    assert client.get(f"/cases/{KOR1}/documents", params={"kind": "no-such"}).status_code == 404
