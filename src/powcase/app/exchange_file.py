"""An exchange as its file states it: the terms agreed and where the counterpart's lists are.

Read by `powcase exchange plan` from a YAML file beside its lists, and by the exchange page from
an uploaded YAML file with the lists uploaded beside it (the page's upload takes the place of the
file named here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from powcase.app.exchanges import ExchangePlan
from powcase.documents import TableSection, render_tables_pdf
from powcase.domain.values import CountryCode
from powcase.exchange import ColumnMapping, Terms, exclusion_table, list_table


class ListSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    file: Path
    sheet: str | None = None
    columns: ColumnMapping
    category_values: dict[str, str] | None = None


class ExchangeFile(BaseModel):
    """An exchange as a YAML file: the terms agreed and where the counterpart's lists are."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    counterpart: CountryCode
    date: date
    terms: Terms
    request_list: ListSource
    offer_list: ListSource | None = None


def report_pdf(result: ExchangePlan, made_on: date) -> bytes:
    """The plan and who is left off and why, pseudonymised (case ids, nationality, reasons), as PDF."""
    exchange = result.exchange
    listed, excluded = list_table(result.entries), exclusion_table(result.report)
    return render_tables_pdf(
        f"Exchange {exchange.id} with {exchange.counterpart}, {exchange.date}",
        [TableSection(t.title, t.columns, t.rows) for t in (listed, excluded)],
        made_on=made_on, identified=False,
        notes=[f"Eligibility from the law engine, rulebook {result.rulebook_version}: only prisoners for whom "
               "inclusion in an exchange (D2) is permitted on the exchange date can be listed (R16)."],
    )
