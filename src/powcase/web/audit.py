"""The auditor's pages: verify every chain (events and the access log), and browse the log.

Filters are POSTed: an account name or a case number stays out of URLs and server logs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.web.session import open_page, read_form, render, to_login

router = APIRouter(include_in_schema=False)
LOG_LIMIT = 200


@router.get("/audit")
def audit_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    page.office.require("audit_verify")
    return render(page, "audit.html", verified=None, records=None, filters={}, can_show=page.office.may("audit_show"))


@router.post("/audit")
async def audit_action(request: Request) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return render(page, "error.html", status=403, title=page._("This form has expired; open the page again."), detail="")
    verified = records = None
    filters = {k: form.get(k, "").strip()[:64] for k in ("user", "case_id", "since")}
    if form.get("action") == "verify":
        breaks, log_problems = office.verify()
        verified = {"cases": office.pw.count_cases(), "breaks": [str(b) for b in breaks], "log": log_problems}
    else:
        since = None
        if filters["since"]:
            try:
                since = datetime.fromisoformat(filters["since"]).replace(tzinfo=UTC)
            except ValueError:
                since = None
        found = office.audit_show(filters["user"] or None, filters["case_id"] or None, since, None)
        records = found[-LOG_LIMIT:][::-1]
    return render(page, "audit.html", verified=verified, records=records, filters=filters,
                  can_show=office.may("audit_show"), limit=LOG_LIMIT)
