"""Registering a prisoner (GC III Art 17, 122): his identity, the case created, its page opened."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.domain.events import Registered
from powcase.errors import InvalidInput
from powcase.web import forms
from powcase.web.session import (
    open_page,
    posted_form,
    redirect,
    render,
    to_login,
)

router = APIRouter(include_in_schema=False)
FIELDS = forms.form_fields(Registered)


@router.get("/register")
def register_form(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    page.office.require("register")
    return render(page, "record.html", case_id=None, command="register", action="/register", fields=FIELDS,
                  values={}, errors={}, expected_seq=None, refusal=None)


@router.post("/register")
async def register(request: Request) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("register")
    person, errors = forms.validate_event(Registered, {"type": "registered", **forms.read_form(FIELDS, form)}, page._)
    if person is not None:
        try:
            case_id = office.register(person)  # type: ignore[arg-type]
            return redirect(page, f"/cases/{case_id}")
        except InvalidInput as exc:
            errors = forms.input_error(str(exc), {f.name for f in FIELDS}, page._)
    return render(page, "record.html", status=422, case_id=None, command="register", action="/register", fields=FIELDS,
                  values=form, errors=errors, expected_seq=None, refusal=None)
