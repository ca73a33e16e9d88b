"""Why each requested person is not on our list, and the list itself, for people to read.

Two renderings of each:

* pseudonymised (the default): case id, nationality, reason code, the law engine's reasons and
  source ids. No name, birth date, service number or statement. Rows are sorted by reason and case
  id, not in the counterpart's order, and carry the counterpart's row number only where no case
  was found (not_found, ambiguous): a row number or a row's position would let anyone holding
  the counterpart's list read off who refuses to go home, the one thing that can endanger his
  family (rulebook R2, GBA).
* identified (`identified=True` only): adds the row, service number, name and birth date as the
  counterpart wrote them, for the officials who negotiate the list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import Field, model_validator

from powcase.errors import InvalidInput
from powcase.exchange.export import Table
from powcase.exchange.matching import Ambiguous, Matched, Unmatched
from powcase.exchange.model import Frozen, ListRow
from powcase.exchange.planning import Plan
from powcase.exchange.priority import Candidate


class ExclusionCode(StrEnum):
    REFUSES_REPATRIATION = "refuses_repatriation"
    WISH_NOT_ESTABLISHED = "wish_not_established"
    REAL_RISK = "real_risk"
    NOT_IN_CUSTODY = "not_in_custody"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    QUOTA_FULL = "quota_full"
    NOT_ELIGIBLE_OTHER = "not_eligible_other"


# Codes this package decides from matching and planning; the law engine gives the others.
_OURS = frozenset({ExclusionCode.NOT_FOUND, ExclusionCode.AMBIGUOUS, ExclusionCode.QUOTA_FULL})


class LawReason(Frozen):
    """One sentence of the law engine's reasoning, with its source ids (e.g. 'GC3-109(3)')."""

    text: str = Field(min_length=1)
    sources: tuple[str, ...] = ()


class Ineligibility(Frozen):
    """Why the law engine keeps one case off the list (the lead fills it from the verdict)."""

    code: ExclusionCode
    reasons: tuple[LawReason, ...] = ()

    @model_validator(mode="after")
    def _law_code(self) -> Ineligibility:
        if self.code in _OURS:
            raise ValueError(f"{self.code} is decided by matching and planning, not passed in")
        return self


class Exclusion(Frozen):
    row: int
    code: ExclusionCode
    case_id: str | None = None
    nationality: str | None = None
    reasons: tuple[LawReason, ...] = ()
    candidates: tuple[str, ...] = ()
    identity: ListRow = Field(repr=False)


class ListEntry(Frozen):
    position: int
    case_id: str
    nationality: str | None
    categories: tuple[str, ...]
    identity: ListRow | None = Field(default=None, repr=False)


_MATCH_TEXT = {
    "not_in_register": "no case in the register has this service number or name",
    "only_weak_candidates": "only weak name candidates in the register; checked by hand",
    "unusable_name": "the name as written cannot be read (script or letters)",
    "service_number_shared": "two or more cases hold this service number",
    "identifiers_disagree": "the service number and the name point to different cases",
    "name_not_decisive": "several cases could be this person; confirm by hand",
    "birth_date_not_exact": "the name matches one case but the birth date differs slightly",
    "same_case_as_other_row": "another row of the list is the same case",
}


def _exclusion(
    row: ListRow, match: Matched | Ambiguous | Unmatched, plan: Plan,
    ineligibility: Mapping[str, Ineligibility], nationalities: Mapping[str, str],
) -> Exclusion | None:
    if isinstance(match, Unmatched):
        return Exclusion(row=row.row, code=ExclusionCode.NOT_FOUND, identity=row,
                         reasons=(LawReason(text=_MATCH_TEXT[match.reason]),))
    if isinstance(match, Ambiguous):
        others = f" (rows {', '.join(map(str, match.other_rows))})" if match.other_rows else ""
        return Exclusion(row=row.row, code=ExclusionCode.AMBIGUOUS, identity=row,
                         candidates=match.candidates,
                         reasons=(LawReason(text=_MATCH_TEXT[match.reason] + others),))
    case = match.case_id
    nationality = nationalities.get(case)
    if case in plan.chosen:
        return None
    if case in plan.left_out:
        if case in ineligibility:
            raise InvalidInput(f"case {case}: eligible for the plan but given a reason to exclude")
        return Exclusion(row=row.row, code=ExclusionCode.QUOTA_FULL, case_id=case, identity=row,
                         nationality=nationality, reasons=(LawReason(text=plan.left_out[case]),))
    if case not in ineligibility:
        raise InvalidInput(f"case {case}: requested and not eligible, but no reason was given")
    found = ineligibility[case]
    return Exclusion(row=row.row, code=found.code, case_id=case, nationality=nationality,
                     reasons=found.reasons, identity=row)


