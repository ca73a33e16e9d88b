"""Tables to PDF: an exchange list, an exclusion report, any report that is rows of text.

Templates autoescape everything: the text comes from other parties' files and must never become
markup. The document says on every page whether it is pseudonymised, so a printout that leaves
the office carries its own warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

_ENV = Environment(
    loader=PackageLoader("powcase.documents", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class TableSection:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def render_tables_pdf(
    title: str, sections: Sequence[TableSection], *, made_on: date, identified: bool, notes: Sequence[str] = ()
) -> bytes:
    html = _ENV.get_template("tables.html").render(
        title=title, sections=sections, made_on=made_on, identified=identified, notes=notes
    )
    # Imported here: WeasyPrint takes most of a second to load, and only documents need it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
