"""Accounts: one person, one account; argon2id passwords; throttled logins; expiring tokens.

Every method that changes or checks an account opens its own transactions and writes the access
log itself, refusals included. Times come from the injected clock, never from the wall clock, so
that throttling and expiry are testable and reproducible.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from powcase.access.audit import UNKNOWN_ACTOR, record_access
from powcase.access.duties import Standing, check_confirmer, load_standing, record_act
from powcase.access.gate import CONFIRMATION_WINDOW, AccessGate
from powcase.access.permissions import AccessRefused, Role, User, check_roles
from powcase.access.tables import account_acts, api_tokens, observer_assignments, user_roles, users
from powcase.errors import InvalidInput, NotFound
from powcase.store import codec
from powcase.store.crypto import MasterKey
from powcase.store.tables import chain_heads

TokenKind = Literal["api", "session"]
TOKEN_PREFIX = "pwc_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for
_NAME = re.compile(r"^\w[\w.@-]{1,31}$")


@dataclass(frozen=True)
class LoginPolicy:
    """Throttling and lifetimes. The defaults are the project's; a deployment may tighten them."""

    max_failures: int = 5
    failure_window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    session_ttl: timedelta = timedelta(hours=12)
    api_token_ttl: timedelta = timedelta(days=90)
    max_api_token_ttl: timedelta = timedelta(days=365)
    min_password_length: int = 12
    # Separation of duties (access/duties.py): for this long after one person created, reset,
    # re-roled or confirmed an account, that account and that person, or two accounts of that
    # person's making, cannot act together in a two-person rule. Not read from the environment:
    # whoever runs the command could otherwise shorten it.
    confirmation_window: timedelta = CONFIRMATION_WINDOW


@dataclass(frozen=True)
class AccountInfo:
    """What an administrator sees of an account: no hash, no token."""

    name: str
    roles: frozenset[Role]
    disabled: bool
    locked_until: datetime | None
    assigned_cases: frozenset[str]
    standing: str = "confirmed"  # or what awaits: a confirmation, a password of the owner's own

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "roles": sorted(r.value for r in self.roles), "disabled": self.disabled,
            "locked_until": codec.timestamp(self.locked_until) if self.locked_until else None,
            "assigned_cases": sorted(self.assigned_cases), "standing": self.standing,
        }


def normalise_name(name: str) -> tuple[str, str]:
    """(the account name as stored, its unique key). Case and Unicode forms do not make new names."""
    display = unicodedata.normalize("NFKC", name.strip())
    if not _NAME.match(display):
        raise InvalidInput(
            "name: an account name is 2 to 32 letters, digits or . _ @ - (one person, one account; no spaces)"
        )
    return display, display.casefold()


def token_digest(raw: str) -> str:
    # A token has 256 random bits: a plain SHA-256 cannot be reversed by guessing, unlike a password.
    return hashlib.sha256(raw.encode()).hexdigest()


