"""The values the law engine returns: reasons, missing facts, findings and verdicts.

A rule function never returns a bare boolean: it returns `Finding`s, each naming its rule, a
sentence, the sources, and what is missing. `decide()` combines the findings of one disposition
the way the decision table does, with the table's exceptions made explicit (Catala's lesson):

  1. a *require* or *permit* finding whose rule is named in another finding's `exception_to` is
     set aside (lex specialis: e.g. R19 is an exception to R18, R25 to every rule that would
     send him); "R25:bar" names a bar to set aside (a deployment's reviewed exception, OQ5);
  2. if a finding that *requires or permits* and a finding that *bars* both remain, with no
     exception relation between them, the engine stops with RuleConflictError naming both;
  3. otherwise: any bar -> barred; else any missing fact -> needs_facts; else permitted.

What is `missing` comes from every finding that stands between the case and `permitted`, not only
the first that fired: a verdict barred for want of an acceptance lists the risk assessment and
the legal sign-off too. A bar that no fact can lift (a real risk, an established refusal, a
prisoner not in an Art 110 category) leaves nothing to list: an item that cannot change the
verdict is not offered.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from powcase.law.errors import RuleConflictError


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Status(StrEnum):
    PERMITTED = "permitted"
    BARRED = "barred"
    NEEDS_FACTS = "needs_facts"
    NOT_APPLICABLE = "not_applicable"  # no disposition is open: he died, or escaped and is at large


class Effect(StrEnum):
    """What a single rule says about a disposition."""

    REQUIRE = "require"  # the law obliges it (R11, R18): permitted and required
    PERMIT = "permit"  # a condition of the disposition is met
    BAR = "bar"  # the disposition is barred
    NEED = "need"  # a fact is missing to decide
    NOTE = "note"  # recorded, never decisive (R28 exclusion indicators, alerts)


class Reason(Frozen):
    """One sentence of the engine's reasoning with the rule and sources behind it."""

    rule: str
    text: str
    sources: tuple[str, ...] = ()
    open_questions: tuple[int, ...] = ()


class Missing(Frozen):
    """A fact that would help decide, in plain words, keyed for the hypothesis search."""

    key: str  # e.g. "interview", "risk_assessment:RUS", "acceptance:KOR", "legal_basis:D5"
    text: str
    rule: str
    on_or_after: date | None = None


class Finding(Frozen):
    rule: str
    effect: Effect
    reason: Reason
    missing: tuple[Missing, ...] = ()
    exception_to: tuple[str, ...] = ()


def finding(
    rule: str,
    effect: Effect,
    text: str,
    sources: tuple[str, ...] = (),
    *,
    missing: tuple[Missing, ...] = (),
    exception_to: tuple[str, ...] = (),
    open_questions: tuple[int, ...] = (),
) -> Finding:
    """Shorthand used by the rule modules. Built without validation: every value is typed here
    and made by the engine itself (model_construct; the tuples are made tuples)."""
    return Finding.model_construct(
        rule=rule,
        effect=effect,
        reason=Reason.model_construct(rule=rule, text=text, sources=tuple(sources), open_questions=tuple(open_questions)),
        missing=tuple(missing),
        exception_to=tuple(exception_to),
    )


class Change(Frozen):
    """A smallest set of added facts that would make a disposition permitted (item 9)."""

    facts: tuple[str, ...]


class DispositionVerdict(Frozen):
    disposition: str  # "D1".."D7" (powcase.domain.Disposition values)
    title: str
    status: Status
    required: bool = False  # permitted and obligatory (R11, R18)
    destinations: tuple[str, ...] = ()
    reasons: tuple[Reason, ...]
    missing: tuple[Missing, ...] = ()
    conditions: tuple[Reason, ...] = ()  # to be met at execution (R23 reconfirmation, R30 safety)
    notes: tuple[Reason, ...] = ()
    alerts: tuple[str, ...] = ()  # machine-readable flags, e.g. "post_hostilities_hold"
    would_change: tuple[Change, ...] = ()


def decide(
    disposition: str,
    title: str,
    findings: list[Finding],
    *,
    destinations: tuple[str, ...] = (),
    conditions: tuple[Reason, ...] = (),
    alerts: tuple[str, ...] = (),
) -> DispositionVerdict:
    """Combine the findings of one disposition into its verdict (see the module docstring)."""
    excepted = {target for item in findings for target in item.exception_to}
    applicable = [item for item in findings if not _set_aside(item, excepted)]
    positive = [item for item in applicable if item.effect in (Effect.REQUIRE, Effect.PERMIT)]
    bars = [item for item in applicable if item.effect is Effect.BAR]
    needs = [item for item in applicable if item.effect is Effect.NEED]
    notes = tuple(item.reason for item in applicable if item.effect is Effect.NOTE)
    required = [item for item in positive if item.effect is Effect.REQUIRE]
    if required and bars:
        raise RuleConflictError(f"{disposition} {title}", required[0].rule, bars[0].rule)
    # Every finding that stands between the case and `permitted` contributes what it lacks; a
    # bar with nothing that could lift it means no added fact changes the verdict.
    fixed = any(not item.missing for item in bars)
    missing = () if fixed else _unique(tuple(m for item in (*bars, *needs) for m in item.missing))
    if bars:
        status = Status.BARRED
        reasons = tuple(item.reason for item in bars)
    elif needs:
        status = Status.NEEDS_FACTS
        reasons = tuple(item.reason for item in needs)
    else:
        status = Status.PERMITTED
        reasons = tuple(item.reason for item in positive)
    # Built without validation, as `finding` is: the engine made each part itself.
    return DispositionVerdict.model_construct(
        disposition=disposition,
        title=title,
        status=status,
        required=status is Status.PERMITTED and bool(required),
        destinations=tuple(destinations),
        reasons=reasons,
        missing=missing,
        conditions=tuple(conditions) if status is Status.PERMITTED else (),
        notes=notes,
        alerts=tuple(alerts),
        would_change=(),
    )


def _set_aside(item: Finding, excepted: set[str]) -> bool:
    """An exception names the general rule ("R18": its require/permit conclusion) or, to set
    aside a bar, the rule and effect ("R25:bar"). A rule's own conditions (bars and missing
    facts under the same number) stay unless named that way."""
    if f"{item.rule}:{item.effect.value}" in excepted:
        return True
    return item.rule in excepted and item.effect in (Effect.REQUIRE, Effect.PERMIT)


def _unique(items: tuple[Missing, ...]) -> tuple[Missing, ...]:
    seen: set[str] = set()
    kept: list[Missing] = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            kept.append(item)
    return tuple(kept)
