"""Birth dates as registers write them, and how two of them agree."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import NamedTuple

_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


class BirthDate(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None


class DateAgreement(StrEnum):
    EXACT = "exact"
    ONE_DAY = "one day apart"
    SWAPPED = "day and month swapped"
    YEAR = "same year (one date is year only)"
    NEAR_YEAR = "year one apart, same day and month"
    SAME_YEAR_ONLY = "same year, different day"
    MISSING = "missing"
    DISAGREE = "different"


# Agreements that leave no doubt it can be the same person.
COMPATIBLE = frozenset({DateAgreement.EXACT, DateAgreement.ONE_DAY, DateAgreement.SWAPPED,
                        DateAgreement.YEAR})


def parse_birth_date(text: str | None) -> BirthDate | None:
    """Parse 'YYYY-MM-DD' or 'YYYY'; None or '' is None; raises ValueError (no value in it)."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    if m := _YEAR.match(value):
        year = int(m.group(1))
        if not 1850 <= year <= 2100:
            raise ValueError("birth year out of range")
        return BirthDate(year)
    if m := _FULL.match(value):
        year, month, day = (int(g) for g in m.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError("not a calendar date") from None
        if not 1850 <= year <= 2100:
            raise ValueError("birth year out of range")
        return BirthDate(year, month, day)
    raise ValueError("birth date is not YYYY-MM-DD or YYYY")


def agreement(a: BirthDate | None, b: BirthDate | None) -> DateAgreement:
    if a is None or b is None:
        return DateAgreement.MISSING
    if a.month is None or b.month is None or a.day is None or b.day is None:
        if a.year == b.year:
            return DateAgreement.YEAR
        return DateAgreement.DISAGREE
    if a == b:
        return DateAgreement.EXACT
    da = dt.date(a.year, a.month, a.day)
    db = dt.date(b.year, b.month, b.day)
    if abs((da - db).days) == 1:
        return DateAgreement.ONE_DAY
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DateAgreement.SWAPPED
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return DateAgreement.NEAR_YEAR
    if a.year == b.year:
        return DateAgreement.SAME_YEAR_ONLY
    return DateAgreement.DISAGREE
