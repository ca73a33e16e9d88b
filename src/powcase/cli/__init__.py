"""The ``powcase`` command line (Typer). Entry point: :func:`main`.

The command modules add their commands to ``app`` when imported; they are imported when one of
their commands runs (see :mod:`powcase.cli.commands`), so that the CLI starts at once.
"""

from powcase.cli.main import app, main, run

__all__ = ["app", "main", "run"]
