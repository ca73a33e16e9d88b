"""Import the counterpart's request and offer lists from CSV or XLSX.

A list is imported whole or not at all: every problem in the file is collected, each with its row
(the row a person sees in a spreadsheet, header = row 1), and one `ListError` lists them all.
Problems name the row and the field, never the name or birth date in it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated

from pydantic import Field

from powcase.exchange.dates import NotADate, normalise_birth_date
from powcase.exchange.errors import ListError
from powcase.exchange.identifiers import name_key, service_number_key
from powcase.exchange.model import FULL_NAME_MAX, Frozen, ListRow, category_code

Column = Annotated[str, Field(min_length=1)]
HEADER_ROW = 1
# Several categories in one cell: "officers; seriously wounded".
_CATEGORY_SEPARATORS = (";", ",", "/")
_DELIMITERS = (",", ";", "\t")
# No name, number, date or category needs more; a longer cell is an error in the file.
MAX_CELL_CHARS = 300
# A list of 100,000 people is a few MB; anything far larger is not a list.
MAX_LIST_BYTES = 64 * 1024 * 1024


class ColumnMapping(Frozen):
    """Which column of the file holds each field, by its header text.

    `name` may be several columns (family name, given name, patronymic), joined in that order
    with a space, as many Russian and Ukrainian lists split them.
    """

    name: Column | tuple[Column, ...]
    service_number: Column | None = None
    birth_date: Column | None = None
    category: Column | None = None
    rank: Column | None = None

    def name_columns(self) -> tuple[str, ...]:
        return (self.name,) if isinstance(self.name, str) else self.name

    def columns(self) -> dict[str, str]:
        """Field label -> header, for every mapped column."""
        out: dict[str, str] = {}
        names = self.name_columns()
        for i, column in enumerate(names):
            out["name" if len(names) == 1 else f"name[{i + 1}]"] = column
        for field in ("service_number", "birth_date", "category", "rank"):
            column = getattr(self, field)
            if column is not None:
                out[field] = column
        return out


def _header_key(value: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())


def _text(value: object) -> str | None:
    """A cell as text; numbers typed into cells lose a spurious '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class _Rows:
    """Turns (row number, cells) into ListRows, collecting every problem on the way."""

    def __init__(
        self, header: Sequence[object], mapping: ColumnMapping,
        category_values: Mapping[str, str] | None,
        *,
        strict_width: bool,
    ) -> None:
        self.mapping = mapping
        # In a CSV a cell past the header is a shifted row (an unquoted comma in a name).
        self._width = len(header) if strict_width else None
        self.problems: list[str] = []
        self.rows: list[ListRow] = []
        self._by_number: dict[str, int] = {}
        self._by_person: dict[tuple[str, str | None], tuple[int, str | None]] = {}
        self._categories = (
            None if category_values is None
            else {category_code(k): category_code(v) for k, v in category_values.items()}
        )
        positions: dict[str, int] = {}
        for i, cell in enumerate(header):
            if cell is None or not str(cell).strip():
                continue
            key = _header_key(cell)
            if key in positions:
                self.problems.append(f"row {HEADER_ROW}: column {str(cell).strip()!r} appears twice")
            positions.setdefault(key, i)
        self._index: dict[str, int] = {}
        for field, column in mapping.columns().items():
            if _header_key(column) in positions:
                self._index[field] = positions[_header_key(column)]
            else:
                self.problems.append(f"row {HEADER_ROW}: no column {column!r} (for {field})")
        self.usable = not self.problems

    def _cell(self, cells: Sequence[object], field: str) -> object:
        i = self._index.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    def add(self, row: int, cells: Sequence[object]) -> None:
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
            # The other government's file is input too: a huge cell would make matching crawl.
            self.problems.append(f"row {row}: a cell is longer than {MAX_CELL_CHARS} characters")
            return
        if all(_text(c) is None for c in cells):
            return  # a blank line between blocks is not a person
        problems: list[str] = []
        if self._width is not None and any(_text(c) for c in cells[self._width:]):
            problems.append(f"row {row}: more cells than the header has columns")
        name = self._name(row, cells, problems)
        number = _text(self._cell(cells, "service_number"))
        birth = self._birth_date(row, cells, problems)
        categories = self._categories_of(row, cells, problems)
        rank = _text(self._cell(cells, "rank"))
        if name is not None:
            self._duplicates(row, name, number, birth, problems)
        self.problems.extend(problems)
        if not problems and name is not None:
            self.rows.append(ListRow(row=row, name=name, service_number=number, birth_date=birth,
                                     rank=rank, categories=categories))

    def _name(self, row: int, cells: Sequence[object], problems: list[str]) -> str | None:
        names = self.mapping.name_columns()
        parts: list[str] = []
        for i in range(len(names)):
            value = self._cell(cells, "name" if len(names) == 1 else f"name[{i + 1}]")
            if value is not None and not isinstance(value, str):
                problems.append(f"row {row}: name is not text")
                return None
            if value and value.strip():
                parts.append(value.strip())
        if not parts:
            problems.append(f"row {row}: name is empty")
            return None
        name = " ".join(parts)
        if len(name) > FULL_NAME_MAX:
            problems.append(f"row {row}: name is longer than {FULL_NAME_MAX} characters")
            return None
        return name

    def _birth_date(self, row: int, cells: Sequence[object], problems: list[str]) -> str | None:
        try:
            return normalise_birth_date(self._cell(cells, "birth_date"))
        except NotADate as exc:
            problems.append(f"row {row}: birth_date is not a date ({exc})")
            return None

    def _categories_of(
        self, row: int, cells: Sequence[object], problems: list[str]
    ) -> tuple[str, ...]:
        text = _text(self._cell(cells, "category"))
        if text is None:
            return ()
        for sep in _CATEGORY_SEPARATORS[1:]:
            text = text.replace(sep, _CATEGORY_SEPARATORS[0])
        found: list[str] = []
        for piece in text.split(_CATEGORY_SEPARATORS[0]):
            try:
                code = category_code(piece)
            except ValueError:
                continue  # only separators or spaces
            if self._categories is not None:
                if code not in self._categories:
                    # Category words are the agreement's vocabulary, not personal data.
                    problems.append(f"row {row}: category {piece.strip()!r} is not one of the agreement's")
                    continue
                code = self._categories[code]
            if code not in found:
                found.append(code)
        return tuple(found)

    def _duplicates(
        self, row: int, name: str, number: str | None, birth: str | None, problems: list[str]
    ) -> None:
        key = service_number_key(number) if number else None
        if key:
            first = self._by_number.setdefault(key, row)
            if first != row:
                problems.append(f"row {row}: same service number as row {first}")
                return
        person = (name_key(name), birth)
        seen = self._by_person.get(person)
        if seen is None:
            self._by_person[person] = (row, key)
        elif seen[1] is None or key is None:
            # Same name and birth date, and no service numbers to tell them apart.
            problems.append(f"row {row}: same name and birth date as row {seen[0]}")


