"""``powcase field`` and ``powcase sync``: field offices that work offline and exchange signed,
encrypted bundles with headquarters (docs/field-offices.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from powcase.app.office import FieldOffice
from powcase.app.sync import Applied
from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    err,
    input_file,
    out,
    output_file,
    print_json,
)
from powcase.cli.main import app
from powcase.errors import InvalidInput
from powcase.files import write_private
from powcase.sync.identity import FIELD, HQ

field_app = typer.Typer(help="Enrol, join and revoke field offices.", no_args_is_help=True)
sync_app = typer.Typer(help="Exchange bundles of events between offices.", no_args_is_help=True)
app.add_typer(field_app, name="field")
app.add_typer(sync_app, name="sync")


def _field() -> FieldOffice:
    return FieldOffice(GLOBALS.office())


def _cases(selection: str) -> list[str]:
    """--cases: case ids separated by commas, or one filter of the case list (place=, nationality=,
    status=), or all."""
    office = GLOBALS.office()
    if selection == "all":
        return [r["case_id"] for r in office.list_cases()]
    if "=" in selection:
        key, _, value = selection.partition("=")
        if key not in ("place", "nationality", "status"):
            raise InvalidInput("--cases: a filter is place=..., nationality=... or status=...")
        return [r["case_id"] for r in office.list_cases(**{key: value})]
    return [c.strip() for c in selection.split(",") if c.strip()]


@field_app.command("identity")
def identity(
    name: str = typer.Argument(..., help="this office's name, e.g. CAMP-NORTH"),
    output: Path = typer.Option(..., "--out", help="the enrolment request to give headquarters"),
    hq: bool = typer.Option(False, "--hq", help="this store is headquarters"),
) -> None:
    """Make this office's keys; write the enrolment request (public keys only) for headquarters."""
    output_file("--out", output)
    request = _field().identity(name, HQ if hq else FIELD)
    write_private(output, json.dumps(request, indent=2) + "\n")
    out.print(f"office {name}: fingerprint {request['fingerprint']} (read it to headquarters by telephone)", markup=False)


