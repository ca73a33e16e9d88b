"""`powcase serve`: the pages and the JSON API over HTTP (uvicorn), on the same store."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer

from powcase.access.accounts import Accounts
from powcase.cli.cases import DEMO_ACCOUNTS
from powcase.cli.common import GLOBALS, out
from powcase.cli.main import app
from powcase.errors import InvalidInput


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on (loopback by default)"),
    port: int = typer.Option(8000, min=1, max=65535),
    demo_passwords: bool = typer.Option(
        False, "--demo-passwords",
        help="demo store only: give the demo accounts new random passwords and print them (reset by demo-admin2, confirmed by demo-admin, by their tokens)",
    ),
) -> None:
    """Serve the pages (in English, Korean, Ukrainian, Russian) and the API under /api/v1.

    Put it behind a TLS proxy for anything but loopback: the session cookie is marked Secure
    when the request arrived over https (proxy headers are trusted from loopback only)."""
    import uvicorn

    from powcase.web import create_app

    pw = GLOBALS.app()
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock)
    if demo_passwords:
        folder = GLOBALS.settings.key_file.parent / "tokens"
        for name, password in reset_demo_passwords(accounts, folder).items():
            out.print(f"  {name:18} {password}", markup=False)
    out.print(f"serving http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    uvicorn.run(create_app(pw, accounts), host=host, port=port, log_level="warning", proxy_headers=True,
                forwarded_allow_ips="127.0.0.1")


def reset_demo_passwords(accounts: Accounts, folder: Path) -> dict[str, str]:
    """New passwords for the demo's accounts but its two administrators, as a real office would give
    them: demo-admin2 resets each (authenticated by the token the demo wrote to ``folder``), the
    owner chooses his own (the demo plays him), and demo-admin, a second person whom demo-admin2 did
    not vouch for, confirms the account; only then may it act. Their API tokens are reissued, as a
    reset revokes them."""
    tokens = {name: folder / f"{name}.token" for name in ("demo-admin", "demo-admin2")}
    for path in tokens.values():
        if not path.exists():
            raise InvalidInput(f"--demo-passwords: {path} missing; this is not a demo store (or an older one: `make demo`)")
    admin, resetter = (accounts.authenticate_token(path.read_text(encoding="ascii").strip()) for path in tokens.values())
    passwords: dict[str, str] = {}
    for name in DEMO_ACCOUNTS:
        if name in tokens:
            continue
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        temporary = secrets.token_urlsafe(18)
        accounts.change_password(name, temporary, by=resetter)
        accounts.change_own_password(name, temporary, password)
        accounts.confirm(name, by=admin)
        accounts.notices(accounts.get(name))  # the owner (the demo) was told of the reset: not again at login
        token_file = folder / f"{name}.token"
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(accounts.issue_token(accounts.get(name), "api", label="demo") + "\n")
        passwords[name] = password
    return passwords
