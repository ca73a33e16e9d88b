"""``powcase document KIND CASE``: a case's document as PDF, in his language or the one asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from powcase.app.documents import refuse_existing
from powcase.cli.common import GLOBALS, out, output_file, parse_day
from powcase.cli.main import app
from powcase.documents import DocumentKind
from powcase.files import write_private


@app.command("document")
def document_command(
    kind: DocumentKind = typer.Argument(..., help="capture-card, notice, interview-record, decision-memo, "
                                        "repatriation-certificate, handover-certificate or death-notification"),
    case_id: str = typer.Argument(..., help="the case id"),
    lang: str | None = typer.Option(None, "--lang", help="ko, ru, uk or en (default: his language)"),
    as_of: str | None = typer.Option(None, "--as-of", help="the facts as of this date (default today)"),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="the PDF to write (default CASE-KIND.pdf)"),
    force: bool = typer.Option(False, "--force", help="replace the file if it exists"),
) -> None:
    """Print a document of a case (an audited read): refused with the list of missing facts when
    the case lacks them, and to roles that may not read what it carries."""
    path = out_file or Path(f"{case_id}-{kind.value}{'-' + lang if lang else ''}.pdf")
    output_file("--out", path)
    refuse_existing(path, force)  # before any work: nothing is rendered for a file we would not write
    day = parse_day("--as-of", as_of) or date.today()
    pdf = GLOBALS.office().document(kind, case_id, lang, day)
    write_private(path, pdf)
    out.print(f"wrote {path} ({len(pdf)} bytes, readable by you only)", markup=False)
