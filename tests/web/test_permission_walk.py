"""Every role walks every page and API route: reachable exactly where the permission table says,
and no personal data in any answer to a role that may not read it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from httpx import Response
from tests.conftest import Backend
from tests.web.conftest import KOR1, KOR2, ROLES, Site, csrf

from powcase.access.permissions import PERMISSIONS, AccessRefused, authorize
from powcase.store import schema
from powcase.store.engine import make_engine
from powcase.web.pages import GENERIC_COMMANDS

# What each route does, in the table's words (None: no case data, open to anyone logged in).
ROUTES: dict[tuple[str, str], tuple[str, ...] | None] = {
    ("GET", "/"): None, ("GET", "/login"): None, ("POST", "/login"): None, ("POST", "/logout"): None,
    ("GET", "/password"): None, ("POST", "/password"): None, ("POST", "/language"): ("set_language",),
    ("GET", "/cases"): ("list_pseudonymised",), ("GET", "/cases/{case_id}"): ("show_identity",),
    ("GET", "/cases/{case_id}/record/{command}"): ("record_*",), ("POST", "/cases/{case_id}/record/{command}"): ("record_*",),
    ("POST", "/cases/{case_id}/override"): ("record_override",),
    ("POST", "/cases/{case_id}/override/{proposal_id}"): ("record_override",),
    ("GET", "/sources/{source_id}"): None, ("GET", "/trace"): ("trace_search",), ("POST", "/trace"): ("trace_search",),
    ("GET", "/accounts"): ("user_admin",), ("POST", "/accounts"): ("user_admin",),
    ("POST", "/accounts/add"): ("user_admin",), ("POST", "/accounts/roles"): ("user_admin",),
    ("POST", "/accounts/reset"): ("user_reset_password",),
    ("GET", "/accounts/confirm"): ("user_confirm",), ("POST", "/accounts/confirm"): ("user_confirm",),
    ("GET", "/password/own"): None, ("POST", "/password/own"): None,
    ("GET", "/register"): ("register",), ("POST", "/register"): ("register",),
    ("GET", "/audit"): ("audit_verify",), ("POST", "/audit"): ("audit_verify",),
    ("GET", "/audit/verify/{job_id}"): ("audit_verify",),
    ("GET", "/deadlines"): ("deadlines",), ("GET", "/api/v1/deadlines"): ("deadlines",),
    ("GET", "/cases/{case_id}/documents"): ("print_document",),
    ("GET", "/exchange"): ("trace_search", "determine"), ("POST", "/exchange"): ("trace_search", "determine"),
    ("POST", "/exchange/report"): ("trace_search", "determine"),
    ("GET", "/api/v1/me"): None, ("GET", "/api/v1/cases"): ("list_pseudonymised",),
    ("GET", "/api/v1/cases/{case_id}"): ("show_identity",), ("GET", "/api/v1/cases/{case_id}/history"): ("history",),
    ("GET", "/api/v1/cases/{case_id}/determination"): ("determine",),
    ("POST", "/api/v1/cases/{case_id}/events"): ("record_*",),
    ("POST", "/api/v1/cases/{case_id}/interview-preview"): ("record_interview", "determine"),
    ("POST", "/api/v1/trace"): ("trace_search",), ("GET", "/api/v1/sources/{source_id}"): None,
    ("GET", "/conflicts"): ("sync_conflicts",), ("GET", "/api/v1/conflicts"): ("sync_conflicts",),
    ("POST", "/cases/{case_id}/resolve"): ("sync_resolve",), ("POST", "/api/v1/cases/{case_id}/resolve"): ("sync_resolve",),
    ("POST", "/cases/{case_id}/duplicate"): ("sync_duplicate",), ("POST", "/api/v1/cases/{case_id}/duplicate"): ("sync_duplicate",),
    ("GET", "/offices"): ("field_list",), ("GET", "/api/v1/offices"): ("field_list",),
}
# His name, birth date, service number and words, as the two soldiers' case files hold them.
PERSONAL = ("은철", "Un Chol", "2000-05-14", "KPA-4471-0932", "명수", "Myong Su", "2004-08-02", "KPA-5120-1178")
WORDS = ("남조선으로 가고 싶습니다", "I want to go to South Korea", "시간이 더 필요합니다", "I need more time")


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    """The walk asks the routes, not the storage: SQLite only (the other web tests run on both)."""
    url = f"sqlite:///{tmp_path / 'powcase.db'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    yield Backend("sqlite", url, engine)
    engine.dispose()


def test_every_route_of_the_app_is_in_this_walk(site: Site) -> None:
    site.client()
    assert site.app is not None
    routes = {(m, r.path) for r in _routes(site.app.routes) for m in r.methods}
    assert routes == set(ROUTES)


def _routes(routes: list[Any]) -> list[APIRoute]:
    """Every endpoint, looking inside included routers (however FastAPI wraps them)."""
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        else:
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            if inner is not None:
                out += _routes(list(inner.routes))
    return out


def allowed(site: Site, role: str, use_cases: tuple[str, ...], case_id: str | None) -> bool:
    user = site.accounts.get(role)
    try:
        for use_case in use_cases:
            authorize(user, use_case, case_id)
    except AccessRefused:
        return False
    return True


@pytest.mark.parametrize("role", [r for r in ROLES if r != "legal2"])
def test_each_role_reaches_exactly_what_the_table_allows_and_sees_no_personal_data_it_may_not(site: Site, role: str) -> None:
    page, api = site.browser(role), site.api(role)
    token = csrf(page.get("/password"))
    checks: list[tuple[str, tuple[str, ...], str | None, Callable[[], Response]]] = []
    for case_id in (KOR1, KOR2):
        checks += [
            ("page", ("show_identity",), case_id, lambda c=case_id: page.get(f"/cases/{c}")),
            ("api", ("show_identity",), case_id, lambda c=case_id: api.get(f"/api/v1/cases/{c}")),
            ("api", ("history",), case_id, lambda c=case_id: api.get(f"/api/v1/cases/{c}/history")),
            ("api", ("determine",), case_id, lambda c=case_id: api.get(f"/api/v1/cases/{c}/determination?as_of=2025-04-01")),
            ("api", ("record_interview", "determine"), case_id,
             lambda c=case_id: api.post(f"/api/v1/cases/{c}/interview-preview", json={"occurred_on": "2025-04-02"})),
            ("page", ("record_override",), case_id,
             lambda c=case_id: page.post(f"/cases/{c}/override", data={"csrf": token})),
            # No conflict in this store (nor an office identity): allowed roles are told so (422), nothing is written.
            ("page", ("sync_resolve",), case_id, lambda c=case_id: page.post(
                f"/cases/{c}/resolve", data={"csrf": token, "office": "CAMP-NORTH", "reason": "Both lines hold."})),
            ("api", ("sync_resolve",), case_id, lambda c=case_id: api.post(
                f"/api/v1/cases/{c}/resolve", json={"office": "CAMP-NORTH", "reason": "Both lines hold."})),
            # No possible duplicate either: allowed roles are told so (422: not headquarters), nothing is written.
            ("page", ("sync_duplicate",), case_id, lambda c=case_id: page.post(
                f"/cases/{c}/duplicate", data={"csrf": token, "other": KOR1, "decision": "same", "reason": "Same man."})),
            ("api", ("sync_duplicate",), case_id, lambda c=case_id: api.post(
                f"/api/v1/cases/{c}/duplicate", json={"other_case_id": KOR1, "decision": "same", "reason": "Same man."})),
        ]
        if case_id != KOR2:
            continue  # recording is not limited to assigned cases: one case shows who may record
        for command in (*GENERIC_COMMANDS, "interview", "correction"):
            use = (f"record_{command.replace('-', '_')}",)
            checks += [
                ("page", use, case_id, lambda c=case_id, m=command: page.get(f"/cases/{c}/record/{m}")),
                # Deliberately incomplete: allowed roles get a form error, refused ones a refusal; nothing is written.
                ("page", use, case_id, lambda c=case_id, m=command: page.post(f"/cases/{c}/record/{m}", data={"csrf": token})),
            ]
        # One document that needs no right beyond printing (a PDF each: one case is enough).
        checks.append(("page", ("print_document",), case_id,
                       lambda c=case_id: page.get(f"/cases/{c}/documents?kind=notice")))
        checks.append(("api", ("record_third_state_answer",), case_id, lambda c=case_id: api.post(
            f"/api/v1/cases/{c}/events", json={"event": {"type": "third_state_answered"}})))
    checks += [
        ("page", ("list_pseudonymised",), None, lambda: page.get("/cases")),
        ("api", ("list_pseudonymised",), None, lambda: api.get("/api/v1/cases")),
        ("page", ("trace_search",), None, lambda: page.get("/trace")),
        ("page", ("trace_search",), None, lambda: page.post("/trace", data={"csrf": token, "name": "Pak Un Chol"})),
        ("api", ("trace_search",), None, lambda: api.post("/api/v1/trace", json={"name": "Pak Un Chol"})),
        ("page", ("user_admin",), None, lambda: page.get("/accounts")),
        ("page", ("user_admin",), None, lambda: page.post("/accounts", data={"csrf": token, "name": "observer", "action": "enable"})),
        ("page", ("user_admin",), None, lambda: page.post("/accounts/add", data={"csrf": token})),
        ("page", ("user_admin",), None, lambda: page.post("/accounts/roles", data={"csrf": token, "name": "observer"})),
        ("page", ("user_reset_password",), None,
         lambda: page.post("/accounts/reset", data={"csrf": token, "name": "observer", "password": ""})),
        ("page", ("user_confirm",), None, lambda: page.get("/accounts/confirm")),
        ("page", ("user_confirm",), None, lambda: page.post("/accounts/confirm", data={"csrf": token, "name": "observer"})),
        ("page", ("register",), None, lambda: page.get("/register")),
        ("page", ("register",), None, lambda: page.post("/register", data={"csrf": token})),
        ("page", ("audit_verify",), None, lambda: page.get("/audit")),
        ("page", ("deadlines",), None, lambda: page.get("/deadlines")),
        # A job number nobody started: allowed roles hear "not found" (404), the others are refused first.
        ("page", ("audit_verify",), None, lambda: page.get("/audit/verify/VJ-0")),
        ("page", ("trace_search", "determine"), None, lambda: page.get("/exchange")),
        ("page", ("trace_search", "determine"), None, lambda: page.post("/exchange", data={"csrf": token})),
        ("page", ("trace_search", "determine"), None,
         lambda: page.post("/exchange/report", data={"csrf": token, "plan_id": "XP-0", "format": "pdf"})),
        ("api", ("deadlines",), None, lambda: api.get("/api/v1/deadlines")),
        ("page", ("sync_conflicts",), None, lambda: page.get("/conflicts")),
        ("api", ("sync_conflicts",), None, lambda: api.get("/api/v1/conflicts")),
        ("page", ("field_list",), None, lambda: page.get("/offices")),
        ("api", ("field_list",), None, lambda: api.get("/api/v1/offices")),
        ("page", ("audit_verify",), None, lambda: page.post("/audit", data={"csrf": token, "action": "verify"})),
    ]
    before = {c: len(site.pw.history(c)) for c in (KOR1, KOR2)}
    reachable_refused = []
    for kind, use_cases, case_id, call in checks:
        response = call()
        may = allowed(site, role, use_cases, case_id)
        assert response.status_code < 500, (kind, use_cases, case_id, response.status_code)
        if not may:
            if response.status_code != 403:
                reachable_refused.append((kind, use_cases, case_id, response.status_code))
        else:
            unknown_job = response.status_code == 404 and "/audit/verify/VJ-0" in str(response.url)
            assert response.status_code in (200, 409, 422) or unknown_job, (kind, use_cases, case_id, response.status_code)
        # Identity is for roles that may read it on this case, or by a use case that reads it (tracing).
        identity_ok = (case_id is not None and allowed(site, role, ("show_identity",), case_id)) or (
            may and any("identity" in PERMISSIONS[u].reads for u in use_cases)) or (
            # The deadlines name a man only to a role that may read identity across the register.
            use_cases == ("deadlines",) and allowed(site, role, ("show_identity",), None))
        if not identity_ok:
            leaked = [p for p in PERSONAL if p in response.text]
            assert not leaked, (kind, use_cases, case_id, leaked)
        if not (case_id is not None and allowed(site, role, ("show_statements",), case_id)):
            assert not [w for w in WORDS if w in response.text], (kind, use_cases, case_id)
    assert reachable_refused == []
    assert {c: len(site.pw.history(c)) for c in (KOR1, KOR2)} == before
