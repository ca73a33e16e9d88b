"""The ``powcase`` command line: the Typer app and the one place where every error becomes a line.

Every failure leaves the command through :func:`run`: a user error (the project's error tree, a
bad option, an unreadable database URL) prints one line on stderr and exits 2; anything else is a
bug, printed as one line that points to a log file holding the traceback, and exits 1. No
traceback ever reaches the screen, and no message of an unexpected error is written anywhere (it
may quote a name or a statement).
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

import typer
from typer._click import exceptions as click_exc

from powcase.cli.commands import LazyGroup
from powcase.cli.common import GLOBALS, err
from powcase.errors import PowcaseError

app = typer.Typer(
    cls=LazyGroup,
    name="powcase",
    help="Casework for prisoners of war whose return home may put them in danger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

USER_ERROR = 2
BUG = 1


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
    """Run the CLI as the `powcase` program."""
    sys.exit(run(sys.argv[1:]))


def run(argv: list[str]) -> int:
    """Run one command and return its exit status; every error is one line on stderr."""
    GLOBALS.reset()
    try:
        result = app(args=argv, prog_name="powcase", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click_exc.NoArgsIsHelpError as exc:
        exc.show()
        return USER_ERROR
    except click_exc.UsageError as exc:
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        return _user_error(f"{exc.format_message()}{where}")
    except click_exc.ClickException as exc:
        return _user_error(exc.format_message())
    except typer.Abort:
        return _user_error("aborted")
    except PowcaseError as exc:
        return _powcase_error(exc)
    except RecursionError:
        return _user_error("the input is nested too deeply")
    except Exception as exc:
        return _library_error(exc)
    finally:
        GLOBALS.reset()


def _powcase_error(exc: PowcaseError) -> int:
    # Only a command that loaded the law can be refused by its guard: the law is not imported here.
    law = sys.modules.get("powcase.law.execution")
    if law is not None and isinstance(exc, law.ExecutionRefused):
        # The guard's refusal says why, rule by rule, so the officer knows what is missing.
        _user_error(str(exc))
        for reason in exc.verdict.reasons:
            err.print(f"  - {reason.text} [{reason.rule}; {', '.join(reason.sources)}]", markup=False)
        for missing in exc.verdict.missing:
            err.print(f"  - missing: {missing.text}", markup=False)
        return USER_ERROR
    return _user_error(str(exc))


def _library_error(exc: Exception) -> int:
    """A bad input found by pydantic or the database driver is a user error; anything else a bug.
    Neither library is imported here (the CLI starts without them): an error of theirs means the
    command loaded them already."""
    if "pydantic" in sys.modules:
        from pydantic import ValidationError  # loaded by the command already

        from powcase.domain.case import every_error

        if isinstance(exc, ValidationError):
            return _user_error(every_error(exc))
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc as sa_exc  # loaded by the command already

        if isinstance(exc, sa_exc.ArgumentError):
            return _user_error("--database: not a database URL (e.g. sqlite:///powcase.db or postgresql://user@host/powcase)")
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            # The driver's message may carry the URL and its password: name the kind of failure only.
            return _user_error(f"cannot use the database ({type(exc.orig).__name__}): is it running, and is "
                               "--database / POWCASE_DATABASE_URL right?")
    return _bug(exc)


def _user_error(message: str) -> int:
    err.print(f"error: {message}", markup=False)
    return USER_ERROR


def log_folder() -> Path:
    """Where bug reports go: $XDG_STATE_HOME/powcase (default ~/.local/state/powcase)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "powcase"


def _bug(exc: BaseException) -> int:
    """Write the traceback's frames (file, line, function) and the exception's type to a log
    file readable by the user only: no message and no local variables, which could hold a name
    or a statement. Print one line naming the file."""
    now = datetime.now(UTC)
    lines = [f"powcase {now:%Y-%m-%dT%H:%M:%SZ}", f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)"]
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"error-{now:%Y%m%dT%H%M%S}-{os.getpid()}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        where = f"details in {path}"
    except OSError:
        where = "no log could be written"
    err.print(f"error: unexpected {type(exc).__name__}, a fault in powcase; {where} "
              "(no personal data in it; please report it)", markup=False)
    return BUG
