"""The administrator's page: every account with its roles and state; disable, enable, end its
sessions and tokens. The Accounts use cases check the permission table and write the access log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.web.session import open_page, read_form, redirect, render, to_login

router = APIRouter(include_in_schema=False)


@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    listed = page.web.accounts.list_users(by=page.office.user)
    return render(page, "accounts.html", accounts=listed)


@router.post("/accounts")
async def account_action(request: Request) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return render(page, "error.html", status=403, title=page._("This form has expired; open the page again."), detail="")
    office.require("user_admin")
    accounts, name, action = page.web.accounts, form.get("name", ""), form.get("action")
    if action == "disable":
        accounts.disable(name, by=office.user)
    elif action == "enable":
        accounts.enable(name, by=office.user)
    elif action == "revoke":
        accounts.revoke_tokens(name, by=office.user)
    return redirect(page, "/accounts")
