"""Cases in conflict between offices (docs/field-offices.md): the list of open conflicts and
possible duplicates, and the resolution of a conflict by a legal officer at headquarters.

Everything goes through :class:`powcase.app.office.FieldOffice`, as `powcase sync conflicts` and
`powcase sync resolve` do: the permission table, the access log and the execution guard decide
here exactly as on the command line. The case page shows both lines (pages.case_view).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from powcase.access.permissions import AccessRefused
from powcase.app.office import FieldOffice
from powcase.domain.case import first_error
from powcase.domain.events import Text
from powcase.errors import InvalidInput, NotFound, NotPermitted
from powcase.law import ExecutionRefused
from powcase.web.api import RESPONSES, OfficeDep, _check_id
from powcase.web.pages import ResolveForm, case_view
from powcase.web.session import open_page, posted_form, redirect, render, to_login

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"])

OFFICE_MAX = 64  # an office's name, as the resolution event holds it
_REASON: TypeAdapter[str] = TypeAdapter(Text)


def conflicts_data(field: FieldOffice) -> dict[str, Any]:
    """Open conflicts and possible duplicates, as `powcase sync conflicts --format json` gives them."""
    open_, duplicates = field.conflicts()
    since = field.to_carry()
    return {
        "conflicts": [{"case_id": c, "office": p, "diverged_after": f} for c, p, f in open_],
        "duplicates": [{"case_id": a, "other_case_id": b, "office": p,
                        **({"decided": "same", "to_carry": since[a, b]} if (a, b) in since else {})}
                       for a, b, p in duplicates],
    }


@router.get("/conflicts")
def conflicts_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    data = conflicts_data(FieldOffice(page.office))
    return render(page, "conflicts.html", conflicts=data["conflicts"], duplicates=data["duplicates"])


@router.post("/cases/{case_id}/resolve")
async def resolve(request: Request, case_id: str) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("sync_resolve", case_id)  # the form's content is read only for those who may resolve
    values = {"office": form.get("office", "")[:OFFICE_MAX], "reason": form.get("reason", "")}
    errors: dict[str, str] = {}
    if not values["office"].strip():
        errors["office"] = page._("Required.")
    reason = values["reason"].strip()
    if not reason:
        errors["reason"] = page._("Required: say why the two lines are merged so.")
    else:
        try:
            reason = _REASON.validate_python(reason)
        except ValidationError as exc:
            errors["reason"] = page._("Not accepted:") + " " + first_error(exc)
    day = office.pw.today()
    if errors:
        return case_view(page, case_id, day, status=422, resolve=ResolveForm(values, errors))
    try:
        FieldOffice(office).resolve(case_id, values["office"].strip(), reason)
    except ExecutionRefused as exc:
        failed = ResolveForm(values, {"form": page._("The execution guard refused this resolution; nothing was written:")}, exc)
        return case_view(page, case_id, day, status=409, resolve=failed)
    except AccessRefused:
        raise  # the table's refusal: the 403 page
    except NotPermitted as exc:
        return case_view(page, case_id, day, status=409, resolve=ResolveForm(values, {"form": page._("Refused.") + " " + str(exc)}))
    except NotFound:
        message = page._("This case has no open conflict with that office; nothing was written.")
        return case_view(page, case_id, day, status=404, resolve=ResolveForm(values, {"office": message}))
    except InvalidInput as exc:
        message = page._("Not accepted:") + " " + str(exc)
        return case_view(page, case_id, day, status=422, resolve=ResolveForm(values, {"form": message}))
    return redirect(page, f"/cases/{case_id}?" + urlencode({"resolved": values["office"].strip()}))


class ResolveIn(BaseModel):
    """The office whose line is merged into this store's chain, and why (no personal data)."""

    model_config = ConfigDict(extra="forbid")
    office: str = Field(min_length=1, max_length=OFFICE_MAX, description="the other office's name")
    reason: Text = Field(description="why the two lines are merged so")


@api_router.get("/conflicts", responses=RESPONSES)
def conflicts_api(office: OfficeDep) -> dict[str, Any]:
    """Cases in conflict between offices (the event after which the lines diverged), and cases
    that may be one man registered at two offices."""
    return conflicts_data(FieldOffice(office))


@api_router.post("/cases/{case_id}/resolve", responses=RESPONSES)
def resolve_api(office: OfficeDep, case_id: str, body: ResolveIn) -> dict[str, Any]:
    """At headquarters: merge another office's line of a case in conflict, through the execution
    guard (a refusal is a 409 with the guard's reasons); returns how many of its events were carried."""
    _check_id(case_id)
    carried = FieldOffice(office).resolve(case_id, body.office, body.reason)
    return {"case_id": case_id, "office": body.office, "carried": carried}
