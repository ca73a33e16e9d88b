"""``powcase determine`` and ``powcase explain``: the law engine from the command line."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import typer

from powcase.app.decisions import (
    determine_file,
    load_context,
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
    """Streams the register's verdicts (served from the projection where they still hold):
    counts and the listed ids are kept, not the determinations."""
    office = GLOBALS.office()
    counts: dict[str, Counter[str]] = {
        f"{code} {spec.title}": Counter() for code, spec in sorted(book.dispositions.items(), key=lambda kv: int(kv[0][1:]))
    }
    titles = {code: f"{code} {spec.title}" for code, spec in book.dispositions.items()}
    listed: dict[str, list[str]] = {f"{code}={status.value}": [] for code, status in wanted}
    decided = 0
    with progress_bar("determining", office.pw.count_cases()) as advance:
        for item in office.decide_register(book, day, ctx):
            decided += 1
            for code, status in item.verdicts:
                counts[titles[code]][status.value] += 1
                key = f"{code}={status.value}"
                if key in listed:
                    listed[key].append(item.case_id)
            advance(1)
    table = {name: Counter({s.value: c[s.value] for s in Status if c[s.value]}) for name, c in counts.items() if c}
    listed = {key: sorted(ids) for key, ids in listed.items()}
    if fmt == Format.JSON:
        print_json({
            "as_of": day.isoformat(), "rulebook_version": book.version, "cases": decided,
            "dispositions": {k: dict(v) for k, v in table.items()}, **({"listed": listed} if listed else {}),
        })
        return
    out.print(f"{decided} case(s) in custody as of {day}, rulebook {book.version}")
    width = max([len("disposition"), *(len(name) for name in table)])
    out.print(f"{'disposition':<{width}} {'permitted':>9} {'barred':>7} {'needs facts':>11}")
    for name, tally in table.items():
        out.print(f"{name:<{width}} {tally['permitted']:>9} {tally['barred']:>7} {tally['needs_facts']:>11}", markup=False)
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
