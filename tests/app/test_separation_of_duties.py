"""One administrator cannot meet a two-person rule alone: not with accounts he adds, not by
resetting an officer's password. Each attempt is refused with one clear line and writes nothing
to the register; the access log keeps the refusal."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import FixedClock

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused, User
from powcase.access.tables import access_log
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.values import Disposition

OWN = "a passphrase of my own"
NOTICE = ("notice: demo-admin reset the password of demo-legal on 2026-01-30 09:30 UTC; if you did not ask for it, "
          "tell another administrator (the access log keeps it)")


class Staff:
    """An office of invented staff: founded before the first case, then two months of work."""

    def __init__(self, pw: Powcase, clock: FixedClock) -> None:
        self.pw, self.clock = pw, clock
        self.accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
        self.admin = self.accounts.add_user("demo-admin", PASSWORD, ["administrator"], by=None)
        self.legal = self.add("demo-legal", "legal_officer")
        self.legal2 = self.add("demo-legal2", "legal_officer")
        registrar = self.add("demo-registrar", "registrar")
        self.add("kept-legal", "legal_officer")
        self.own("demo-legal", "demo-legal2", "demo-registrar")  # each owner chose his own password
        self.office(registrar).import_casefiles(parse_casefiles({"cases": the_two_soldiers()}))
        clock.moment += timedelta(days=60)  # the founding is long past: these are established staff

    def add(self, name: str, role: str) -> User:
        return self.accounts.add_user(name, PASSWORD, [role], by=self.admin)

    def own(self, *names: str) -> None:
        for name in names:
            self.accounts.change_own_password(name, PASSWORD, OWN)

    def office(self, user: User) -> Office:
        return Office(self.pw, self.accounts, user)

    def register(self) -> list[tuple[int, str]]:
        return [(r.seq, r.type) for c in (FIRST_SOLDIER, SECOND_SOLDIER) for r in self.pw.history(c)]

    def log_size(self) -> int:
        with self.pw.store.engine.begin() as conn:
            return int(conn.execute(select(func.count()).select_from(access_log)).scalar_one())

    def refusals(self) -> list[tuple[str, str, str | None]]:
        with self.pw.store.engine.begin() as conn:
            rows = conn.execute(select(access_log).where(access_log.c.outcome == "refused").order_by(access_log.c.seq))
            return [(r.actor, r.action, r.reason) for r in rows]


@pytest.fixture
def staff(pw: Powcase, clock: FixedClock) -> Staff:
    return Staff(pw, clock)


def _override(staff: Staff, first: User, second: User) -> None:
    staff.office(first).grant_override(FIRST_SOLDIER, Disposition.EXCHANGE, "he asked", second, date(2025, 6, 9))


def test_an_administrator_cannot_meet_the_two_person_rules_with_accounts_he_adds(staff: Staff) -> None:
    before = staff.register()
    puppet = staff.add("puppet-legal", "legal_officer")
    puppet2 = staff.add("puppet-legal2", "legal_officer")
    with pytest.raises(AccessRefused, match=r"^record_override: demo-admin created puppet-legal on 2026-01-30 and no "
                                            r"second person has confirmed it since .*`powcase user confirm puppet-legal`"):
        _override(staff, puppet, puppet2)
    with pytest.raises(AccessRefused, match="erase: demo-admin created puppet-legal on 2026-01-30 and no second person"):
        staff.office(staff.admin).erase(SECOND_SOLDIER, "retention period ended", puppet)
    # He cannot confirm them himself, nor through another administrator of his making.
    with pytest.raises(AccessRefused, match="demo-admin created puppet-legal on 2026-01-30; a second person must confirm it"):
        staff.accounts.confirm("puppet-legal", by=staff.admin)
    admin2 = staff.add("puppet-admin", "administrator")
    with pytest.raises(AccessRefused, match="puppet-admin is awaiting confirmation himself"):
        staff.accounts.confirm("puppet-legal", by=admin2)
    with pytest.raises(AccessRefused, match="puppet-legal is awaiting confirmation himself"):
        staff.accounts.confirm("puppet-legal2", by=puppet)
    # Waiting does not help: an account stays unconfirmed until a second person confirms it.
    staff.clock.moment += timedelta(days=90)
    with pytest.raises(AccessRefused, match="no second person has confirmed it"):
        _override(staff, puppet, puppet2)
    assert staff.register() == before
    assert ("demo-admin", "erase", "unconfirmed") in staff.refusals()
    assert ("puppet-legal", "record_override", "unconfirmed") in staff.refusals()


def test_a_real_officer_confirms_only_an_account_with_its_owners_password_and_never_both_of_one_admins(
    staff: Staff,
) -> None:
    puppet = staff.add("puppet-legal", "legal_officer")
    puppet2 = staff.add("puppet-legal2", "legal_officer")
    with pytest.raises(AccessRefused, match="user confirm: puppet-legal still has the password demo-admin set when he created it"):
        staff.accounts.confirm("puppet-legal", by=staff.legal)
    for name in ("puppet-legal", "puppet-legal2"):
        staff.own(name)
        staff.accounts.confirm(name, by=staff.legal)  # demo-legal is deceived twice
    before = staff.register()
    with pytest.raises(AccessRefused, match=r"record_override: demo-admin created puppet-legal on 2026-01-30 and "
                                            r"demo-admin created puppet-legal2 on 2026-01-30; two people vouched for"):
        _override(staff, puppet, puppet2)
    with pytest.raises(AccessRefused, match="erase: demo-admin created puppet-legal on 2026-01-30; within 30 day"):
        staff.office(staff.admin).erase(SECOND_SOLDIER, "retention period ended", puppet)
    # The confirmer and the confirmed are not two independent people either, within the window.
    with pytest.raises(AccessRefused, match="demo-legal confirmed puppet-legal on 2026-01-30"):
        _override(staff, staff.legal, puppet)
    assert staff.register() == before
    # Two established officers whom nobody vouched for lately act together.
    _override(staff, staff.legal, staff.legal2)


def test_a_password_reset_takes_an_officer_out_of_two_person_acts_until_confirmed(staff: Staff) -> None:
    staff.accounts.change_password("demo-legal", "the admin knows this one", by=staff.admin)
    # The one who set the password cannot log in with it: the owner must choose his own first.
    with pytest.raises(AccessRefused, match=r"^account demo-legal: demo-admin reset its password on 2026-01-30 09:30 UTC; "
                                            r"its owner chooses his own password first \(`powcase user passwd demo-legal --own`\), "
                                            r"then a second person confirms it \(`powcase user confirm demo-legal`\)$"):
        staff.accounts.login("demo-legal", "the admin knows this one")
    legal = staff.accounts.get("demo-legal")
    before, log_before = staff.register(), staff.log_size()
    with pytest.raises(AccessRefused, match="erase: demo-admin reset the password of demo-legal on 2026-01-30 and no second"):
        staff.office(staff.admin).erase(SECOND_SOLDIER, "retention period ended", legal)
    with pytest.raises(AccessRefused, match="record_override: demo-admin reset the password of demo-legal"):
        _override(staff, staff.legal2, legal)
    assert staff.register() == before and staff.log_size() > log_before  # refusals logged, nothing else
    # The owner (or whoever knows it) changes it and is told who reset it; still unconfirmed, so
    # the account does not log in yet, and the notice waits for the login.
    notices = staff.accounts.change_own_password("demo-legal", "the admin knows this one", OWN + "!")
    assert notices == [NOTICE]
    with pytest.raises(AccessRefused, match="it acts again once a second person confirms it"):
        staff.accounts.login("demo-legal", OWN + "!")
    with pytest.raises(AccessRefused, match="no second person has confirmed it"):
        _override(staff, staff.legal2, legal)
    staff.add("legal-3", "legal_officer")
    staff.own("legal-3")
    staff.accounts.confirm("legal-3", by=staff.legal2)
    staff.accounts.confirm("demo-legal", by=staff.legal2)
    assert staff.accounts.notices(staff.accounts.login("demo-legal", OWN + "!")) == [NOTICE]
    # Confirmed, but the administrator who reset it is not its partner within the window.
    with pytest.raises(AccessRefused, match="demo-admin reset the password of demo-legal on 2026-01-30; within 30 day"):
        staff.office(staff.admin).erase(SECOND_SOLDIER, "retention period ended", legal)
    staff.clock.moment += timedelta(days=31)
    staff.office(staff.admin).erase(SECOND_SOLDIER, "retention period ended", legal)
    assert staff.pw.case(SECOND_SOLDIER).erased
    listed = {a.name: a.standing for a in staff.accounts.list_users(by=staff.admin)}
    assert listed["demo-legal"] == "confirmed" and listed["legal-3"] == "confirmed"


def test_a_role_given_by_an_administrator_needs_confirming(staff: Staff) -> None:
    staff.accounts.set_roles("demo-registrar", ["legal_officer"], by=staff.admin)
    with pytest.raises(AccessRefused, match="demo-admin changed the roles of demo-registrar on 2026-01-30 and no second"):
        _override(staff, staff.legal, staff.accounts.get("demo-registrar"))
    # A registrar may not confirm a legal officer: another holder of the role, or an administrator.
    clerk = staff.add("clerk-2", "registrar")
    staff.own("clerk-2")
    with pytest.raises(AccessRefused, match=r"confirmed by another holder of its role \(legal_officer\) or an administrator"):
        staff.accounts.confirm("demo-registrar", by=clerk)


def test_an_account_still_on_the_password_its_founder_chose_does_not_act_once_the_register_holds_cases(
    staff: Staff,
) -> None:
    # demo-admin founded kept-legal, knows its password, and its owner never replaced it: with it,
    # demo-admin could act as a legal officer. Once there are cases, its owner chooses his own first.
    with pytest.raises(AccessRefused, match=r"^account kept-legal: demo-admin founded it on 2025-12-01 09:30 UTC with a "
                                            r"password of his choosing; now that the register holds cases its owner "
                                            r"chooses his own first \(`powcase user passwd kept-legal --own`\)$") as exc:
        staff.accounts.login("kept-legal", PASSWORD)
    assert exc.value.code == "password_change_required"
    with pytest.raises(AccessRefused, match="founded it on"):
        staff.accounts.issue_token(staff.accounts.get("kept-legal"))
    # The store's first administrator chose his own; the founded accounts that did act as before.
    assert staff.accounts.login("demo-admin", PASSWORD).name == "demo-admin"
    assert staff.accounts.login("demo-legal", OWN).name == "demo-legal"
    staff.own("kept-legal")  # founding confirmed it: no second person needed
    assert staff.accounts.login("kept-legal", OWN).name == "kept-legal"


def test_an_account_still_on_the_password_its_founder_chose_takes_part_in_no_two_person_act(staff: Staff) -> None:
    kept = staff.accounts.get("kept-legal")  # founded with demo-admin's password, never changed
    before = staff.register()
    with pytest.raises(AccessRefused, match=r"^record_override: kept-legal still has the password demo-admin set when he "
                                            r"founded it on 2025-12-01; its owner chooses his own first"):
        _override(staff, staff.legal2, kept)
    staff.add("late-legal", "legal_officer")
    staff.own("late-legal")
    with pytest.raises(AccessRefused, match="user confirm: kept-legal still has the password demo-admin set"):
        staff.accounts.confirm("late-legal", by=kept)
    assert staff.register() == before


def test_an_administrator_who_resets_an_officer_and_chooses_his_own_password_acts_as_nobody(
    staff: Staff, tmp_path: Path,
) -> None:
    """The attack: the administrator resets a legal officer, then, knowing the temporary password,
    chooses the officer's "own" one. Nothing acts for the account (password, token, the CLI's
    --as, POWCASE_TOKEN) until a second person confirms it; then the owner is told of the reset."""
    from powcase.access import session

    old_token = staff.accounts.issue_token(staff.legal)
    staff.accounts.change_password("demo-legal", "the admin knows this one", by=staff.admin)
    staff.accounts.change_own_password("demo-legal", "the admin knows this one", "the admin chose this too")
    legal = staff.accounts.get("demo-legal")
    waiting = (r"^account demo-legal: demo-admin reset its password on 2026-01-30 09:30 UTC; it acts again once a "
               r"second person confirms it \(`powcase user confirm demo-legal`\) \(its owner's own password is not enough\)$")
    with pytest.raises(AccessRefused, match=waiting):
        staff.accounts.login("demo-legal", "the admin chose this too")
    with pytest.raises(AccessRefused, match=waiting):
        staff.accounts.issue_token(legal)
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    url = str(staff.pw.store.engine.url)
    with pytest.raises(AccessRefused, match=waiting):
        session.current_user(staff.accounts, url, "demo-legal", lambda _: "the admin chose this too", env)
    with pytest.raises(AccessRefused, match=waiting):
        session.login(staff.accounts, url, "demo-legal", "the admin chose this too", env)
    # A token from before the reset was revoked; one that escaped it would meet the same hold.
    with pytest.raises(AccessRefused, match="revoked"):
        session.current_user(staff.accounts, url, None, lambda _: "", {**env, "POWCASE_TOKEN": old_token})
    refused = [(actor, action, reason) for actor, action, reason in staff.refusals() if actor == "demo-legal"]
    assert ("demo-legal", "login", "awaiting_confirmation") in refused
    assert ("demo-legal", "token", "awaiting_confirmation") in refused
    # Waiting does not open it; the owner may still choose his own password meanwhile (again).
    staff.clock.moment += timedelta(days=90)
    staff.accounts.change_own_password("demo-legal", "the admin chose this too", OWN + " again")
    with pytest.raises(AccessRefused, match=waiting.replace("2026-01-30", ".*")[1:]):
        staff.accounts.login("demo-legal", OWN + " again")
    # The one who reset it cannot confirm it; a second legal officer, having seen the owner, does.
    with pytest.raises(AccessRefused, match="a second person must confirm it"):
        staff.accounts.confirm("demo-legal", by=staff.admin)
    staff.accounts.confirm("demo-legal", by=staff.legal2)
    user = staff.accounts.login("demo-legal", OWN + " again")
    assert staff.accounts.notices(user) == [NOTICE]  # the first login after confirmation is told
    assert staff.accounts.notices(user) == []
    assert staff.accounts.authenticate_token(staff.accounts.issue_token(user)).name == "demo-legal"


def test_an_account_an_administrator_adds_to_a_working_office_does_not_act_until_confirmed(staff: Staff) -> None:
    staff.add("puppet-legal", "legal_officer")
    with pytest.raises(AccessRefused, match=r"^account puppet-legal: demo-admin created it on 2026-01-30 09:30 UTC; its "
                                            r"owner chooses his own password first") as exc:
        staff.accounts.login("puppet-legal", PASSWORD)
    assert exc.value.code == "password_change_required"
    staff.own("puppet-legal")
    with pytest.raises(AccessRefused, match=r"created it on .*; it acts again once a second person confirms it") as exc:
        staff.accounts.login("puppet-legal", OWN)
    assert exc.value.code == "awaiting_confirmation"
    listed = {a.name: a.standing for a in staff.accounts.list_users(by=staff.admin)}
    assert listed["puppet-legal"] == "awaiting confirmation (demo-admin created puppet-legal on 2026-01-30)"
    staff.accounts.confirm("puppet-legal", by=staff.legal)
    assert staff.accounts.login("puppet-legal", OWN).name == "puppet-legal"
    # A later change of roles neither holds a confirmed account nor frees a held one.
    staff.accounts.set_roles("puppet-legal", ["legal_officer", "registrar"], by=staff.admin)
    assert staff.accounts.login("puppet-legal", OWN).name == "puppet-legal"
    staff.accounts.change_password("demo-legal", "the admin knows this one", by=staff.admin)
    staff.accounts.change_own_password("demo-legal", "the admin knows this one", "the admin chose this too")
    staff.accounts.set_roles("demo-legal", ["legal_officer", "registrar"], by=staff.admin)
    with pytest.raises(AccessRefused, match=r"reset its password on .*; it acts again once a second person confirms it"):
        staff.accounts.login("demo-legal", "the admin chose this too")
