"""``powcase determine`` and ``powcase explain``: the law engine from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from powcase.app.decisions import (
    determine_file,
    load_context,
    summarise,
)
from powcase.cli.common import GLOBALS, Format, FormatOption, out, progress_bar
from powcase.cli.main import app
from powcase.errors import InvalidInput
from powcase.law import Rulebook, explain, load_rulebook, render_memo
from powcase.law.memo import SourceDetail


def _rulebook(rulebook: Path | None) -> Rulebook:
    return load_rulebook(rulebook or GLOBALS.settings.rulebook_file)


@app.command("determine")
def determine_command(
    target: str | None = typer.Argument(None, help="a case id, or a case file (YAML/JSON)"),
    as_of: str | None = typer.Option(None, "--as-of", help="decide as of this date (default today)"),
    all_cases: bool = typer.Option(False, "--all", help="every case in the store; prints a summary"),
    rulebook: Path | None = typer.Option(None, "--rulebook", help="deployment policy overrides (YAML)"),
    context: Path | None = typer.Option(None, "--context", help="hostilities and agreements (YAML)"),
    sources: str = typer.Option("ids", "--sources", help="sources listed at the end of the memo: none, ids, or full (with their wording)"),
    fmt: Format = FormatOption,
) -> None:
    """What the law permits for a prisoner: each disposition permitted, barred or needing facts,
    why (with citations) and what would change it."""
    details: dict[str, SourceDetail] = {"none": "none", "ids": "ids", "full": "full"}
    if sources not in details:
        raise InvalidInput(f"--sources: expected none, ids or full, not {sources!r}")
    book = _rulebook(rulebook)
    day = date.fromisoformat(as_of) if as_of else date.today()
    ctx = load_context(context or GLOBALS.settings.context_file)
    if all_cases:
        office = GLOBALS.office()
        with progress_bar("determining", office.pw.count_cases()) as advance:
            results = []
            for d in office.determine_all(book, day, ctx):
                results.append(d)
                advance(1)
        table = summarise(results)
        if fmt == Format.JSON:
            out.print_json(data={k: dict(v) for k, v in table.items()})
            return
        out.print(f"{len(results)} case(s) as of {day}, rulebook {book.version}")
        out.print(f"{'disposition':<48} {'permitted':>9} {'barred':>7} {'needs facts':>11}")
        for name, counts in table.items():
            out.print(f"{name:<48} {counts['permitted']:>9} {counts['barred']:>7} {counts['needs_facts']:>11}", markup=False)
        return
    if target is None:
        raise InvalidInput("give a case id or a case file, or --all")
    path = Path(target)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} and path.exists():
        results = [r.determination for r in determine_file(path, book, day, ctx)]
    else:
        results = [GLOBALS.office().determine(target, book, day, ctx).determination]
    for d in results:
        if fmt == Format.JSON:
            out.print(d.to_json(), end="", markup=False, highlight=False)
        else:
            out.print(render_memo(d, book, details[sources]), markup=False, highlight=False)


@app.command("explain")
def explain_command(
    rule_id: str = typer.Argument(..., help="a rule (R1-R32) or a disposition (D1-D7)"),
    rulebook: Path | None = typer.Option(None, "--rulebook", help="deployment policy overrides (YAML)"),
) -> None:
    """A rule of the rulebook: what it says, its sources and its parameters."""
    out.print(explain(rule_id.upper(), _rulebook(rulebook)), markup=False, highlight=False)
