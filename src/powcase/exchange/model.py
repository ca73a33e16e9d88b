"""An exchange of prisoners of war under a special agreement (GC III Arts 6, 109; rulebook R16).

The counterpart (the Power of origin, or the Power negotiating for it) sends a *request list*
(prisoners it asks the detaining power to release) and an *offer list* (our nationals it would
return). The terms fix how many we send and in which categories. Per R16 a list built from these
terms is a candidate list only: every person on it still needs the individual checks of the law
engine, which this package receives as an `eligible` flag and never decides itself.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PositiveInt, model_validator

from powcase.domain.text import NAME_MAX
from powcase.domain.values import CountryCode

_SEPARATORS = re.compile(r"[\s\-‐-―]+")
# The longest full name a list row may hold: family name, given names and patronymic.
FULL_NAME_MAX = 3 * NAME_MAX


def category_code(value: str) -> str:
    """'Seriously wounded' and 'seriously-wounded' are one category: 'seriously_wounded'."""
    code = _SEPARATORS.sub("_", value.strip().casefold()).strip("_")
    if not code:
        raise ValueError("empty category")
    return code


Category = Annotated[str, AfterValidator(category_code)]

# Categories that agreements commonly name (UA-SWAPS); any other code is allowed.
OFFICERS = "officers"
ENLISTED = "enlisted"
SERIOUSLY_WOUNDED = "seriously_wounded"
SERIOUSLY_SICK = "seriously_sick"


class Frozen(BaseModel):
    # hide_input_in_errors: a validation error must not echo a name or a birth date.
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, hide_input_in_errors=True
    )


class Ratio(Frozen):
    """We release `ours` prisoners for every `theirs` of our nationals the counterpart returns."""

    ours: PositiveInt
    theirs: PositiveInt

    def limit(self, offer_count: int) -> int:
        return offer_count * self.ours // self.theirs  # whole people, rounded down


class Quota(Frozen):
    """At most `max` (and at least `min`) people of one category on our list.

    An impossible quota (min > max, or a min the eligible pool cannot fill) is accepted here and
    refused by the planner with a `TermsError` naming it: only the planner knows the pool.
    """

    category: Category
    max: Annotated[int, Field(ge=0)] | None = None
    min: Annotated[int, Field(ge=0)] = 0


class Terms(Frozen):
    """Size of our list (a total, a ratio to their offer list, or both: the smaller wins)."""

    total: Annotated[int, Field(ge=0)] | None = None
    ratio: Ratio | None = None
    quotas: tuple[Quota, ...] = ()
    # Categories in the agreement's order of priority, highest first.
    priority: tuple[Category, ...] = ()

    @model_validator(mode="after")
    def _sized(self) -> Terms:
        if self.total is None and self.ratio is None:
            raise ValueError("terms need a total size, a ratio to the offer list, or both")
        categories = [q.category for q in self.quotas]
        if len(set(categories)) != len(categories):
            raise ValueError("two quotas for one category")
        if len(set(self.priority)) != len(self.priority):
            raise ValueError("a category appears twice in the order of priority")
        return self

    def size_limit(self, offer_count: int | None) -> int:
        """How many people our list may hold, given the length of the counterpart's offer list."""
        limits = [] if self.total is None else [self.total]
        if self.ratio is not None:
            if offer_count is None:
                raise ValueError("a ratio needs the length of the counterpart's offer list")
            limits.append(self.ratio.limit(offer_count))
        return min(limits)


class ListRow(Frozen):
    """One row of a list as the counterpart wrote it; names are kept in their own script.

    `row` is the row a person finds in the file (spreadsheet row, header = 1). Identifying
    fields stay out of repr() so that a row printed in a log or a traceback names no one.
    """

    row: PositiveInt
    # A full name: family, given names and patronymic at most NAME_MAX each. Bounded because the
    # list comes from the other government, and one huge cell must not hold up the matching.
    name: str = Field(min_length=1, max_length=FULL_NAME_MAX, repr=False)
    service_number: str | None = Field(default=None, repr=False)
    birth_date: str | None = Field(default=None, repr=False)  # 'YYYY-MM-DD' or 'YYYY'
    rank: str | None = Field(default=None, repr=False)
    categories: tuple[Category, ...] = ()


def _unique_rows(rows: tuple[ListRow, ...], which: str) -> None:
    seen: set[int] = set()
    for row in rows:
        if row.row in seen:
            raise ValueError(f"{which}: row {row.row} appears twice")
        seen.add(row.row)


class Exchange(Frozen):
    """One exchange negotiated with the counterpart state."""

    id: str = Field(min_length=1)
    counterpart: CountryCode
    date: dt.date
    terms: Terms
    request_list: tuple[ListRow, ...] = ()
    offer_list: tuple[ListRow, ...] = ()

    @model_validator(mode="after")
    def _rows_unique(self) -> Exchange:
        _unique_rows(self.request_list, "request list")
        _unique_rows(self.offer_list, "offer list")
        return self

    @property
    def size_limit(self) -> int:
        return self.terms.size_limit(len(self.offer_list))
