"""Accounts and protection on the command line: login, users, tokens, the access log, keys,
retention and disclosures through the sharing gate."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from powcase.access import session
from powcase.access.permissions import check_roles
from powcase.access.retention import RetentionPolicy, erasable
from powcase.access.sharing import Disclosure
from powcase.cli.cases import audit_app
from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    err,
    input_file,
    out,
    output_file,
    parse_day,
    print_json,
)
from powcase.cli.main import app
from powcase.errors import InvalidInput
from powcase.files import private_file
from powcase.store.crypto import MASTER_KEY_ENV, MasterKey

user_app = typer.Typer(help="Accounts: one person, one account, named roles.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
keys_app = typer.Typer(help="The master key.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention and erasure of expired data.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(keys_app, name="keys")
app.add_typer(retention_app, name="retention")


def _new_password(name: str) -> str:
    first = GLOBALS.password(name, f"new password for {name}: ")
    if not GLOBALS.password_stdin and GLOBALS.password(name, "again: ") != first:
        raise InvalidInput("password: the two entries differ")
    return first


@app.command()
def login(name: str) -> None:
    """Log in; later commands run as this account until `powcase logout` (12 hours at most)."""
    accounts = GLOBALS.accounts()
    user = session.login(accounts, GLOBALS.settings.database_url, name, GLOBALS.password(name))
    out.print(f"logged in as {user.name} ({', '.join(sorted(user.roles))})", markup=False)
    for notice in accounts.notices(user):
        err.print(notice, markup=False)


@app.command()
def logout() -> None:
    """End the session of this machine's user for this store."""
    ended = session.logout(GLOBALS.accounts(), GLOBALS.settings.database_url)
    out.print("logged out" if ended else "no session")


@app.command()
def whoami() -> None:
    """The account this command runs as, and its roles."""
    user = GLOBALS.office().user
    out.print(f"{user.name} ({', '.join(sorted(user.roles))})", markup=False)


@user_app.command("add")
def user_add(name: str, role: list[str] = typer.Option(..., "--role", help="registrar, interviewer, legal_officer, neutral_observer, auditor, administrator")) -> None:
    """Add an account (administrator). The very first account, an administrator, needs no login."""
    accounts = GLOBALS.accounts()
    check_roles(role)
    by = GLOBALS.office().user if accounts.has_users() else None
    if by is not None:
        GLOBALS.office().before_asking("user_admin")  # before anyone types the new password
    user = accounts.add_user(name, _new_password(name), role, by=by)
    out.print(f"added {user.name} ({', '.join(sorted(user.roles))})", markup=False)


@user_app.command("disable")
def user_disable(name: str) -> None:
    """Disable an account and revoke its tokens (administrator)."""
    GLOBALS.accounts().disable(name, by=GLOBALS.office().user)
    out.print(f"disabled {name}", markup=False)


@user_app.command("enable")
def user_enable(name: str) -> None:
    GLOBALS.accounts().enable(name, by=GLOBALS.office().user)
    out.print(f"enabled {name}", markup=False)


@user_app.command("roles")
def user_roles(name: str, role: list[str] = typer.Option(..., "--role")) -> None:
    """Replace an account's roles (administrator)."""
    user = GLOBALS.accounts().set_roles(name, role, by=GLOBALS.office().user)
    out.print(f"{user.name}: {', '.join(sorted(user.roles))}", markup=False)


@user_app.command("passwd")
def user_passwd(
    name: str | None = typer.Argument(None, help="another account (administrator); default yourself"),
    own: bool = typer.Option(False, "--own", help="NAME is your account: change it with its current password, no login needed (after a reset)"),
) -> None:
    """Change a password: your own (asks the old one) or, as administrator, reset another's (its
    owner must then choose a new one, and a second person confirm the account again)."""
    if own:
        if name is None:
            raise InvalidInput("--own: name your account")
        current = GLOBALS.password(name, "current password: ")
        for notice in GLOBALS.accounts().change_own_password(name, current, _new_password(name)):
            err.print(notice, markup=False)
        out.print(f"password changed for {name}", markup=False)
        return
    me = GLOBALS.office().user
    target = name or me.name
    if target.casefold() != me.name.casefold():
        GLOBALS.office().before_asking("user_admin")
    old = GLOBALS.password(me.name, "current password: ") if target.casefold() == me.name.casefold() else None
    GLOBALS.accounts().change_password(target, _new_password(target), by=me, old_password=old)
    out.print(f"password changed for {target}", markup=False)


