"""Who is asking, and is the form really theirs: sessions, bearer tokens, CSRF, security headers.

Pages: the session is an Accounts session token (argon2-checked login, throttled, expiring,
revoked at logout) kept in an HttpOnly, SameSite=Strict cookie, Secure over TLS. The API: the
same bearer tokens as ``POWCASE_TOKEN``; the API never reads the cookie, so a page cannot be
tricked into calling it. Every form carries a CSRF token derived from the session (or, before
login, from a random pre-session cookie) and is refused without it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware

SESSION_COOKIE = "pwc_session"
PRE_SESSION_COOKIE = "pwc_pre"
LANGUAGE_COOKIE = "pwc_lang"
CSRF_FIELD = "csrf"

# No inline script or style anywhere: the pages need no JavaScript at all.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https":
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response


def csrf_token(secret: str) -> str:
    """A token only someone holding the (HttpOnly) cookie's value can compute."""
    return hashlib.sha256(b"powcase-csrf\0" + secret.encode()).hexdigest()[:40]


def check_csrf(secret: str | None, offered: str | None) -> bool:
    return bool(secret and offered) and hmac.compare_digest(csrf_token(secret or ""), offered or "")


def new_pre_session() -> str:
    return secrets.token_urlsafe(24)


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
