"""Errors raised by the law engine.

    LawError (a PowcaseError)     anything the law engine refuses to do
    ├── RulebookError             the rulebook or a deployment file cannot be loaded
    │   ├── UnknownSourceError    a rule, parameter, profile or override cites an id not in sources
    │   ├── UnknownParameterError a parameter name that the rulebook does not define
    │   ├── UnknownRuleError      a rule id that the rulebook does not define (R1-R32)
    │   ├── OverrideRefusedError  a deployment tried to override a HARD or INTERP value
    │   └── NoValueInForceError   a parameter has no value in force on the date asked
    └── RuleConflictError         two rules decide the same question differently, no priority

Messages name rules, parameters and source ids only: never a prisoner's name or statement.
A case that lacks a fact is *not* an error: the engine answers `needs_facts` instead.
"""

from __future__ import annotations

from powcase.errors import PowcaseError


class LawError(PowcaseError):
    """Base class of every error the law engine raises."""


class RulebookError(LawError):
    """The rulebook or a deployment override file is invalid; it is refused at load time."""


class UnknownSourceError(RulebookError):
    """A citation names a source id that is not in the list of sources."""


class UnknownParameterError(RulebookError):
    """A parameter name is not defined by the rulebook."""


class UnknownRuleError(RulebookError):
    """A rule id is not defined by the rulebook."""


class OverrideRefusedError(RulebookError):
    """A deployment file tried to override a value that the law fixes (HARD or INTERP)."""


class NoValueInForceError(RulebookError):
    """A parameter has no value in force on the date asked."""


class RuleConflictError(LawError):
    """Two rules decide the same question differently and the rulebook gives no priority.

    Catala's lesson: stop and name both rules rather than pick one silently.
    """

    def __init__(self, question: str, first_rule: str, second_rule: str) -> None:
        self.question = question
        self.first_rule = first_rule
        self.second_rule = second_rule
        super().__init__(
            f"rules {first_rule} and {second_rule} decide {question!r} differently "
            "and the rulebook states no priority between them"
        )
