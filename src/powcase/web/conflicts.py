"""Cases in conflict between offices (docs/field-offices.md): the list of open conflicts and
possible duplicates, the resolution of a conflict and the decision on a possible duplicate by a
legal officer at headquarters.

Everything goes through :class:`powcase.app.office.FieldOffice`, as `powcase sync conflicts`,
`powcase sync resolve` and `powcase sync duplicate` do: the permission table, the access log and
the execution guard decide here exactly as on the command line. The case page shows both lines
(pages.case_view); the decision's form is on /conflicts, beside the pair it decides.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal
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
from powcase.web.api import CASE_ID, RESPONSES, OfficeDep, _check_id
from powcase.web.duplicates import CASE_MAX, Decided, DecideForm, decided
from powcase.web.pages import ResolveForm, case_view
from powcase.web.session import Page, open_page, posted_form, redirect, render, to_login

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
def conflicts_page(request: Request, different: str = "") -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    return conflicts_view(page, notice=decided(page.office, different[:CASE_MAX], None, "different") if different else None)


def conflicts_view(page: Page, *, status: int = 200, decide: DecideForm | None = None,
                   notice: Decided | None = None) -> Response:
    """The list; at headquarters, beside each possible duplicate, the decision's form for a role
    the table allows to decide on both cases (the form of a use case one may not perform is not shown)."""
    office = page.office
    assert office is not None  # noqa: S101 - the callers sent anyone else to the login page
    field = FieldOffice(office)
    data = conflicts_data(field)
    here = field.at_headquarters()
    deciding = {(d["case_id"], d["other_case_id"]) for d in data["duplicates"]
                if here and office.may("sync_duplicate", d["case_id"]) and office.may("sync_duplicate", d["other_case_id"])}
    decide = decide or DecideForm()
    # A refusal about a pair that has no form here (decided meanwhile, or not at headquarters) is
    # said above the forms, not lost.
    elsewhere = [] if any(decide.is_for(*pair) for pair in deciding) else list(decide.errors.values())
    return render(page, "conflicts.html", status=status, conflicts=data["conflicts"], duplicates=data["duplicates"],
                  deciding=deciding, decide=decide, blank=DecideForm(), elsewhere=elsewhere, notice=notice)


def _reason(typed: str, required: str, page: Page, errors: dict[str, str]) -> str:
    """A reason as the event will hold it; what is wrong with it goes into ``errors``."""
    reason = typed.strip()
    if not reason:
        errors["reason"] = required
        return reason
    try:
        return _REASON.validate_python(reason)
    except ValidationError as exc:
        errors["reason"] = page._("Not accepted:") + " " + first_error(exc)
        return reason


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
    reason = _reason(values["reason"], page._("Required: say why the two lines are merged so."), page, errors)
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


DECISIONS = ("same", "different")


@router.post("/cases/{case_id}/duplicate")
async def decide_duplicate(request: Request, case_id: str) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("sync_duplicate", case_id)  # the form's content is read only for those who may decide
    values = {"case_id": case_id[:CASE_MAX], "other": form.get("other", "")[:CASE_MAX],
              "decision": form.get("decision", ""), "reason": form.get("reason", "")}
    errors: dict[str, str] = {}
    if not values["other"].strip():
        errors["form"] = page._("The form does not name the other case; open the page again.")
    if values["decision"] not in DECISIONS:
        errors["decision"] = page._("Required: the same man, or different men.")
        values["decision"] = ""
    reason = _reason(values["reason"], page._("Required: say why the two cases are (or are not) one man."), page, errors)
    if errors:
        return conflicts_view(page, status=422, decide=DecideForm(values, errors))
    other = values["other"].strip()
    try:
        done = FieldOffice(office).decide_duplicate(case_id, other, values["decision"], reason)
    except ExecutionRefused as exc:
        failed = DecideForm(values, {"form": page._("The execution guard refused this decision; nothing was written:")}, exc)
        return conflicts_view(page, status=409, decide=failed)
    except AccessRefused:
        raise  # the table's refusal: the 403 page
    except NotPermitted as exc:
        return conflicts_view(page, status=409, decide=DecideForm(values, {"form": page._("Refused.") + " " + str(exc)}))
    except NotFound:
        message = page._("These two cases are not listed as possibly one man (decided already?); nothing was written.")
        return conflicts_view(page, status=404, decide=DecideForm(values, {"form": message}))
    except InvalidInput as exc:
        message = page._("Not accepted:") + " " + str(exc)
        return conflicts_view(page, status=422, decide=DecideForm(values, {"form": message}))
    if done.decision == "same":
        return redirect(page, f"/cases/{other}?" + urlencode({"same_as": case_id}))
    return redirect(page, "/conflicts?" + urlencode({"different": case_id}))


class ResolveIn(BaseModel):
    """The office whose line is merged into this store's chain, and why (no personal data)."""

    model_config = ConfigDict(extra="forbid")
    office: str = Field(min_length=1, max_length=OFFICE_MAX, description="the other office's name")
    reason: Text = Field(description="why the two lines are merged so")


class DuplicateIn(BaseModel):
    """The decision on a pair `GET /api/v1/conflicts` lists as possibly one man, and why (no personal data)."""

    model_config = ConfigDict(extra="forbid")
    other_case_id: str = Field(pattern=CASE_ID, description="the case headquarters held for the same service number")
    decision: Literal["same", "different"] = Field(
        description="same: one man (his facts are carried onto the other case, this one is closed); different: two men")
    reason: Text = Field(description="why the two cases are (or are not) one man")


class DuplicateOut(BaseModel):
    """What the decision did (as `powcase sync duplicate` says it)."""

    case_id: str
    other_case_id: str
    decision: str
    office: str = Field(description="the office that sent the case")
    carried: int = Field(description="facts recorded again on the other case")
    first_seq: int = Field(description="the other case's event number where they begin (0: none)")
    not_carried: list[int] = Field(description="corrections of this case's registration, left for a person to "
                                               "record on the other case by hand if they hold")
    given: bool = Field(description="whether the office that sent the case is given the other one (next bundle)")


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


@api_router.post("/cases/{case_id}/duplicate", responses=RESPONSES)
def duplicate_api(office: OfficeDep, case_id: str, body: DuplicateIn) -> DuplicateOut:
    """At headquarters: decide whether a case that arrived from a field office is a man already
    registered here. "same" carries its facts onto the other case through the execution guard
    (a refusal is a 409 with the guard's reasons) and closes it; "different" closes the pair only."""
    _check_id(case_id)
    done = FieldOffice(office).decide_duplicate(case_id, body.other_case_id, body.decision, body.reason)
    return DuplicateOut(**asdict(done))
