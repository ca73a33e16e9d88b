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
from powcase.app.sync_reading import IN_CONFLICT
from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    err,
    input_file,
    out,
    parse_day,
    print_json,
    progress_bar,
)
from powcase.cli.main import app
from powcase.domain.context import Context
from powcase.domain.values import Disposition
from powcase.errors import InvalidInput
from powcase.law import Rulebook, Status, explain, load_rulebook, render_memo
from powcase.law.memo import SourceDetail


def _rulebook(rulebook: Path | None) -> Rulebook:
    return load_rulebook(rulebook or GLOBALS.settings.rulebook_file)


@app.command("determine")
def determine_command(
    target: str | None = typer.Argument(None, help="a case id, or a case file (YAML/JSON)"),
    as_of: str | None = typer.Option(None, "--as-of", help="decide as of this date, YYYY-MM-DD (default today)"),
    all_cases: bool = typer.Option(False, "--all", help="every case in the store; prints a summary"),
    list_: list[str] = typer.Option(
        [], "--list", help="with --all: the case ids for a disposition and verdict, e.g. D2=permitted; repeat"
    ),
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
    day = parse_day("--as-of", as_of) or date.today()
    wanted = [_verdict_filter(item) for item in list_]
    if wanted and not all_cases:
        raise InvalidInput("--list: only with --all")
    book = _rulebook(input_file("--rulebook", rulebook) if rulebook else None)
    ctx = load_context(input_file("--context", context) if context else GLOBALS.settings.context_file)
    if all_cases:
        _determine_all(book, day, ctx, wanted, fmt)
        return
    if target is None:
        raise InvalidInput("give a case id or a case file, or --all")
    path = Path(target)
    if path.suffix.lower() in {".yaml", ".yml", ".json"}:
        results = [r.determination for r in determine_file(input_file("TARGET", path), book, day, ctx)]
    else:
        results = [GLOBALS.office().determine(target, book, day, ctx).determination]
    for d in results:
        if any(IN_CONFLICT in v.alerts for v in d.dispositions):
            err.print(f"case {d.case_id} is in conflict between offices: decided on the safer reading of every line "
                      "(`powcase show` lists the other line)", markup=False)
        if fmt == Format.JSON:
            out.print(d.to_json(), end="", markup=False, highlight=False)
        else:
            out.print(render_memo(d, book, details[sources]), markup=False, highlight=False)


def _verdict_filter(item: str) -> tuple[str, Status]:
    code, _sep, verdict = item.partition("=")
    try:
        return Disposition(code.strip().upper()).value, Status(verdict.strip().lower().replace(" ", "_"))
    except ValueError:
        raise InvalidInput(
            f"--list {item!r}: expected DISPOSITION=VERDICT, e.g. D2=permitted "
            f"(verdicts: {', '.join(s.value for s in Status)})"
        ) from None


def _determine_all(
    book: Rulebook, day: date, ctx: Context | None, wanted: list[tuple[str, Status]], fmt: Format
) -> None:
    office = GLOBALS.office()
    with progress_bar("determining", office.pw.count_cases()) as advance:
        results = []
        for d in office.determine_all(book, day, ctx):
            results.append(d)
            advance(1)
    table = summarise(results)
    listed = {
        f"{code}={status.value}": sorted(
            d.case_id for d in results for v in d.dispositions if v.disposition == code and v.status is status
        )
        for code, status in wanted
    }
    if fmt == Format.JSON:
        print_json({
            "as_of": day.isoformat(), "rulebook_version": book.version, "cases": len(results),
            "dispositions": {k: dict(v) for k, v in table.items()}, **({"listed": listed} if listed else {}),
        })
        return
    out.print(f"{len(results)} case(s) in custody as of {day}, rulebook {book.version}")
    width = max([len("disposition"), *(len(name) for name in table)])
    out.print(f"{'disposition':<{width}} {'permitted':>9} {'barred':>7} {'needs facts':>11}")
    for name, counts in table.items():
        out.print(f"{name:<{width}} {counts['permitted']:>9} {counts['barred']:>7} {counts['needs_facts']:>11}", markup=False)
    for key, ids in listed.items():
        out.print(f"\n{key}: {len(ids)} case(s)", markup=False)
        for case_id in ids:
            out.print(f"  {case_id}", markup=False)


@app.command("explain")
def explain_command(
    rule_id: str = typer.Argument(..., help="a rule (R1-R32) or a disposition (D1-D7)"),
    rulebook: Path | None = typer.Option(None, "--rulebook", help="deployment policy overrides (YAML)"),
) -> None:
    """A rule of the rulebook: what it says, its sources and its parameters."""
    out.print(explain(rule_id.upper(), _rulebook(rulebook)), markup=False, highlight=False)
