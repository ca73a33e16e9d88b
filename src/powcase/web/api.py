"""The JSON API under /api/v1: bearer tokens (the same as ``POWCASE_TOKEN``), the Office's use
cases, RFC 9457 problem details for every refusal and every malformed request."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from powcase.access.permissions import AccessRefused, record_use_case
from powcase.app.office import FieldOffice, Office
from powcase.domain.events import EVENT_ADAPTER, EVENT_TYPES, Interviewed
from powcase.errors import InvalidInput, NotFound
from powcase.law.sources import load_sources
from powcase.web.security import bearer
from powcase.web.views import case_data, determination_data, history_data

router = APIRouter(prefix="/api/v1", tags=["api"])

CASE_ID = r"^[A-Za-z0-9-]{1,40}$"
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed request", **_PROBLEM},
    401: {"description": "No valid token", **_PROBLEM},
    403: {"description": "Refused by the permission table", **_PROBLEM},
    404: {"description": "No such case", **_PROBLEM},
    409: {"description": "Conflict or refused by the law", **_PROBLEM},
    410: {"description": "Erased", **_PROBLEM},
    422: {"description": "Invalid input", **_PROBLEM},
}


def office(request: Request) -> Office:
    """The account behind the bearer token; refused (401, logged) without a valid one."""
    token = bearer(request)
    if token is None:
        raise AccessRefused("no bearer token: send Authorization: Bearer <token>", "not_logged_in")
    web = request.app.state.web
    user = web.accounts.authenticate_token(token)
    return Office(web.pw, web.accounts, user)


OfficeDep = Annotated[Office, Depends(office)]


def _as_of(office: Office, as_of: date | None) -> date:
    return as_of or office.pw.today()


class Me(BaseModel):
    name: str
    roles: list[str]
    language: str | None


class EventIn(BaseModel):
    """An event to append, as `powcase record` takes it, and the last event number the writer saw."""

    model_config = ConfigDict(extra="forbid")
    event: dict[str, Any] = Field(description="the event, with its `type` (see `powcase schema event`)")
    expected_seq: int | None = Field(default=None, ge=1, le=2**31, description="the last event you saw; a stale writer gets 409")


class TraceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    born: str | None = Field(default=None, max_length=20)
    top: int = Field(default=10, ge=1, le=50)


@router.get("/me", responses=RESPONSES)
def me(office: OfficeDep) -> Me:
    return Me(name=office.user.name, roles=sorted(r.value for r in office.user.roles), language=office.language())


@router.get("/cases", responses=RESPONSES)
def list_cases(
    office: OfficeDep,
    nationality: Annotated[str | None, Query(max_length=3)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    place: Annotated[str | None, Query(max_length=120)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Pseudonymised: case id, nationality, status, dates; never a name or a statement."""
    rows = office.list_cases(nationality, place, status)
    return {"total": len(rows), "offset": offset, "cases": rows[offset : offset + limit]}


@router.get("/cases/{case_id}", responses=RESPONSES)
def show_case(office: OfficeDep, case_id: str, as_of: date | None = None) -> dict[str, Any]:
    """His identity and interviews, for roles that may read them (logged); when the case is in
    conflict between offices, each other office's line after it diverged (``in_conflict``) for
    roles that may read the history."""
    _check_id(case_id)
    case, statements = office.case(case_id, as_of)
    data = case_data(case, statements)
    others = FieldOffice(office).lines(case_id) if not case.erased else []
    if others:  # in conflict between offices: both lines, for roles that may read the history (docs/field-offices.md)
        data["in_conflict"] = [
            {"office": line.office, "diverged_after": line.fork_seq,
             "their_events": history_data(line.history[line.fork_seq :], statements)}
            for line in others
        ]
    return data


@router.get("/cases/{case_id}/history", responses=RESPONSES)
def history(office: OfficeDep, case_id: str) -> dict[str, Any]:
    _check_id(case_id)
    events, statements = office.history(case_id)
    return {"case_id": case_id, "events": history_data(events, statements)}


@router.get("/cases/{case_id}/determination", responses=RESPONSES)
def determination(office: OfficeDep, case_id: str, as_of: date | None = None) -> dict[str, Any]:
    """What the law says as of a day: free will, risk per state, every disposition with reasons."""
    _check_id(case_id)
    pw = office.pw
    determined = office.determine(case_id, pw.rulebook, _as_of(office, as_of), pw.context)
    return determination_data(determined.determination)


@router.post("/cases/{case_id}/events", status_code=201, responses=RESPONSES)
def record(office: OfficeDep, case_id: str, body: EventIn) -> JSONResponse:
    """Append one event through the permission table and, for a transfer, the execution guard."""
    _check_id(case_id)
    kind = EVENT_TYPES.get(str(body.event.get("type")))
    if kind is not None and kind.command:
        # Who may record this kind of event is asked before its content is read.
        office.require(record_use_case(kind.command), case_id)
    event = EVENT_ADAPTER.validate_python(body.event)
    written = office.record(case_id, event, body.expected_seq)
    return JSONResponse({"case_id": case_id, "seq": written.seq, "type": written.type}, status_code=201)


@router.post("/cases/{case_id}/interview-preview", responses=RESPONSES)
def interview_preview(office: OfficeDep, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Would this interview qualify, and every reason why not (nothing is written)."""
    _check_id(case_id)
    office.require(record_use_case("interview"), case_id)
    draft = Interviewed.model_validate({**body, "type": "interviewed"})
    preview = office.preview_interview(case_id, draft)
    return {
        "qualifies": preview.assessment.qualifies,
        "defects": [r.model_dump(mode="json") for r in preview.assessment.defects],
        "free_will": preview.free_will.model_dump(mode="json"),
    }


@router.post("/trace", responses=RESPONSES)
def trace(office: OfficeDep, body: TraceIn) -> dict[str, Any]:
    """A name search; POSTed so that no name ever sits in a URL or a server log."""
    result = office.trace(body.name, body.born, body.top)
    data: dict[str, Any] = result.model_dump(mode="json")
    return data


@router.get("/sources/{source_id}", responses=RESPONSES)
def source(source_id: str) -> dict[str, Any]:
    """A cited source: its title, provision, wording and how far that wording was checked."""
    try:
        src = load_sources().get(source_id)
    except Exception:
        raise NotFound(f"no source {source_id[:40]!r}") from None
    data: dict[str, Any] = src.model_dump(mode="json")
    return data


def _check_id(case_id: str) -> None:
    if len(case_id) > 40 or not case_id.replace("-", "").isalnum():
        raise InvalidInput("case_id: letters, digits and dashes, at most 40")
