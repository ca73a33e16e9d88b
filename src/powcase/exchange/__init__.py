"""Exchange lists: import the counterpart's lists, match them to the register, plan
our list under the terms, and report why each requested person is not on it.

Pure: no store, no law engine (app/exchanges.py and `powcase exchange` bring them). The law
engine's answer arrives as `Candidate.eligible`
and `Ineligibility`; the register arrives through the `RegisterView` protocol. See
docs/exchange.md.
"""

from powcase.exchange.errors import ListError, TermsError
from powcase.exchange.export import Table, write_csv, write_xlsx
from powcase.exchange.identifiers import service_number_key
from powcase.exchange.lists import ColumnMapping, read_csv, read_list, read_xlsx, rows_from_table
from powcase.exchange.matching import (
    AmbiguityReason,
    Ambiguous,
    InMemoryRegister,
    Matched,
    MatchedBy,
    RegisterView,
    RowMatch,
    Unmatched,
    UnmatchedReason,
    match_row,
    match_rows,
)
from powcase.exchange.model import Exchange, ListRow, Quota, Ratio, Terms, category_code
from powcase.exchange.planning import Plan, plan_greedy, plan_milp
from powcase.exchange.priority import Candidate, PriorityPolicy
from powcase.exchange.report import (
    Exclusion,
    ExclusionCode,
    Ineligibility,
    LawReason,
    ListEntry,
    exchange_list,
    exclusion_table,
    exclusions,
    list_table,
)

__all__ = [
    "AmbiguityReason",
    "Ambiguous",
    "Candidate",
    "ColumnMapping",
    "Exchange",
    "Exclusion",
    "ExclusionCode",
    "InMemoryRegister",
    "Ineligibility",
    "LawReason",
    "ListEntry",
    "ListError",
    "ListRow",
    "Matched",
    "MatchedBy",
    "Plan",
    "PriorityPolicy",
    "Quota",
    "Ratio",
    "RegisterView",
    "RowMatch",
    "Table",
    "Terms",
    "TermsError",
    "Unmatched",
    "UnmatchedReason",
    "category_code",
    "exchange_list",
    "exclusion_table",
    "exclusions",
    "list_table",
    "match_row",
    "match_rows",
    "plan_greedy",
    "plan_milp",
    "read_csv",
    "read_list",
    "read_xlsx",
    "rows_from_table",
    "service_number_key",
    "write_csv",
    "write_xlsx",
]
