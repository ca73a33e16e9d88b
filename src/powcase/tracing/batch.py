"""Batch matching: a register file against a file of queries, one JSON line per query.

Rows are numbered as a person would find them: the line number in a JSONL
file, the spreadsheet row (header = row 1) in a CSV file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from powcase.tracing.match import NameIndex
from powcase.tracing.models import Query, RegisterEntry, TracingInputError

REGISTER_REQUIRED = ("id", "family_name", "given_name")
REGISTER_OPTIONAL = ("patronymic", "birth_date", "language")
QUERY_REQUIRED = ("id", "name")
QUERY_OPTIONAL = ("birth_date",)


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        with path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    raise TracingInputError(f"row {line_no}: not valid JSON") from None
                if not isinstance(row, dict):
                    raise TracingInputError(f"row {line_no}: not a JSON object")
                for column in required:
                    if column not in row:
                        raise TracingInputError(f"row {line_no}: missing {column}")
                yield line_no, row
    elif suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise TracingInputError(f"row 1: missing column(s): {', '.join(missing)}")
            for row_no, row in enumerate(reader, start=2):
                if None in row:
                    raise TracingInputError(f"row {row_no}: more fields than the header")
                yield row_no, dict(row)
    else:
        raise TracingInputError(f"{path.name}: expected a .jsonl or .csv file")


def _text(row: dict[str, Any], column: str, row_no: int) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TracingInputError(f"row {row_no}: {column} must be text")
    text = str(value).strip()
    return text or None


def read_register(path: Path) -> list[RegisterEntry]:
    """Read and check a register; TracingInputError names the bad row, never its content."""
    entries: list[RegisterEntry] = []
    rows: list[int] = []
    for row_no, row in _rows(path, REGISTER_REQUIRED):
        entry_id = _text(row, "id", row_no)
        if entry_id is None:
            raise TracingInputError(f"row {row_no}: missing id")
        entries.append(
            RegisterEntry(
                id=entry_id,
                family_name=_text(row, "family_name", row_no) or "",
                given_name=_text(row, "given_name", row_no) or "",
                patronymic=_text(row, "patronymic", row_no),
                birth_date=_text(row, "birth_date", row_no),
                language=_text(row, "language", row_no),
            )
        )
        rows.append(row_no)
    try:
        NameIndex(entries)  # the same checks the index makes, reported with file rows
    except TracingInputError as exc:
        position, _, rest = str(exc).removeprefix("row ").partition(": ")
        file_row = rows[int(position) - 1]
        rest = _renumber(rest, rows)
        raise TracingInputError(f"row {file_row}: {rest}") from None
    return entries


def _renumber(message: str, rows: list[int]) -> str:
    marker = "first used in row "
    if marker not in message:
        return message
    head, _, tail = message.partition(marker)
    number, _, after = tail.partition(")")
    return f"{head}{marker}{rows[int(number) - 1]}){after}"


def read_queries(path: Path) -> list[Query]:
    """Read queries; a bad name or date is kept and answered with a reason, not raised."""
    queries: list[Query] = []
    for row_no, row in _rows(path, QUERY_REQUIRED):
        query_id = _text(row, "id", row_no)
        if query_id is None:
            raise TracingInputError(f"row {row_no}: missing id")
        queries.append(
            Query(
                id=query_id,
                name=_text(row, "name", row_no) or "",
                birth_date=_text(row, "birth_date", row_no),
            )
        )
    return queries


def match_file(register: Path, queries: Path, top: int = 10) -> Iterator[dict[str, Any]]:
    """One dict per query, in file order, shaped for JSON output."""
    index = NameIndex(read_register(register))
    for query in read_queries(queries):
        result = index.search(query.name, query.birth_date, top=top, query_id=query.id)
        out: dict[str, Any] = {
            "query_id": result.query_id,
            "candidates": [
                {"record_id": c.record_id, "score": c.score, "label": c.label}
                for c in result.candidates
            ],
            "accept": result.accept,
        }
        if result.reason is not None:
            out["reason"] = result.reason
        yield out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m powcase.tracing.batch",
        description="Match a file of queries against a register; prints one JSON line per query.",
    )
    parser.add_argument("--register", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    try:
        for line in match_file(args.register, args.queries, top=args.top):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    except TracingInputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"error: cannot read {exc.filename}: {exc.strerror}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
