"""Accounts: one person one account, argon2id, throttled logins, expiring and revocable tokens."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from tests.access.helpers import PASSWORD
from tests.conftest import Backend, FixedClock
from tests.factories import person

from powcase.access import audit
from powcase.access.accounts import Accounts, token_digest
from powcase.access.permissions import AccessRefused, Role, User
from powcase.access.session import clear_session, read_session, session_path, write_session
from powcase.access.tables import api_tokens, users
from powcase.app.service import Powcase
from powcase.errors import InvalidInput, NotFound
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore


def _log(backend: Backend) -> list[audit.AccessRecord]:
    with backend.engine.begin() as conn:
        return audit.show(conn)


def test_the_first_account_is_an_administrator_and_needs_nobody(accounts: Accounts) -> None:
    with pytest.raises(InvalidInput, match="first account must be an administrator"):
        accounts.add_user("reg-a", PASSWORD, ["registrar"], by=None)
    admin = accounts.add_user("admin-a", PASSWORD, ["administrator"], by=None)
    assert admin.roles == {Role.ADMINISTRATOR}
    with pytest.raises(AccessRefused, match="only an administrator"):
        accounts.add_user("admin-b", PASSWORD, ["administrator"], by=None)


def test_passwords_are_stored_as_argon2id_hashes(backend: Backend, accounts: Accounts, admin: User) -> None:
    with backend.engine.begin() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_names_are_unique_ignoring_case(accounts: Accounts, make_user: Callable[..., User]) -> None:
    make_user("Kim.Registrar", "registrar")
    with pytest.raises(InvalidInput, match="exists already"):
        make_user("kim.registrar", "interviewer")
    assert accounts.get("KIM.REGISTRAR").name == "Kim.Registrar"
    with pytest.raises(InvalidInput, match="no spaces"):
        make_user("two words", "registrar")


def test_only_an_administrator_manages_accounts(
    backend: Backend, accounts: Accounts, make_user: Callable[..., User]
) -> None:
    legal = make_user("legal-a", "legal_officer")
    with pytest.raises(AccessRefused, match="may not user_admin"):
        accounts.add_user("sneaky", PASSWORD, ["legal_officer"], by=legal)
    last = _log(backend)[-1]
    assert (last.actor, last.action, last.outcome, last.reason) == ("legal-a", "user_admin", "refused", "role")
    with pytest.raises(NotFound):
        accounts.get("sneaky")


def test_weak_passwords_are_refused(make_user: Callable[..., User], accounts: Accounts, admin: User) -> None:
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.add_user("reg-b", "short", ["registrar"], by=admin)
    with pytest.raises(InvalidInput, match="too easy"):
        accounts.add_user("reg-b", "aaaaaaaaaaaaaa", ["registrar"], by=admin)


def test_login_and_disable(backend: Backend, accounts: Accounts, admin: User, make_user: Callable[..., User]) -> None:
    make_user("reg-a", "registrar")
    assert accounts.login("REG-A", PASSWORD).name == "reg-a"
    accounts.disable("reg-a", by=admin)
    with pytest.raises(AccessRefused, match="disabled") as exc:
        accounts.login("reg-a", PASSWORD)
    assert exc.value.code == "disabled"
    accounts.enable("reg-a", by=admin)
    assert accounts.login("reg-a", PASSWORD).name == "reg-a"
    outcomes = [(r.actor, r.action, r.outcome) for r in _log(backend) if r.action == "login"]
    assert outcomes == [("reg-a", "login", "allowed"), ("reg-a", "login", "refused"), ("reg-a", "login", "allowed")]


def test_the_last_administrator_cannot_be_disabled(accounts: Accounts, admin: User) -> None:
    with pytest.raises(InvalidInput, match="last enabled administrator"):
        accounts.disable("admin-a", by=admin)
    with pytest.raises(InvalidInput, match="last enabled administrator"):
        accounts.set_roles("admin-a", ["auditor"], by=admin)


def test_unknown_names_and_wrong_passwords_get_the_same_answer(backend: Backend, accounts: Accounts, admin: User) -> None:
    with pytest.raises(AccessRefused) as unknown:
        accounts.login("nobody", PASSWORD)
    with pytest.raises(AccessRefused) as wrong:
        accounts.login("admin-a", "not the password at all")
    assert str(unknown.value) == str(wrong.value)
    actors = [r.actor for r in _log(backend) if r.action == "login"]
    # The name typed for an unknown account is not kept: it may be a password typed in the wrong box.
    assert actors == [audit.UNKNOWN_ACTOR, "admin-a"]


def test_five_failures_lock_the_account_for_fifteen_minutes(
    accounts: Accounts, clock: FixedClock, make_user: Callable[..., User]
) -> None:
    make_user("reg-a", "registrar")
    for _ in range(5):
        clock.moment += timedelta(minutes=1)
        with pytest.raises(AccessRefused, match="wrong password"):
            accounts.login("reg-a", "wrong password here")
    with pytest.raises(AccessRefused, match="locked") as exc:
        accounts.login("reg-a", PASSWORD)  # even the right password, while locked
    assert exc.value.code == "locked"
    clock.moment += timedelta(minutes=14)
    with pytest.raises(AccessRefused, match="locked"):
        accounts.login("reg-a", PASSWORD)
    clock.moment += timedelta(minutes=1, seconds=1)
    assert accounts.login("reg-a", PASSWORD).name == "reg-a"


def test_failures_spread_beyond_the_window_do_not_lock(
    accounts: Accounts, clock: FixedClock, make_user: Callable[..., User]
) -> None:
    make_user("reg-a", "registrar")
    for _ in range(8):
        clock.moment += timedelta(minutes=4)
        with pytest.raises(AccessRefused, match="wrong password"):
            accounts.login("reg-a", "wrong password here")
    # 4 failures per 15-minute window at most: never 5 in one, so never locked.
    assert accounts.login("reg-a", PASSWORD).name == "reg-a"


def test_a_success_resets_the_count(accounts: Accounts, clock: FixedClock, make_user: Callable[..., User]) -> None:
    make_user("reg-a", "registrar")
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(AccessRefused):
                accounts.login("reg-a", "wrong password here")
        accounts.login("reg-a", PASSWORD)


def test_changing_ones_password_needs_the_old_one_and_ends_sessions(
    accounts: Accounts, make_user: Callable[..., User], admin: User
) -> None:
    reg = make_user("reg-a", "registrar")
    token = accounts.issue_token(reg, "session")
    with pytest.raises(InvalidInput, match="old password"):
        accounts.change_password("reg-a", "a new long passphrase", by=reg)
    with pytest.raises(AccessRefused):
        accounts.change_password("reg-a", "a new long passphrase", by=reg, old_password="wrong password here")
    accounts.change_password("reg-a", "a new long passphrase", by=reg, old_password=PASSWORD)
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(token)
    assert accounts.login("reg-a", "a new long passphrase").id == reg.id
    # An administrator resets without the old one; a registrar cannot reset someone else's.
    accounts.change_password("reg-a", "yet another passphrase", by=admin)
    other = make_user("reg-b", "registrar")
    with pytest.raises(AccessRefused, match="may not user_reset_password"):
        accounts.change_password("reg-a", "a hijacked passphrase", by=other)


def test_tokens_are_random_shown_once_and_stored_hashed(
    backend: Backend, accounts: Accounts, make_user: Callable[..., User]
) -> None:
    reg = make_user("reg-a", "registrar")
    first, second = accounts.issue_token(reg, label="nightly import"), accounts.issue_token(reg)
    assert first != second and first.startswith("pwc_") and len(first) > 40
    with backend.engine.begin() as conn:
        stored = set(conn.execute(select(api_tokens.c.token_hash)).scalars())
    assert stored == {token_digest(first), token_digest(second)}
    assert accounts.authenticate_token(first).id == reg.id


def test_expired_revoked_unknown_tokens_and_disabled_owners_are_refused(
    backend: Backend, accounts: Accounts, clock: FixedClock, admin: User, make_user: Callable[..., User]
) -> None:
    reg = make_user("reg-a", "registrar")
    short = accounts.issue_token(reg, ttl=timedelta(days=1))
    revoked = accounts.issue_token(reg)
    kept = accounts.issue_token(reg)
    assert accounts.revoke_token(revoked)
    clock.moment += timedelta(days=1)
    with pytest.raises(AccessRefused, match="expired") as exc:
        accounts.authenticate_token(short)
    assert exc.value.code == "token_expired"
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(revoked)
    with pytest.raises(AccessRefused, match="unknown token"):
        accounts.authenticate_token("pwc_made_up")
    accounts.authenticate_token(kept)
    accounts.disable("reg-a", by=admin)  # disabling revokes every token too
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(kept)
    refusals = [r.reason for r in _log(backend) if r.action == "token" and r.outcome == "refused"]
    assert refusals == ["token_expired", "token_revoked", "token_unknown", "token_revoked"]


def test_token_lifetimes_are_bounded(accounts: Accounts, make_user: Callable[..., User]) -> None:
    reg = make_user("reg-a", "registrar")
    with pytest.raises(InvalidInput, match="at most 365 days"):
        accounts.issue_token(reg, ttl=timedelta(days=400))
    with pytest.raises(InvalidInput, match="future"):
        accounts.issue_token(reg, ttl=timedelta(seconds=-1))


def test_new_roles_end_old_sessions(accounts: Accounts, admin: User, make_user: Callable[..., User]) -> None:
    reg = make_user("reg-a", "registrar")
    token = accounts.issue_token(reg, "session")
    changed = accounts.set_roles("reg-a", ["interviewer"], by=admin)
    assert changed.roles == {Role.INTERVIEWER}
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(token)


def test_no_token_acts_for_a_reset_account_until_its_owner_chose_his_own_password_and_a_second_person_confirmed_it(
    backend: Backend, accounts: Accounts, admin: User, make_user: Callable[..., User], clock: FixedClock
) -> None:
    # The administrator who resets an officer knows the temporary password: neither the officer's
    # old tokens, nor one issued across the reset, nor a new one may act for the account with it.
    legal = make_user("legal-a", "legal_officer")
    second = make_user("admin-b", "administrator")
    accounts.change_own_password("admin-b", PASSWORD, "admin-b chose this one")
    clock.moment += timedelta(days=31)  # admin-a founded admin-b long ago: a second person now
    session = accounts.issue_token(legal, "session")
    held_back = accounts.issue_token(legal)
    accounts.change_password("legal-a", "the admin knows this one", by=admin)
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(session)
    # A token that escaped the revocation (written in the same instant as the reset, say).
    with backend.engine.begin() as conn:
        conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_digest(held_back)).values(revoked_at=None))
    with pytest.raises(AccessRefused, match=r"admin-a reset its password on .*passwd legal-a --own") as exc:
        accounts.authenticate_token(held_back)
    assert exc.value.code == "password_change_required"
    # A login that succeeded before the reset cannot mint a session after it; nor can the password.
    with pytest.raises(AccessRefused, match="reset its password"):
        accounts.issue_token(legal, "session")
    with pytest.raises(AccessRefused, match="reset its password"):
        accounts.login("legal-a", "the admin knows this one")
    with backend.engine.begin() as conn:
        issued = conn.execute(select(func.count()).select_from(api_tokens)).scalar_one()
    assert issued == 2
    # A new password chosen with the temporary one may be the administrator's: still nothing acts.
    accounts.change_own_password("legal-a", "the admin knows this one", "only the owner knows this")
    with pytest.raises(AccessRefused, match=r"^account legal-a: admin-a reset its password on .* UTC; it acts again "
                                            r"once a second person confirms it \(`powcase user confirm legal-a`\)") as exc:
        accounts.login("legal-a", "only the owner knows this")
    assert exc.value.code == "awaiting_confirmation"
    with pytest.raises(AccessRefused, match="a second person confirms it"):
        accounts.issue_token(legal, "session")
    # A second person confirms it: a new login opens a token that works; nothing from before does.
    accounts.confirm("legal-a", by=second)
    fresh = accounts.issue_token(accounts.login("legal-a", "only the owner knows this"), "session")
    assert accounts.authenticate_token(fresh).id == legal.id
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(held_back)
    refusals = [(r.actor, r.reason) for r in _log(backend) if r.action == "token" and r.outcome == "refused"]
    assert refusals == [
        ("legal-a", "token_revoked"), ("legal-a", "password_change_required"),
        ("legal-a", "password_change_required"), ("legal-a", "awaiting_confirmation"), ("legal-a", "token_revoked"),
    ]
    logins = [r.reason for r in _log(backend) if r.action == "login" and r.actor == "legal-a" and r.outcome == "refused"]
    assert logins == ["password_change_required", "awaiting_confirmation"]


def test_a_disabled_account_gets_no_new_token(
    backend: Backend, accounts: Accounts, admin: User, make_user: Callable[..., User]
) -> None:
    reg = make_user("reg-a", "registrar")
    accounts.disable("reg-a", by=admin)
    with pytest.raises(AccessRefused, match="disabled") as exc:
        accounts.issue_token(reg)  # the account as read before it was disabled
    assert exc.value.code == "disabled"
    assert [r.reason for r in _log(backend) if r.action == "token"] == ["disabled"]


def test_observer_assignments(
    backend: Backend, accounts: Accounts, master_key: MasterKey, make_user: Callable[..., User], clock: FixedClock
) -> None:
    case_id = Powcase(EventStore(backend.engine, master_key), clock).register(person(), "reg-a")
    observer = make_user("obs-a", "neutral_observer")
    legal = make_user("legal-a", "legal_officer")
    with pytest.raises(AccessRefused):
        accounts.assign_observer("obs-a", case_id, by=observer)
    with pytest.raises(InvalidInput, match="not a neutral observer"):
        accounts.assign_observer("legal-a", case_id, by=legal)
    with pytest.raises(NotFound):
        accounts.assign_observer("obs-a", "PW-NOSUCH00", by=legal)
    accounts.assign_observer("obs-a", case_id, by=legal)
    assert accounts.get("obs-a").assigned_cases == {case_id}
    accounts.unassign_observer("obs-a", case_id, by=legal)
    assert accounts.get("obs-a").assigned_cases == frozenset()


def test_list_users_shows_no_secrets(accounts: Accounts, admin: User, make_user: Callable[..., User]) -> None:
    make_user("reg-a", "registrar")
    listed = [a.as_dict() for a in accounts.list_users(by=admin)]
    assert [a["name"] for a in listed] == ["admin-a", "reg-a"]
    assert "argon2" not in repr(listed)


def test_session_files_are_private_and_per_store(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    one = session_path("sqlite:////data/field-1/powcase.db", env)
    two = session_path("postgresql+psycopg://server/powcase", env)
    assert one != two and one.parent == tmp_path / "cfg" / "powcase" / "sessions"
    write_session(one, "pwc_example")
    assert stat.S_IMODE(one.stat().st_mode) == 0o600
    assert read_session(one) == "pwc_example"
    write_session(one, "pwc_replaced")
    assert read_session(one) == "pwc_replaced"
    os.chmod(one, 0o644)
    with pytest.raises(InvalidInput, match="readable by others"):
        read_session(one)
    clear_session(one)
    assert read_session(one) is None
    chosen = tmp_path / "chosen.token"
    assert session_path("x", {"POWCASE_SESSION_FILE": str(chosen), **env}) == chosen


def test_cli_login_session_and_logout(
    tmp_path: Path, backend: Backend, accounts: Accounts, make_user: Callable[..., User], clock: FixedClock
) -> None:
    from powcase.access import session

    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    make_user("reg-a", "registrar")

    def no_prompt(name: str) -> str:
        raise AssertionError("no password should be asked")

    with pytest.raises(AccessRefused, match="not logged in"):
        session.current_user(accounts, backend.url, None, no_prompt, env)
    session.login(accounts, backend.url, "reg-a", PASSWORD, env)
    path = session.session_path(backend.url, env)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session.current_user(accounts, backend.url, None, no_prompt, env).name == "reg-a"
    # --as asks for a password and ignores the session.
    assert session.current_user(accounts, backend.url, "admin-a", lambda _: PASSWORD, env).name == "admin-a"
    clock.moment += timedelta(hours=13)
    with pytest.raises(AccessRefused, match="expired"):
        session.current_user(accounts, backend.url, None, no_prompt, env)
    session.login(accounts, backend.url, "reg-a", PASSWORD, env)
    token = path.read_text().strip()
    assert session.logout(accounts, backend.url, env)
    assert not path.exists()
    with pytest.raises(AccessRefused, match="revoked"):
        accounts.authenticate_token(token)
    script = accounts.issue_token(accounts.get("reg-a"), label="nightly")
    assert session.current_user(accounts, backend.url, None, no_prompt, {**env, "POWCASE_TOKEN": script}).name == "reg-a"
