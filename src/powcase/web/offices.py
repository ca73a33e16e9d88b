"""The offices this store synchronises with (docs/field-offices.md): what `powcase field list`
shows, read-only, on /offices and at ``GET /api/v1/offices``.

Everything goes through :meth:`powcase.app.office.FieldOffice.listing`, as `powcase field list`
does: the permission table's ``field_list``, checked and logged there. Beside each office its
fingerprint, so that it can be read over the telephone again; and, under each field office, the
cases taken back (done) and being taken back (waiting).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.app.office import FieldOffice
from powcase.web.api import RESPONSES, OfficeDep
from powcase.web.session import open_page, render, to_login

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"])


def _day(stamp: str | None) -> date | None:
    """The day of a stored timestamp (the page shows days, as `powcase field list` does)."""
    return date.fromisoformat(stamp[:10]) if stamp else None


@router.get("/offices")
def offices_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    return render(page, "offices.html", offices=FieldOffice(page.office).listing(), day=_day)


@api_router.get("/offices", responses=RESPONSES)
def offices_api(office: OfficeDep) -> dict[str, Any]:
    """The offices this store synchronises with (fingerprint, enrolment, revocation, bundles sent
    and received) and, per office, the cases taken back (``withdrawn``, done) and being taken back
    (``withdrawing``: at headquarters, waiting for the office's report; at a field office, events
    still to send)."""
    return {"offices": FieldOffice(office).listing()}
