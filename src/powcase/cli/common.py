"""What every command shares: settings, the acting user, output, errors and progress bars."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from powcase.errors import InvalidInput

if TYPE_CHECKING:
    from powcase.access.accounts import Accounts
    from powcase.app import Powcase, Settings
    from powcase.app.office import Office

# The store, the law and the accounts are imported by the methods that need them, not here:
# `powcase --help` and every command's parsing run without them (see powcase.cli.commands).

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


@dataclass
class Globals:
    database: str | None = None
    key_file: Path | None = None
    actor: str | None = None  # --as NAME: log in for this one command (asks the password)
    password_stdin: bool = False
    _app: Powcase | None = field(default=None, repr=False)
    _office: Office | None = field(default=None, repr=False)
    _stdin_lines: list[str] | None = field(default=None, repr=False)

    def reset(self) -> None:
        """Forget the previous command's options and connections (commands may run in one process)."""
        if self._app is not None:
            self._app.store.engine.dispose()
        self.database = self.actor = None
        self.key_file = None
        self.password_stdin = False
        self._app = self._office = None
        self._stdin_lines = None

    @property
    def settings(self) -> Settings:
        from powcase.app.bootstrap import Settings  # the CLI starts without the app

        return Settings.resolve(self.database, self.key_file)

    def app(self) -> Powcase:
        if self._app is None:
            from powcase.app.bootstrap import open_powcase

            self._app = open_powcase(self.settings)
        return self._app

    def accounts(self) -> Accounts:
        from powcase.access.accounts import Accounts

        pw = self.app()
        return Accounts(pw.store.engine, pw.store.master_key, pw.clock)

    def office(self) -> Office:
        """The named user this command runs as: --as NAME, POWCASE_TOKEN, or `powcase login`."""
        if self._office is None:
            from powcase.access.session import current_user
            from powcase.app.office import open_office

            pw = self.app()
            user = current_user(self.accounts(), self.settings.database_url, self.actor, self.password)
            self._office = open_office(pw, user)
        return self._office

    def password(self, name: str, prompt: str | None = None) -> str:
        """A password from the terminal, or the next line of standard input with --password-stdin
        (for scripts; never a command-line argument, which other users of the machine can see)."""
        if self.password_stdin:
            if self._stdin_lines is None:
                self._stdin_lines = sys.stdin.read().splitlines()
            if not self._stdin_lines:
                raise InvalidInput("--password-stdin: no more lines on standard input")
            return self._stdin_lines.pop(0)
        return getpass.getpass(prompt or f"password for {name}: ")


GLOBALS = Globals()

FormatOption = typer.Option(Format.TEXT, "--format", "-f", help="text for people, json for scripts")


DATE_FORM = "YYYY-MM-DD, e.g. 2025-03-15"


def parse_day(option: str, text: str | None) -> date | None:
    """A date option: one form, YYYY-MM-DD, and an error that names the option (not the value,
    which may be a birth date)."""
    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option}: not a calendar date (expected {DATE_FORM})") from None
    raise InvalidInput(f"{option}: expected a date written {DATE_FORM}")


def input_file(option: str, path: Path) -> Path:
    """A file to read: it must exist, be a file and be readable, checked before any work starts."""
    if not path.exists():
        raise InvalidInput(f"{option}: {path}: no such file")
    if not path.is_file():
        raise InvalidInput(f"{option}: {path}: not a file")
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"{option}: {path}: not readable")
    return path


def output_file(option: str, path: Path) -> Path:
    """A file to write: its folder must exist and be writable, and it must not be a folder."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InvalidInput(f"{option}: {path} is a folder, not a file")
    if not folder.is_dir():
        raise InvalidInput(f"{option}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InvalidInput(f"{option}: {path}: not writable")
    return path


def output_folder(option: str, path: Path) -> Path:
    """A folder to write into (made if missing): its parent must exist."""
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"{option}: {path} is a file, not a folder")
    if not path.exists() and not path.resolve().parent.is_dir():
        raise InvalidInput(f"{option}: folder {path.resolve().parent} does not exist")
    return path


def print_json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=_default), indent=2)


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dump_yaml(data: Any) -> str:
    import yaml  # only the commands that write YAML need it

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long work; silent when stderr is not a terminal."""
    from rich.progress import (  # only long work needs it
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not sys.stderr.isatty(),
    )
    task = bar.add_task(label, total=total)
    with bar:
        yield lambda n: bar.advance(task, n)


def not_searched(case_ids: Sequence[str]) -> str:
    """One line on the cases a walk over the register could not read: case ids only, never names."""
    shown = ", ".join(case_ids[:10]) + (f" and {len(case_ids) - 10} more" if len(case_ids) > 10 else "")
    return (
        f"warning: {len(case_ids)} case(s) could not be read by name and were not searched: {shown} "
        "(see `powcase show CASE`; correct the registration with `powcase record correction`)"
    )
