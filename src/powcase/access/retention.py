"""Retention: how long each category of personal data is kept after a case closes.

A case closes when he leaves the detaining power's custody for good: transferred (repatriated,
released, handed to another state) or dead. An escaped prisoner's case stays open: he may be
recaptured. The periods are policy, set per deployment (``RetentionPolicy.from_mapping`` reads a
dict or a YAML file); the defaults below are placeholders to be decided, not advice.

Today erasure destroys the whole case key, so only a ``whole_case`` entry can be acted on: it is
due when every category is due. Erasing one category alone (statements before identity) needs one
data key per category, which the store does not have yet; those entries are reported so that the
gap is visible, not hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from powcase.domain.case import Case
from powcase.domain.reading import load_document
from powcase.domain.values import CaseStatus
from powcase.errors import InvalidInput

WHOLE_CASE = "whole_case"

# Category -> what of the case it covers, for the documentation and error messages.
CATEGORIES: Mapping[str, str] = MappingProxyType({
    "statements": "interviews: his words, reasons and stated wishes",
    "medical": "medical findings",
    "risk_assessments": "risk assessments and their reasoning",
    "identity": "registration: names, birth date, service number, family details",
    "history": "every other event (custody, decisions, transfers, disclosures)",
})

CLOSED: frozenset[CaseStatus] = frozenset({CaseStatus.TRANSFERRED, CaseStatus.DIED})

_DEFAULT_DAYS: dict[str, int] = {
    "statements": 2 * 365,
    "medical": 5 * 365,
    "risk_assessments": 5 * 365,
    "identity": 10 * 365,
    "history": 10 * 365,
}


class Due(NamedTuple):
    case_id: str
    category: str
    reason: str


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each category is kept after the case closes."""

    days: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(dict(_DEFAULT_DAYS)))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.days) - set(CATEGORIES))
        if unknown:
            raise InvalidInput(f"retention: unknown categories {', '.join(unknown)}; known: {', '.join(CATEGORIES)}")
        missing = sorted(set(CATEGORIES) - set(self.days))
        if missing:
            raise InvalidInput(f"retention: no period for {', '.join(missing)}")
        for category, days in self.days.items():
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                raise InvalidInput(f"retention: {category} needs a whole number of days >= 0, got {days!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RetentionPolicy:
        """From ``{category: days}``; categories left out keep their default period."""
        return cls(MappingProxyType({**_DEFAULT_DAYS, **dict(data)}))

    @classmethod
    def from_yaml(cls, path: Path) -> RetentionPolicy:
        data = load_document(path) or {}
        if not isinstance(data, dict):
            raise InvalidInput(f"{path}: expected a mapping of category to days")
        return cls.from_mapping(data)


def closed_on(case: Case) -> date | None:
    """The day the case closed, or None while it is open (interned, escaped) or erased."""
    if case.erased or case.status not in CLOSED:
        return None
    return case.status_since


def due_for_erasure(cases: Iterable[Case], today: date, policy: RetentionPolicy | None = None) -> list[Due]:
    """(case id, category, reason) for every category kept past its period, then ``whole_case``
    for the cases where every category is due (the only erasure the store can do today)."""
    policy = policy or RetentionPolicy()
    out: list[Due] = []
    for case in cases:
        closed = closed_on(case)
        if closed is None:
            continue
        due_here = 0
        for category, days in sorted(policy.days.items()):
            until = closed + timedelta(days=days)
            if today >= until:
                due_here += 1
                out.append(Due(case.case_id, category, (
                    f"closed ({case.status.value}) on {closed.isoformat()}; {category} is kept {days} days "
                    f"after closing, until {until.isoformat()}"
                )))
        if due_here == len(policy.days):
            longest = max(policy.days.values())
            out.append(Due(case.case_id, WHOLE_CASE, (
                f"closed ({case.status.value}) on {closed.isoformat()}; every category is past its period "
                f"(the longest, {longest} days, ended {(closed + timedelta(days=longest)).isoformat()})"
            )))
    return out


def erasable(due: Iterable[Due]) -> list[str]:
    """The case ids to erase now (destroying the whole case key)."""
    return [d.case_id for d in due if d.category == WHOLE_CASE]