def exclusions(
    request_rows: Sequence[ListRow],
    matches: Sequence[Matched | Ambiguous | Unmatched],
    plan: Plan,
    ineligibility: Mapping[str, Ineligibility],
    nationalities: Mapping[str, str],
) -> tuple[Exclusion, ...]:
    """One entry for every requested row not on the list, in the counterpart's row order.

    `ineligibility` must hold every matched case that is not an eligible candidate (ineligible,
    or not a candidate at all, e.g. no longer in custody); a missing one is an error, never
    a silent 'other'.
    """
    by_row = {m.row: m for m in matches}
    out: list[Exclusion] = []
    for row in request_rows:
        if row.row not in by_row:
            raise InvalidInput(f"request row {row.row} has no match result")
        entry = _exclusion(row, by_row[row.row], plan, ineligibility, nationalities)
        if entry is not None:
            out.append(entry)
    return tuple(out)


def exclusion_table(entries: Sequence[Exclusion], *, identified: bool = False) -> Table:
    def reasons(e: Exclusion) -> str:
        return " | ".join(r.text for r in e.reasons)

    def sources(e: Exclusion) -> str:
        return ", ".join(dict.fromkeys(s for r in e.reasons for s in r.sources))

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    if identified:
        columns = ("request_row", "service_number", "name", "birth_date", "case_id",
                   "nationality", "reason_code", "reasons", "sources", "candidates")
        rows = tuple(
            (str(e.row), e.identity.service_number or "", e.identity.name,
             e.identity.birth_date or "", e.case_id or "", e.nationality or "", e.code.value,
             reasons(e), sources(e), " ".join(e.candidates))
            for e in entries
        )
        return Table(title="Exclusions (identified)", columns=columns, rows=rows)
    columns = ("case_id", "nationality", "reason_code", "reasons", "sources", "request_row",
               "candidates")
    ordered = sorted(entries, key=lambda e: (e.code.value, e.case_id or "", e.row))
    rows = tuple(
        (e.case_id or "", e.nationality or "", e.code.value, reasons(e), sources(e),
         str(e.row) if e.case_id is None else "", " ".join(e.candidates))
        for e in ordered
    )
    return Table(title="Exclusions", columns=columns, rows=rows)


def exchange_list(
    plan: Plan,
    candidates: Sequence[Candidate],
    matches: Sequence[Matched | Ambiguous | Unmatched],
    request_rows: Sequence[ListRow],
    nationalities: Mapping[str, str],
    identities: Mapping[str, ListRow] | None = None,
) -> tuple[ListEntry, ...]:
    """Our list in the plan's order; identity from the request row, else from `identities`."""
    by_case = {c.case_id: c for c in candidates}
    rows = {r.row: r for r in request_rows}
    requested = {m.case_id: rows[m.row] for m in matches if isinstance(m, Matched) and m.row in rows}
    return tuple(
        ListEntry(position=i, case_id=case, nationality=nationalities.get(case),
                  categories=tuple(sorted(by_case[case].categories)),
                  identity=requested.get(case) or (identities or {}).get(case))
        for i, case in enumerate(plan.chosen, start=1)
    )


def list_table(entries: Sequence[ListEntry], *, identified: bool = False) -> Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    if identified:
        columns = ("position", "case_id", "nationality", "categories", "request_row",
                   "service_number", "name", "birth_date", "rank")
        rows = tuple(
            (str(e.position), e.case_id, e.nationality or "", " ".join(e.categories),
             *((str(e.identity.row), e.identity.service_number or "", e.identity.name,
                e.identity.birth_date or "", e.identity.rank or "") if e.identity is not None
               else ("", "", "", "", "")))
            for e in entries
        )
        return Table(title="Exchange list (identified)", columns=columns, rows=rows)
    columns = ("position", "case_id", "nationality", "categories")
    rows = tuple((str(e.position), e.case_id, e.nationality or "", " ".join(e.categories))
                 for e in entries)
    return Table(title="Exchange list", columns=columns, rows=rows)
