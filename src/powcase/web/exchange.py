"""The exchange page: upload the exchange's terms (the YAML `powcase exchange plan` reads) and the
counterpart's request list (CSV or XLSX), see the plan, who is left off and why, and download the
report. Through ``Office.plan_exchange``: the law engine decides who may be exchanged (R16), and
no one is listed against his will.

What leaves the page is pseudonymised, as on the command line: case ids, nationality, reasons.
The uploaded list is read from a private temporary folder and deleted at once; the plan is held
in this process's memory for its author to download the report, and lost on restart.
"""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from powcase.app.exchange_file import ExchangeFile, ListSource, report_pdf
from powcase.app.exchanges import ExchangePlan
from powcase.domain.case import every_error
from powcase.domain.reading import parse_yaml
from powcase.errors import InvalidInput
from powcase.exchange import Exchange, ListError, ListRow, exclusion_table, list_table, read_list
from powcase.exchange.export import Table, safe_cell
from powcase.exchange.lists import MAX_LIST_BYTES
from powcase.web.i18n import N_
from powcase.web.session import Page, expired_form, open_page, render, to_login

router = APIRouter(include_in_schema=False)

USE_CASES = ("trace_search", "determine")  # what Office.plan_exchange asks of the table
MAX_EXCHANGE_BYTES = 256 * 1024
HELD = 20
FORMATS = {"pdf": N_("the plan and the left-off report (PDF)"), "list": N_("the exchange list (CSV)"),
           "exclusions": N_("who is left off and why (CSV)")}


@dataclass(frozen=True)
class HeldPlan:
    owner: str
    result: ExchangePlan


class HeldPlans:
    """The last few plans, each for the account that made it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, HeldPlan] = OrderedDict()

    def keep(self, owner: str, result: ExchangePlan) -> str:
        plan_id = "XP-" + secrets.token_hex(8)
        with self._lock:
            self._items[plan_id] = HeldPlan(owner, result)
            while len(self._items) > HELD:
                self._items.popitem(last=False)
        return plan_id

    def get(self, plan_id: str, owner: str) -> ExchangePlan | None:
        with self._lock:
            held = self._items.get(plan_id)
        return held.result if held is not None and held.owner == owner else None


def _plans(page: Page) -> HeldPlans:
    plans: HeldPlans = page.request.app.state.exchange_plans
    return plans


def _require(page: Page) -> None:
    assert page.office is not None  # noqa: S101 - the callers sent anyone else to the login page
    for use_case in USE_CASES:
        page.office.require(use_case)


@router.get("/exchange")
def exchange_form(request: Request) -> Response:
    page = open_page(request)
    if page.office is None:
        return to_login(page)
    _require(page)
    return render(page, "exchange.html", errors={}, result=None, plan_id=None, formats=FORMATS)


async def _upload(form: Any, name: str, limit: int) -> tuple[bytes, str] | None:
    item = form.get(name)
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    return await item.read(limit + 1), item.filename


def _rows(data: bytes, filename: str, source: ListSource) -> tuple[ListRow, ...]:
    suffix = Path(filename).suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise ListError(filename[:80], ["expected a .csv or .xlsx file"])
    with tempfile.TemporaryDirectory(prefix="powcase-exchange-") as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(data)
        path.chmod(0o600)
        return read_list(path, source.columns, sheet=source.sheet, category_values=source.category_values)


@router.post("/exchange")
async def plan(request: Request) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    async with request.form() as form:
        token = {"csrf": str(form.get("csrf", ""))}
        spec_file = await _upload(form, "exchange", MAX_EXCHANGE_BYTES)
        request_file = await _upload(form, "request_list", MAX_LIST_BYTES)
        offer_file = await _upload(form, "offer_list", MAX_LIST_BYTES)
    if not page.valid_csrf(token):
        return expired_form(page)
    _require(page)
    errors: dict[str, str] = {}
    if spec_file is None:
        errors["exchange"] = page._("Required.")
    if request_file is None:
        errors["request_list"] = page._("Required.")
    spec: ExchangeFile | None = None
    if spec_file is not None:
        try:
            if len(spec_file[0]) > MAX_EXCHANGE_BYTES:
                raise InvalidInput("the exchange file is larger than 256 kB")
            spec = ExchangeFile.model_validate(parse_yaml(spec_file[0].decode("utf-8"), "exchange file"))
        except UnicodeDecodeError:
            errors["exchange"] = page._("Not accepted:") + " " + page._("the file is not UTF-8 text.")
        except ValidationError as exc:
            errors["exchange"] = page._("Not accepted:") + " " + every_error(exc)
        except InvalidInput as exc:
            errors["exchange"] = page._("Not accepted:") + " " + str(exc)
    lists: dict[str, tuple[ListRow, ...]] = {}
    if spec is not None:
        for field, upload, source in (("request_list", request_file, spec.request_list),
                                      ("offer_list", offer_file, spec.offer_list)):
            if upload is None or source is None:
                if field == "offer_list" and upload is not None:
                    errors[field] = page._("The exchange file names no offer list.")
                continue
            try:
                lists[field] = _rows(*upload, source)
            except ListError as exc:
                errors[field] = page._("Not accepted:") + " " + "; ".join(exc.problems[:10])
    if errors or spec is None:
        return render(page, "exchange.html", status=422, errors=errors, result=None, plan_id=None, formats=FORMATS)
    exchange = Exchange(id=spec.id, counterpart=spec.counterpart, date=spec.date, terms=spec.terms,
                        request_list=lists["request_list"], offer_list=lists.get("offer_list", ()))
    try:
        result = office.plan_exchange(exchange)
    except InvalidInput as exc:  # terms the register cannot meet (a quota naming no known category...)
        errors = {"exchange": page._("Not accepted:") + " " + str(exc)}
        return render(page, "exchange.html", status=422, errors=errors, result=None, plan_id=None, formats=FORMATS)
    plan_id = _plans(page).keep(office.user.name, result)
    return _show(page, result, plan_id)


def _show(page: Page, result: ExchangePlan, plan_id: str | None, errors: dict[str, str] | None = None,
          status: int = 200) -> Response:
    codes = Counter(e.code.value for e in result.report)
    return render(page, "exchange.html", status=status, errors=errors or {}, result=result, plan_id=plan_id,
                  listed=list_table(result.entries), excluded=exclusion_table(result.report),
                  codes=dict(sorted(codes.items())), formats=FORMATS)


@router.post("/exchange/report")
async def report(request: Request) -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    async with request.form() as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not page.valid_csrf(fields):
        return expired_form(page)
    _require(page)
    result = _plans(page).get(fields.get("plan_id", "")[:40], office.user.name)
    if result is None:
        return render(page, "exchange.html", status=422, result=None, plan_id=None, formats=FORMATS,
                      errors={"form": page._("This plan is no longer held by the server; upload the files again.")})
    kind = fields.get("format", "")
    name = f"exchange-{_safe(result.exchange.id)}"
    if kind == "pdf":
        return _download(report_pdf(result, office.pw.today()), "application/pdf", f"{name}.pdf")
    if kind in ("list", "exclusions"):
        table = list_table(result.entries) if kind == "list" else exclusion_table(result.report)
        return _download(_csv(table), "text/csv; charset=utf-8", f"{name}-{kind}.csv")
    return _show(page, result, fields.get("plan_id"), {"format": page._("Choose one of the options.")}, 422)


def _csv(table: Table) -> bytes:
    """The table as `write_csv` writes it: a BOM for spreadsheets, every cell made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in table.columns])
    writer.writerows([safe_cell(c) for c in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:40]


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
