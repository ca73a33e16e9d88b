"""The `powcase` command run inside the test process (no interpreter start per command): the same
entry point the program uses (`powcase.cli.main.run`), with its own stdin, stdout, stderr and
environment. For speed where a test runs hundreds of commands."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from powcase.access.accounts import Accounts
from powcase.app import Settings, init_store, open_powcase
from powcase.cli.main import run

PASSWORD = "correct horse battery"
FIRST = "set by the administrator"


@dataclass
class Ran:
    code: int
    out: str
    err: str


# What a command reads from its environment: these are replaced for the command, the rest kept.
_OWN = ("POWCASE_", "XDG_", "COLUMNS")


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = {k: v for k, v in os.environ.items() if k.startswith(_OWN)}
    for key in saved:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith(_OWN)})
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith(_OWN)]:
            del os.environ[key]
        os.environ.update(saved)


def run_command(args: Sequence[str], env: Mapping[str, str], folder: Path, stdin: str = "") -> Ran:
    """`powcase ARGS` in ``folder`` with the POWCASE_, XDG_ and COLUMNS variables of ``env``."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(env), contextlib.chdir(folder), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        saved_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            code = run(list(args))
        finally:
            sys.stdin = saved_stdin
    return Ran(code, out.getvalue(), err.getvalue())


class Powcase:
    """A store in a folder, accounts in it, and `powcase ARGS` run in-process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"sqlite:///{folder / 'powcase.db'}"
        self.env = {
            "POWCASE_DATABASE_URL": self.url,
            "POWCASE_KEY_FILE": str(folder / "powcase.key"),
            "XDG_CONFIG_HOME": str(folder / ".config"),
            "XDG_STATE_HOME": str(folder / ".state"),
        }
        self.tokens: dict[str, str] = {}

    def init(self) -> Powcase:
        with _environment(self.env):
            init_store(Settings.resolve(self.url))
        return self

    def accounts(self) -> Powcase:
        with _environment(self.env):
            pw = open_powcase(Settings.resolve(self.url))
        accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock)
        admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
        people = {
            "admin": admin,
            "clerk": accounts.add_user("clerk-1", FIRST, ["registrar", "interviewer", "legal_officer"], by=admin),
            "registrar": accounts.add_user("reg-1", FIRST, ["registrar"], by=admin),
            "interviewer": accounts.add_user("int-1", FIRST, ["interviewer"], by=admin),
            "legal": accounts.add_user("legal-1", FIRST, ["legal_officer"], by=admin),
            "auditor": accounts.add_user("auditor-1", FIRST, ["auditor"], by=admin),
        }
        # Each owner chooses his own: no account acts on its founder's password once there are cases.
        for user in people.values():
            if user is not admin:
                accounts.change_own_password(user.name, FIRST, PASSWORD)
        self.tokens = {role: accounts.issue_token(user, "api") for role, user in people.items()}
        pw.store.engine.dispose()
        return self

    def __call__(self, *args: str, role: str = "clerk", stdin: str = "", env: Mapping[str, str] | None = None) -> Ran:
        full = {**self.env, **({"POWCASE_TOKEN": self.tokens[role]} if role in self.tokens else {}), **(env or {})}
        return run_command(args, full, self.folder, stdin)

    def ok(self, *args: str, role: str = "clerk", stdin: str = "") -> str:
        ran = self(*args, role=role, stdin=stdin)
        assert ran.code == 0, (args, ran.err)
        return ran.out

    def refused(self, *args: str, role: str = "clerk", stdin: str = "", lines: int = 1) -> str:
        """The error a refused command prints (one line, or a list's problems one a line below
        it); the store must be as it was before."""
        before = self.snapshot()
        ran = self(*args, role=role, stdin=stdin)
        assert ran.code == 2, (args, ran.code, ran.out, ran.err)
        assert "Traceback" not in ran.err + ran.out
        printed = ran.err.strip().splitlines()
        assert len(printed) == lines, ran.err
        assert printed[0].startswith("error: "), ran.err
        assert self.snapshot() == before, f"{args}: a refused command changed the store"
        return "\n".join(printed)

    def snapshot(self) -> tuple[object, ...]:
        """What a refused command must not change: the events, keys, accounts and the context file.
        (The access log grows on purpose: refusals are logged.)"""
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                events = conn.execute(text("SELECT case_id, seq, hash FROM events ORDER BY case_id, seq")).all()
                keys = conn.execute(text("SELECT count(*) FROM case_keys")).scalar()
                users = conn.execute(text("SELECT name, disabled, failed_count FROM users ORDER BY name")).all()
        finally:
            engine.dispose()
        context = self.folder / "context.yaml"
        return (tuple(events), keys, tuple(users), context.read_bytes() if context.exists() else None)
