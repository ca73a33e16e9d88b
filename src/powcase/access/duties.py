"""Separation of duties: a two-person rule needs two people, not one person with two accounts.

An administrator chooses the first password of every account he adds and can reset anyone's: alone,
he could add two legal officers, or take one over, and meet an override or an erasure by himself.
So every account carries the acts that made it what it is (``account_acts``): who founded, created,
reset, re-roled or confirmed it, and when its owner chose his own password. From them:

- an account created, reset or given new roles by an administrator is *awaiting confirmation*: it
  cannot take part in a two-person act until a second person confirms it (another holder of one of
  its roles, or another administrator; never the one who made the change);
- an account created or reset by an administrator does not act at all (no login, no token, no
  command, no page) until its owner has chosen his own password *and* a second person has
  confirmed it: whoever set the first password knows it, and the owner's own choice may as well
  be his (he knows the temporary one); only a second person can tell the owner from him;
- an account whose password in force was chosen by someone else (its creator, its founder, an
  administrator who reset it) neither confirms nor takes part in a two-person act: whoever set
  the password could be acting;
- the two parties of a two-person act may not have been vouched for (founded, created, reset,
  re-roled or confirmed) by one of them, nor both by the same third person, within the
  confirmation window.

The first administrator of a new store is founded by nobody; the accounts an administrator adds
while the register holds no case yet are *founded* too (confirmed by their founding: there is
nothing to override or erase, and someone has to set the office up). Once the register holds a
case, a founded account on its founder's password does not act at all until its owner chooses his
own (accounts.py). They still count as vouched for by their founder for the window, so the
founder's accounts cannot act together at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, insert, select

from powcase.access.permissions import AccessRefused, Role, User
from powcase.access.tables import account_acts
from powcase.store import codec

Act = Literal["founded", "created", "reset", "roles", "confirmed", "changed"]

# The acts by which one person vouches for an account (a password choice by its owner is not one).
VOUCHING: frozenset[str] = frozenset({"founded", "created", "reset", "roles", "confirmed"})
# The acts that leave an account awaiting a second person's confirmation.
NEEDS_CONFIRMATION: frozenset[str] = frozenset({"created", "reset", "roles"})
# The acts after which the account does not act at all until a second person confirms it.
HOLDING: frozenset[str] = frozenset({"created", "reset"})
# The acts that set a password, and whether the owner chose it.
PASSWORD_SET: frozenset[str] = frozenset({"founded", "created", "reset", "changed"})

_WHAT = {
    "founded": "founded", "created": "created", "reset": "reset the password of",
    "roles": "changed the roles of", "confirmed": "confirmed",
}


@dataclass(frozen=True)
class AccountAct:
    act: str
    by: str | None
    at: datetime

    def said(self, subject: str) -> str:
        """``demo-admin created puppet-legal on 2025-12-01``."""
        return f"{self.by or 'nobody'} {_WHAT.get(self.act, self.act)} {subject} on {self.at:%Y-%m-%d}"


@dataclass(frozen=True)
class Standing:
    """What the acts say about one account, now."""

    name: str
    acts: tuple[AccountAct, ...]  # oldest first

    @property
    def pending(self) -> AccountAct | None:
        """The change awaiting a second person's confirmation, if any."""
        last = next((a for a in reversed(self.acts) if a.act in VOUCHING), None)
        return last if last is not None and last.act in NEEDS_CONFIRMATION else None

    @property
    def held(self) -> AccountAct | None:
        """The creation or reset by someone else that no confirmation has followed, if any: until one
        does, the account does not act at all. A later change of roles does not end the hold (it is
        no confirmation), nor does the owner's (or whoever knew the old one's) new password."""
        for a in reversed(self.acts):
            if a.act in ("confirmed", "founded"):
                return None
            if a.act in HOLDING and a.by is not None:
                return a
        return None

    @property
    def reset_by_other(self) -> AccountAct | None:
        """The reset whose password the owner has not replaced yet: he must, before logging in."""
        last = next((a for a in reversed(self.acts) if a.act in PASSWORD_SET), None)
        return last if last is not None and last.act == "reset" else None

    @property
    def password_set_by_other(self) -> AccountAct | None:
        """The act by which someone else chose the password in force, if he did: whoever set it
        knows it, so the account is not yet its owner's alone. The store's first administrator,
        founded by nobody, chose his own; so did accounts older than these records."""
        last = next((a for a in reversed(self.acts) if a.act in PASSWORD_SET), None)
        if last is None or last.act == "changed" or last.by is None:
            return None
        return last

    def vouchers(self, now: datetime, window: timedelta) -> dict[str, AccountAct]:
        """Who vouched for this account within the window: name -> the latest such act."""
        out: dict[str, AccountAct] = {}
        for a in self.acts:
            if a.act in VOUCHING and a.by and a.by.casefold() != self.name.casefold() and a.at >= now - window:
                out[a.by.casefold()] = a
        return out


