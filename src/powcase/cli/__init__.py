"""The ``powcase`` command line (Typer). Entry point: :func:`main`.

The command modules add their commands to ``app`` when imported, so they are imported here.
"""

from powcase.cli import (
    accounts,
    cases,
    context,
    cta,
    documents,
    duties,
    exchange,
    law,
    records,
    serve,
    sync,
    trace,
)
from powcase.cli.main import app, main

__all__ = [
    "accounts", "app", "cases", "context", "cta", "documents", "duties", "exchange", "law", "main", "records",
    "serve", "sync", "trace",
]
