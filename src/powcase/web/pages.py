"""The pages for people: server-rendered, no JavaScript, every form with a CSRF token.

Each handler opens the page (who, which language), asks the Office, and renders. A refusal by the
permission table is an error page (403) in the reader's language; the refusal is in the access
log, as on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from powcase.access.permissions import AccessRefused, record_use_case
from powcase.access.preferences import LANGUAGES
from powcase.app.office import FieldOffice
from powcase.domain.events import COMMANDS, ConflictResolved, RecordedEvent
from powcase.domain.values import CaseStatus, Disposition
from powcase.errors import (
    Conflict,
    InvalidInput,
    KeyUnavailable,
    NotFound,
    NotPermitted,
    PowcaseError,
)
from powcase.law import ExecutionRefused
from powcase.law.sources import load_sources, split_citation
from powcase.web import forms
from powcase.web.corrections import correction_page, record_correction
from powcase.web.documents import TITLES as DOCUMENT_TITLES
from powcase.web.documents import printable
from powcase.web.duplicates import CASE_MAX, Decided, decided
from powcase.web.i18n import N_
from powcase.web.interview import interview_page, record_interview
from powcase.web.security import LANGUAGE_COOKIE, SESSION_COOKIE, set_cookie
from powcase.web.session import (
    Page,
    expired_form,
    open_page,
    posted_form,
    read_form,
    redirect,
    render,
    to_login,
)
from powcase.web.views import event_data, identity_data

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# Recorded on their own page (interview), by two people (override), or with a structured change
# the generic form cannot take (correction): not offered by the generic form.
_SPECIAL = {"interview", "override", "correction"}
GENERIC_COMMANDS = tuple(c for c in COMMANDS if c not in _SPECIAL)


def error_page(request: Request, exc: Exception, status: int | None = None) -> HTMLResponse:
    page = open_page(request)
    _ = page.t.gettext
    if isinstance(exc, AccessRefused):
        status, title = 403, _("Refused: your role may not do this.")
    elif isinstance(exc, NotFound):
        status, title = 404, _("Not found.")
    elif isinstance(exc, KeyUnavailable):
        status, title = 410, _("This case was erased.")
    elif isinstance(exc, NotPermitted | Conflict):
        status, title = 409, _("Refused.")
    elif isinstance(exc, PowcaseError | ValidationError):
        status, title = 422, _("The request was not accepted.")
    else:
        status = status or 400
        title = _("Not found.") if status == 404 else _("The request was not accepted.")
    detail = str(exc) if isinstance(exc, PowcaseError) else ""
    return render(page, "error.html", status=status, title=title, detail=detail)


# --- signing in and out ---------------------------------------------------------------------------

@router.get("/")
def home(request: Request) -> Response:
    page = open_page(request)
    return redirect(page, "/cases" if page.office else "/login")


@router.get("/login")
def login_form(request: Request) -> Response:
    page = open_page(request)
    return render(page, "login.html", errors={}, name="")


@router.post("/login")
async def login(request: Request) -> Response:
    page = open_page(request)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return expired_form(page)
    name = form.get("name", "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = page._("Required.")
    if not form.get("password"):
        errors["password"] = page._("Required.")
    if errors:
        return render(page, "login.html", status=422, errors=errors, name=name)
    accounts = page.web.accounts
    try:
        user = accounts.login(name, form["password"])
        token = accounts.issue_token(user, "session", label="web")
    except AccessRefused as exc:
        message = page._("Your account is locked after repeated failed logins; try again later.") if exc.code == "locked" \
            else page._("An administrator reset your password: choose your own first.") if exc.code == "password_change_required" \
            else page._("Your account awaits a second person's confirmation: another holder of your role or another administrator.") \
            if exc.code == "awaiting_confirmation" \
            else page._("Unknown account or wrong password.")
        return render(page, "login.html", status=401, errors={"password": message}, name=name)
    except PowcaseError:
        return render(page, "login.html", status=401, errors={"password": page._("Unknown account or wrong password.")}, name=name)
    # Who reset this account, shown once to the first login the owner's password and a second
    # person's confirmation let in: the owner learns of a reset even if someone else chose his password.
    notices = accounts.notices(user)
    response: Response = RedirectResponse("/cases", status_code=303) if not notices \
        else render(page, "login.html", errors={}, name=name, notices=notices)
    set_cookie(response, request, SESSION_COOKIE, token, max_age=int(accounts.policy.session_ttl.total_seconds()))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    page = open_page(request)
    form = await read_form(request)
    if page.session and page.valid_csrf(form):
        page.web.accounts.revoke_token(page.session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_form(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    return render(page, "password.html", errors={})


@router.post("/password")
async def change_password(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return expired_form(page)
    errors: dict[str, str] = {}
    for name in ("old", "new", "repeat"):
        if not form.get(name):
            errors[name] = page._("Required.")
    if not errors and form["new"] != form["repeat"]:
        errors["repeat"] = page._("The two new passwords differ.")
    if not errors:
        try:
            page.web.accounts.change_password(page.office.user.name, form["new"], by=page.office.user, old_password=form["old"])
        except AccessRefused:
            errors["old"] = page._("Wrong password.")
        except InvalidInput as exc:
            errors["new"] = page._("Not accepted:") + " " + str(exc).partition(": ")[2]
    if errors:
        return render(page, "password.html", status=422, errors=errors)
    # Every session of the account ended with the change: sign in again with the new password.
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
async def choose_language(request: Request) -> Response:
    page = open_page(request)
    form = await read_form(request)
    language = form.get("language", "")
    back = form.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    if not page.valid_csrf(form) or language not in LANGUAGES:
        return redirect(page, back)
    if page.office is not None:
        page.office.set_language(language)
    response = redirect(page, back)
    set_cookie(response, request, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response


# --- cases ----------------------------------------------------------------------------------------

VERDICTS = {"permitted": N_("permitted"), "barred": N_("barred"), "needs_facts": N_("needs facts")}


@router.get("/cases")
def case_list(
    request: Request, nationality: str = "", status: str = "", place: str = "", disposition: str = "",
    verdict: str = "", page_no: int = 1,
) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    filters = {"nationality": nationality[:3], "status": status[:20], "place": place[:120],
               "disposition": disposition[:2], "verdict": verdict[:20]}
    rows = office.list_cases(filters["nationality"] or None, filters["place"] or None, filters["status"] or None)
    by_verdict = office.may("determine")
    if by_verdict and filters["disposition"] in {d.value for d in Disposition} and filters["verdict"] in VERDICTS:
        pw = office.pw
        matching = {
            d.case_id for d in office.determine_all(pw.rulebook, pw.today(), pw.context)
            if d.verdict(filters["disposition"]).status.value == filters["verdict"]
        }
        rows = [r for r in rows if r["case_id"] in matching]
    page_no = max(1, page_no)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page_no = min(page_no, pages)
    shown = rows[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]
    return render(
        page, "cases.html", rows=shown, total=len(rows), page_no=page_no, pages=pages, filters=filters,
        statuses=[s.value for s in CaseStatus], dispositions=[d.value for d in Disposition],
        verdicts=VERDICTS, by_verdict=by_verdict, query=_query(filters),
        titles=DISPOSITION_TITLES,
    )


def _query(filters: dict[str, str]) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


DISPOSITION_TITLES = {
    "D1": N_("Repatriation"), "D2": N_("Exchange"), "D3": N_("Direct repatriation of the wounded and sick"),
    "D4": N_("Accommodation in a neutral country"), "D5": N_("Transfer to a third state"),
    "D6": N_("Release"), "D7": N_("Continued internment"),
}


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str, as_of: str = "", resolved: str = "", same_as: str = "") -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    # After the decision "same" on a possible duplicate (conflicts.decide_duplicate): what it did,
    # read back from the closed case's history.
    same = decided(office, same_as[:CASE_MAX], case_id, "same") if same_as else None
    return case_view(page, case_id, _day(as_of) or office.pw.today(), resolved=resolved[:64], same=same)


@dataclass(frozen=True)
class ResolveForm:
    """The resolve form as it was posted, and what was wrong with it (shown on the case page)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    refusal: ExecutionRefused | None = None


