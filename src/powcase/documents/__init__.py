"""Documents: HTML templates (Jinja2) rendered to PDF with WeasyPrint."""

from powcase.documents.pdf import TableSection, render_tables_pdf

__all__ = ["TableSection", "render_tables_pdf"]
