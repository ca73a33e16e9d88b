"""How long a determination holds: the earliest day on which the same facts could be decided otherwise.

Every rule that reads the date compares it with a date it finds in the inputs, directly or after
adding a number of days the rulebook sets:

- a fact's own date (a fact counts from the day it occurred, R5, R20-R29 read `occurred_on <= as_of`),
  and dates a fact names (a risk assessment's `review_due` lapses the day after it, R26);
- the context's dates: an agreement's `signed_on` and the day after its `ends_on`; the `since` of a
  period of hostilities, alone and plus each period of the rulebook (the alert for a prisoner held
  after the cessation of active hostilities, R18, counts days from it);
- the rulebook's dated values (`valid_from` of a parameter, of a presumption, of a country profile
  and each of its entries).

The periods between facts (the reflection period between interviews, R21) compare two facts'
dates, not a fact's date with the date of the determination, and the duties' targets are not
verdicts (`powcase.law.deadlines`); neither adds a day here. The property test
(tests/law/test_validity.py) decides generated cases on every kind of day before `valid_until`
and would fail on a rule that counts days from a fact to the date of the determination.

`valid_until` is the first of these candidate days after the date of the determination: a day on
which something the rules read changes, so the verdicts may change; before it nothing they read
differs, so they cannot. It may be earlier than the day a verdict actually changes (a candidate is
a day on which a comparison can flip, not one on which it does), never later. A case with no
candidate day left holds until its facts, the rulebook or the context change (`None`).

Pure: no clock, no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, get_args

from pydantic import BaseModel

from powcase.domain import Case, Context
from powcase.law.rulebook import Rulebook

_DAY = timedelta(days=1)
# Derived per rulebook content hash: the rulebook is immutable once loaded.
_RULEBOOK_CACHE: dict[str, tuple[tuple[int, ...], tuple[date, ...]]] = {}


def _flatten(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in get_args(annotation):
        yield from _flatten(argument)


@functools.cache
def _dated_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of a model that can hold a date: (name, whether it holds it in a nested model).
    Read once per model class: the walk over a case then touches only those fields."""
    found = []
    for name, info in model.model_fields.items():
        kinds = list(_flatten(info.annotation))
        if any(kind is date for kind in kinds):
            found.append((name, False))
        elif any(isinstance(kind, type) and issubclass(kind, BaseModel) and _dated_fields(kind) for kind in kinds):
            found.append((name, True))
    return tuple(found)


def _dates_in(value: Any, found: set[date]) -> None:
    """Every date inside a model, a list of models or a date, into `found`."""
    if isinstance(value, date):
        found.add(value)
    elif isinstance(value, BaseModel):
        for name, nested in _dated_fields(type(value)):
            item = getattr(value, name)
            if item is None:
                continue
            if nested or isinstance(item, list | tuple):
                _dates_in(item, found)
            else:
                found.add(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _dates_in(item, found)


def case_dates(case: Case) -> set[date]:
    """Every date the facts of a case carry."""
    found: set[date] = set()
    if case.registered_on is not None:
        found.add(case.registered_on)
    if case.identity is not None:
        _dates_in(case.identity, found)
    for name in case.__slots__:
        value = getattr(case, name)
        if isinstance(value, list):
            for fact in value:
                _dates_in(fact.event, found)
        elif hasattr(value, "seq"):
            _dates_in(value.event, found)
    return found


def context_dates(context: Context | None) -> set[date]:
    """The context's dates on which an agreement comes into or goes out of force."""
    if context is None:
        return set()
    found = set()
    for agreement in context.agreements:
        found.add(agreement.signed_on)
        if agreement.ends_on is not None:
            found.add(agreement.ends_on + _DAY)  # in force through `ends_on`
    return found


def counted_from(context: Context | None) -> set[date]:
    """The dates from which rules count days to the date of the determination."""
    return {period.since for period in context.hostilities} if context is not None else set()


def _rulebook_terms(rulebook: Rulebook) -> tuple[tuple[int, ...], tuple[date, ...]]:
    """The periods (every whole number a parameter ever takes) and the dated values of a rulebook."""
    cached = _RULEBOOK_CACHE.get(rulebook.content_hash)
    if cached is not None:
        return cached
    periods: set[int] = set()
    dates: set[date] = set()
    for parameter in rulebook.parameters.values():
        for value in parameter.values:
            dates.add(value.valid_from)
            if isinstance(value.value, int) and not isinstance(value.value, bool) and value.value > 0:
                periods.add(value.value)
    for profile in rulebook.countries.values():
        dates.add(profile.valid_from)
        dates.update(entry.valid_from for entry in profile.categories)
        dates.update(entry.valid_from for entry in profile.onward_removal)
    terms = (tuple(sorted(periods)), tuple(sorted(dates)))
    _RULEBOOK_CACHE[rulebook.content_hash] = terms
    return terms


def valid_until(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> date | None:
    """The first day after `as_of` on which a rule reading the date could decide otherwise."""
    periods, rulebook_dates = _rulebook_terms(rulebook)
    best: date | None = None
    for day in rulebook_dates:
        if day > as_of:
            best = day
            break
    for anchor in case_dates(case) | context_dates(context) | counted_from(context):
        # `anchor` itself and the day after it (a strict comparison).
        for candidate in (anchor, anchor + _DAY):
            if as_of < candidate and (best is None or candidate < best):
                best = candidate
    for anchor in counted_from(context):
        for days in periods:
            try:
                later = anchor + timedelta(days=days)
            except OverflowError:  # a period reaching past the calendar never elapses
                continue
            for candidate in (later, later + _DAY):
                if as_of < candidate and (best is None or candidate < best):
                    best = candidate
    return best