class Accounts:
    def __init__(
        self, engine: Engine, master_key: MasterKey, clock: Callable[[], datetime],
        hasher: PasswordHasher | None = None, policy: LoginPolicy | None = None,
    ) -> None:
        self.engine = engine
        self.master_key = master_key
        self.clock = clock
        # argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile); tests pass a cheap one.
        self.hasher = hasher or PasswordHasher()
        self.policy = policy or LoginPolicy()
        self.gate = AccessGate(engine, master_key, clock, self.policy.confirmation_window)
        self._dummy_hash: str | None = None

    # --- reading ------------------------------------------------------------------------------

    def has_users(self) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def get(self, name: str) -> User:
        """The account as authorization sees it (roles, assignments), by name in any case."""
        with self.engine.begin() as conn:
            user = self._load(conn, normalise_name(name)[1])
        if user is None:
            raise NotFound(f"no account {name.strip()!r}")
        return user

    def list_users(self, by: User) -> list[AccountInfo]:
        self.gate.check(by, "user_admin")
        with self.engine.begin() as conn:
            self.gate.record(conn, by, "user_admin")
            out = []
            for row in conn.execute(select(users).order_by(users.c.name_key)):
                user = self._user(conn, row)
                locked = codec.parse_timestamp(row.locked_until) if row.locked_until else None
                out.append(AccountInfo(user.name, user.roles, user.disabled, locked, user.assigned_cases,
                                       _standing_text(load_standing(conn, user))))
            return out

    # --- administration -----------------------------------------------------------------------

    def add_user(self, name: str, password: str, roles: Iterable[str], by: User | None) -> User:
        """Add an account. ``by`` is None only for the very first account, an administrator."""
        display, key = normalise_name(name)
        wanted = check_roles(roles)
        if by is None:
            if self.has_users():
                raise AccessRefused("user: only an administrator adds accounts once the first exists", "not_bootstrap")
            if wanted != {Role.ADMINISTRATOR}:
                raise InvalidInput("role: the first account must be an administrator, and only that")
        else:
            self.gate.check(by, "user_admin")
        self._check_password(display, password)
        hashed = self.hasher.hash(password)
        now = codec.timestamp(self.clock())
        try:
            with self.engine.begin() as conn:
                user_id = conn.execute(
                    insert(users).values(
                        name=display, name_key=key, password_hash=hashed, disabled=False, created_at=now,
                        failed_count=0,
                    ).returning(users.c.id)
                ).scalar_one()
                conn.execute(insert(user_roles), [{"user_id": user_id, "role": r.value} for r in sorted(wanted)])
                # While the register holds no case there is nothing to override or erase: the
                # office is being set up, and its first accounts are confirmed by their founding.
                founding = by is None or conn.execute(select(chain_heads.c.case_id).limit(1)).first() is None
                record_act(conn, user_id, "founded" if founding else "created", by.name if by else None, self.clock())
                record_access(conn, self.master_key, at=self.clock(), actor=by.name if by else display, action="user_admin")
        except IntegrityError:
            raise InvalidInput(f"name: an account {display!r} exists already (names ignore case)") from None
        return User(user_id, display, wanted)

    def disable(self, name: str, by: User) -> None:
        self._set_disabled(name, True, by)

    def enable(self, name: str, by: User) -> None:
        self._set_disabled(name, False, by)

    def _set_disabled(self, name: str, disabled: bool, by: User) -> None:
        self.gate.check(by, "user_admin")
        with self.engine.begin() as conn:
            target = self._require(conn, name)
            if disabled and Role.ADMINISTRATOR in target.roles and self._active_admins(conn) <= 1:
                raise InvalidInput(f"{target.name} is the last enabled administrator; add another one first")
            conn.execute(update(users).where(users.c.id == target.id).values(disabled=disabled))
            if disabled:
                self._revoke_all(conn, target.id)
            self.gate.record(conn, by, "user_admin")

    def set_roles(self, name: str, roles: Iterable[str], by: User) -> User:
        wanted = check_roles(roles)
        self.gate.check(by, "user_admin")
        with self.engine.begin() as conn:
            target = self._require(conn, name)
            if (Role.ADMINISTRATOR in target.roles and Role.ADMINISTRATOR not in wanted
                    and self._active_admins(conn) <= 1):
                raise InvalidInput(f"{target.name} is the last enabled administrator; add another one first")
            conn.execute(delete(user_roles).where(user_roles.c.user_id == target.id))
            conn.execute(insert(user_roles), [{"user_id": target.id, "role": r.value} for r in sorted(wanted)])
            if wanted - target.roles:
                # A new role is a new duty: a second person confirms it before any two-person act.
                record_act(conn, target.id, "roles", by.name, self.clock())
            # New roles, new rights: sessions opened under the old ones end.
            self._revoke_all(conn, target.id)
            self.gate.record(conn, by, "user_admin")
            return self._require(conn, name)

    def change_password(self, name: str, new_password: str, by: User, old_password: str | None = None) -> None:
        """Change one's own password (the old one is required) or, as administrator, reset another's.

        A reset is an audited act (use case ``user_reset_password``): the account does not act
        again (no login, no token) until its owner has chosen a new password and a second person
        has confirmed it; the first login after that tells who reset it. Every token of
        the account is revoked: whoever held a session under the old password is out.
        """
        with self.engine.begin() as conn:
            target = self._require(conn, name)
        if target.id == by.id:
            if old_password is None:
                raise InvalidInput("old password: required to change your own password")
            self.change_own_password(target.name, old_password, new_password)
            return
        self.gate.check(by, "user_reset_password")
        self._check_password(target.name, new_password)
        hashed = self.hasher.hash(new_password)
        with self.engine.begin() as conn:
            conn.execute(
                update(users).where(users.c.id == target.id)
                .values(password_hash=hashed, failed_count=0, failed_since=None, locked_until=None)
            )
            self._revoke_all(conn, target.id)
            record_act(conn, target.id, "reset", by.name, self.clock())
            self.gate.record(conn, by, "user_reset_password")

    def change_own_password(self, name: str, old_password: str, new_password: str) -> list[str]:
        """The owner chooses his own password, proving the current one (throttled and logged like a
        login). The way back in after a reset, so it needs no session, and allowed while the account
        awaits confirmation. Returns the notices of resets, without marking them seen: whoever knew
        the temporary password can make this change too, so they stay for the first login, which
        comes only after a second person has confirmed the account."""
        row = self._authenticate(name, old_password, allow_reset=True)
        self._check_password(str(row.name), new_password)
        if self._verify(row.password_hash, new_password):
            raise InvalidInput("password: choose a new one, not the one you have")
        hashed = self.hasher.hash(new_password)
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(password_hash=hashed))
            self._revoke_all(conn, int(row.id))
            record_act(conn, int(row.id), "changed", str(row.name), self.clock())
            return self._take_notices(conn, int(row.id), mark=False)

    def confirm(self, name: str, by: User) -> None:
        """A second person confirms an account that an administrator created, reset or re-roled:
        from now on it may take part in two-person acts (within the window's other limits)."""
        self.gate.check(by, "user_confirm")
        try:
            with self.engine.begin() as conn:
                target = self._require(conn, name)
                if target.disabled:
                    raise AccessRefused(f"user confirm: account {target.name} is disabled", "disabled")
                check_confirmer(target, load_standing(conn, target), by, load_standing(conn, by),
                                self.clock(), self.policy.confirmation_window)
                record_act(conn, target.id, "confirmed", by.name, self.clock())
                self.gate.record(conn, by, "user_confirm")
        except AccessRefused as exc:
            self.gate.refuse(by.name, "user_confirm", exc.code)
            raise

    def notices(self, user: User) -> list[str]:
        """What others did to this account since it last logged in (a reset), marked as shown."""
        with self.engine.begin() as conn:
            return self._take_notices(conn, user.id)

    def assign_observer(self, observer: str, case_id: str, by: User) -> None:
        """Give a neutral observer need-to-know on one case (its identity and interviews)."""
        self.gate.check(by, "assign_observer", case_id)
        with self.engine.begin() as conn:
            target = self._require(conn, observer)
            if Role.NEUTRAL_OBSERVER not in target.roles:
                raise InvalidInput(f"{target.name} is not a neutral observer")
            if conn.execute(select(chain_heads.c.case_id).where(chain_heads.c.case_id == case_id)).first() is None:
                raise NotFound(f"no case {case_id}")
            if case_id not in target.assigned_cases:
                conn.execute(insert(observer_assignments).values(
                    user_id=target.id, case_id=case_id, assigned_at=codec.timestamp(self.clock()), assigned_by=by.name,
                ))
            self.gate.record(conn, by, "assign_observer", case_id)

    def unassign_observer(self, observer: str, case_id: str, by: User) -> None:
        self.gate.check(by, "assign_observer", case_id)
        with self.engine.begin() as conn:
            target = self._require(conn, observer)
            conn.execute(delete(observer_assignments).where(
                observer_assignments.c.user_id == target.id, observer_assignments.c.case_id == case_id
            ))
            self.gate.record(conn, by, "assign_observer", case_id)

    # --- authentication -----------------------------------------------------------------------

    def login(self, name: str, password: str) -> User:
        """The account, if the password is right and the account neither disabled nor locked, and,
        if an administrator created or reset it, its owner has chosen his own password since and a
        second person has confirmed it (separation of duties: the one who set the first password
        could otherwise act as the owner).

        After ``max_failures`` wrong passwords within ``failure_window`` the account is locked for
        ``lockout``; while locked, even the right password is refused (that is what stops guessing).
        """
        row = self._authenticate(name, password, allow_reset=False)
        with self.engine.begin() as conn:
            return self._user(conn, row)

    def _authenticate(self, name: str, password: str, *, allow_reset: bool) -> Any:
        """The account's row if the password opens it; every outcome is in the access log."""
        now = self.clock()
        refusal: AccessRefused | None = None
        try:
            key = normalise_name(name)[1]
        except InvalidInput:
            key = None
        with self.engine.begin() as conn:
            row = conn.execute(select(users).where(users.c.name_key == key)).first() if key else None
            if row is None:
                self._burn_time(password)  # the same work as a real check: no timing oracle for names
                refusal = AccessRefused("login refused: unknown account or wrong password", "wrong_password")
                record_access(conn, self.master_key, at=now, actor=UNKNOWN_ACTOR, action="login",
                              outcome="refused", reason=refusal.code)
            elif row.locked_until and codec.parse_timestamp(row.locked_until) > now:
                until = codec.parse_timestamp(row.locked_until)
                refusal = AccessRefused(
                    f"account {row.name} is locked after repeated failed logins until {until:%Y-%m-%d %H:%M} UTC", "locked"
                )
            elif not self._verify(row.password_hash, password):
                refusal = AccessRefused("login refused: unknown account or wrong password", "wrong_password")
                self._count_failure(conn, row, now)
            elif row.disabled:
                refusal = AccessRefused(f"account {row.name} is disabled", "disabled")
            elif not allow_reset and (held := self._hold_refusal(conn, row)) is not None:
                # Whoever set this password (the administrator) knows it, and may have chosen the
                # "own" one with it: the owner's choice and a second person's confirmation first.
                refusal = held
            else:
                values: dict[str, object] = {"failed_count": 0, "failed_since": None, "locked_until": None}
                if self.hasher.check_needs_rehash(row.password_hash):
                    values["password_hash"] = self.hasher.hash(password)
                conn.execute(update(users).where(users.c.id == row.id).values(**values))
                record_access(conn, self.master_key, at=now, actor=row.name, action="login")
                return row
            if row is not None:
                record_access(conn, self.master_key, at=now, actor=row.name, action="login",
                              outcome="refused", reason=refusal.code)
        raise refusal

    def issue_token(
        self, user: User, kind: TokenKind = "api", ttl: timedelta | None = None, label: str | None = None
    ) -> str:
        """A new random token for ``user``, returned once: only its hash is stored."""
        if kind == "session":
            ttl = ttl or self.policy.session_ttl
        else:
            ttl = ttl or self.policy.api_token_ttl
            if ttl > self.policy.max_api_token_ttl:
                raise InvalidInput(f"expiry: an API token lives at most {self.policy.max_api_token_ttl.days} days")
        if ttl <= timedelta(0):
            raise InvalidInput("expiry: a token must expire in the future")
        if label is not None and len(label) > 120:
            raise InvalidInput("label: at most 120 characters")
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as conn:
            # The account as it is now, not as ``user`` was read: a reset or a disabling since
            # (between a login and its session, say) leaves nothing to issue a token to.
            row = conn.execute(select(users).where(users.c.id == user.id)).first()
            if row is None:
                raise NotFound(f"no account {user.name!r}")
            refusal = self._token_refusal(conn, row)
            if refusal is None:
                conn.execute(insert(api_tokens).values(
                    user_id=user.id, token_hash=token_digest(raw), kind=kind, label=label,
                    created_at=codec.timestamp(now), expires_at=codec.timestamp(now + ttl),
                ))
                record_access(conn, self.master_key, at=now, actor=user.name, action="token")
            else:
                record_access(conn, self.master_key, at=now, actor=user.name, action="token",
                              outcome="refused", reason=refusal.code)
        if refusal is not None:
            raise refusal
        return raw

    def authenticate_token(self, raw: str) -> User:
        """The account behind a token; refused (and logged) if unknown, revoked, expired or disabled,
        or if an administrator created or reset it and its owner has not chosen his own password
        since or no second person has confirmed it: a token opens no more than the password would (a reset revokes every token; this also stops
        one issued, or held back, across the reset)."""
        now = self.clock()
        refusal: AccessRefused
        actor = UNKNOWN_ACTOR
        with self.engine.begin() as conn:
            tok = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_digest(raw.strip()))).first()
            row = conn.execute(select(users).where(users.c.id == tok.user_id)).first() if tok else None
            if tok is None or row is None:
                refusal = AccessRefused("token refused: unknown token", "token_unknown")
            else:
                actor = row.name
                if tok.revoked_at is not None:
                    refusal = AccessRefused("token refused: it was revoked; log in again", "token_revoked")
                elif codec.parse_timestamp(tok.expires_at) <= now:
                    refusal = AccessRefused(f"token refused: it expired on {tok.expires_at[:10]}; log in again", "token_expired")
                elif (account_refusal := self._token_refusal(conn, row)) is not None:
                    refusal = account_refusal
                else:
                    return self._user(conn, row)
            record_access(conn, self.master_key, at=now, actor=actor, action="token", outcome="refused", reason=refusal.code)
        raise refusal

    def revoke_token(self, raw: str) -> bool:
        """End one token (a logout). True if it existed and was live."""
        now = codec.timestamp(self.clock())
        with self.engine.begin() as conn:
            tok = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_digest(raw.strip()))).first()
            if tok is None or tok.revoked_at is not None:
                return False
            conn.execute(update(api_tokens).where(api_tokens.c.id == tok.id).values(revoked_at=now))
            name = conn.execute(select(users.c.name).where(users.c.id == tok.user_id)).scalar_one()
            record_access(conn, self.master_key, at=self.clock(), actor=name, action="logout")
            return True

    def revoke_tokens(self, name: str, by: User) -> int:
        """End every token of an account (a lost laptop, a suspected compromise)."""
        with self.engine.begin() as conn:
            target = self._require(conn, name)
        if target.id != by.id:
            self.gate.check(by, "user_admin")
        with self.engine.begin() as conn:
            count = self._revoke_all(conn, target.id)
            if target.id != by.id:
                self.gate.record(conn, by, "user_admin")
            return count

    # --- internals ----------------------------------------------------------------------------

    def _check_password(self, name: str, password: str) -> None:
        if len(password) < self.policy.min_password_length:
            raise InvalidInput(f"password: at least {self.policy.min_password_length} characters (a passphrase is easiest)")
        if len(password) > 1024:
            raise InvalidInput("password: at most 1024 characters")
        if password.casefold() == name.casefold() or len(set(password)) < 4:
            raise InvalidInput("password: too easy to guess")

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self.hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def _burn_time(self, password: str) -> None:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        self._verify(self._dummy_hash, password)

    def _count_failure(self, conn: Connection, row: Any, now: datetime) -> None:
        since = codec.parse_timestamp(row.failed_since) if row.failed_since else None
        count = int(row.failed_count or 0)
        if since is None or now - since >= self.policy.failure_window:
            since, count = now, 0
        count += 1
        values: dict[str, object] = {"failed_count": count, "failed_since": codec.timestamp(since)}
        if count >= self.policy.max_failures:
            values.update(failed_count=0, failed_since=None, locked_until=codec.timestamp(now + self.policy.lockout))
        conn.execute(update(users).where(users.c.id == row.id).values(**values))

    def _token_refusal(self, conn: Connection, row: Any) -> AccessRefused | None:
        """Why the account may hold or use no token now (what a password login refuses), if it may not."""
        if row.disabled:
            return AccessRefused(f"account {row.name} is disabled", "disabled")
        return self._hold_refusal(conn, row)

    def _hold_refusal(self, conn: Connection, row: Any) -> AccessRefused | None:
        # A founder's password opens the account while the office is set up, not once it holds a case.
        register_open = conn.execute(select(chain_heads.c.case_id).limit(1)).first() is not None
        return _hold_refusal(str(row.name), self._standing(conn, row), register_open)

    def _standing(self, conn: Connection, row: Any) -> Standing:
        return load_standing(conn, User(int(row.id), str(row.name), frozenset()))

    def _take_notices(self, conn: Connection, user_id: int, *, mark: bool = True) -> list[str]:
        name = conn.execute(select(users.c.name).where(users.c.id == user_id)).scalar_one()
        rows = conn.execute(
            select(account_acts.c.id, account_acts.c.by_name, account_acts.c.at).where(
                account_acts.c.user_id == user_id, account_acts.c.act == "reset", account_acts.c.seen_at.is_(None)
            ).order_by(account_acts.c.id)
        ).all()
        if rows and mark:
            conn.execute(update(account_acts).where(account_acts.c.id.in_([r.id for r in rows]))
                         .values(seen_at=codec.timestamp(self.clock())))
        return [
            f"notice: {r.by_name} reset the password of {name} on {codec.parse_timestamp(r.at):%Y-%m-%d %H:%M} UTC; "
            "if you did not ask for it, tell another administrator (the access log keeps it)"
            for r in rows
        ]

    def _revoke_all(self, conn: Connection, user_id: int) -> int:
        result = conn.execute(
            update(api_tokens).where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=codec.timestamp(self.clock()))
        )
        return int(result.rowcount)

    def _active_admins(self, conn: Connection) -> int:
        return int(conn.execute(
            select(func.count()).select_from(users.join(user_roles, user_roles.c.user_id == users.c.id))
            .where(user_roles.c.role == Role.ADMINISTRATOR.value, users.c.disabled.is_(False))
        ).scalar_one())

    def _require(self, conn: Connection, name: str) -> User:
        user = self._load(conn, normalise_name(name)[1])
        if user is None:
            raise NotFound(f"no account {name.strip()!r}")
        return user

    def _load(self, conn: Connection, key: str) -> User | None:
        row = conn.execute(select(users).where(users.c.name_key == key)).first()
        return self._user(conn, row) if row is not None else None

    @staticmethod
    def _user(conn: Connection, row: Any) -> User:
        user_id = int(row.id)
        roles = frozenset(Role(r) for r in conn.execute(select(user_roles.c.role).where(user_roles.c.user_id == user_id)).scalars())
        assigned = frozenset(conn.execute(
            select(observer_assignments.c.case_id).where(observer_assignments.c.user_id == user_id)
        ).scalars())
        return User(user_id, str(row.name), roles, bool(row.disabled), assigned)