def case_view(page: Page, case_id: str, day: date, *, status: int = 200, resolve: ResolveForm | None = None,
              resolved: str = "", same: Decided | None = None) -> HTMLResponse:
    """The case page; with, when the case is in conflict between offices and the reader may read
    its history, both lines side by side and (for a legal officer) the form that resolves it."""
    office = page.office
    assert office is not None  # noqa: S101 - the callers sent anyone else to the login page
    view = office.case_page(case_id, day)
    case, statements, history, determination = view.case, view.statements, view.history, view.determination
    recordable = [c for c in GENERIC_COMMANDS if office.may(record_use_case(c), case_id)]
    others = FieldOffice(office).lines(case_id) if history is not None and not case.erased else []
    return render(
        page, "case.html", status=status, case=case, as_of=day, identity=identity_data(case) if not case.erased else None,
        statements=statements, history=history, event_data=event_data, determination=determination,
        recordable=recordable, can_interview=office.may(record_use_case("interview"), case_id),
        can_override=office.may("record_override", case_id), can_correct=office.may(record_use_case("correction"), case_id), pending=page.web.pending.for_case(case_id),
        cite=split_citation, titles=DISPOSITION_TITLES, verdicts=VERDICTS, errors={},
        documents=printable(office, case_id), document_titles=DOCUMENT_TITLES,
        lines=others, resolve=resolve or ResolveForm(),
        can_resolve=bool(others) and office.may("sync_resolve", case_id) and FieldOffice(office).at_headquarters(),
        notice=_resolution(history, resolved) if resolved else None, same=same,
    )


