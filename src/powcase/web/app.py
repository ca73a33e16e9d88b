"""The application factory: one FastAPI app serving the JSON API under /api/v1 and the pages.

Both go through :class:`powcase.app.office.Office`: the permission table, the access log, the
sharing gate and the execution guard apply exactly as on the command line. The web layer reads
no table itself; it authenticates (Accounts), renders and translates.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from powcase.access.accounts import Accounts
from powcase.app.service import Powcase
from powcase.errors import PowcaseError
from powcase.web import accounts as account_pages
from powcase.web import (
    api,
    audit,
    conflicts,
    deadlines,
    documents,
    exchange,
    offices,
    pages,
    problems,
    register,
    tracing,
)
from powcase.web.security import SecurityHeaders
from powcase.web.state import HERE, WebState, templates
from powcase.web.verification import VerifyJobs


def create_app(pw: Powcase, accounts: Accounts | None = None) -> FastAPI:
    app = FastAPI(
        title="powcase",
        version="1",
        description="Casework for prisoners of war: the same use cases and permissions as the CLI.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = WebState(pw, accounts or Accounts(pw.store.engine, pw.store.master_key, pw.clock), templates())
    app.state.exchange_plans = exchange.HeldPlans()
    app.state.verify_jobs = VerifyJobs()
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(audit.router)
    app.include_router(tracing.router)
    app.include_router(register.router)
    app.include_router(account_pages.router)
    app.include_router(deadlines.router)
    app.include_router(deadlines.api_router)
    app.include_router(documents.router)
    app.include_router(exchange.router)
    app.include_router(conflicts.router)
    app.include_router(conflicts.api_router)
    app.include_router(offices.router)
    app.include_router(offices.api_router)

    async def on_powcase_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return problems.from_error(exc)
        return pages.error_page(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        detail = "the request does not match the API"
        if isinstance(exc, RequestValidationError) and exc.errors():
            err = exc.errors()[0]
            detail = ".".join(str(p) for p in err.get("loc", ())) + ": " + str(err.get("msg", "invalid"))
        if request.url.path.startswith("/api/"):
            return problems.problem(422, "invalid", "Invalid request", detail)
        return pages.error_page(request, exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, StarletteHTTPException) else 400
        if request.url.path.startswith("/api/") or status == 405:
            title = {404: "Not found", 405: "Method not allowed"}.get(status, "Bad request")
            response: JSONResponse = problems.problem(status, "http", title, str(getattr(exc, "detail", title)))
            return response
        return pages.error_page(request, exc, status)

    app.add_exception_handler(PowcaseError, on_powcase_error)
    app.add_exception_handler(ValidationError, on_powcase_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    return app