def rows_from_table(
    header: Sequence[object],
    body: Iterable[tuple[int, Sequence[object]]],
    mapping: ColumnMapping | Mapping[str, object],
    *,
    source: str = "list",
    category_values: Mapping[str, str] | None = None,
    strict_width: bool = False,
) -> tuple[ListRow, ...]:
    """The pure core: a header and numbered rows of cells -> ListRows, or one ListError.

    `category_values` maps the words of the file ('офицер', 'тяжелораненый') to the agreement's
    category codes; with it, any other word is a problem, without it words become codes as written.
    """
    columns = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.model_validate(mapping)
    reader = _Rows(header, columns, category_values, strict_width=strict_width)
    if not reader.usable:
        raise ListError(source, reader.problems)
    for row, cells in body:
        reader.add(row, cells)
    if reader.problems:
        raise ListError(source, reader.problems)
    return tuple(reader.rows)


def _delimiter(first_line: str) -> str:
    return max(_DELIMITERS, key=first_line.count)


def read_csv(
    path: Path,
    mapping: ColumnMapping | Mapping[str, object],
    *,
    delimiter: str | None = None,
    category_values: Mapping[str, str] | None = None,
) -> tuple[ListRow, ...]:
    """A UTF-8 CSV (a BOM is fine); the delimiter is `,`, `;` or tab, guessed from the header."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ListError(path.name, ["the file is not UTF-8 text"]) from None
    if not text.strip():
        raise ListError(path.name, [f"row {HEADER_ROW}: no header"])
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _delimiter(first_line), strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error:
        # An unclosed quote swallows every row after it; refuse the file instead of losing them.
        raise ListError(path.name, [
            f"row {len(records) + 1}: a quote is opened and not closed, or a cell is too long "
            f"(file line {reader.line_num})"
        ]) from None
    header, body = records[0], records[1:]
    return rows_from_table(
        header, _numbered(body, HEADER_ROW + 1), mapping, source=path.name,
        category_values=category_values, strict_width=True,
    )


def _numbered(rows: Iterable[Sequence[object]], first: int) -> Iterator[tuple[int, Sequence[object]]]:
    yield from enumerate(rows, start=first)


def read_xlsx(
    path: Path,
    mapping: ColumnMapping | Mapping[str, object],
    *,
    sheet: str | None = None,
    category_values: Mapping[str, str] | None = None,
) -> tuple[ListRow, ...]:
    """The first sheet (or `sheet`) of a workbook, opened read-only, formulas as last computed."""
    # Imported here so that commands which read no spreadsheet do not load openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ListError(path.name, ["not a readable .xlsx workbook"]) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ListError(path.name, [f"no sheet {sheet!r}"])
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # Read-only sheets yield empty tuples for missing rows, so positions are sheet rows.
        records = [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    if not records:
        raise ListError(path.name, [f"row {HEADER_ROW}: no header"])
    return rows_from_table(
        records[0], _numbered(records[1:], HEADER_ROW + 1), mapping, source=path.name,
        category_values=category_values,
    )


def read_list(
    path: Path,
    mapping: ColumnMapping | Mapping[str, object],
    *,
    sheet: str | None = None,
    category_values: Mapping[str, str] | None = None,
) -> tuple[ListRow, ...]:
    """Read a .csv or .xlsx list by its suffix."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise ListError(path.name, ["expected a .csv or .xlsx file"])
    try:
        size = path.stat().st_size
    except OSError:
        raise ListError(path.name, ["no such file, or it cannot be read"]) from None
    if size > MAX_LIST_BYTES:
        raise ListError(path.name, [f"larger than {MAX_LIST_BYTES // (1024 * 1024)} MB"])
    if suffix == ".csv":
        return read_csv(path, mapping, category_values=category_values)
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path, mapping, sheet=sheet, category_values=category_values)
    raise ListError(path.name, ["expected a .csv or .xlsx file"])
