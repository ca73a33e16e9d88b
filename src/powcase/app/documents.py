"""Printing a case's documents: the facts as of a date, the determination for a decision memo, and
a private file written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from powcase.documents import DocumentKind, prepare, render_pdf
from powcase.domain.case import fold
from powcase.domain.context import Context
from powcase.domain.events import RecordedEvent
from powcase.errors import InvalidInput
from powcase.law import Rulebook, determine


def print_document(
    kind: DocumentKind, history: list[RecordedEvent], *, lang: str | None, as_of: date, made_on: date,
    rulebook: Rulebook, context: Context | None,
) -> bytes:
    """The PDF of one document; raises MissingFacts (listing what is missing) before rendering."""
    case = fold(history, as_of)
    determination = None
    if kind is DocumentKind.DECISION_MEMO and case.decisions:
        # The memo shows the determination the decision relied on: the facts as of its own day.
        decided_on = case.decisions[-1].occurred_on
        determination = determine(fold(history, decided_on), rulebook, decided_on, context)
    printed = prepare(kind, case, lang=lang, made_on=made_on, context=context, determination=determination,
                      rulebook=rulebook)
    return render_pdf(printed)


def refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InvalidInput(f"--out: {path} exists; use --force to replace it")


def write_private(path: Path, data: bytes, *, force: bool) -> None:
    """Write readable by the owner only (0600), via a temporary file and an atomic rename: a reader
    never sees half a document, and an existing file is replaced only with --force."""
    replace_privately(path, lambda temporary: temporary.write_bytes(data), force=force)


def replace_privately(path: Path, write: Callable[[Path], object], *, force: bool) -> None:
    """Let `write` fill a 0600 temporary file beside `path`, fsync it, then rename it into place."""
    refuse_existing(path, force)
    folder = path.resolve().parent
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    temporary = Path(name)
    try:
        os.fchmod(handle, 0o600)
        os.close(handle)
        write(temporary)
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
