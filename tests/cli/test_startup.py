"""The CLI starts without the store, the law or the documents: its command modules, and what
they import, load when one of their commands runs. Behaviour, not timing (timing is in bench/)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer._click.core import Context
from typer.main import get_group

from powcase.cli import app, commands

HEAVY = ("sqlalchemy", "alembic", "powcase.law", "weasyprint", "powcase.store", "powcase.tracing",
         "powcase.exchange", "powcase.documents")


def _python(code: str) -> str:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


def test_importing_the_cli_imports_neither_the_store_nor_the_law_nor_documents() -> None:
    loaded = _python(f"import sys, powcase.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    assert loaded.split() == []


def test_help_without_the_commands_loaded_reads_as_with_all_of_them_loaded() -> None:
    show = "from powcase.cli import run, commands{}; run(['--help'])"
    lazy = _python(show.format(""))
    loaded = _python(show.format("; commands.load()"))
    assert "show " in lazy and "trace " in lazy
    assert lazy == loaded


def test_every_module_that_registers_commands_is_in_the_table() -> None:
    """A command module missing from MODULES would never load: its commands would vanish."""
    folder = Path(commands.__file__).parent
    registering = {p.stem for p in folder.glob("*.py") if re.search(r"@\w*app\.command|\.add_typer\(", p.read_text(encoding="utf-8"))}
    assert registering == set(commands.MODULES)


def test_the_table_of_commands_names_every_command_with_its_module_and_help() -> None:
    commands.load()
    group = get_group(app)
    ctx = Context(group)
    registered = {name: group.commands[name] for name in group.commands}
    assert set(registered) == set(commands.COMMANDS)
    for name, command in registered.items():
        modules, text = commands.COMMANDS[name]
        subcommands = getattr(command, "commands", None)
        defined = {c.callback.__module__ for c in subcommands.values()} if subcommands else {command.callback.__module__}
        assert defined <= {f"powcase.cli.{m}" for m in modules}, name
        assert command.get_short_help_str(commands.HELP_LIMIT) == text, name
    assert group.list_commands(ctx)  # the real group still lists them
