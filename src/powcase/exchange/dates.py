"""Birth dates as exchange lists write them, normalised to 'YYYY-MM-DD' or 'YYYY'.

Lists come from different ministries and spreadsheets: ISO dates, Russian and Ukrainian
'DD.MM.YYYY', 'DD/MM/YYYY', Excel date cells and a bare year when only the year is known. Slashes
are read day first: the lists this system receives are European, and a US 'MM/DD' list has to be
converted before import rather than guessed at row by row.

Errors say what is wrong with the value without repeating it whole.
"""

from __future__ import annotations

import datetime as dt
import re

# An optional midnight time: what a spreadsheet writes when it saves a date cell as text.
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
# The same span the tracing matcher accepts, so a normalised date is always searchable.
_FIRST_YEAR, _LAST_YEAR = 1850, 2100


class NotADate(ValueError):
    """The reason a value is not a birth date; safe to show (no value in it)."""


def _year(year: int) -> int:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise NotADate(f"year outside {_FIRST_YEAR}-{_LAST_YEAR}")
    return year


def _calendar(year: int, month: int, day: int) -> str:
    _year(year)
    if not 1 <= month <= 12:
        raise NotADate(f"no month {month}")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise NotADate(f"day {day} of month {month}") from None


def normalise_birth_date(value: object) -> str | None:
    """Return 'YYYY-MM-DD', 'YYYY' or None (empty); raise NotADate otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # an Excel date cell (openpyxl gives a datetime)
        return _calendar(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _calendar(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise NotADate("a true/false cell")
    if isinstance(value, int):  # a year typed into a number cell
        return str(_year(value))
    if isinstance(value, float):
        if value.is_integer():
            return str(_year(int(value)))
        raise NotADate("a fractional number")
    if not isinstance(value, str):
        raise NotADate("not text")
    text = value.strip()
    if not text:
        return None
    if m := _YEAR.match(text):
        return str(_year(int(m.group(1))))
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return _calendar(year, month, day)
    if m := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in m.groups())
        return _calendar(year, month, day)
    raise NotADate("not in a known format (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or YYYY)")