@user_app.command("confirm")
def user_confirm(name: str) -> None:
    """Confirm an account an administrator created, reset or re-roled, as a second person: another
    holder of its role, or another administrator. Until then it takes part in no two-person act."""
    GLOBALS.accounts().confirm(name, by=GLOBALS.office().user)
    out.print(f"confirmed {name}", markup=False)


@user_app.command("list")
def user_list(fmt: Format = FormatOption) -> None:
    """Accounts, roles, disabled or locked (administrator)."""
    accounts = GLOBALS.accounts().list_users(by=GLOBALS.office().user)
    if fmt == Format.JSON:
        print_json([a.as_dict() for a in accounts])
        return
    out.print(f"{'account':<24} {'roles':<36} state", markup=False)
    for a in accounts:
        state = "disabled" if a.disabled else (f"locked until {a.locked_until:%Y-%m-%d %H:%M:%S} UTC" if a.locked_until else "active")
        assigned = f"; assigned {', '.join(sorted(a.assigned_cases))}" if a.assigned_cases else ""
        roles = ", ".join(sorted(r.value.replace("_", " ") for r in a.roles)) or "no role"
        out.print(f"{a.name:<24} {roles:<36} {state}{assigned}", markup=False)


@user_app.command("assign")
def user_assign(observer: str, case_id: str) -> None:
    """Assign a case to a neutral observer (legal officer)."""
    GLOBALS.accounts().assign_observer(observer, case_id, by=GLOBALS.office().user)
    out.print(f"{case_id} assigned to {observer}", markup=False)


@user_app.command("revoke-tokens")
def user_revoke_tokens(name: str) -> None:
    n = GLOBALS.accounts().revoke_tokens(name, by=GLOBALS.office().user)
    out.print(f"revoked {n} token(s) of {name}", markup=False)


@token_app.command("create")
def token_create(days: int = typer.Option(90, min=1, max=timedelta.max.days), label: str | None = typer.Option(None)) -> None:
    """A token for scripts (POWCASE_TOKEN), for your own account. Shown once, stored hashed."""
    user = GLOBALS.office().user
    out.print(GLOBALS.accounts().issue_token(user, "api", timedelta(days=days), label), markup=False)


