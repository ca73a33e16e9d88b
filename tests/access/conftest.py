"""Fixtures of the access tests: accounts over each backend, and a user per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import Backend, FixedClock

from powcase.access.accounts import Accounts
from powcase.access.gate import AccessGate
from powcase.access.permissions import User
from powcase.store.crypto import MasterKey


@pytest.fixture
def accounts(backend: Backend, master_key: MasterKey, clock: FixedClock) -> Accounts:
    return Accounts(backend.engine, master_key, clock, hasher=FAST_HASHER)


@pytest.fixture
def gate(backend: Backend, master_key: MasterKey, clock: FixedClock) -> AccessGate:
    return AccessGate(backend.engine, master_key, clock)


@pytest.fixture
def admin(accounts: Accounts) -> User:
    return accounts.add_user("admin-a", PASSWORD, ["administrator"], by=None)


@pytest.fixture
def make_user(accounts: Accounts, admin: User) -> Callable[..., User]:
    def make(name: str, *roles: str) -> User:
        return accounts.add_user(name, PASSWORD, list(roles), by=admin)

    return make
