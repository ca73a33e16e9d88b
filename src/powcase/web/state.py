"""What every request handler shares: the application, the accounts and the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from powcase.access.accounts import Accounts
from powcase.app.service import Powcase
from powcase.web.overrides import PendingOverrides

HERE = Path(__file__).resolve().parent


@dataclass
class WebState:
    pw: Powcase
    accounts: Accounts
    templates: Environment
    pending: PendingOverrides = field(default_factory=PendingOverrides)


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["todate"] = _todate
    return env


def _todate(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