def load_standing(conn: Connection, user: User) -> Standing:
    rows = conn.execute(
        select(account_acts.c.act, account_acts.c.by_name, account_acts.c.at)
        .where(account_acts.c.user_id == user.id).order_by(account_acts.c.id)
    ).all()
    return Standing(user.name, tuple(AccountAct(r.act, r.by_name, codec.parse_timestamp(r.at)) for r in rows))


def record_act(conn: Connection, user_id: int, act: Act, by: str | None, at: datetime) -> None:
    conn.execute(insert(account_acts).values(user_id=user_id, act=act, by_name=by, at=codec.timestamp(at)))


def _days(window: timedelta) -> str:
    return f"{window.days} day(s)" if window >= timedelta(days=1) else str(window)


def check_two_people(
    use_case: str, parties: Sequence[tuple[User, Standing]], now: datetime, window: timedelta
) -> None:
    """Raise :class:`AccessRefused` unless the parties are independently vouched-for people."""
    for user, standing in parties:
        pending = standing.pending
        if pending is not None:
            raise AccessRefused(
                f"{use_case}: {pending.said(user.name)} and no second person has confirmed it since "
                f"(another holder of its role or another administrator runs `powcase user confirm {user.name}`)",
                "unconfirmed",
            )
        set_by = standing.password_set_by_other
        if set_by is not None:
            raise AccessRefused(_not_own(use_case, user.name, set_by), "password_not_own")
    (a, sa), (b, sb) = parties
    va, vb = sa.vouchers(now, window), sb.vouchers(now, window)
    for x, vx, y in ((a, vb, b), (b, va, a)):
        act = vx.get(x.name.casefold())
        if act is not None:
            raise AccessRefused(
                f"{use_case}: {act.said(y.name)}; within {_days(window)} of that the two cannot act together "
                "(separation of duties)", "vouched_by_party",
            )
    common = sorted(set(va) & set(vb))
    if common:
        who = common[0]
        raise AccessRefused(
            f"{use_case}: {va[who].said(a.name)} and {vb[who].said(b.name)}; two people vouched for by the same "
            f"person within {_days(window)} cannot act together (separation of duties)", "common_voucher",
        )


def check_confirmer(
    target: User, target_standing: Standing, by: User, by_standing: Standing, now: datetime, window: timedelta
) -> AccountAct:
    """Raise :class:`AccessRefused` unless ``by`` may confirm ``target`` now; return the act confirmed."""
    pending = target_standing.pending
    if pending is None:
        raise AccessRefused(f"user confirm: {target.name} is not awaiting confirmation", "nothing_to_confirm")
    if by.id == target.id:
        raise AccessRefused(f"user confirm: {by.name} cannot confirm his own account", "same_person")
    if not (by.roles & target.roles or Role.ADMINISTRATOR in by.roles):
        roles = ", ".join(sorted(r.value for r in target.roles))
        raise AccessRefused(
            f"user confirm: {target.name} is confirmed by another holder of its role ({roles}) or an administrator",
            "role",
        )
    if by_standing.pending is not None:
        raise AccessRefused(
            f"user confirm: {by.name} is awaiting confirmation himself ({by_standing.pending.said(by.name)})", "unconfirmed",
        )
    if pending.by is not None and pending.by.casefold() == by.name.casefold():
        raise AccessRefused(
            f"user confirm: {pending.said(target.name)}; a second person must confirm it", "vouched_by_party",
        )
    mine = by_standing.vouchers(now, window)
    if pending.by is not None and pending.by.casefold() in mine:
        raise AccessRefused(
            f"user confirm: {mine[pending.by.casefold()].said(by.name)} and {pending.said(target.name)}; "
            f"within {_days(window)} {by.name} cannot confirm for him (separation of duties)", "common_voucher",
        )
    for name, standing in ((target.name, target_standing), (by.name, by_standing)):
        set_by = standing.password_set_by_other
        if set_by is not None:
            raise AccessRefused(_not_own("user confirm", name, set_by), "password_not_own")
    return pending


def _not_own(use_case: str, name: str, set_by: AccountAct) -> str:
    return (
        f"{use_case}: {name} still has the password {set_by.by} set when he {set_by.act} it on "
        f"{set_by.at:%Y-%m-%d}; its owner chooses his own first (`powcase user passwd {name} --own`)"
    )
