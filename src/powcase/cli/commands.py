"""Which module holds each command, so that the CLI starts at once.

`powcase --help` lists every command from the table below without importing the command
modules (and with them the store, the law, tracing, exchange, documents, SQLAlchemy and
pydantic); a command's module is imported when that command runs. A test holds this table
equal to the commands the modules register, so it cannot drift from them silently.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

# Every module that registers commands on the app; a name missing from COMMANDS loads them all.
MODULES = (
    "accounts", "cases", "context", "cta", "documents", "duties", "exchange", "law", "records", "serve", "sync", "trace",
)

# name: (the modules that register it or its subcommands, its one-line help), in the order
# `powcase --help` lists them.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "init": (("cases",), "Create the store (and a master key file, unless POWCASE_MASTER_KEY is set), or upgrade it."),
    "register": (("cases",), "Register a prisoner of war (GC III Art 17)."),
    "list": (("cases",), "List cases, pseudonymised: case id, nationality, status and dates; no names, no places."),
    "show": (("cases",), "The current facts of one case."),
    "history": (("cases",), "The timeline of one case: every event, who recorded it and when, with its hash."),
    "export": (("cases",), "Export."),
    "import": (("cases",), "Import case files (one case or a bundle of `cases:`), all or nothing."),
    "rebuild": (("cases",), "Recompute the case summary from the events (administrator)."),
    "erase": (("cases",), "Crypto-shred a case: destroy its key; history and hashes stay and verify."),
    "demo": (("cases",), "Fill a fresh store with invented demo prisoners and one account per role (the store must "
                         "be new: no cases, no accounts)."),
    "login": (("accounts",), "Log in; later commands run as this account until `powcase logout` (12 hours at most)."),
    "logout": (("accounts",), "End the session of this machine's user for this store."),
    "whoami": (("accounts",), "The account this command runs as, and its roles."),
    "disclose": (("accounts",), "Disclose named fields of named cases to one recipient through the sharing gate; "
                                "recorded as an event on each case."),
    "cta-list": (("cta",), "The Art 122 particulars and notices since a date, as CSV and XLSX (docs/cta-list.md), "
                           "through the sharing gate: a disclosure is recorded on every case on the list; a man for whom "
                           "withholding is recorded or proposed (Art 123) is left off and named in the withheld report, "
                           "which never leaves the..."),
    "document": (("documents",), "Print a document of a case (an audited read): refused with the list of missing facts "
                                 "when the case lacks them, and to roles that may not read what it carries."),
    "deadlines": (("duties",), "Each duty (capture card, Art 122 notices, health reports, death certificate, Art 118 "
                               "reasons ...) with its source, due date and status: a summary by duty and status first, "
                               "then the rows."),
    "determine": (("law",), "What the law permits for a prisoner: each disposition permitted, barred or needing facts, "
                            "why (with citations) and what would change it."),
    "explain": (("law",), "A rule of the rulebook: what it says, its sources and its parameters."),
    "override": (("records",), "Override the execution guard for one disposition of one case: two people, both logged, "
                               "and the override itself an event the transfer must name (--set override_seq=N)."),
    "serve": (("serve",), "Serve the pages (in English, Korean, Ukrainian, Russian) and the API under /api/v1."),
    "audit": (("cases", "accounts"), "Check the integrity of the store."),
    "schema": (("cases", "records"), "Published JSON Schemas."),
    "user": (("accounts",), "Accounts: one person, one account, named roles."),
    "token": (("accounts",), "API tokens for scripts."),
    "keys": (("accounts",), "The master key."),
    "retention": (("accounts",), "Retention and erasure of expired data."),
    "context": (("context",), "The state of hostilities and the agreements in force."),
    "exchange": (("exchange",), "Exchange lists that never include a prisoner against his will."),
    "record": (("records",), "Record something that happened to a prisoner."),
    "trace": (("trace",), "Find the right person across scripts (tracing)."),
    "field": (("sync",), "Enrol, join and revoke field offices."),
    "sync": (("sync",), "Exchange bundles of events between offices."),
}
# Long enough that no help line above is cut before `--help` cuts it to the terminal's width.
HELP_LIMIT = 300


def load(modules: tuple[str, ...] = MODULES) -> bool:
    """Import command modules (each registers its commands on the app when imported); whether
    any was new."""
    new = False
    for name in modules:
        module = f"powcase.cli.{name}"
        new = new or module not in sys.modules
        importlib.import_module(module)
    return new


class LazyGroup(TyperGroup):
    """The top-level group: lists commands from :data:`COMMANDS`, loads one when it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        # A group that several modules add to is complete only once all of them are loaded.
        if load(entry[0] if entry else MODULES) or cmd_name not in self.commands:
            self._refresh()
        return self.commands.get(cmd_name)

    def _refresh(self) -> None:
        from typer.main import get_group  # only once a command is asked for

        from powcase.cli.main import app  # main imports this module

        self.commands.update(get_group(app).commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As Typer does it, with the one-line help of a command not loaded taken from the table."""
        rows = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        for name in names:
            command = self.commands.get(name)
            if command is not None and command.hidden:
                continue
            text = command.get_short_help_str(limit) if command is not None else make_default_short_help(COMMANDS[name][1], limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
