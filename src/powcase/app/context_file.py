"""The context file beside the store (hostilities and agreements in force), changed by commands.

The law engine reads the situation from this file (`load_context`); here it is changed one fact
at a time, validated as a whole, and written atomically, so a crash never leaves half a file
that the next determination would misread.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import yaml

from powcase.domain.context import Agreement, Context, Hostilities, HostilitiesPeriod
from powcase.errors import InvalidInput


def with_hostilities(current: Context | None, state: Hostilities, since: date, detaining_power: str | None) -> Context:
    """The context with a new period of hostilities from ``since`` (after every earlier one)."""
    if current is None:
        if detaining_power is None:
            raise InvalidInput("--detaining-power: a new context needs the detaining power (alpha-3, e.g. UKR)")
        return Context.model_validate({"detaining_power": detaining_power, "hostilities": [{"state": state, "since": since}]})
    periods = list(current.hostilities)
    if periods and since <= periods[-1].since:
        raise InvalidInput(f"--since: must be after the last period's start ({periods[-1].since})")
    data = current.model_dump()
    if detaining_power is not None:
        data["detaining_power"] = detaining_power
    data["hostilities"] = [p.model_dump() for p in [*periods, HostilitiesPeriod(state=state, since=since)]]
    return Context.model_validate(data)


def with_agreement(current: Context | None, agreement: Agreement) -> Context:
    if current is None:
        raise InvalidInput("no context yet: set the hostilities first (`powcase context set-hostilities`)")
    if any(a.id == agreement.id for a in current.agreements):
        raise InvalidInput(f"agreement {agreement.id}: exists already")
    data = current.model_dump()
    data["agreements"] = [*data["agreements"], agreement.model_dump()]
    return Context.model_validate(data)


def context_yaml(context: Context) -> str:
    data = context.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def save_context(path: Path, context: Context) -> None:
    """Write the whole file under a temporary name, then rename it over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(context_yaml(context))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
