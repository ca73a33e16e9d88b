"""The ``powcase`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from pydantic import ValidationError

from powcase.cli.common import GLOBALS, err
from powcase.domain.case import first_error
from powcase.errors import PowcaseError
from powcase.law import ExecutionRefused

app = typer.Typer(
    name="powcase",
    help="Casework for prisoners of war whose return home may put them in danger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _options(
    database: str | None = typer.Option(
        None, "--database", envvar="POWCASE_DATABASE_URL", help="database URL (default sqlite:///powcase.db)"
    ),
    key_file: Path | None = typer.Option(None, "--key-file", envvar="POWCASE_KEY_FILE", help="master key file"),
    actor: str | None = typer.Option(None, "--as", help="act as this account for one command (asks its password)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read passwords from standard input, one a line"),
) -> None:
    GLOBALS.database = database
    GLOBALS.key_file = key_file
    GLOBALS.actor = actor
    GLOBALS.password_stdin = password_stdin


def main() -> None:
    """Run the CLI; user errors print one line and exit 2, never a traceback."""
    try:
        app()
    except ExecutionRefused as exc:
        # The guard's refusal says why, rule by rule, so the officer knows what is missing.
        err.print(f"error: {exc}", markup=False)
        for reason in exc.verdict.reasons:
            err.print(f"  - {reason.text} [{reason.rule}; {', '.join(reason.sources)}]", markup=False)
        for missing in exc.verdict.missing:
            err.print(f"  - missing: {missing.text}", markup=False)
        sys.exit(2)
    except PowcaseError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except ValidationError as exc:
        err.print(f"error: {first_error(exc)}", markup=False)
        sys.exit(2)