@audit_app.command("show")
def audit_show(
    user: str | None = typer.Option(None, "--user"),
    case_id: str | None = typer.Option(None, "--case"),
    since: str | None = typer.Option(None, "--since", help="YYYY-MM-DD (inclusive)"),
    until: str | None = typer.Option(None, "--until", help="YYYY-MM-DD (exclusive)"),
    fmt: Format = FormatOption,
) -> None:
    """The access log: who read or did what, to which case, when, for what purpose (auditor)."""
    def day(option: str, text: str | None) -> datetime | None:
        parsed = parse_day(option, text)
        return datetime.combine(parsed, datetime.min.time(), UTC) if parsed else None

    start, end = day("--since", since), day("--until", until)
    records = GLOBALS.office().audit_show(user, case_id, start, end)
    if fmt == Format.JSON:
        print_json([r.as_dict() for r in records])
        return
    for r in records:
        out.print(f"#{r.seq} {r.at:%Y-%m-%d %H:%M:%S} {r.actor} {r.action} {r.case_id or '-'} "
                  f"{r.outcome}{' (' + r.reason + ')' if r.reason else ''}", markup=False)


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every case key under a new master key, then replace the key file (administrator).
    Stop every other powcase process first."""
    if os.environ.get(MASTER_KEY_ENV):
        raise InvalidInput(f"{MASTER_KEY_ENV} is set: rotate with a key file, then move the new key to your secret store")
    office = GLOBALS.office()
    office.may_rotate_keys()  # before touching any file: a refusal leaves nothing behind
    key_file = GLOBALS.settings.key_file
    new = MasterKey.generate()
    staged = key_file.with_name(key_file.name + ".new")
    try:
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Left by a rotation cut short after its commit, it may hold the only key that opens the store.
        raise InvalidInput(
            f"{staged} exists: an earlier rotation was interrupted; find which of it and {key_file.name} opens the "
            "store (`powcase --key-file FILE audit verify`), keep that one as the key file, then rotate again"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(new.to_text() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        n = office.rotate_keys(new)
    except BaseException:
        staged.unlink(missing_ok=True)  # not committed: the old key still opens the store
        raise
    staged.replace(key_file)  # after the commit: from now on only the new key opens the store
    out.print(f"re-wrapped {n} case key(s); {key_file} holds the new master key (id {new.key_id})", markup=False)


@retention_app.command("run")
def retention_run(
    policy: Path | None = typer.Option(None, "--policy", help="YAML: days per category of data"),
    erase: bool = typer.Option(False, "--erase", help="erase the cases wholly due (needs --second)"),
    second: str | None = typer.Option(None, "--second", help="the second person for erasure"),
    fmt: Format = FormatOption,
) -> None:
    """Report what the retention policy says is due for erasure; with --erase, erase it."""
    rules = RetentionPolicy.from_yaml(input_file("--policy", policy)) if policy else RetentionPolicy()
    if erase and second is None:
        raise InvalidInput("--second: erasure needs an administrator and a legal officer together")
    office = GLOBALS.office()
    due = office.retention(rules)
    whole = erasable(due)
    if fmt == Format.JSON:
        print_json({"due": [d._asdict() for d in due], "erasable": whole})
    else:
        for d in due:
            out.print(f"{d.case_id} {d.category}: {d.reason}", markup=False)
        out.print(f"{len(due)} item(s) due; {len(whole)} case(s) wholly due for erasure", markup=False)
    if erase and whole:
        if second is None:
            raise InvalidInput("--second: erasure needs an administrator and a legal officer together")
        office.before_asking("erase", None, second)
        other = office.accounts.login(second, GLOBALS.password(second))
        erased = [done for case_id in whole for done in office.erase(case_id, "retention period ended", other)]
        err.print(f"erased {len(erased)} case(s)", markup=False)  # with the copies of a man registered twice


@app.command()
def disclose(
    case_ids: list[str] = typer.Argument(..., help="the cases to disclose"),
    purpose: str = typer.Option(..., help="a purpose category (see docs/data-protection.md)"),
    recipient: str = typer.Option(..., help="the receiving organisation or office"),
    recipient_kind: str = typer.Option(..., help="neutral_intermediary, power_of_origin, receiving_state, ngo, other"),
    recipient_state: str | None = typer.Option(None, help="alpha-3, when the recipient is a state"),
    legal_basis: str = typer.Option(..., help="the legal basis of the transmission"),
    field: list[str] = typer.Option(..., "--field", help="a field to disclose; repeat (the minimal set)"),
    output: Path = typer.Option(..., "-o", "--output", help="file for the disclosed records (JSON)"),
) -> None:
    """Disclose named fields of named cases to one recipient through the sharing gate; recorded
    as an event on each case. Refused for a case whose notification to his power of origin was
    withheld as harmful, unless the recipient is a neutral intermediary."""
    output_file("--output", output)
    office = GLOBALS.office()
    try:
        request = Disclosure.model_validate({
            "case_ids": case_ids, "purpose": purpose, "recipient": recipient, "recipient_kind": recipient_kind,
            "recipient_state": recipient_state, "legal_basis": legal_basis, "fields": field,
        })
    except ValidationError:
        # A malformed request is a refusal too, and the access log keeps it (no case content).
        office.gate.refuse(office.user.name, "disclose", "invalid_request")
        raise
    # The file is written (privately, beside its final name) inside the transaction that records
    # the disclosure, and put in place once that commits: a disclosure that fails records nothing.
    with private_file(output) as staged:
        def deliver(disclosure_id: str, records: list[dict[str, Any]]) -> None:
            document = {"disclosure_id": disclosure_id, "purpose": purpose, "records": records}
            staged.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

        disclosure_id, records = office.disclose(request, deliver)
    out.print(f"{disclosure_id}: {len(records)} case(s) disclosed to {recipient}; written to {output}", markup=False)
