"""Commands over the register: init, register, list, show, history, export, import, erase, audit."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from powcase.app import init_store
from powcase.app.office import FieldOffice, open_office
from powcase.app.tracing import possible_duplicates
from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    dump_yaml,
    err,
    input_file,
    not_searched,
    out,
    output_file,
    parse_day,
    print_json,
    progress_bar,
)
from powcase.cli.fields import parse_assignments, read_fields
from powcase.cli.main import app
from powcase.cli.render import render_case, render_history
from powcase.demo import CONTEXT, demo_bundle
from powcase.domain.casefile import Person, casefile_schema, parse_casefiles, read_casefiles
from powcase.domain.context import Context
from powcase.errors import IntegrityFailure, InvalidInput
from powcase.files import write_private
from powcase.store.checkpoint import read_checkpoint, write_checkpoint


class FileFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


audit_app = typer.Typer(help="Check the integrity of the store.", no_args_is_help=True)
schema_app = typer.Typer(help="Published JSON Schemas.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(schema_app, name="schema")


@app.command()
def init() -> None:
    """Create the store (and a master key file, unless POWCASE_MASTER_KEY is set), or upgrade it."""
    settings = GLOBALS.settings
    created = init_store(settings)
    out.print(f"store ready: {settings.database_url}")
    if created:
        out.print(f"new master key: {settings.key_file} (readable by you only)")
        out.print("keep a copy of the key apart from the database: without it the register cannot be read.")
    if settings.witness_file is not None and not settings.witness_file.exists():
        err.print(f"this store has no witness ({settings.witness_file}): an administrator runs `powcase audit witness-init`", markup=False)


@app.command()
def register(
    family_name: str | None = typer.Option(None, help="family name in Latin letters"),
    family_name_native: str | None = typer.Option(None, help="family name in his own script"),
    given_names: str | None = typer.Option(None, help="given names in Latin letters"),
    given_names_native: str | None = typer.Option(None, help="given names in his own script"),
    born: str | None = typer.Option(None, help="date of birth, YYYY-MM-DD"),
    rank: str | None = typer.Option(None),
    service_number: str | None = typer.Option(None),
    nationality: str | None = typer.Option(None, help="ISO 3166-1 alpha-3, e.g. PRK"),
    armed_force: str | None = typer.Option(None, help="state whose forces he served in, alpha-3"),
    language: list[str] = typer.Option([], "--language", help="ISO 639 code; repeat for several"),
    registered_on: str | None = typer.Option(None, help="date of registration (default today)"),
    file: Path | None = typer.Option(None, "--file", help="YAML/JSON person block (as in a case file)"),
    set_: list[str] = typer.Option([], "--set", help="any other field: key=value"),
    case_id: str | None = typer.Option(None, help="use this case id instead of a new one"),
) -> None:
    """Register a prisoner of war (GC III Art 17). Prints the new case id."""
    day = parse_day("--registered-on", registered_on)
    data = read_fields(input_file("--file", file) if file else None)
    given = {
        "family_name": _name(family_name, family_name_native),
        "given_names": _name(given_names, given_names_native),
        "birth_date": born, "rank": rank, "service_number": service_number,
        "nationality": nationality, "armed_force": armed_force, "languages": language or None,
    }
    data.update({k: v for k, v in given.items() if v})
    data = parse_assignments(set_, data)
    office = GLOBALS.office()
    data.setdefault("registered_on", (day or office.pw.today()).isoformat())
    person = Person.model_validate(data).to_event()
    new_id = office.register(person, case_id)
    out.print(new_id)
    # After the write, so that a refused registration prints its one error line and nothing else.
    duplicates = possible_duplicates(office.pw.store, person)
    for c in duplicates.candidates:
        if c.label == "likely" and c.record_id != new_id:
            err.print(f"warning: may already be registered as {c.record_id} ({c.label}: {'; '.join(c.reasons)})", markup=False)
    others = [case for case in duplicates.skipped if case != new_id]
    if new_id in duplicates.skipped:
        err.print(f"warning: {new_id} cannot be found by name: tracing reads Hangul, Cyrillic and Latin names; "
                  "add the name's Latin form (`powcase record correction`)", markup=False)
    if others:
        err.print(not_searched(others), markup=False)


def _name(latin: str | None, native: str | None) -> dict[str, str] | None:
    if not (latin or native):
        return None
    return {k: v for k, v in (("latin", latin), ("native", native)) if v}


@app.command("list")
def list_cases(
    nationality: str | None = typer.Option(None),
    place: str | None = typer.Option(None, help="current place of internment"),
    status: str | None = typer.Option(None, help="interned, transferred, died, escaped, erased"),
    conflicts: bool = typer.Option(False, "--conflicts", help="only cases in conflict between offices (docs/field-offices.md)"),
    fmt: Format = FormatOption,
) -> None:
    """List cases, pseudonymised: case id, nationality, status and dates; no names, no places."""
    rows = GLOBALS.office().list_cases(nationality, place, status)
    if conflicts:
        in_conflict = {case_id for case_id, _, _ in FieldOffice(GLOBALS.office()).conflicts()[0]}
        rows = [r for r in rows if r["case_id"] in in_conflict]
    if fmt == Format.JSON:
        print_json(rows)
        return
    if rows:
        # One write for the whole list: a line per print was most of the time of a long list.
        lines = [f"{'case id':<{len(rows[0]['case_id'])}}  nat  {'status':<11} captured on"]
        lines += [f"{r['case_id']}  {r.get('nationality') or '---'}  {r['status']:<11} {r.get('captured_on') or ''}"
                  + (f"  registered twice, see {r['duplicate_of']}" if r.get("duplicate_of") else "") for r in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    err.print(f"{len(rows)} case(s)")


@app.command()
def show(
    case_id: str,
    as_of: str | None = typer.Option(None, "--as-of", help="facts as of this date"),
    fmt: Format = FormatOption,
) -> None:
    """The current facts of one case."""
    day = parse_day("--as-of", as_of)
    case, statements = GLOBALS.office().case(case_id, day)
    rendered = render_case(case, statements=statements)
    others = FieldOffice(GLOBALS.office()).lines(case_id)
    if others:  # both lines are shown; docs/field-offices.md
        rendered["in_conflict"] = [
            {"office": line.office, "diverged_after": line.fork_seq,
             "their_events": [f"#{r.seq} {r.occurred_on} {r.type} by {r.actor}" for r in line.history[line.fork_seq:]]}
            for line in others
        ]
    if fmt == Format.JSON:
        print_json(rendered)
    else:
        out.print(dump_yaml(rendered), markup=False)


@app.command()
def history(case_id: str, fmt: Format = FormatOption) -> None:
    """The timeline of one case: every event, who recorded it and when, with its hash."""
    history, statements = GLOBALS.office().history(case_id)
    rows = render_history(history, statements=statements)
    if fmt == Format.JSON:
        print_json(rows)
        return
    for r in rows:
        at = datetime.fromisoformat(r["recorded_at"])
        sender = f", received from {r['received_from']}" if r.get("received_from") else ""
        out.print(f"#{r['seq']:<3} {r['occurred_on']}  {r['type']:<22} by {r['actor']}{sender} at {at:%Y-%m-%d %H:%M:%S}",
                  markup=False)
        for key, value in (r.get("facts") or {}).items():
            out.print(f"       {key}: {json.dumps(value, ensure_ascii=False)}", markup=False)


@app.command("export")
def export_case(
    case_id: str | None = typer.Argument(None, help="one case, exported with identities (legal officer, with --purpose)"),
    all_cases: bool = typer.Option(False, "--all", help="every case, pseudonymised (no names, no statements)"),
    output: Path | None = typer.Option(None, "-o", "--output", help="file to write (default: standard output)"),
    fmt: FileFormat = typer.Option(FileFormat.YAML, "--format", "-f", help="yaml or json"),
    purpose: str | None = typer.Option(None, "--purpose", help="why it leaves the system (a purpose category, logged)"),
) -> None:
    """Export. `--all` writes every case through the sharing gate: case id, nationality, status
    and dates only. One case with its identity and statements is a case file that `powcase
    import` reads back: legal officers only, with a purpose, and logged."""
    if output is not None:
        output_file("--output", output)
    if not all_cases and case_id is None:
        raise InvalidInput("give a case id, or --all for a pseudonymised export of every case")
    office = GLOBALS.office()
    if all_cases or case_id is None:
        data: Any = {"pseudonymised": True, "cases": office.export_pseudonymised()}
    else:
        data = office.export(case_id, purpose)  # the gate refuses a missing purpose
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if fmt == FileFormat.JSON else dump_yaml(data)
    if output:
        write_private(output, text)  # names, wishes and words: the owner's eyes only
        err.print(f"wrote {output}")
    else:
        out.print(text, end="", markup=False)


@app.command("import")
def import_files(files: list[Path]) -> None:
    """Import case files (one case or a bundle of `cases:`), all or nothing."""
    for f in files:
        input_file("FILES", f)
    casefiles = [cf for f in files for cf in read_casefiles(f)]
    with progress_bar("importing", len(casefiles)) as advance:
        ids = GLOBALS.office().import_casefiles(casefiles, advance)
    for cid in ids[:20]:
        out.print(cid)
    if len(ids) > 20:
        out.print(f"... and {len(ids) - 20} more")
    err.print(f"imported {len(ids)} case(s)")


@app.command()
def rebuild() -> None:
    """Recompute the case summary from the events (administrator)."""
    office = GLOBALS.office()
    with progress_bar("rebuilding", office.pw.count_cases()) as advance:
        n = office.rebuild(advance)
    out.print(f"rebuilt the summary of {n} case(s)")


@app.command()
def erase(
    case_id: str,
    reason: str = typer.Option(..., help="why (stays readable: no personal data)"),
    second: str = typer.Option(..., "--second", help="the second person (administrator and legal officer act together); asks the password"),
) -> None:
    """Crypto-shred a case: destroy its key; history and hashes stay and verify. A man registered
    twice is erased whole: the cases closed as registering him again go with his case."""
    office = GLOBALS.office()
    office.before_asking("erase", case_id, second)
    # Before the password: a copy alone is refused, and the copies his case takes are named.
    for copy in office.erasable(case_id):
        err.print(f"erasing case {case_id} erases case {copy} too: closed, registered twice", markup=False)
    other = office.accounts.login(second, GLOBALS.password(second))
    erased = office.erase(case_id, reason, other)
    for done in erased:
        out.print(f"case {done} erased: its personal data can no longer be read", markup=False)


@audit_app.command("verify")
def audit_verify(
    fmt: Format = FormatOption,
    against: Path | None = typer.Option(None, "--against", help="a checkpoint published earlier (`powcase audit checkpoint`): "
                                        "check that the store has not been rolled back behind it"),
) -> None:
    """Check every case's hash chain, its head against the witness outside the database, the
    case summary and the access log's chain; name each place where one breaks."""
    office = GLOBALS.office()
    checkpoint = read_checkpoint(against) if against else None
    with progress_bar("verifying", office.pw.count_cases()) as advance:
        breaks, log_problems = office.verify(advance)
    sealed = True
    if checkpoint is not None:
        behind, sealed = office.check_against(checkpoint)
        breaks = [*breaks, *behind]
    problems = [str(b) for b in breaks] + [f"access log: {p}" for p in log_problems]
    if fmt == Format.JSON:
        print_json({"ok": not problems, "breaks": [{"case_id": b.case_id, "seq": b.seq, "problem": b.problem} for b in breaks],
                    "access_log": log_problems})
    else:
        for p in problems:
            out.print(p, markup=False)
        if not problems:
            out.print("all chains verify")
            if checkpoint is not None:
                out.print(f"not behind the checkpoint of {checkpoint.get('made_at')} ({checkpoint.get('cases')} case(s))", markup=False)
    if not sealed:
        err.print("note: the checkpoint was made under an earlier master key; its seal was not checked, its heads were", markup=False)
    if problems:
        raise IntegrityFailure(f"{len(problems)} break(s) in the hash chains")


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Path = typer.Option(..., "--out", "-o", help="file to write: hand it to the neutral intermediary"),
) -> None:
    """Publish the store's heads (case ids, event numbers, hashes; no person, no fact) after
    verifying the store, for `powcase audit verify --against FILE` later."""
    checkpoint = GLOBALS.office().checkpoint()
    write_checkpoint(output, checkpoint)
    out.print(f"checkpoint of {checkpoint['cases']} case(s) at {checkpoint['made_at']}: root {checkpoint['root']}", markup=False)
    err.print(f"wrote {output}; keep the root in your records and give the file to the neutral intermediary", markup=False)


