"""One page request: who is asking (from the session cookie), in which language, and the CSRF
token for its forms; and the rendering of a template with all of that."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from powcase.access.permissions import AccessRefused
from powcase.app.office import Office
from powcase.web.i18n import LANGUAGE_NAMES, Translator, negotiate, translator
from powcase.web.security import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    new_pre_session,
    set_cookie,
)
from powcase.web.state import WebState


@dataclass
class Page:
    request: Request
    web: WebState
    office: Office | None
    session: str | None
    t: Translator
    secret: str
    new_pre_session: bool

    @property
    def csrf(self) -> str:
        return csrf_token(self.secret)

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def valid_csrf(self, form: dict[str, str]) -> bool:
        return check_csrf(self.secret, form.get(CSRF_FIELD))


def open_page(request: Request) -> Page:
    web: WebState = request.app.state.web
    token = request.cookies.get(SESSION_COOKIE)
    office = None
    if token:
        try:
            office = Office(web.pw, web.accounts, web.accounts.authenticate_token(token))
        except AccessRefused:
            token = None
    language = (office.language() if office else None) or request.cookies.get(LANGUAGE_COOKIE) \
        or negotiate(request.headers.get("accept-language"))
    pre = request.cookies.get(PRE_SESSION_COOKIE)
    secret = token or pre or new_pre_session()
    return Page(request, web, office, token, translator(language), secret, new_pre_session=not token and not pre)


def render(page: Page, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = page.web.templates.get_template(template).render(
        _=page.t.gettext, t=page.t, lang=page.t.language, csrf=page.csrf,
        user=page.office.user if page.office else None, here=page.request.url.path,
        languages=LANGUAGE_NAMES, may=page.office.may if page.office else _nobody, **context,
    )
    response = HTMLResponse(html, status_code=status)
    keep(page, response)
    return response


def _nobody(use_case: str, case_id: str | None = None) -> bool:
    return False


def keep(page: Page, response: Response) -> None:
    if page.new_pre_session:
        set_cookie(response, page.request, PRE_SESSION_COOKIE, page.secret)


def redirect(page: Page, to: str) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    keep(page, response)
    return response


def to_login(page: Page) -> RedirectResponse:
    return redirect(page, "/login")


async def read_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def expired_form(page: Page) -> HTMLResponse:
    """A form without a valid CSRF token: nothing is done, and the person is told why."""
    return render(page, "error.html", status=403, title=page._("This form has expired; open the page again."), detail="")


@dataclass(frozen=True)
class Posted:
    page: Page
    office: Office
    form: dict[str, str]


async def posted_form(request: Request) -> Posted | Response:
    """A form posted by a logged-in person with a valid CSRF token, or the answer to send instead
    (the login page, or the expired-form page): every form that acts goes through here."""
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    form = await read_form(request)
    if not page.valid_csrf(form):
        return expired_form(page)
    return Posted(page, page.office, form)
