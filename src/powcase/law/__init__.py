"""The law engine: the rulebook as data and the rules as pure functions.

Public API (everything else is internal):

    load_rulebook(overrides: Path | None = None) -> Rulebook
    determine(case: Case, rulebook: Rulebook, as_of: date, context: Context | None, *, search=True) -> Determination
    verdicts(case, rulebook, as_of, context) -> Verdicts   # the verdicts alone and `valid_until`
    Determination.to_json() -> str ; Determination.verdict(Disposition | "D1") -> DispositionVerdict
    render_memo(determination, rulebook) -> str
    explain(rule_id: str, rulebook: Rulebook, on: date | None = None) -> str
    check_execution(determination, disposition, destination=None) -> DispositionVerdict
    check_transfer(case, rulebook, as_of, context, disposition, destination, via) -> DispositionVerdict

Pure: it imports `powcase.domain` and `powcase.errors` only, and reads no clock, network or
randomness. It reads files only to load the rulebook (its own YAML and a deployment file).
"""

from powcase.law.determination import Determination, Verdicts, determine, input_hash, verdicts
from powcase.law.errors import (
    LawError,
    NoValueInForceError,
    OverrideRefusedError,
    RulebookError,
    RuleConflictError,
    UnknownParameterError,
    UnknownRuleError,
    UnknownSourceError,
)
from powcase.law.execution import ExecutionRefused, check_execution, check_transfer
from powcase.law.explain import explain
from powcase.law.free_will import FreeWill, FreeWillStatus, Wish
from powcase.law.memo import render_memo
from powcase.law.risk import DestinationRisk, RiskStatus
from powcase.law.rulebook import Rulebook, load_rulebook
from powcase.law.verdicts import DispositionVerdict, Status

__all__ = [
    "DestinationRisk",
    "Determination",
    "DispositionVerdict",
    "ExecutionRefused",
    "FreeWill",
    "FreeWillStatus",
    "LawError",
    "NoValueInForceError",
    "OverrideRefusedError",
    "RiskStatus",
    "RuleConflictError",
    "Rulebook",
    "RulebookError",
    "Status",
    "UnknownParameterError",
    "UnknownRuleError",
    "UnknownSourceError",
    "Verdicts",
    "Wish",
    "check_execution",
    "check_transfer",
    "determine",
    "explain",
    "input_hash",
    "load_rulebook",
    "render_memo",
    "verdicts",
]