@audit_app.command("witness-init")
def audit_witness_init(
    against: Path | None = typer.Option(None, "--against", help="the last checkpoint published: refuse if the store is behind it"),
) -> None:
    """Create the witness of a store that has none (an older store, or a lost witness file),
    from the store as it verifies now (administrator)."""
    office = GLOBALS.office()
    if against is not None:
        behind, _ = office.check_against(read_checkpoint(against))
        if behind:
            raise IntegrityFailure(f"{behind[0]}; no witness made")
    n = office.init_witness()
    out.print(f"witness of {n} case(s) written to {office.pw.store.witness.path if office.pw.store.witness else '?'}", markup=False)
    err.print("it vouches for the store as it is now: a rollback before now is found only against a published checkpoint", markup=False)


@schema_app.command("casefile")
def schema_casefile(output: Path | None = typer.Option(None, "-o", "--output")) -> None:
    """The JSON Schema of case files."""
    if output is not None:
        output_file("--output", output)
    text = json.dumps(casefile_schema(), ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        out.print(text, end="", markup=False)




# The demo's accounts, one per role, and a second administrator: an account an administrator
# resets acts again only once a second person confirms it (`powcase serve --demo-passwords` has
# demo-admin2 reset and demo-admin confirm). Their passwords are random and never shown: the demo
# hands out API tokens instead, one file each, readable by the owner only.
DEMO_ACCOUNTS = {
    "demo-admin": "administrator",
    "demo-admin2": "administrator",
    "demo-registrar": "registrar",
    "demo-interviewer": "interviewer",
    "demo-legal": "legal_officer",
    "demo-observer": "neutral_observer",
    "demo-auditor": "auditor",
}


@app.command()
def demo(
    count: int = typer.Option(1000, min=0, max=100_000, help="how many invented prisoners besides the two soldiers"),
    seed: int = typer.Option(2025, help="the seed the invented prisoners are drawn from: the same seed, the same demo"),
) -> None:
    """Fill a fresh store with invented demo prisoners and one account per role (the store must
    be new: no cases, no accounts). Tokens for the accounts are written beside the store."""
    settings = GLOBALS.settings
    init_store(settings)
    pw = GLOBALS.app()
    accounts = GLOBALS.accounts()
    if pw.count_cases() or accounts.has_users():
        raise InvalidInput("the store is not new; the demo needs a fresh one (see `make demo`)")
    admin = accounts.add_user("demo-admin", secrets.token_urlsafe(18), ["administrator"], by=None)
    folder = settings.key_file.parent / "tokens"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    users = {"demo-admin": admin}
    for name, role in DEMO_ACCOUNTS.items():
        if name != "demo-admin":
            first = secrets.token_urlsafe(18)
            users[name] = accounts.add_user(name, first, [role], by=admin)
            # No account acts on its founder's password once the register holds a case: each owner
            # (the demo plays him) chooses his own, as a real office's staff would before opening.
            accounts.change_own_password(name, first, secrets.token_urlsafe(18))
        write_private(folder / f"{name}.token", accounts.issue_token(users[name], "api", label="demo") + "\n")
    if not settings.context_file.exists():
        settings.context_file.write_text(dump_yaml(CONTEXT), encoding="utf-8")
    # The demo's exchanges are decided by the guard in the demo's context, like any import.
    pw.context = pw.context or Context.model_validate(CONTEXT)
    casefiles = parse_casefiles(demo_bundle(count, seed), "demo")
    with progress_bar("importing demo", len(casefiles)) as advance:
        ids = open_office(pw, users["demo-registrar"]).import_casefiles(casefiles, advance)
    out.print(f"imported {len(ids)} invented prisoners into {settings.database_url}")
    out.print(f"context (hostilities, agreements): {settings.context_file}")
    out.print(f"accounts: {', '.join(f'{n} ({r})' for n, r in DEMO_ACCOUNTS.items())}; API tokens in {folder}/")
