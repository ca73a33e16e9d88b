"""The administrator's page: every account with its roles and state; disable, enable, end its
sessions and tokens. The Accounts use cases check the permission table and write the access log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.access.permissions import AccessRefused, Role
from powcase.errors import InvalidInput, NotFound
from powcase.web.i18n import N_
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

router = APIRouter(include_in_schema=False)


@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    listed = page.web.accounts.list_users(by=page.office.user)
    return render(page, "accounts.html", accounts=listed, errors={}, values={}, roles=ROLES, role_words=ROLE_WORDS)


@router.post("/accounts")
async def account_action(request: Request) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("user_admin")
    accounts, name, action = page.web.accounts, form.get("name", ""), form.get("action")
    if action == "disable":
        accounts.disable(name, by=office.user)
    elif action == "enable":
        accounts.enable(name, by=office.user)
    elif action == "revoke":
        accounts.revoke_tokens(name, by=office.user)
    return redirect(page, "/accounts")


# --- adding accounts, roles, resets: the administrator's; confirming: a second person's --------------

ROLES = tuple(role.value for role in Role)
ROLE_WORDS = {
    Role.REGISTRAR.value: N_("registrar"), Role.INTERVIEWER.value: N_("interviewer"),
    Role.LEGAL_OFFICER.value: N_("legal officer"), Role.NEUTRAL_OBSERVER.value: N_("neutral observer"),
    Role.AUDITOR.value: N_("auditor"), Role.ADMINISTRATOR.value: N_("administrator"),
}


def _accounts_page(page: Page, errors: dict[str, str], values: dict[str, Any], status: int = 422) -> Response:
    assert page.office is not None  # noqa: S101 - the callers sent anyone else to the login page
    listed = page.web.accounts.list_users(by=page.office.user)
    return render(page, "accounts.html", status=status, accounts=listed, errors=errors, values=values,
                  roles=ROLES, role_words=ROLE_WORDS)


def _refused_input(exc: AccessRefused) -> bool:
    """A refusal that is about what was typed (a role unknown or not allowed with another), not who asks."""
    return str(exc).startswith(("role:", "user confirm:"))


def _field_error(page: Page, exc: Exception, default: str) -> dict[str, str]:
    field, sep, text = str(exc).partition(": ")
    field = {"name": "name", "password": "password", "role": "roles"}.get(field, default) if sep else default
    return {field: page._("Not accepted:") + " " + (text if sep and field != default else str(exc))}


async def _admin_form(request: Request) -> tuple[Page, dict[str, Any]] | Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    async with request.form() as form:
        fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
        fields["roles"] = [str(v) for v in form.getlist("roles")]
    if not page.valid_csrf(fields):
        return expired_form(page)
    return page, fields


@router.post("/accounts/add")
async def add_account(request: Request) -> Response:
    opened = await _admin_form(request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    office = page.office
    assert office is not None  # noqa: S101 - _admin_form sent anyone else to the login page
    office.require("user_admin")
    errors: dict[str, str] = {}
    name, password = form.get("name", "").strip(), form.get("password", "")
    if not name:
        errors["name"] = page._("Required.")
    if not password:
        errors["password"] = page._("Required.")
    if not form["roles"]:
        errors["roles"] = page._("Choose at least one role.")
    if not errors:
        try:
            page.web.accounts.add_user(name, password, form["roles"], by=office.user)
            return redirect(page, "/accounts")
        except AccessRefused as exc:
            if not _refused_input(exc):
                raise
            errors = _field_error(page, exc, "roles")
        except InvalidInput as exc:
            errors = _field_error(page, exc, "name")
    return _accounts_page(page, errors, {"name": name, "roles": form["roles"]})


@router.post("/accounts/roles")
async def set_roles(request: Request) -> Response:
    opened = await _admin_form(request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    office = page.office
    assert office is not None  # noqa: S101 - _admin_form sent anyone else to the login page
    office.require("user_admin")
    name = form.get("name", "")
    try:
        page.web.accounts.set_roles(name, form["roles"], by=office.user)
    except AccessRefused as exc:
        if not _refused_input(exc):
            raise
        return _accounts_page(page, {f"roles-{name}": page._("Not accepted:") + " " + str(exc)}, {})
    except InvalidInput as exc:
        return _accounts_page(page, {f"roles-{name}": page._("Not accepted:") + " " + str(exc)}, {})
    return redirect(page, "/accounts")


@router.post("/accounts/reset")
async def reset_password(request: Request) -> Response:
    opened = await _admin_form(request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    office = page.office
    assert office is not None  # noqa: S101 - _admin_form sent anyone else to the login page
    office.require("user_reset_password")
    name, password = form.get("name", ""), form.get("password", "")
    if name == office.user.name:
        return _accounts_page(page, {f"reset-{name}": page._("Change your own password on its own page.")}, {})
    if not password:
        return _accounts_page(page, {f"reset-{name}": page._("Required.")}, {})
    try:
        page.web.accounts.change_password(name, password, by=office.user)
    except InvalidInput as exc:
        return _accounts_page(page, {f"reset-{name}": page._("Not accepted:") + " " + str(exc).partition(": ")[2]}, {})
    return redirect(page, "/accounts")


@router.get("/accounts/confirm")
def confirm_form(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    page.office.require("user_confirm")
    return render(page, "confirm.html", errors={}, name="", done=None)


@router.post("/accounts/confirm")
async def confirm(request: Request) -> Response:
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    page, office, form = posted.page, posted.office, posted.form
    office.require("user_confirm")
    name = form.get("name", "").strip()
    if not name:
        return render(page, "confirm.html", status=422, errors={"name": page._("Required.")}, name=name, done=None)
    try:
        page.web.accounts.confirm(name, by=office.user)
    except AccessRefused as exc:
        if not _refused_input(exc):
            raise
        return render(page, "confirm.html", status=409, errors={"name": page._("Refused.") + " " + str(exc)}, name=name, done=None)
    except NotFound:
        return render(page, "confirm.html", status=422, errors={"name": page._("No such account.")}, name=name, done=None)
    return render(page, "confirm.html", errors={}, name="", done=name)


# --- after a reset: the owner chooses his own password before he may log in ----------------------


@router.get("/password/own")
def own_password_form(request: Request) -> Response:
    page = open_page(request)
    return render(page, "own_password.html", errors={}, name="")


@router.post("/password/own")
async def own_password(request: Request) -> Response:
    page = open_page(request)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return expired_form(page)
    name = form.get("name", "").strip()
    errors = {field: page._("Required.") for field in ("name", "old", "new", "repeat") if not form.get(field)}
    if not errors and form["new"] != form["repeat"]:
        errors["repeat"] = page._("The two new passwords differ.")
    if not errors:
        try:
            page.web.accounts.change_own_password(name, form["old"], form["new"])
        except AccessRefused as exc:
            errors["old"] = page._("Your account is locked after repeated failed logins; try again later.") \
                if exc.code == "locked" else page._("Unknown account or wrong password.")
        except InvalidInput as exc:
            errors["new"] = page._("Not accepted:") + " " + str(exc).partition(": ")[2]
    if errors:
        return render(page, "own_password.html", status=422, errors=errors, name=name)
    return redirect(page, "/login")
