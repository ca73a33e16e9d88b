"""A store holding the demo's two soldiers and one account per role, served by the web app.

On both backends (the suite's ``pw`` fixture). Passwords are hashed with cheap argon2 settings:
the tests check who may do what, not the hasher's cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from tests.conftest import FixedClock
from tests.sync.conftest import office_app

from powcase.access.accounts import Accounts
from powcase.access.gate import CONFIRMATION_WINDOW
from powcase.app import sync
from powcase.app.office import open_office
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.store import schema
from powcase.store.engine import make_engine
from powcase.sync.identity import FIELD
from powcase.web import create_app

PASSWORD = "correct horse battery staple"
FIRST_PASSWORD = "set by the administrator"
ROLES = {
    "admin": "administrator", "registrar": "registrar", "interviewer": "interviewer",
    "legal": "legal_officer", "legal2": "legal_officer", "observer": "neutral_observer", "auditor": "auditor",
}
KOR1, KOR2 = "PW-DEMO-KOR1", "PW-DEMO-KOR2"


@dataclass
class Site:
    pw: Powcase
    accounts: Accounts
    tokens: dict[str, str]

    app: FastAPI | None = None

    def client(self) -> TestClient:
        """A new browser (its own cookies) on the one running app."""
        if self.app is None:
            self.app = create_app(self.pw, self.accounts)
        return TestClient(self.app, base_url="http://127.0.0.1")

    def api(self, name: str) -> TestClient:
        client = self.client()
        client.headers["Authorization"] = f"Bearer {self.tokens[name]}"
        return client

    def browser(self, name: str) -> TestClient:
        """A client logged in on the pages as ``name``."""
        client = self.client()
        response = client.post("/login", data={"csrf": csrf(client.get("/login")), "name": name, "password": PASSWORD},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        return client


def csrf(response: Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture
def site(pw: Powcase) -> Site:
    pw.context = Context.model_validate(CONTEXT)
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock,
                        hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    admin = accounts.add_user("admin", PASSWORD, ["administrator"], by=None)
    users = {"admin": admin}
    for name, role in ROLES.items():
        if name != "admin":
            users[name] = accounts.add_user(name, FIRST_PASSWORD, [role], by=admin)
            # Each owner chooses his own password: one the administrator set cannot act in a two-person rule.
            accounts.change_own_password(name, FIRST_PASSWORD, PASSWORD)
    open_office(pw, users["registrar"]).import_casefiles(parse_casefiles({"cases": the_two_soldiers()}, "test"))
    accounts.assign_observer("observer", KOR2, by=users["legal"])
    # Past the window in which accounts founded by the same administrator may not act together.
    pw.clock.moment += CONFIRMATION_WINDOW + timedelta(days=1)  # type: ignore[attr-defined]
    tokens = {name: accounts.issue_token(user, "api") for name, user in users.items()}
    return Site(pw, accounts, tokens)


@pytest.fixture(scope="session")
def axe() -> str | None:
    """axe-core's source, for the browser tests' accessibility checks (tests/web/browsing.py)."""
    from tests.web.browsing import axe_source

    return axe_source()


@dataclass
class Joined:
    """A field office joined to the ``site`` (headquarters): its own store, and the two
    fingerprints read out at enrolment (its own as headquarters printed it, and headquarters')."""

    pw: Powcase
    fingerprint: str
    hq_fingerprint: str


@pytest.fixture
def joined_field(site: Site, tmp_path: Path) -> Iterator[Joined]:
    """CAMP-NORTH, on an SQLite file of its own, enrolled by headquarters with the first soldier."""
    engine = make_engine(f"sqlite:///{tmp_path / 'field.db'}")
    schema.upgrade(engine)
    field = office_app(engine, FixedClock(site.pw.clock()))
    identity = sync.make_identity(field, "CAMP-NORTH", FIELD)
    package, theirs, hq_print = sync.enrol(site.pw, sync.enrolment_request(identity), [KOR1])
    sync.join(field, package, hq_print, "field-admin")
    yield Joined(field, theirs, hq_print)
    engine.dispose()


@pytest.fixture
def field_office(joined_field: Joined) -> Powcase:
    return joined_field.pw
