"""Printing a case's documents: the facts as of a date, the determination for a decision memo, and
the refusal to overwrite a file without --force (files are written by powcase.files: 0600, whole
or not at all)."""

from __future__ import annotations

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
