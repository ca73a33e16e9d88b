"""The CLI's login session: a session token in a file only its owner can read.

The file lives in the user's configuration folder (``$XDG_CONFIG_HOME/powcase`` or
``~/.config/powcase``), one per store, named by a digest of the store's URL: per operating-system
user, so that two people sharing a laptop never share a session (one person, one account), and per
store, so that a login to a test store does not act on the real one. The file holds the token only;
the database holds its hash and its expiry, and logout revokes it there.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from powcase.access.permissions import AccessRefused, User
from powcase.errors import InvalidInput

if TYPE_CHECKING:
    from powcase.access.accounts import Accounts

SESSION_ENV = "POWCASE_SESSION_FILE"
# An API token for scripts; it wins over the session file, loses to --as.
TOKEN_ENV = "POWCASE_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = dict(os.environ) if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "powcase"


def session_path(database_url: str, environ: Mapping[str, str] | None = None) -> Path:
    """Where the session for this store is kept (``POWCASE_SESSION_FILE`` overrides)."""
    env = dict(os.environ) if environ is None else environ
    if env.get(SESSION_ENV):
        return Path(env[SESSION_ENV])
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return config_dir(env) / "sessions" / f"{digest}.token"


def write_session(path: Path, token: str) -> None:
    """Write the token with mode 0600, replacing any earlier session atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    os.replace(tmp, path)


def read_session(path: Path) -> str | None:
    """The token, or None without a session. Refuses a file others can read, as ssh does."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if os.name == "posix":
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InvalidInput(f"{path}: readable by others; delete it and log in again")
        if info.st_uid != os.getuid():
            raise InvalidInput(f"{path}: belongs to another user; delete it and log in again")
    token = path.read_text(encoding="ascii").strip()
    return token or None


def clear_session(path: Path) -> None:
    path.unlink(missing_ok=True)


def login(accounts: Accounts, database_url: str, name: str, password: str,
          environ: Mapping[str, str] | None = None) -> User:
    """`powcase login`: check the password, then keep a session token for the next commands."""
    user = accounts.login(name, password)
    write_session(session_path(database_url, environ), accounts.issue_token(user, "session", label="cli"))
    return user


def logout(accounts: Accounts, database_url: str, environ: Mapping[str, str] | None = None) -> bool:
    """`powcase logout`: revoke the session in the database and delete the file."""
    path = session_path(database_url, environ)
    token = read_session(path)
    clear_session(path)
    return accounts.revoke_token(token) if token else False


def current_user(
    accounts: Accounts, database_url: str, as_name: str | None, ask_password: Callable[[str], str],
    environ: Mapping[str, str] | None = None,
) -> User:
    """Who runs this command: ``--as NAME`` (asks the password), else ``POWCASE_TOKEN``, else the
    session file of ``powcase login``. Nobody is assumed: without any of them, the command is refused."""
    env = os.environ if environ is None else environ
    if as_name:
        return accounts.login(as_name, ask_password(as_name))
    token = env.get(TOKEN_ENV)
    if token:
        return accounts.authenticate_token(token)
    token = read_session(session_path(database_url, env))
    if token:
        return accounts.authenticate_token(token)
    raise AccessRefused("not logged in: run `powcase login NAME`, pass --as NAME, or set POWCASE_TOKEN", "not_logged_in")
