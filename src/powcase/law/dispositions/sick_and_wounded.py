"""D3 Direct repatriation of the seriously wounded and sick (GC III Arts 109-110, 112; R11, R13).

R11 [GC3-109(1), GC3-110, GC3-112]: Parties "are bound to send back to their own country ...
seriously wounded and seriously sick" prisoners once fit to travel - mandatory, but only if he
wants it and faces no real risk. Named exception, HARD - GC3-109(3): "No sick or injured prisoner
of war who is eligible for repatriation under the first paragraph of this Article, may be
repatriated against his will during hostilities." R13 [GC3-115]: a disciplinary punishment never
delays it; pending judicial proceedings need the detaining power's consent.
"""

from __future__ import annotations

from powcase.domain.values import AssessedBy
from powcase.law.dispositions.situation import (
    DIRECT_REPATRIATION_CATEGORIES,
    Situation,
    free_will_findings,
    risk_findings,
)
from powcase.law.free_will import FreeWillStatus, Wish
from powcase.law.verdicts import (
    DispositionVerdict,
    Effect,
    Finding,
    Missing,
    Reason,
    decide,
    finding,
)


def medical_findings(situation: Situation) -> list[Finding]:
    """Is he in an Art 110(1) category, found by the MMC or manifestly (Art 112), and fit to travel?"""
    facts = [fact for fact in situation.case.medical if fact.occurred_on <= situation.as_of]
    if not facts:
        return [
            finding("R11", Effect.NEED, "no medical finding under Art 110 is recorded", ("GC3-110", "GC3-112"),
                    missing=(Missing(key="medical:finding", text="a Mixed Medical Commission decision or a finding that he is manifestly seriously wounded or sick", rule="R12"),))
        ]
    categories = situation.medical_categories()
    found = categories & DIRECT_REPATRIATION_CATEGORIES
    if not found:
        return [
            finding("R11", Effect.BAR, "he is not in an Art 110(1) category for direct repatriation", ("GC3-110",))
        ]
    findings: list[Finding] = []
    qualified = [fact for fact in facts if fact.event.assessed_by in (AssessedBy.MIXED_MEDICAL_COMMISSION, AssessedBy.MANIFEST)
                 and set(fact.event.art110) & DIRECT_REPATRIATION_CATEGORIES]
    if not qualified:
        findings.append(
            finding("R12", Effect.NEED, "the Art 110(1) category was found by a physician; the Mixed Medical Commission has not decided", ("GC3-112", "GC3-113"),
                    missing=(Missing(key="medical:mmc", text="the Mixed Medical Commission's decision", rule="R12"),))
        )
    fitness = [fact.event.fit_to_travel for fact in facts if fact.event.fit_to_travel is not None]
    if not fitness:
        findings.append(
            finding("R11", Effect.NEED, "fitness to travel is not assessed", ("GC3-109",),
                    missing=(Missing(key="medical:fitness", text="fitness to travel", rule="R11"),))
        )
    elif fitness[-1] is False:
        findings.append(
            finding("R11", Effect.BAR, "he is not fit to travel: repatriation is deferred", ("GC3-109",),
                    missing=(Missing(key="medical:fitness", text="fitness to travel", rule="R11"),))
        )
    return findings


def _not_his_wish(sick: bool, said: str, missing: tuple[Missing, ...] = ()) -> Finding:
    """Direct repatriation rests on his wish to go home. For a prisoner in an Art 110(1) category
    Art 109(3) says so in terms; for one who is not, Art 109(1) does not reach him at all."""
    if sick:
        return finding("R11", Effect.BAR, f"{said}: no sick or injured prisoner may be repatriated against his will during hostilities",
                       ("GC3-109(3)",), missing=missing)
    return finding("R11", Effect.BAR, f"{said}: direct repatriation is for a seriously wounded or sick prisoner who wants to go home",
                   ("GC3-109(1)",), missing=missing)


def direct_repatriation_sick_or_wounded(situation: Situation) -> DispositionVerdict:
    """D3: mandatory direct repatriation (R11) unless he does not want it (109(3)) or faces a real
    risk (R25); judicial proceedings need the detaining power's consent (R13)."""
    title = situation.rulebook.dispositions["D3"].title
    findings: list[Finding] = []
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R11"))
    elif situation.ceased:
        findings.append(
            finding("R18", Effect.BAR, "active hostilities have ceased: Arts 109-110 give way to repatriation of all (D1)", ("GC3-118(1)",))
        )
    findings += medical_findings(situation)
    candidates = situation.origin_candidates()
    findings += risk_findings(situation, candidates, "R11", bar_label="direct repatriation")
    free_will = situation.free_will
    sick = situation.sick_or_wounded()
    if free_will.status is FreeWillStatus.ESTABLISHED and free_will.wish is not Wish.WANTS_REPATRIATION:
        findings.append(_not_his_wish(sick, "he does not want to be repatriated"))
    elif free_will.wish is Wish.UNDECIDED and free_will.status is FreeWillStatus.PENDING:
        findings.append(_not_his_wish(sick, "he has not said he wants to go home", missing=free_will.missing))
    else:
        findings += free_will_findings(situation, "R11", "direct repatriation")
    proceedings = situation.judicial_proceedings()
    if proceedings is not None and not proceedings.detaining_power_consents_to_repatriation:
        findings.append(
            finding("R13", Effect.NEED, "judicial proceedings are pending: direct repatriation needs the detaining power's consent", ("GC3-115",),
                    missing=(Missing(key="proceedings:consent", text="the detaining power's recorded consent (Art 115)", rule="R13"),))
        )
    if any(fact.event.kind == "disciplinary" for fact in situation.case.proceedings):
        findings.append(finding("R13", Effect.NOTE, "a disciplinary punishment never delays repatriation under Arts 109-110", ("GC3-115",)))
    undecided = any(item.effect in (Effect.BAR, Effect.NEED) for item in findings)
    if situation.ongoing and situation.wants_home() and not undecided:
        # R11 obliges once every condition holds; a failed condition is not a conflict with it.
        findings.append(
            finding("R11", Effect.REQUIRE, "seriously wounded or sick, fit to travel, wants to go home, no real risk: direct repatriation is mandatory",
                    ("GC3-109(1)", "GC3-110"))
        )
    conditions = (
        Reason(rule="R14", text="notify the receiving Power that he may not be employed on active military service", sources=("GC3-117",)),
    )
    return decide("D3", title, findings, destinations=candidates, conditions=conditions)

