"""``powcase record <event> CASE``: one subcommand per event type, generated from the events.

Each event class's docstring is its help; its fields are set with ``--set key=value`` or read
from ``--file``. ``powcase schema event <name>`` prints the fields an event takes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import typer

from powcase.cli.common import GLOBALS, out
from powcase.cli.fields import parse_assignments, read_fields
from powcase.cli.main import app
from powcase.domain.events import COMMANDS, Event, OverrideGranted, parse_event
from powcase.domain.values import Disposition

record_app = typer.Typer(help="Record something that happened to a prisoner.", no_args_is_help=True)
app.add_typer(record_app, name="record")


def _command(cls: type[Event]) -> Callable[..., None]:
    event_type = cls.model_fields["type"].default

    def record(
        case_id: str = typer.Argument(..., help="case id"),
        on: str | None = typer.Option(None, "--on", help="the date it happened (default today)"),
        set_: list[str] = typer.Option([], "--set", help="a field: key=value (YAML value); repeat"),
        file: Path | None = typer.Option(None, "--file", help="YAML/JSON file with the fields"),
        expect_seq: int | None = typer.Option(
            None, "--expect-seq", help="the last event you saw; refuse if the case changed since"
        ),
    ) -> None:
        office = GLOBALS.office()
        data = parse_assignments(set_, read_fields(file))
        data["type"] = event_type
        data["occurred_on"] = on or data.get("occurred_on") or office.pw.today().isoformat()
        written = office.record(case_id, parse_event(data), expect_seq)
        out.print(f"case {case_id} event {written.seq}: {written.type} on {written.occurred_on}")

    record.__doc__ = (cls.__doc__ or event_type).strip()
    return record


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
    office = GLOBALS.office()
    other = office.accounts.login(second, GLOBALS.password(second))
    day = date.fromisoformat(on) if on else office.pw.today()
    written = office.grant_override(case_id, disposition, reason, other, day)
    out.print(f"case {case_id} event {written.seq}: override of {disposition.value} by {office.user.name} and {other.name}", markup=False)


schema_event_app = typer.Typer(help="The fields of each event type.", no_args_is_help=True)


@schema_event_app.command("event")
def schema_event(name: str = typer.Argument(..., help=f"one of: {', '.join(sorted(COMMANDS))}")) -> None:
    """The JSON Schema of one event type, as `record` takes it."""
    cls = COMMANDS.get(name)
    if cls is None:
        raise typer.BadParameter(f"unknown event {name!r}; one of: {', '.join(sorted(COMMANDS))}")
    out.print(json.dumps(cls.model_json_schema(), ensure_ascii=False, indent=2), markup=False)