@field_app.command("enrol")
def enrol(
    name: str = typer.Argument(..., help="the field office's name, as in its request"),
    cases: str = typer.Option(..., "--cases", help="PW-..,PW-.. or place=..., nationality=..., status=..., all"),
    request: Path = typer.Option(..., "--request", help="the field office's enrolment request"),
    output: Path = typer.Option(..., "--out", help="the enrolment package to carry to the field office"),
    hq_name: str = typer.Option("HQ", "--hq-name", help="headquarters' office name, made on first enrolment"),
) -> None:
    """At headquarters: enrol a field office with the cases it needs."""
    input_file("--request", request)
    output_file("--out", output)
    try:
        asked = json.loads(request.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(f"--request: {request}: not an enrolment request (JSON)") from None
    if not isinstance(asked, dict) or asked.get("office") != name:
        raise InvalidInput(f"--request: {request}: it is not the request of office {name}")
    chosen = _cases(cases)
    package, theirs, ours = _field().enrol(asked, chosen, hq_name)
    write_private(output, package)
    out.print(f"enrolled {name} with {len(chosen)} case(s); check its fingerprint {theirs} by telephone, "
              f"and read it headquarters' fingerprint: {ours}", markup=False)


@field_app.command("package")
def package_again(
    name: str = typer.Argument(..., help="the field office enrolled here"),
    output: Path = typer.Option(..., "--out", help="the new enrolment package to carry to the field office"),
) -> None:
    """At headquarters: a new enrolment package for a field office that lost its own before joining."""
    output_file("--out", output)
    package, theirs, ours = _field().enrol_again(name)
    write_private(output, package)
    out.print(f"a new enrolment package for {name} (fingerprint {theirs}); headquarters' fingerprint: {ours}", markup=False)


@field_app.command("extend")
def extend(
    name: str = typer.Argument(..., help="the field office enrolled here"),
    cases: str = typer.Option(..., "--cases", help="PW-..,PW-.. or place=..., nationality=..., status=..., all"),
) -> None:
    """At headquarters: give a field office more cases; the next bundle to it carries them."""
    added = _field().extend(name, _cases(cases))
    out.print(f"{name}: {added} case(s) added; they travel with the next `powcase sync export --to {name}`", markup=False)


@field_app.command("withdraw")
def withdraw(
    name: str = typer.Argument(..., help="the field office enrolled here"),
    cases: str = typer.Option(..., "--cases", help="PW-..,PW-.. or place=..., nationality=..., status=..., all"),
) -> None:
    """At headquarters: take cases back from a field office; it sends what it holds on them, then
    destroys its copy of their keys (docs/field-offices.md)."""
    field = _field()
    chosen = _cases(cases)
    if "=" in cases or cases == "all":
        # A filter names cases of the whole register: those the office holds are taken back.
        held = set(field.shared_cases(name))
        chosen = [c for c in chosen if c in held]
        if not chosen:
            raise InvalidInput(f"--cases: office {name} holds no case that matches")
    ordered = field.withdraw(name, chosen)
    if not ordered:
        out.print(f"{name}: every one of these cases is being taken back already; nothing changed", markup=False)
        return
    out.print(f"{name}: {len(ordered)} case(s) to take back; the next `powcase sync export --to {name}` carries the order "
              "(the office first sends what it holds on them): see `powcase field list`", markup=False)


@field_app.command("join")
def join(
    package: Path = typer.Argument(..., help="the enrolment package from headquarters"),
    fingerprint: str = typer.Option(..., "--fingerprint", help="headquarters' fingerprint, read out by telephone"),
) -> None:
    """At the field office: accept headquarters' enrolment package."""
    input_file("PACKAGE", package)
    applied, hq_print = _field().join(package.read_bytes(), fingerprint)
    out.print(f"joined {applied.sender} (fingerprint {hq_print}): {applied.new_cases} case(s), {applied.events} event(s)", markup=False)


@field_app.command("revoke")
def revoke(name: str) -> None:
    """Refuse every bundle from or to this office from now on (a lost or stolen laptop)."""
    _field().revoke(name)
    out.print(f"office {name} revoked", markup=False)


@field_app.command("list")
def list_offices(fmt: Format = FormatOption) -> None:
    """The offices this store synchronises with."""
    listing = _field().listing()
    if fmt == Format.JSON:
        print_json(listing)
        return
    for o in listing:
        state = f"revoked {o['revoked_at']}" if o["revoked_at"] else "enrolled"
        out.print(f"{o['office']}  {o['role']}  {state}  bundles sent {o['sent']}, received {o['received']}", markup=False)
        at_field = o["role"] == HQ  # this store is the field office: headquarters took them back from it
        for w in o["withdrawn"]:
            said = "taken back by headquarters" if at_field else "taken back"
            out.print(f"  {w['case_id']}  {said} on {(w['done_at'] or '')[:10]}: its key is destroyed at the field office",
                      markup=False)
        for w in o["withdrawing"]:
            said = ("to take back: this office holds events on it that headquarters has not acknowledged; they go with "
                    "the next bundle") if at_field else "being taken back: waiting for the office's bundle that reports it done"
            out.print(f"  {w['case_id']}  {said} (ordered {w['ordered_at'][:10]})", markup=False)


@sync_app.command("export")
def export(
    to: str = typer.Option(..., "--to", help="the office the bundle is for"),
    output: Path = typer.Option(..., "--out", help="the bundle file"),
) -> None:
    """Write every event the other office has not acknowledged, encrypted to it and signed."""
    output_file("--out", output)
    data, count = _field().export(to)
    write_private(output, data)
    out.print(f"{count} event(s) for {to} in {output} ({len(data)} bytes)", markup=False)


@sync_app.command("import")
def import_(bundle: Path = typer.Argument(..., help="a bundle from an enrolled office"), fmt: Format = FormatOption) -> None:
    """Verify a bundle and apply it all or nothing; the same bundle twice changes nothing."""
    input_file("BUNDLE", bundle)
    applied = _field().import_bundle(bundle.read_bytes())
    _report(applied, fmt)


def _report(applied: Applied, fmt: Format) -> None:
    if fmt == Format.JSON:
        print_json({"from": applied.sender, "number": applied.number, "already": applied.already, "events": applied.events,
                    "new_cases": applied.new_cases, "conflicts": applied.conflicts,
                    "duplicates": [list(d) for d in applied.duplicates], "erased": applied.erased,
                    "adopted": applied.adopted, "withdrawn": applied.withdrawn, "waiting": applied.waiting,
                    "reported_withdrawn": applied.reported_withdrawn,
                    "given_again": applied.given_again})
        return
    if applied.already:
        out.print(f"bundle {applied.number} from {applied.sender} was imported already; nothing changed", markup=False)
        return
    out.print(f"bundle {applied.number} from {applied.sender}: {applied.events} event(s), {applied.new_cases} new case(s)", markup=False)
    for case_id in applied.conflicts:
        err.print(f"case {case_id}: in conflict (both offices wrote since they last agreed); see `powcase sync conflicts`", markup=False)
    for case_id, other in applied.duplicates:
        err.print(f"case {case_id}: possibly the same man as case {other} (same service number); a person decides", markup=False)
    for case_id in applied.erased:
        out.print(f"case {case_id}: erased at {applied.sender}; this office's copy of its key is destroyed", markup=False)
    for case_id in applied.given_again:
        out.print(f"case {case_id}: given again by {applied.sender}; its key is back", markup=False)
    for case_id in applied.withdrawn:
        out.print(f"case {case_id}: taken back by {applied.sender}; this office's copy of its key is destroyed", markup=False)
    for case_id in applied.waiting:
        out.print(f"case {case_id}: {applied.sender} takes it back once it holds this office's events on it; they go with "
                  f"the next `powcase sync export --to {applied.sender}`", markup=False)
    for case_id in applied.reported_withdrawn:
        out.print(f"case {case_id}: {applied.sender} took it back; its copy of the key is destroyed there", markup=False)
    for case_id in applied.adopted:
        out.print(f"case {case_id}: {applied.sender} resolved the conflict; this office now holds the resolved line "
                  "(its own line is kept beside it, row for row: docs/field-offices.md)", markup=False)


@sync_app.command("resolve")
def resolve(
    case_id: str,
    office: str = typer.Option(..., "--office", help="the office whose line is merged"),
    reason: str = typer.Option(..., "--reason", help="why the two lines are merged so (no personal data)"),
) -> None:
    """At headquarters: merge another office's line of a case in conflict, through the execution guard."""
    carried = _field().resolve(case_id, office, reason)
    out.print(f"case {case_id}: conflict with {office} resolved; {carried} of its event(s) recorded after the resolution", markup=False)


@sync_app.command("duplicate")
def duplicate(
    case_id: str = typer.Argument(..., help="the case that arrived from a field office"),
    other: str = typer.Option(..., "--of", help="the case headquarters held for the same service number"),
    decision: str = typer.Option(..., "--decision", help="same (one man: carry its facts there, close it) or different"),
    reason: str = typer.Option(..., "--reason", help="why (no personal data)"),
) -> None:
    """At headquarters: decide whether a possible duplicate is one man (docs/field-offices.md)."""
    done = _field().decide_duplicate(case_id, other, decision, reason)
    if done.decision == "different":
        out.print(f"case {case_id}: not the same man as case {other}; both stay open "
                  "(one service number for two men is a data error: correct it on the case that holds it wrongly)", markup=False)
        return
    where = f" from event {done.first_seq}" if done.carried else ""
    out.print(f"case {case_id}: the same man as case {other}; {done.carried} of its event(s) recorded on {other}{where}; "
              f"{case_id} is closed", markup=False)
    if done.given:
        out.print(f"{done.office} is given case {other}: it travels with the next `powcase sync export --to {done.office}`",
                  markup=False)
    for seq in done.not_carried:
        err.print(f"case {case_id} event {seq} corrects its registration and was not carried (it would correct {other}'s): "
                  f"record it on {other} by hand if it holds", markup=False)


@sync_app.command("conflicts")
def conflicts(fmt: Format = FormatOption) -> None:
    """Cases in conflict between offices, and cases that may be one man registered twice."""
    field = _field()
    open_, dups = field.conflicts()
    since = field.to_carry()
    if fmt == Format.JSON:
        print_json({"conflicts": [{"case_id": c, "office": p, "diverged_after": f} for c, p, f in open_],
                    "duplicates": [{"case_id": a, "other_case_id": b, "office": p,
                                    **({"decided": "same", "to_carry": since[a, b]} if (a, b) in since else {})}
                                   for a, b, p in dups]})
        return
    for case_id, office, fork in open_:
        out.print(f"{case_id}  in conflict with {office}: both lines grew after event {fork}", markup=False)
    for case_id, other, office in dups:
        if (case_id, other) in since:
            out.print(f"{case_id}  from {office}: decided the same man as {other}, {since[case_id, other]} event(s) since, "
                      f"to carry (`powcase sync duplicate {case_id} --of {other} --decision same`)", markup=False)
        else:
            out.print(f"{case_id}  from {office}: possibly the same man as {other}", markup=False)
    err.print(f"{len(open_)} conflict(s), {len(dups)} possible duplicate(s)")
