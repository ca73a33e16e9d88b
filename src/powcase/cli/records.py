"""``powcase record <event> CASE``: one subcommand per event type, generated from the events.

Each event class's docstring is its help; its fields are set with ``--set key=value`` or read
from ``--file``. ``powcase schema event <name>`` prints the fields an event takes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer

from powcase.app.interviews import interview_assessment
from powcase.app.office import Office
from powcase.cli.cases import schema_app
from powcase.cli.common import GLOBALS, Format, FormatOption, err, input_file, out, parse_day
from powcase.cli.fields import parse_assignments, read_fields
from powcase.cli.main import app
from powcase.domain.events import COMMANDS, Event, Interviewed, OverrideGranted, parse_event
from powcase.domain.field_help import fields_text
from powcase.domain.values import Disposition
from powcase.errors import InvalidInput

record_app = typer.Typer(help="Record something that happened to a prisoner.", no_args_is_help=True)
app.add_typer(record_app, name="record")


def _command(cls: type[Event]) -> Callable[..., None]:
    event_type = cls.model_fields["type"].default

    def record(
        case_id: str = typer.Argument(..., help="case id"),
        on: str | None = typer.Option(None, "--on", help="the date it happened, YYYY-MM-DD (default today)"),
        set_: list[str] = typer.Option([], "--set", help="a field: key=value (YAML value); repeat"),
        file: Path | None = typer.Option(None, "--file", help="YAML/JSON file with the fields"),
        expect_seq: int | None = typer.Option(
            None, "--expect-seq", help="the last event you saw; refuse if the case changed since"
        ),
    ) -> None:
        day = parse_day("--on", on)
        data = parse_assignments(set_, read_fields(input_file("--file", file) if file else None))
        office = GLOBALS.office()
        data["type"] = event_type
        data["occurred_on"] = (day.isoformat() if day else None) or data.get("occurred_on") or office.pw.today().isoformat()
        written = office.record(case_id, parse_event(data), expect_seq)
        out.print(f"case {case_id} event {written.seq}: {written.type} on {written.occurred_on}")
        if isinstance(written.event, Interviewed):
            _say_if_it_does_not_count(office, case_id, written.seq)

    # The help lists the fields, so that `record NAME --help` is enough to record one.
    record.__doc__ = (
        (cls.__doc__ or event_type).strip()
        + "\n\nFields (--set name=value, or --file):\n\n\b\n"
        + fields_text(cls)
    )
    return record


def _say_if_it_does_not_count(office: Office, case_id: str, seq: int) -> None:
    """The engine's own free-will rules say whether the interview just recorded counts."""
    assessment = interview_assessment(office.pw, case_id, seq)
    if assessment is None or assessment.qualifies:
        return
    err.print(f"note: interview (event {seq}) will not count toward an established wish:", markup=False)
    for reason in assessment.defects:
        err.print(f"  - {reason.text} [{reason.rule}]", markup=False)
    err.print("  see `powcase schema event interview` for the fields that record each safeguard", markup=False)


for _name, _cls in sorted(COMMANDS.items()):
    if _cls is not OverrideGranted:  # granted by two people together: `powcase override`
        record_app.command(_name)(_command(_cls))


@app.command()
def override(
    case_id: str,
    disposition: Disposition = typer.Option(..., help="D1-D7: the disposition the guard refused"),
    reason: str = typer.Option(..., help="why the law engine's verdict is set aside"),
    second: str = typer.Option(..., "--second", help="the second approver (asks the password)"),
    on: str | None = typer.Option(None, "--on", help="the date (default today)"),
) -> None:
    """Override the execution guard for one disposition of one case: two people, both logged,
    and the override itself an event the transfer must name (--set override_seq=N)."""
    when = parse_day("--on", on)
    office = GLOBALS.office()
    office.before_asking("record_override", case_id, second)
    other = office.accounts.login(second, GLOBALS.password(second))
    day = when or office.pw.today()
    written = office.grant_override(case_id, disposition, reason, other, day)
    out.print(f"case {case_id} event {written.seq}: override of {disposition.value} by {office.user.name} and {other.name}", markup=False)


@schema_app.command("event")
def schema_event(
    name: str = typer.Argument(..., help=f"one of: {', '.join(sorted(COMMANDS))}"),
    fmt: Format = FormatOption,
) -> None:
    """The fields of one event type as `record` takes them: type, required or not, and what it is
    (`--format json`: its JSON Schema)."""
    cls = COMMANDS.get(name)
    if cls is None:
        raise InvalidInput(f"unknown event {name!r}; one of: {', '.join(sorted(COMMANDS))}")
    if fmt == Format.JSON:
        out.print(json.dumps(cls.model_json_schema(), ensure_ascii=False, indent=2), markup=False)
        return
    out.print(f"{name}: {(cls.__doc__ or '').strip().splitlines()[0]}", markup=False)
    out.print(fields_text(cls), markup=False)
