"""``powcase cta-list``: Art 122 particulars and notices for the Central Tracing Agency."""

from __future__ import annotations

from pathlib import Path

import typer

from powcase.app.cta import CtaList
from powcase.app.documents import refuse_existing
from powcase.cli.common import GLOBALS, err, out, output_file, parse_day
from powcase.cli.main import app
from powcase.errors import InvalidInput
from powcase.exchange.export import write_csv, write_xlsx
from powcase.files import write_private_with


def cta_paths(out_file: Path) -> tuple[Path, Path, Path]:
    """FILE.csv and FILE.xlsx for the Agency, FILE-withheld-INTERNAL.csv for the bureau."""
    stem = out_file.with_suffix("") if out_file.suffix.lower() in (".csv", ".xlsx") else out_file
    return (stem.with_name(stem.name + ".csv"), stem.with_name(stem.name + ".xlsx"),
            stem.with_name(stem.name + "-withheld-INTERNAL.csv"))


@app.command("cta-list")
def cta_list_command(
    since: str = typer.Option(..., "--since", help="notices dated on or after this day (YYYY-MM-DD)"),
    out_file: Path = typer.Option(..., "--out", "-o", help="FILE: writes FILE.csv, FILE.xlsx and FILE-withheld-INTERNAL.csv"),
    force: bool = typer.Option(False, "--force", help="replace the files if they exist"),
) -> None:
    """The Art 122 particulars and notices since a date, as CSV and XLSX (docs/cta-list.md), through
    the sharing gate: a disclosure is recorded on every case on the list; a man for whom withholding
    is recorded or proposed (Art 123) is left off and named in the withheld report, which never
    leaves the bureau."""
    day = parse_day("--since", since)
    if day is None:
        raise InvalidInput("--since: a date is needed (YYYY-MM-DD)")
    csv_path, xlsx_path, withheld_path = cta_paths(out_file)
    for path in (csv_path, xlsx_path, withheld_path):
        output_file("--out", path)
        refuse_existing(path, force)  # before the disclosure is recorded: nothing half-done

    def deliver(listing: CtaList) -> None:
        # Inside the transaction that records the disclosure: files that cannot be written
        # leave no disclosure on record.
        write_private_with(csv_path, lambda p: write_csv(listing.table, p))
        write_private_with(xlsx_path, lambda p: write_xlsx([listing.table], p))
        write_private_with(withheld_path, lambda p: write_csv(listing.withheld, p))

    listing = GLOBALS.office().cta_list(day, deliver)
    out.print(f"{len(listing.table.rows)} notice(s) since {day} in {csv_path} and {xlsx_path}"
              + (f", disclosure {listing.disclosure_id}" if listing.disclosure_id else ""), markup=False)
    err.print(f"{len(listing.withheld.rows)} man/men left off (Art 123): {withheld_path} - never send it out", markup=False)
