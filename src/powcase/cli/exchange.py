"""``powcase exchange``: plan an exchange list that never includes a prisoner against his will,
and execute it with a fresh check of every man at the handover."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from powcase.app.exchange_file import ExchangeFile, ListSource, report_pdf
from powcase.app.exchanges import load_plan, read_reconfirmations
from powcase.cli.common import (
    GLOBALS,
    Format,
    FormatOption,
    err,
    input_file,
    not_searched,
    out,
    output_folder,
    parse_day,
    print_json,
)
from powcase.cli.main import app
from powcase.domain.case import every_error
from powcase.domain.reading import load_document
from powcase.errors import InvalidInput
from powcase.exchange import (
    Exchange,
    ListError,
    ListRow,
    exclusion_table,
    list_table,
    read_list,
    write_csv,
    write_xlsx,
)
from powcase.files import write_private, write_private_with

exchange_app = typer.Typer(help="Exchange lists that never include a prisoner against his will.", no_args_is_help=True)
app.add_typer(exchange_app, name="exchange")


def _rows(source: ListSource, base: Path) -> tuple[ListRow, ...]:
    path = source.file if source.file.is_absolute() else base / source.file
    try:
        return read_list(path, source.columns, sheet=source.sheet, category_values=source.category_values)
    except ListError as exc:
        raise InvalidInput(f"{path.name}: {len(exc.problems)} problem(s), nothing imported:\n  " + "\n  ".join(exc.problems)) from None


def _exchange(path: Path) -> Exchange:
    try:
        spec = ExchangeFile.model_validate(load_document(path))
    except ValidationError as exc:
        raise InvalidInput(f"{path}: {every_error(exc)}") from None
    base = path.parent
    return Exchange(
        id=spec.id, counterpart=spec.counterpart, date=spec.date, terms=spec.terms,
        request_list=_rows(spec.request_list, base),
        offer_list=_rows(spec.offer_list, base) if spec.offer_list else (),
    )


@exchange_app.command("plan")
def plan_command(
    exchange_file: Path = typer.Argument(..., help="the exchange (YAML): id, counterpart, date, terms, lists"),
    out_dir: Path = typer.Option(Path("exchange-out"), "--out", help="folder for the plan, list and report"),
    fmt: Format = FormatOption,
) -> None:
    """Match the request list to the register, ask the law about each man as of the exchange
    date (D2 must be permitted), choose the best list under the terms, and explain every
    requested person left off. Outputs are pseudonymised: case ids, nationality, reasons."""
    output_folder("--out", out_dir)
    exchange = _exchange(input_file("EXCHANGE_FILE", exchange_file))
    office = GLOBALS.office()
    result = office.plan_exchange(exchange)
    # Case ids, nationalities and why each man is left off: the owner's eyes only (files.py).
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(out_dir / "plan.json", json.dumps(result.to_file(), indent=2) + "\n")
    listed, excluded = list_table(result.entries), exclusion_table(result.report)
    write_private_with(out_dir / "exchange-list.csv", lambda path: write_csv(listed, path))
    write_private_with(out_dir / "exclusions.csv", lambda path: write_csv(excluded, path))
    write_private_with(out_dir / "exchange.xlsx", lambda path: write_xlsx([listed, excluded], path))
    write_private(out_dir / "exchange.pdf", report_pdf(result, office.pw.today()))
    codes = Counter(e.code.value for e in result.report)
    summary: dict[str, Any] = {
        "exchange": exchange.id, "date": exchange.date.isoformat(), "requested": len(exchange.request_list),
        "on_the_list": len(result.plan.chosen), "optimal": result.plan.optimal, "excluded": dict(sorted(codes.items())),
        "rulebook_version": result.rulebook_version, "written_to": str(out_dir),
        "not_searched": list(result.skipped),
    }
    if result.skipped:
        err.print(not_searched(result.skipped), markup=False)
    if fmt == Format.JSON:
        print_json(summary)
        return
    out.print(f"exchange {exchange.id} with {exchange.counterpart} on {exchange.date}: "
              f"{len(result.plan.chosen)} of {len(exchange.request_list)} requested on the list", markup=False)
    for code, n in sorted(codes.items()):
        out.print(f"  not on the list, {code}: {n}", markup=False)
    out.print(f"written: {out_dir}/plan.json, exchange-list.csv, exclusions.csv, exchange.xlsx, exchange.pdf", markup=False)


@exchange_app.command("execute")
def execute_command(
    plan: Path = typer.Argument(..., help="plan.json written by `powcase exchange plan`"),
    on: str = typer.Option(..., "--on", help="the date of the handover"),
    reconfirmations: Path | None = typer.Option(None, "--reconfirmations", help="CSV case_id,result,by (R23)"),
    fmt: Format = FormatOption,
) -> None:
    """Re-check every listed prisoner as of the handover; record the transfer of those still
    permitted, remove and report the others. All of it in one transaction, or nothing."""
    day = parse_day("--on", on)
    if day is None:
        raise InvalidInput("--on: the date of the handover is required")
    input_file("PLAN", plan)
    if reconfirmations is not None:
        input_file("--reconfirmations", reconfirmations)
    plan_file = load_plan(plan)
    confirmed = read_reconfirmations(reconfirmations)
    done = GLOBALS.office().execute_exchange(plan_file, day, confirmed)
    if fmt == Format.JSON:
        print_json({"transferred": list(done.transferred), "removed": done.removed})
        return
    out.print(f"transferred: {len(done.transferred)}", markup=False)
    for case_id, why in done.removed.items():
        err.print(f"removed {case_id}: {why}", markup=False)
