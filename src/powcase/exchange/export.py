"""Tables as CSV, XLSX or plain rows (the lead renders PDF from the rows).

Cells that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first) are
written as text by :func:`safe_cell`, in CSV and XLSX alike: a name or a reason coming from another
government's file must never execute in the reader's spreadsheet. Every export of the project
writes its spreadsheets through this module, so that the rule lives in one place.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from powcase.exchange.model import Frozen

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_MAX = 31  # Excel's limit


class Table(Frozen):
    """A rendering: a title, column names and rows of text, ready for any output format."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def records(self) -> list[dict[str, str]]:
        """Plain data: one dict per row, keyed by column (for PDF and JSON)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def safe_cell(value: str) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def write_csv(table: Table, path: Path) -> None:
    """UTF-8 with a BOM, so that Excel opens Hangul and Cyrillic correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows([safe_cell(v) for v in row] for row in table.rows)


def write_xlsx(tables: Sequence[Table], path: Path) -> None:
    """One sheet per table; every cell is a string cell, so nothing is read as a formula."""
    # Imported here so that commands which write no spreadsheet do not load openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table.title[:_SHEET_TITLE_MAX])
        for row in (table.columns, *table.rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=safe_cell(value))
                cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    book.save(path)
