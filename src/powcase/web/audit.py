"""The auditor's pages: verify every chain (events and the access log), and browse the log.

Filters are POSTed: an account name or a case number stays out of URLs and server logs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.errors import NotFound
from powcase.web.session import (
    open_page,
    posted_form,
    redirect,
    render,
    to_login,
)
from powcase.web.verification import VerifyJobs

router = APIRouter(include_in_schema=False)
LOG_LIMIT = 200
VERIFY_WAIT = 2.0  # seconds the request waits before answering with the progress page
REFRESH = 2  # seconds between refreshes of the progress page


@router.get("/audit")
def audit_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    page.office.require("audit_verify")
    return render(page, "audit.html", verified=None, records=None, filters={}, can_show=page.office.may("audit_show"))


@router.post("/audit")
async def audit_action(request: Request) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    verified = records = None
    filters = {k: form.get(k, "").strip()[:64] for k in ("user", "case_id", "since")}
    if form.get("action") == "verify":
        office.require("audit_verify")
        jobs: VerifyJobs = request.app.state.verify_jobs
        job = jobs.start(office, wait=VERIFY_WAIT)
        return redirect(page, f"/audit/verify/{job.id}")
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


@router.get("/audit/verify/{job_id}")
def verification(request: Request, job_id: str) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    office.require("audit_verify")
    jobs: VerifyJobs = request.app.state.verify_jobs
    job = jobs.get(job_id[:40], office.user.name)
    if job is None:
        raise NotFound("no verification with this number for this account (they are held until the server restarts)")
    verified = None
    if job.finished:
        verified = {"cases": job.total, "breaks": job.breaks, "log": job.log + ([job.failure] if job.failure else [])}
    return render(page, "audit.html", verified=verified, job=job, refresh=None if job.finished else REFRESH,
                  records=None, filters={}, can_show=office.may("audit_show"), limit=LOG_LIMIT)
