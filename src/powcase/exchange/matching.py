"""Which case in our register each row of a list is, or why that cannot be said.

Rule, in order:
1. a service number that, normalised (spaces, dashes, case, Cyrillic look-alikes), is held by
   exactly one case matches that case, unless the name and birth date are accepted by tracing
   for a *different* case: two identifiers pointing at two people is a question, not an answer;
2. otherwise name and birth date are searched with `powcase.tracing`; the row matches only
   when tracing says `accept` (both name parts agree in full, no look-alike) *and* the birth
   dates agree exactly (or in the year, where one side gives only the year). Tracing also
   accepts a date one day off or with day and month swapped, which is right for finding a
   person but not for putting him on a list: those rows are ambiguous, for a person to confirm.
   Likely candidates without `accept` make the row ambiguous as well;
3. two rows that land on one case are both ambiguous: one of them is someone else or a repeat.

Nothing here guesses: an ambiguous or unmatched row goes to a person, with the candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Literal, Protocol

from pydantic import Field

from powcase.domain.text import searchable
from powcase.exchange.identifiers import service_number_key
from powcase.exchange.model import Frozen, ListRow
from powcase.tracing import Candidate, MatchResult, NameIndex, RegisterEntry
from powcase.tracing.dates import DateAgreement

# Tracing writes the date agreement of each candidate into its reasons as
# "birth date <agreement> (<weight>)"; these are the agreements that count as exact.
_EXACT_DATES = tuple(f"birth date {a.value} (" for a in (DateAgreement.EXACT, DateAgreement.YEAR))


class RegisterView(Protocol):
    """What matching needs from the register; the store implements it for real cases."""

    def by_service_number(self, number: str) -> list[str]:
        """Case ids whose service number has this `service_number_key`."""
        ...

    def by_name(self, name: str, birth_date: str | None) -> MatchResult:
        """A tracing search; candidates' `record_id` are case ids."""
        ...


class MatchedBy(StrEnum):
    SERVICE_NUMBER = "service_number"
    NAME_AND_BIRTH_DATE = "name_and_birth_date"


class AmbiguityReason(StrEnum):
    SERVICE_NUMBER_SHARED = "service_number_shared"  # the register holds the number twice
    IDENTIFIERS_DISAGREE = "identifiers_disagree"  # number -> one case, name -> another
    NAME_NOT_DECISIVE = "name_not_decisive"  # likely candidates, none accepted by tracing
    BIRTH_DATE_NOT_EXACT = "birth_date_not_exact"  # accepted by tracing with a near date
    SAME_CASE_AS_OTHER_ROW = "same_case_as_other_row"


class UnmatchedReason(StrEnum):
    NOT_IN_REGISTER = "not_in_register"  # no candidate at all
    ONLY_WEAK_CANDIDATES = "only_weak_candidates"  # tracing found only 'possible' candidates
    UNUSABLE_NAME = "unusable_name"  # tracing could not read the name (script, no letters)


class Matched(Frozen):
    kind: Literal["matched"] = "matched"
    row: int
    case_id: str
    by: MatchedBy


class Ambiguous(Frozen):
    kind: Literal["ambiguous"] = "ambiguous"
    row: int
    candidates: tuple[str, ...]
    reason: AmbiguityReason
    other_rows: tuple[int, ...] = ()


class Unmatched(Frozen):
    kind: Literal["unmatched"] = "unmatched"
    row: int
    reason: UnmatchedReason


RowMatch = Annotated[Matched | Ambiguous | Unmatched, Field(discriminator="kind")]


def _exact_date(candidate: Candidate) -> bool:
    return any(reason.startswith(_EXACT_DATES) for reason in candidate.reasons)


def _by_name(row: ListRow, register: RegisterView) -> Matched | Ambiguous | Unmatched:
    result = register.by_name(searchable(row.name), row.birth_date)
    if result.accept and result.candidates:
        best = result.candidates[0]
        if _exact_date(best):
            return Matched(row=row.row, case_id=best.record_id, by=MatchedBy.NAME_AND_BIRTH_DATE)
        return Ambiguous(row=row.row, candidates=(best.record_id,),
                         reason=AmbiguityReason.BIRTH_DATE_NOT_EXACT)
    likely = tuple(c.record_id for c in result.candidates if c.label == "likely")
    if likely:
        return Ambiguous(row=row.row, candidates=likely, reason=AmbiguityReason.NAME_NOT_DECISIVE)
    if result.candidates:
        return Unmatched(row=row.row, reason=UnmatchedReason.ONLY_WEAK_CANDIDATES)
    if result.reason and not result.reason.startswith("no candidate"):
        return Unmatched(row=row.row, reason=UnmatchedReason.UNUSABLE_NAME)
    return Unmatched(row=row.row, reason=UnmatchedReason.NOT_IN_REGISTER)


def match_row(row: ListRow, register: RegisterView) -> Matched | Ambiguous | Unmatched:
    """One row on its own (rule steps 1-2)."""
    key = service_number_key(row.service_number) if row.service_number else ""
    cases = sorted(set(register.by_service_number(key))) if key else []
    if len(cases) > 1:
        return Ambiguous(row=row.row, candidates=tuple(cases),
                         reason=AmbiguityReason.SERVICE_NUMBER_SHARED)
    by_name = _by_name(row, register)
    if len(cases) == 1:
        if isinstance(by_name, Matched) and by_name.case_id != cases[0]:
            return Ambiguous(row=row.row, candidates=(cases[0], by_name.case_id),
                             reason=AmbiguityReason.IDENTIFIERS_DISAGREE)
        return Matched(row=row.row, case_id=cases[0], by=MatchedBy.SERVICE_NUMBER)
    return by_name


def match_rows(
    rows: Sequence[ListRow], register: RegisterView
) -> list[Matched | Ambiguous | Unmatched]:
    """Every row, in list order, with rule step 3 applied across rows."""
    results = [match_row(row, register) for row in rows]
    rows_of: dict[str, list[int]] = defaultdict(list)
    for result in results:
        if isinstance(result, Matched):
            rows_of[result.case_id].append(result.row)
    out: list[Matched | Ambiguous | Unmatched] = []
    for result in results:
        if isinstance(result, Matched) and len(rows_of[result.case_id]) > 1:
            others = tuple(r for r in rows_of[result.case_id] if r != result.row)
            out.append(Ambiguous(row=result.row, candidates=(result.case_id,),
                                 reason=AmbiguityReason.SAME_CASE_AS_OTHER_ROW, other_rows=others))
        else:
            out.append(result)
    return out


class InMemoryRegister:
    """A `RegisterView` over tracing entries (entry id = case id), for tests and the bench."""

    def __init__(
        self, entries: Iterable[RegisterEntry], service_numbers: Mapping[str, str] | None = None,
        *, skip_unusable: bool = False,
    ) -> None:
        listed = list(entries)
        self._index = NameIndex(listed, skip_unusable=skip_unusable)
        # Entries whose names tracing could not read: still found by service number, never by name.
        self.skipped: tuple[str, ...] = tuple(self._index.skipped)
        self._numbers: dict[str, list[str]] = defaultdict(list)
        for case_id, number in (service_numbers or {}).items():
            key = service_number_key(number)
            if key:
                self._numbers[key].append(case_id)

    def by_service_number(self, number: str) -> list[str]:
        return list(self._numbers.get(service_number_key(number), ()))

    def by_name(self, name: str, birth_date: str | None) -> MatchResult:
        return self._index.search(name, birth_date)
