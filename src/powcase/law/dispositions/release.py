"""D6 Release in the detaining state (R10, R19, R30).

During hostilities - R10 [GC3-21]: release on parole only with his consent ("No prisoner of war
shall be compelled to accept liberty on parole") and "in so far as is allowed by the laws of the
Power on which they depend"; otherwise only under a national asylum decision (Open question 2).
After hostilities - R19(b) [ICRC20-118, CAT-3]: when repatriation is barred, "a
non-refoulement-compliant alternative (release in place, third state) must be pursued without
delay", with the safety measures of R30 [AP2-5-4].
"""

from __future__ import annotations

from powcase.domain.values import Disposition
from powcase.law.dispositions.situation import Situation
from powcase.law.free_will import FreeWillStatus, Wish
from powcase.law.verdicts import (
    DispositionVerdict,
    Effect,
    Finding,
    Missing,
    Status,
    decide,
    finding,
)


def _route_and_safety(situation: Situation) -> list[Finding]:
    findings: list[Finding] = []
    if situation.legal_basis(Disposition.RELEASE) is None:
        findings.append(
            finding("R19", Effect.NEED, "the status route for release (asylum, residence permit or parole) is not chosen",
                    ("GC3-21", "GC3-118"), open_questions=(2,),
                    missing=(Missing(key="legal_basis:D6", text="the legal route of release (asylum or other stay permit), signed off", rule="R19"),))
        )
    if not situation.safety_plan(Disposition.RELEASE):
        findings.append(
            finding("R30", Effect.NEED, "no safety plan is recorded for his release", ("AP2-5-4",),
                    missing=(Missing(key="safety_plan:D6", text="the safety measures for his release (documents, protection from reprisals, data protection)", rule="R30"),))
        )
    return findings


def release_in_detaining_state(situation: Situation, repatriation: Status) -> DispositionVerdict:
    """D6: release to civilian status in the detaining state.

    `repatriation` is the verdict on D1 in the same determination: after hostilities, release is
    the alternative to a barred repatriation, not a substitute for a required one (R18).
    """
    title = situation.rulebook.dispositions["D6"].title
    findings: list[Finding] = []
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R19"))
    hold = situation.criminal_hold()
    if hold is not None:
        findings.append(finding("R19", Effect.BAR, "criminal proceedings or a sentence: the detaining power holds him (Art 119(5))", ("GC3-119(5)",),
                                missing=(Missing(key="proceedings:end", text="the end of the proceedings and of any sentence", rule="R19"),)))
    free_will = situation.free_will
    if situation.ongoing:
        if free_will.status is FreeWillStatus.ESTABLISHED and free_will.wish is Wish.WANTS_REPATRIATION:
            findings.append(finding("R10", Effect.BAR, "he wants to go home; no prisoner may be compelled to accept liberty on parole", ("GC3-21",)))
        elif free_will.status is not FreeWillStatus.ESTABLISHED:
            findings.append(finding("R10", Effect.NEED, "release during hostilities needs his free consent, not yet established", ("GC3-21",),
                                    missing=free_will.missing))
        findings += _route_and_safety(situation)
    elif situation.ceased:
        if repatriation is Status.PERMITTED:
            findings.append(finding("R18", Effect.BAR, "repatriation is permitted and required: release and repatriate without delay (D1)", ("GC3-118(1)",)))
        elif repatriation is Status.NEEDS_FACTS:
            findings.append(finding("R19", Effect.NEED, "release in place is the alternative to a barred repatriation; whether repatriation is barred is not yet known (see D1)",
                                    ("GC3-118", "ICRC20-118"),
                                    missing=(Missing(key="d1", text="the facts D1 lacks", rule="R19"),)))
        findings += _route_and_safety(situation)
    if not any(item.effect in (Effect.BAR, Effect.NEED) for item in findings):
        findings.append(finding("R19", Effect.PERMIT, "release in place, with a chosen legal route and a safety plan", ("AP2-5-4", "ICRC20-118")))
    return decide("D6", title, findings, destinations=(situation.context.detaining_power,) if situation.context else ())
