"""``powcase context``: the situation cases are decided in (state of hostilities, agreements in
force), kept in the context file beside the store, so a new store gets one without code."""

from __future__ import annotations

import typer

from powcase.app.context_file import context_yaml, with_agreement, with_hostilities
from powcase.app.decisions import load_context
from powcase.cli.common import GLOBALS, Format, FormatOption, out, parse_day, print_json
from powcase.cli.main import app
from powcase.domain.context import Agreement
from powcase.errors import InvalidInput

context_app = typer.Typer(help="The state of hostilities and the agreements in force.", no_args_is_help=True)
app.add_typer(context_app, name="context")



@context_app.command("show")
def context_show(fmt: Format = FormatOption) -> None:
    """The context the law engine decides in (the file named by POWCASE_CONTEXT, or beside the store)."""
    path = GLOBALS.settings.context_file
    current = load_context(path)
    if current is None:
        raise InvalidInput(f"no context at {path}: set one with `powcase context set-hostilities ongoing --since DATE "
                           "--detaining-power XXX`")
    if fmt == Format.JSON:
        print_json(current.model_dump(mode="json", exclude_none=True))
        return
    out.print(f"# {path}", markup=False)
    out.print(context_yaml(current), end="", markup=False)


@context_app.command("set-hostilities")
def context_set_hostilities(
    state: str = typer.Argument(..., help="ongoing or ceased (GC III Art 118: ceased starts release and repatriation)"),
    since: str = typer.Option(..., "--since", help="from this date, YYYY-MM-DD"),
    detaining_power: str | None = typer.Option(None, "--detaining-power", help="alpha-3; needed for a new context"),
) -> None:
    """Record that hostilities are ongoing or have ceased from a date (legal officer)."""
    day = parse_day("--since", since)
    if state not in ("ongoing", "ceased") or day is None:
        raise InvalidInput("STATE: ongoing or ceased")
    path = GLOBALS.settings.context_file
    updated = with_hostilities(load_context(path), "ongoing" if state == "ongoing" else "ceased", day, detaining_power)
    GLOBALS.office().save_context(path, updated)
    out.print(f"hostilities {state} from {day}: {path}", markup=False)


@context_app.command("add-agreement")
def context_add_agreement(
    agreement_id: str = typer.Argument(..., help="the agreement's reference, e.g. EX-2025-06"),
    kind: str = typer.Option(..., "--kind", help="exchange, repatriation, neutral_accommodation or third_state"),
    party: list[str] = typer.Option(..., "--party", help="a party, alpha-3; repeat"),
    signed_on: str = typer.Option(..., "--signed-on", help="YYYY-MM-DD"),
    receiving_state: str | None = typer.Option(None, "--receiving-state", help="where the men handed over go, alpha-3"),
    category: list[str] = typer.Option([], "--category", help="a category of prisoner it covers; repeat"),
    ends_on: str | None = typer.Option(None, "--ends-on", help="YYYY-MM-DD, if it ends"),
) -> None:
    """Add a special agreement in force (GC III Art 6, 109-111, 118) (legal officer)."""
    signed, ends = parse_day("--signed-on", signed_on), parse_day("--ends-on", ends_on)
    agreement = Agreement.model_validate({
        "id": agreement_id, "kind": kind, "parties": party, "signed_on": signed,
        "receiving_state": receiving_state, "categories": category, "ends_on": ends,
    })
    path = GLOBALS.settings.context_file
    updated = with_agreement(load_context(path), agreement)
    GLOBALS.office().save_context(path, updated)
    out.print(f"agreement {agreement.id} ({agreement.kind}) added: {path}", markup=False)
