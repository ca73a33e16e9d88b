"""``powcase deadlines``: the detaining power's duties on time, across the register."""

from __future__ import annotations

import csv
import sys
from datetime import date
from enum import StrEnum

import typer

from powcase.app.deadlines import STATUSES, DutyRow, summary
from powcase.cli.common import GLOBALS, out, parse_day, print_json
from powcase.cli.main import app
from powcase.exchange.export import safe_cell


class DeadlineFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


@app.command("deadlines")
def deadlines_command(
    as_of: str | None = typer.Option(None, "--as-of", help="as of this date (default today)"),
    overdue: bool = typer.Option(False, "--overdue", help="list only the overdue duties (the summary counts all)"),
    case_id: str | None = typer.Option(None, "--case", help="one case only"),
    fmt: DeadlineFormat = typer.Option(DeadlineFormat.TEXT, "--format", "-f", help="text, json or csv"),
) -> None:
    """Each duty (capture card, Art 122 notices, health reports, death certificate, Art 118 reasons
    ...) with its source, due date and status: a summary by duty and status first, then the rows.
    Pseudonymised unless your role may read identity."""
    day = parse_day("--as-of", as_of) or date.today()
    rows = GLOBALS.office().deadlines(day, case_id)
    table = summary(rows)
    shown = [r for r in rows if r.duty.status.value == "overdue"] if overdue else [r for r in rows if r.duty.status.value != "not_applicable"]
    if fmt == DeadlineFormat.JSON:
        print_json({"as_of": day.isoformat(), "summary": table, "duties": [r.as_dict() for r in shown]})
        return
    if fmt == DeadlineFormat.CSV:
        _csv(shown)
        return
    _text(day, table, shown, overdue)


def _csv(rows: list[DutyRow]) -> None:
    writer = csv.writer(sys.stdout)
    if not rows:
        return
    records = [r.as_dict() for r in rows]
    writer.writerow(list(records[0]))
    writer.writerows([safe_cell(v) for v in rec.values()] for rec in records)


def _text(day: date, table: dict[str, dict[str, int]], rows: list[DutyRow], overdue: bool) -> None:
    out.print(f"duties as of {day}", markup=False)
    out.print(f"{'duty':<26}" + "".join(f"{s.replace('_', ' '):>15}" for s in STATUSES), markup=False)
    for key, counts in table.items():
        if any(counts.values()):
            out.print(f"{key:<26}" + "".join(f"{counts[s]:>15}" for s in STATUSES), markup=False)
    out.print("", markup=False)
    label = "overdue" if overdue else "open and done"
    out.print(f"{len(rows)} {label} duty row(s):", markup=False)
    for row in rows:
        d = row.duty
        when = f"done {d.done_on}" if d.done_on else (f"due {d.due_on}" if d.due_on else "no fixed day")
        who = f"{d.case_id} {row.name}" if row.name else d.case_id
        detail = f" - {d.detail}" if d.detail else ""
        out.print(f"  {who}: {d.title} [{', '.join(d.sources)}] {d.status.value}, {when}{detail}", markup=False)
