"""The deadlines dashboard: the detaining power's duties on time (GC III Art 70, 118-123; R21,
R23), counted by duty and status with the overdue first, the open duties over time as a chart,
and each duty row; names only for roles that may read identity (``Office.deadlines`` decides).

The chart is inline SVG drawn on the server: no script (the CSP forbids it), and no inline style
(``style-src 'self'``): presentation attributes and the stylesheet's classes only. It is drawn
from each duty's own dates as the register knows them today (the day it arose, the day it was
done), not from re-running the law on past days; the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from powcase.app.deadlines import STATUSES, DutyRow, summary
from powcase.errors import InvalidInput
from powcase.law.deadlines import DutyStatus
from powcase.web.api import RESPONSES, OfficeDep, _check_id
from powcase.web.i18n import N_
from powcase.web.session import open_page, render, to_login

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"])

ROWS_SHOWN = 300
CHART_POINTS = 27
CHART_DAYS = 182
STATUS_WORDS = {
    DutyStatus.OVERDUE.value: N_("overdue"), DutyStatus.DUE.value: N_("due"),
    DutyStatus.DONE.value: N_("done"), DutyStatus.NOT_APPLICABLE.value: N_("not applicable"),
}
# Overdue first, then what is still due, then the rest.
_ORDER = {DutyStatus.OVERDUE: 0, DutyStatus.DUE: 1, DutyStatus.DONE: 2, DutyStatus.NOT_APPLICABLE: 3}


@dataclass(frozen=True)
class Chart:
    """Open and overdue duties on sampled days, scaled into a 600 x 200 drawing."""

    days: tuple[date, ...]
    open: tuple[int, ...]
    overdue: tuple[int, ...]
    top: int

    WIDTH = 600
    HEIGHT = 200

    def points(self, values: Sequence[int]) -> str:
        n = max(1, len(values) - 1)
        return " ".join(
            f"{40 + i * (self.WIDTH - 50) / n:.1f},{self.HEIGHT - 20 - v * (self.HEIGHT - 40) / self.top:.1f}"
            for i, v in enumerate(values)
        )


def open_on(row: DutyRow, day: date) -> bool:
    d = row.duty
    if d.status is DutyStatus.NOT_APPLICABLE or d.trigger_on is None or d.trigger_on > day:
        return False
    return d.done_on is None or d.done_on > day


def overdue_on(row: DutyRow, day: date) -> bool:
    due = row.duty.due_on
    return open_on(row, day) and due is not None and due < day


def chart(rows: Sequence[DutyRow], as_of: date) -> Chart:
    """Open duties on evenly spaced days of the half year before ``as_of`` (or since the first duty)."""
    first = min((r.duty.trigger_on for r in rows if r.duty.trigger_on), default=as_of)
    start = first if (as_of - first).days <= CHART_DAYS else as_of - timedelta(days=CHART_DAYS)
    span = (as_of - start).days
    steps = min(CHART_POINTS - 1, span) or 1
    days = tuple(dict.fromkeys(start + timedelta(days=round(i * span / steps)) for i in range(steps + 1)))
    opened = tuple(sum(open_on(r, d) for r in rows) for d in days)
    late = tuple(sum(overdue_on(r, d) for r in rows) for d in days)
    return Chart(days, opened, late, max(1, *opened))


def ordered(rows: Sequence[DutyRow]) -> list[DutyRow]:
    return sorted(rows, key=lambda r: (_ORDER[r.duty.status], r.duty.due_on or date.max, r.duty.case_id))


# Days the pages and the API accept: far enough for any case, short of the calendar's ends, where
# a due date would fall outside it.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)


def day_or_none(text: str) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def check_day(day: date | None) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"as_of: a day from {FIRST_DAY} to {LAST_DAY}")


@router.get("/deadlines")
def deadlines_page(request: Request, as_of: str = "", overdue: str = "") -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    day = day_or_none(as_of) or office.pw.today()
    rows = office.deadlines(day)
    table = {k: v for k, v in summary(rows).items() if any(v.values())}
    listed = ordered([r for r in rows if r.duty.status is DutyStatus.OVERDUE] if overdue else rows)
    return render(
        page, "deadlines.html", as_of=day, table=table, statuses=STATUSES, words=STATUS_WORDS,
        rows=listed[:ROWS_SHOWN], total=len(listed), limit=ROWS_SHOWN, overdue=bool(overdue),
        chart=chart(rows, day), identified=any(r.name is not None for r in rows),
    )


@api_router.get("/deadlines", responses=RESPONSES)
def deadlines_api(
    office: OfficeDep,
    as_of: date | None = None,
    case_id: Annotated[str | None, Query(max_length=40)] = None,
    overdue: bool = False,
) -> dict[str, Any]:
    """Each duty on time with its source, due date and status; a summary by duty and status
    (overdue first). Names only for roles that may read identity (the read is logged)."""
    if case_id is not None:
        _check_id(case_id)
    check_day(as_of)
    day = as_of or office.pw.today()
    rows = office.deadlines(day, case_id)
    listed = ordered([r for r in rows if r.duty.status is DutyStatus.OVERDUE] if overdue else rows)
    return {"as_of": day.isoformat(), "summary": summary(rows), "duties": [r.as_dict() for r in listed]}
