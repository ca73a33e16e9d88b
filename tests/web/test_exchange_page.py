"""The exchange page: the terms and the counterpart's list uploaded, the plan shown pseudonymised
with who is left off and why, the report downloaded; bad files answered beside their field."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import KOR1, KOR2, Site, csrf
from tests.web.test_pages import errors_by_field

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "exchange"


def _files(spec: bytes | None = None, listed: tuple[str, bytes] | None = None) -> dict[str, tuple[str, bytes, str]]:
    return {
        "exchange": ("exchange.yaml", spec if spec is not None else (EXAMPLE / "exchange.yaml").read_bytes(), "application/yaml"),
        "request_list": (*(listed or ("request.csv", (EXAMPLE / "request.csv").read_bytes())), "text/csv"),
    }


def test_a_plan_leaves_both_soldiers_off_says_why_and_its_report_downloads(site: Site) -> None:
    client = site.browser("legal")
    token = csrf(client.get("/exchange"))
    before = {c: len(site.pw.history(c)) for c in (KOR1, KOR2)}
    page = client.post("/exchange", data={"csrf": token}, files=_files())
    assert page.status_code == 200, page.text
    assert f"<td>{KOR1}</td><td>PRK</td><td>refuses_repatriation</td>" in page.text
    assert f"<td>{KOR2}</td><td>PRK</td><td>real_risk</td>" in page.text
    assert "Pak" not in page.text and "Un Chol" not in page.text  # pseudonymised, as on the command line
    plan_id = page.text.split('name="plan_id" value="')[1].split('"')[0]
    report = client.post("/exchange/report", data={"csrf": token, "plan_id": plan_id, "format": "exclusions"})
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    lines = {line.split(",")[0]: line for line in report.content.decode("utf-8-sig").splitlines()[1:]}
    assert lines[KOR1].startswith(f"{KOR1},PRK,refuses_repatriation,")
    pdf = client.post("/exchange/report", data={"csrf": token, "plan_id": plan_id, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The plan is its author's: another legal officer cannot download it by its id.
    other = site.browser("legal2")
    assert other.post("/exchange/report", data={"csrf": csrf(other.get("/exchange")), "plan_id": plan_id,
                                                "format": "list"}).status_code == 422
    assert {c: len(site.pw.history(c)) for c in (KOR1, KOR2)} == before  # planning writes nothing


def test_bad_files_are_answered_beside_their_field(site: Site) -> None:
    client = site.browser("legal")
    token = csrf(client.get("/exchange"))
    no_terms = client.post("/exchange", data={"csrf": token}, files=_files(spec=b"id: EX-1\ncounterpart: RUS\n"))
    assert no_terms.status_code == 422
    assert "terms" in errors_by_field(no_terms.text)["exchange"]
    wrong_kind = client.post("/exchange", data={"csrf": token}, files=_files(listed=("request.txt", b"a,b\n")))
    assert wrong_kind.status_code == 422
    assert "expected a .csv or .xlsx file" in errors_by_field(wrong_kind.text)["request_list"]
    bad_rows = client.post("/exchange", data={"csrf": token},
                           files=_files(listed=("request.csv", "ФИО,Дата рождения\nИванов Иван,31.02.1990\n".encode())))
    assert bad_rows.status_code == 422 and "row" in errors_by_field(bad_rows.text)["request_list"]
    missing = client.post("/exchange", data={"csrf": token})
    assert missing.status_code == 422
    assert set(errors_by_field(missing.text)) == {"exchange", "request_list"}


def test_the_exchange_page_is_for_roles_that_may_search_and_run_the_law(site: Site) -> None:
    assert site.browser("registrar").get("/exchange").status_code == 403
    assert site.browser("auditor").get("/exchange").status_code == 403
