"""Tracing: find a person in the register by a name in any script and a birth date.

The search is POSTed, so no name sits in a URL; candidates are labelled in words ("likely",
"possible") for a person to confirm, never merged.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.errors import InvalidInput
from powcase.web.i18n import N_
from powcase.web.session import open_page, posted_form, render, to_login

router = APIRouter(include_in_schema=False)
LABELS = {"likely": N_("likely the same person"), "possible": N_("possibly the same person")}


@router.get("/trace")
def trace_form(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    page.office.require("trace_search")
    return render(page, "trace.html", result=None, values={}, errors={}, labels=LABELS)


@router.post("/trace")
async def trace(request: Request) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    name, born = form.get("name", "").strip(), form.get("born", "").strip() or None
    if not name:
        return render(page, "trace.html", status=422, result=None, values=form, errors={"name": page._("Required.")}, labels=LABELS)
    try:
        result = office.trace(name[:200], born, 10)
    except InvalidInput as exc:
        return render(page, "trace.html", status=422, result=None, values=form,
                      errors={"born": page._("Not accepted:") + " " + str(exc).partition(": ")[2]}, labels=LABELS)
    return render(page, "trace.html", result=result, values=form, errors={}, labels=LABELS)