def _hold_refusal(name: str, standing: Standing, register_open: bool) -> AccessRefused | None:
    """Why the account may not act at all now, if it may not: an administrator created or reset it,
    and its owner has not chosen his own password since, or no second person has confirmed it; or,
    once the register holds a case, its founder's password is still the one in force."""
    act = standing.reset_by_other or standing.held
    founded = standing.password_set_by_other
    if act is None and register_open and founded is not None and founded.act == "founded":
        return AccessRefused(
            f"account {name}: {founded.by} founded it on {founded.at:%Y-%m-%d %H:%M} UTC with a password of his "
            f"choosing; now that the register holds cases its owner chooses his own first "
            f"(`powcase user passwd {name} --own`)",
            "password_change_required",
        )
    if act is None:
        return None
    what = f"{act.by or 'an administrator'} {'reset its password' if act.act == 'reset' else 'created it'} " \
           f"on {act.at:%Y-%m-%d %H:%M} UTC"
    confirm = f"a second person confirms it (`powcase user confirm {name}`)"
    if standing.reset_by_other is not None or standing.password_set_by_other is not None:
        return AccessRefused(
            f"account {name}: {what}; its owner chooses his own password first "
            f"(`powcase user passwd {name} --own`), then {confirm}",
            "password_change_required",
        )
    return AccessRefused(
        f"account {name}: {what}; it acts again once {confirm} (its owner's own password is not enough)",
        "awaiting_confirmation",
    )


def _standing_text(standing: Standing) -> str:
    held = standing.held
    reset = standing.reset_by_other or (held if standing.password_set_by_other is not None else None)
    if reset is not None:
        return f"must choose a new password ({reset.said(standing.name)})"
    pending = standing.pending
    if pending is not None:
        return f"awaiting confirmation ({pending.said(standing.name)})"
    return "confirmed"
