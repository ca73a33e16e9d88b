"""API errors as RFC 9457 problem details: a type, a title, a status and one clear line.

Every error powcase raises on purpose maps to a 4xx here; a malformed request is a 400 or 422,
never a 500. Messages carry case ids and field names, never a person's name (errors.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from powcase.access.permissions import AccessRefused
from powcase.domain.case import first_error
from powcase.errors import (
    Conflict,
    IntegrityFailure,
    InvalidInput,
    KeyUnavailable,
    NotFound,
    NotPermitted,
    PowcaseError,
)
from powcase.law import ExecutionRefused

PROBLEM = "application/problem+json"
_BASE = "https://powcase.invalid/problems/"


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": _BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def from_error(exc: Exception) -> JSONResponse:
    if isinstance(exc, ExecutionRefused):
        verdict = exc.verdict
        return problem(
            409, "execution-refused", "Refused by the execution guard", str(exc),
            reasons=[{"rule": r.rule, "text": r.text, "sources": list(r.sources)} for r in verdict.reasons],
            missing=[m.text for m in verdict.missing],
        )
    if isinstance(exc, AccessRefused):
        status = 401 if exc.code.startswith("token") or exc.code in ("not_logged_in", "wrong_password") else 403
        return problem(status, "refused", "Refused", str(exc), code=exc.code)
    if isinstance(exc, NotPermitted):
        return problem(409, "not-permitted", "Not permitted", str(exc))
    if isinstance(exc, Conflict):
        return problem(409, "conflict", "The case changed since you read it", str(exc))
    if isinstance(exc, NotFound):
        return problem(404, "not-found", "Not found", str(exc))
    if isinstance(exc, KeyUnavailable):
        return problem(410, "key-unavailable", "Erased or key missing", str(exc))
    if isinstance(exc, IntegrityFailure):
        return problem(409, "integrity", "Integrity failure", str(exc))
    if isinstance(exc, ValidationError):
        return problem(422, "invalid", "Invalid input", first_error(exc))
    if isinstance(exc, InvalidInput | PowcaseError):
        return problem(422, "invalid", "Invalid input", str(exc))
    return problem(400, "bad-request", "Bad request", "the request could not be read")


async def handle(request: Request, exc: Exception) -> JSONResponse:
    return from_error(exc)
