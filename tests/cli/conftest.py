"""Run the real `powcase` command in a fresh folder, as a user would: its own entry point
(`powcase.cli.main.run`), arguments, environment, working folder and standard streams, inside the
test process (an interpreter start per command would double the suite's time; tests/cli/test_startup.py
starts the real program)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.inprocess import run_command

from powcase.access.accounts import Accounts
from powcase.app import Settings, open_powcase


@dataclass
class Result:
    code: int
    out: str
    err: str


class Shell:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("POWCASE_")}
        self.env["COLUMNS"] = "200"
        # Sessions of `powcase login` go here, not into the tester's home.
        self.env["XDG_CONFIG_HOME"] = str(folder / ".config")
        self.tokens: dict[str, str] = {}

    def accounts(self) -> None:
        """Accounts for the tests, made in-process: an administrator, an auditor and a clerk who
        holds the three casework roles; commands run as the clerk unless told otherwise."""
        pw = open_powcase(Settings.resolve(f"sqlite:///{self.folder / 'powcase.db'}"))
        # Founded two months ago: past the confirmation window, so that the two-person tests meet
        # established staff (tests/app/test_separation_of_duties.py tries the fresh accounts).
        founded = datetime.now(UTC) - timedelta(days=60)
        accounts = Accounts(pw.store.engine, pw.store.master_key, lambda: founded)
        admin = accounts.add_user("admin-1", "correct horse battery", ["administrator"], by=None)
        people = {
            "admin": admin,
            "clerk": accounts.add_user("clerk-1", "set by the admin", ["registrar", "interviewer", "legal_officer"], by=admin),
            "auditor": accounts.add_user("auditor-1", "set by the admin", ["auditor"], by=admin),
        }
        # Each owner chose his own password: no account acts on its founder's once the register
        # holds a case, and the clerk can be the second person of a two-person act.
        for name in ("clerk-1", "auditor-1"):
            accounts.change_own_password(name, "set by the admin", "correct horse battery")
        self.tokens = {role: accounts.issue_token(user, "api") for role, user in people.items()}
        self.env["POWCASE_TOKEN"] = self.tokens["clerk"]
        pw.store.engine.dispose()

    def as_(self, role: str) -> dict[str, str]:
        return {**self.env, "POWCASE_TOKEN": self.tokens[role]}

    def __call__(self, *args: str, stdin: str | None = None, role: str | None = None) -> Result:
        ran = run_command(args, self.as_(role) if role else self.env, self.folder, stdin or "")
        return Result(ran.code, ran.out, ran.err)

    def ok(self, *args: str, role: str | None = None, stdin: str | None = None) -> str:
        result = self(*args, role=role, stdin=stdin)
        assert result.code == 0, result.err
        return result.out


@pytest.fixture
def sh(tmp_path: Path) -> Shell:
    shell = Shell(tmp_path)
    shell.ok("init")
    shell.accounts()
    return shell