def _resolution(history: list[RecordedEvent] | None, office_name: str) -> ConflictResolved | None:
    """The resolution a redirect names, if the history holds it (a notice is never taken on trust)."""
    for r in reversed(history or []):
        if isinstance(r.event, ConflictResolved):
            return r.event if r.event.office == office_name else None
    return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/sources/{source_id}")
def source_page(request: Request, source_id: str) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    try:
        source = load_sources().get(source_id)
    except Exception:
        raise NotFound(f"no source {source_id[:40]!r}") from None
    return render(page, "source.html", source=source, marks=MARKS)


MARKS = {
    "CHECKED": N_("wording checked against a copy of the source"),
    "TREATY_TEXT": N_("treaty text, not yet checked word for word"),
    "SECONDARY": N_("secondary source: attributed, never presented as law"),
    "UNCONFIRMED": N_("wording not confirmed"),
}


# --- recording ------------------------------------------------------------------------------------

@router.get("/cases/{case_id}/record/{command}")
def record_form(request: Request, case_id: str, command: str) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    if command == "interview":
        return interview_page(page, case_id, {}, {}, None)
    if command == "correction":
        return correction_page(page, case_id, {}, {})
    if command not in GENERIC_COMMANDS:
        raise NotFound(f"no form {command[:40]!r}")
    office.require(record_use_case(command), case_id)
    fields = forms.form_fields(COMMANDS[command])
    return render(page, "record.html", case_id=case_id, command=command, fields=fields, values={},
                  errors={}, expected_seq=_last_seq(page, case_id), refusal=None)


def _last_seq(page: Page, case_id: str) -> int | None:
    office = page.office
    if office is None or not office.may("history"):
        return None
    return office.history(case_id)[0][-1].seq


@router.post("/cases/{case_id}/record/{command}")
async def record(request: Request, case_id: str, command: str) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    if command == "interview":
        return record_interview(page, case_id, form)
    if command == "correction":
        return record_correction(page, case_id, form)
    if command not in GENERIC_COMMANDS:
        raise NotFound(f"no form {command[:40]!r}")
    office.require(record_use_case(command), case_id)
    model = COMMANDS[command]
    fields = forms.form_fields(model)
    event, errors = forms.validate_event(model, {"type": model.model_fields["type"].default, **forms.read_form(fields, form)}, page._)
    expected = _int(form.get("expected_seq"))
    refusal = None
    status = 422
    if event is not None:
        try:
            office.record(case_id, event, expected)
            return redirect(page, f"/cases/{case_id}")
        except ExecutionRefused as exc:
            refusal, status = exc, 409
            errors = {"form": page._("The execution guard refused this transfer:")}
        except Conflict:
            status = 409
            errors = {"form": page._("Someone recorded on this case since you opened the form; nothing was written. Open the case again.")}
        except InvalidInput as exc:
            errors = forms.input_error(str(exc), {f.name for f in fields}, page._)
        except AccessRefused:
            raise  # the table's refusal (his role, his assignment): the 403 page, as the API's 403
        except NotPermitted as exc:
            status = 409  # refused by the law or the case's state (the sharing gate, a sync conflict)
            errors = {"form": page._("Refused.") + " " + str(exc)}
    return render(page, "record.html", status=status, case_id=case_id, command=command, fields=fields,
                  values=form, errors=errors, expected_seq=expected, refusal=refusal)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


# --- overrides: two legal officers, each on his own session ---------------------------------------

@router.post("/cases/{case_id}/override")
async def propose_override(request: Request, case_id: str) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("record_override", case_id)
    disposition, reason = form.get("disposition", ""), form.get("reason", "").strip()
    if disposition not in {d.value for d in Disposition} or not reason:
        return render(page, "error.html", status=422, title=page._("An override needs a disposition and a reason."), detail="")
    page.web.pending.propose(case_id, disposition, reason, office.pw.today(), office.user.name)
    return redirect(page, f"/cases/{case_id}")


@router.post("/cases/{case_id}/override/{proposal_id}")
async def confirm_override(request: Request, case_id: str, proposal_id: str) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office = posted.page, posted.office
    proposal = page.web.pending.take(proposal_id)
    if proposal is None or proposal.case_id != case_id:
        raise NotFound(f"no pending override {proposal_id[:20]!r}")
    try:
        first = page.web.accounts.get(proposal.proposed_by)
        office.grant_override(case_id, Disposition(proposal.disposition), proposal.reason, second=first, on=proposal.on)
    except PowcaseError:
        page.web.pending.put_back(proposal)
        raise
    return redirect(page, f"/cases/{case_id}")

