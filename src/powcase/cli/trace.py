"""``powcase trace``: find a person across scripts in the register, or match files in bulk."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import typer

from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    err,
    input_file,
    not_searched,
    out,
    parse_day,
    print_json,
)
from powcase.cli.main import app
from powcase.errors import InvalidInput
from powcase.tracing import TracingInputError, match_file

trace_app = typer.Typer(help="Find the right person across scripts (tracing).", no_args_is_help=True)
app.add_typer(trace_app, name="trace")


@trace_app.command("search")
def trace_search(
    name: str = typer.Argument(..., help="a full name in any script and order"),
    born: str | None = typer.Option(None, "--born", help="YYYY-MM-DD or YYYY"),
    top: int = typer.Option(10, "--top", min=1, max=100),
    fmt: Format = FormatOption,
) -> None:
    """Ranked candidates for a person to confirm; `accept` only when nothing else could be him."""
    if born is not None:
        _check_born(born)
    result = GLOBALS.office().trace(name, born, top)
    if result.skipped:
        err.print(not_searched(result.skipped), markup=False)
    if fmt == Format.JSON:
        print_json(result.model_dump())
        return
    if not result.candidates:
        out.print(f"no candidate: {result.reason}", markup=False)
        return
    for c in result.candidates:
        out.print(f"{c.record_id}  {c.label:<8}  {'; '.join(_plain(r) for r in c.reasons)}", markup=False)
    out.print("accepted: the first candidate" if result.accept else "not accepted: a person must confirm")


_WEIGHT = re.compile(r",? ?\(?[+-]\d+(?:\.\d+)?\)")


def _plain(reason: str) -> str:
    """A reason without the matcher's log-odds weight, which means nothing to the person
    confirming: "family name exact (100%, +8.8)" -> "family name exact (100%)"."""
    text = _WEIGHT.sub(lambda m: ")" if "(" not in m.group(0) else "", reason)
    return text.replace(" ()", "").strip()


def _check_born(born: str) -> None:
    """A birth date or a year, the two forms the tracer reads; never echoed (it is personal)."""
    text = born.strip()
    if len(text) == 4 and text.isdigit():
        return
    try:
        parse_day("--born", text)
    except InvalidInput:
        raise InvalidInput("--born: expected YYYY-MM-DD or YYYY") from None


@trace_app.command("match")
def trace_match(
    register: Path = typer.Option(..., "--register", help="JSONL or CSV: id, family_name, given_name[, patronymic, birth_date, language]"),
    queries: Path = typer.Option(..., "--queries", help="JSONL or CSV: id, name[, birth_date]"),
    top: int = typer.Option(10, "--top", min=1, max=100),
) -> None:
    """Match a file of queries against a register file; one JSON line per query."""
    input_file("--register", register)
    input_file("--queries", queries)
    try:
        for line in match_file(register, queries, top=top):
            out.print(json.dumps(line, ensure_ascii=False), markup=False, highlight=False)
    except TracingInputError as exc:
        raise InvalidInput(str(exc)) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.__class__.__name__}: {exc.filename}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"cannot read the register or the queries: {exc.__class__.__name__}") from None
    err.print("done", markup=False)
