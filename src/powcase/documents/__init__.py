"""Documents: tables (lists, reports) and the papers of a case (capture card, notice of rights,
interview record, decision memo, certificates, death notification), as PDF."""

from powcase.documents.papers import (
    IDENTITY_KINDS,
    STATEMENT_KINDS,
    DocumentKind,
    MissingFacts,
    Printed,
    prepare,
)
from powcase.documents.pdf import TableSection, render_tables_pdf
from powcase.documents.render import MissingFont, check_fonts, render_html, render_pdf

__all__ = [
    "IDENTITY_KINDS",
    "STATEMENT_KINDS",
    "DocumentKind",
    "MissingFacts",
    "MissingFont",
    "Printed",
    "TableSection",
    "check_fonts",
    "prepare",
    "render_html",
    "render_pdf",
    "render_tables_pdf",
]
