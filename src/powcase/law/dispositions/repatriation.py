"""D1 Repatriation to the Power of origin and D2 Inclusion in an exchange.

General rule, after the cessation of active hostilities - R18 [GC3-118(1), CIHL-128]: "Prisoners
of war shall be released and repatriated without delay after the cessation of active
hostilities." Its named exceptions, each a separate finding that sets R18 aside:
  R19(a) [GC3-119(5)]: criminal proceedings for an indictable offence, or a sentence;
  R19(c) [GC3-ROK, AP1-85-4b]: an established refusal, per `honour_refusal_without_risk`;
  R25 [CAT-3, HRC-GC31-12, ICRC20-118]: a real risk, whatever Art 118 says;
  R23 [GULF-1991, NNRC-10]: a refusal at the point of departure stops the handover.
During hostilities, exchanges and special agreements - R16 [GC3-6, GC3-109(3)]: an agreement
cannot override the individual checks; category lists are candidate lists, never final lists.
"""

from __future__ import annotations

from powcase.domain.values import Disposition
from powcase.law.dispositions.sick_and_wounded import medical_findings
from powcase.law.dispositions.situation import Situation, free_will_findings, risk_findings
from powcase.law.free_will import Wish, handover_reconfirmation, interview_label
from powcase.law.risk import RiskStatus
from powcase.law.verdicts import (
    DispositionVerdict,
    Effect,
    Finding,
    Missing,
    Reason,
    decide,
    finding,
)


def _handover_refusal(situation: Situation, wish: Wish, state: str | None = None) -> list[Finding]:
    """R23: the last private reconfirmation at the point of departure did not confirm this wish."""
    free_will = situation.free_will
    handover = handover_reconfirmation(free_will)
    if handover is None:
        return []
    confirms = handover.wish is wish and (state is None or handover.wish_state == state)
    # A handover at which he confirmed the wish he had established (say, to go to a third state)
    # was the departure for that destination, not a refusal of this one: his established wish
    # speaks for this disposition, through its own rule.
    own = situation.established and handover.wish is free_will.wish and handover.wish_state == free_will.preferred_state
    if confirms or own:
        return []
    return [
        finding(
            "R23",
            Effect.BAR,
            f"at the point of departure ({interview_label(free_will, handover.seq)}, {handover.held_on.isoformat()}) he did not confirm; the handover stops",
            ("GULF-1991", "NNRC-10"),
            missing=(Missing(key="interview", text="a new series of qualifying interviews establishing his wish", rule="R24"),),
            exception_to=("R16", "R18"),
        )
    ]


def _handover_conditions(situation: Situation) -> tuple[Reason, ...]:
    if not situation.rulebook.flag("reconfirm_at_handover", situation.as_of):
        return ()
    return (
        Reason(
            rule="R23",
            text="reconfirm his wish in private at the point of departure; a refusal there stops the handover",
            sources=("GULF-1991", "NNRC-10"),
        ),
    )


def _refusal(situation: Situation, rule_during: str) -> list[Finding]:
    """An established refusal. During hostilities: HARD for a seriously sick or wounded prisoner
    (GC3-109(3)), whatever the policy; for others per `honour_refusal_during_hostilities` (R16).
    After hostilities per `honour_refusal_without_risk` (Open question 1)."""
    rulebook, on = situation.rulebook, situation.as_of
    if situation.ongoing:
        if situation.sick_or_wounded():
            # Art 109(3) is treaty law: no POLICY value can turn this bar into a review.
            return [
                finding(
                    rule_during,
                    Effect.BAR,
                    "he refuses repatriation (established) and is seriously wounded or sick (Art 110(1)): "
                    "no such prisoner may be repatriated against his will during hostilities",
                    ("GC3-109(3)", "GC3-110"),
                )
            ]
        if rulebook.flag("honour_refusal_during_hostilities", on):
            return [
                finding(
                    rule_during,
                    Effect.BAR,
                    "he refuses repatriation (established); during hostilities this deployment honours a refusal",
                    ("GC3-ROK", "ICRC-PRAC"),
                )
            ]
        return [
            finding(
                rule_during,
                Effect.NEED,
                "he refuses repatriation and this deployment does not honour refusals during hostilities; legal review needed",
                ("GC3-118", "GC3-7"),
                missing=(Missing(key="legal_review:refusal", text="a legal review of returning him against his stated will (Open question 1)", rule="R19"),),
                open_questions=(1,),
            )
        ]
    if not _safe(situation):
        # Matrix, REFUSES x NOT_ASSESSED after hostilities: the risk must be assessed first
        # (risk_findings names it); a real risk bars anyway (R25).
        return []
    if rulebook.flag("honour_refusal_without_risk", on):
        return [
            finding(
                "R19",
                Effect.BAR,
                "he refuses repatriation (established); this deployment honours a refusal even without real risk",
                ("GC3-ROK", "AP1-85-4b", "US-ARMY-3-168"),
                exception_to=("R18",),
                open_questions=(1,),
            )
        ]
    return [
        finding(
            "R19",
            Effect.NOTE,
            "he refuses repatriation, but this deployment does not honour a refusal without real risk: Art 118 applies",
            ("GC3-118", "GC3-7"),
            open_questions=(1,),
        )
    ]


def _safe(situation: Situation) -> bool:
    """No real risk is found for any candidate destination of repatriation (R25)."""
    candidates = situation.origin_candidates()
    return bool(candidates) and all(situation.risk(state).status is RiskStatus.NO_REAL_RISK for state in candidates)


def repatriation_to_power_of_origin(situation: Situation) -> DispositionVerdict:
    """D1: repatriation to the state of origin or the Power on which he depends (R18, R19, R25).

    Decision table D1. Permitted during hostilities with an established wish to return, no real
    risk and a basis (agreement, Art 109/110 case or a recorded decision); after hostilities the
    same wish and no real risk make it *required* "without delay" (GC3-118(1)).
    """
    findings: list[Finding] = []
    title = situation.rulebook.dispositions["D1"].title
    candidates = situation.origin_candidates()
    registered_later = situation.case.registered_on if situation.case.identity is None else None
    if not candidates and registered_later is not None:
        findings.append(
            finding("R8", Effect.NEED, f"his registration (nationality, forces served in) is dated {registered_later.isoformat()}, "
                    f"after the date of this determination ({situation.as_of.isoformat()})", ("GC3-5",),
                    missing=(Missing(key="registration", text=f"a determination as of {registered_later.isoformat()} or later, "
                                     "or a correction of the registration date", rule="R8"),))
        )
    elif not candidates:
        findings.append(
            finding("R8", Effect.NEED, "his state of origin is not recorded", ("GC3-5",),
                    missing=(Missing(key="registration", text="his registration (nationality, forces served in)", rule="R8"),))
        )
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R18"))
    findings += _criminal_hold(situation)
    findings += risk_findings(situation, candidates, "R25", bar_label="repatriation")
    findings += _voluntary_return_despite_risk(situation, findings)
    findings += free_will_findings(situation, "R20", "repatriation")
    if situation.refuses():
        findings += _refusal(situation, "R16")
    if situation.power_of_dependence_unclear():
        findings.append(
            finding(
                "R18",
                Effect.NEED,
                "the Power on which he depends is not established (state of origin or the state whose forces he served in)",
                ("GC3-118", "DPRK-POWS"),
                missing=(Missing(key="power_of_dependence", text="the Power on which he depends (Open question 3)", rule="R18"),),
                open_questions=(3,),
            )
        )
    findings += _handover_refusal(situation, Wish.WANTS_REPATRIATION)
    findings += _consent_to_release_from_proceedings(situation)
    safe = _safe(situation)
    if situation.ongoing:
        # The basis is one of the conditions between him and repatriation whatever else is
        # still open, so what it lacks is listed with the rest; it permits only with the rest.
        basis = _basis_during_hostilities(situation)
        findings += basis if situation.wants_home() and safe else [item for item in basis if item.effect is not Effect.PERMIT]
    if situation.wants_home() and safe and situation.ceased:
        findings.append(
            finding("R18", Effect.REQUIRE, "he wants to go home, no real risk is found, and active hostilities have ceased: repatriate without delay",
                    ("GC3-118(1)", "CIHL-128"))
        )
    if situation.ceased and situation.refuses() and safe and not situation.rulebook.flag("honour_refusal_without_risk", situation.as_of):
        findings.append(
            finding("R18", Effect.REQUIRE, "active hostilities have ceased and no real risk is found: Art 118 requires repatriation without delay",
                    ("GC3-118(1)", "CIHL-128"), open_questions=(1,))
        )
    conditions = (
        *_handover_conditions(situation),
        Reason(rule="R14", text="notify the receiving Power that he may not be employed on active military service", sources=("GC3-117",)),
    )
    return decide("D1", title, findings, destinations=candidates, conditions=conditions)


def _criminal_hold(situation: Situation) -> list[Finding]:
    """R19(a) [GC3-119(5)]: held for criminal proceedings for an indictable offence or a sentence."""
    hold = situation.criminal_hold()
    if hold is None or hold.detaining_power_consents_to_repatriation:
        return []
    return [
        finding(
            "R19",
            Effect.BAR,
            f"criminal proceedings ({hold.status}) for an indictable offence: the detaining power holds him until they end",
            ("GC3-119(5)", "CIHL-128"),
            missing=(Missing(key="proceedings:end", text="the end of the proceedings and of any sentence, or the detaining power's consent (Art 115)", rule="R19"),),
            exception_to=("R18",),
        )
    ]


def _voluntary_return_despite_risk(situation: Situation, findings: list[Finding]) -> list[Finding]:
    """Open question 5: he wants to go home despite a real risk. Default: barred pending review.

    Where the deployment sets `voluntary_return_despite_risk`, the real-risk bar gives way to a
    signed-off legal review (a legal basis recorded for D1); without it, a missing fact.
    """
    if not (situation.wants_home() and any(item.rule == "R25" and item.effect is Effect.BAR for item in findings)):
        return []
    rulebook, on = situation.rulebook, situation.as_of
    if not rulebook.flag("voluntary_return_despite_risk", on):
        return [
            finding("R25", Effect.NOTE, "he wants to go home despite a real risk: barred pending legal review",
                    ("CAT-3", "ICRC20-118"), open_questions=(5,))
        ]
    if situation.legal_basis(Disposition.REPATRIATION) is not None:
        return [
            finding("OQ5", Effect.PERMIT, "voluntary return despite a real risk, allowed by this deployment after a signed-off legal review",
                    ("CAT-3", "ICRC20-118"), exception_to=("R25:bar",), open_questions=(5,))
        ]
    return [
        finding("OQ5", Effect.NEED, "voluntary return despite a real risk needs a signed-off legal review",
                ("CAT-3", "ICRC20-118"), exception_to=("R25:bar",), open_questions=(5,),
                missing=(Missing(key="legal_basis:D1", text="a signed-off legal review of voluntary return despite the risk (Open question 5)", rule="R25"),))
    ]


def _basis_during_hostilities(situation: Situation) -> list[Finding]:
    """During hostilities repatriation needs a basis: an Art 109/110 case (the same findings as
    D3: an Art 110(1) category found by the Mixed Medical Commission or manifest, and fit to
    travel), a special agreement for repatriation, or a recorded decision to repatriate
    unilaterally (UA-2023)."""
    if situation.agreements("repatriation") or situation.legal_basis(Disposition.REPATRIATION) is not None:
        return [finding("R16", Effect.PERMIT, "he wants to go home, no real risk is found, and a basis for repatriation during hostilities is recorded",
                        ("GC3-109", "GC3-6"))]
    if situation.sick_or_wounded():
        unmet = medical_findings(situation)
        if unmet:
            return unmet
        # PERMIT, not REQUIRE: the obligation is stated once, on D3, where its conditions are read.
        return [finding("R11", Effect.PERMIT, "seriously wounded or sick (Art 110(1)), fit to travel, wants to go home, no real risk: "
                        "Art 109(1) is the basis for his repatriation during hostilities (see D3)", ("GC3-109(1)", "GC3-110", "GC3-112"))]
    return [
        finding("R16", Effect.NEED, "during hostilities repatriation needs a basis: an agreement, an Art 109/110 finding or a recorded decision",
                ("GC3-109", "UA-2023"),
                missing=(Missing(key="legal_basis:D1", text="a basis for repatriation during hostilities (agreement or recorded decision)", rule="R16"),))
    ]


def _consent_to_release_from_proceedings(situation: Situation) -> list[Finding]:
    """R13 [GC3-115]: a prisoner held for judicial proceedings "may benefit" from repatriation
    during hostilities only "if the Detaining Power consents". (When the detaining power holds
    him under Art 119(5), `_criminal_hold` bars instead.)"""
    proceedings = situation.judicial_proceedings()
    if not situation.ongoing or proceedings is None or proceedings.detaining_power_consents_to_repatriation:
        return []
    if situation.criminal_hold() is not None:
        return []
    return [
        finding("R13", Effect.NEED, "judicial proceedings are pending: repatriation during hostilities needs the detaining power's consent", ("GC3-115",),
                missing=(Missing(key="proceedings:consent", text="the detaining power's recorded consent (Art 115)", rule="R13"),))
    ]


def inclusion_in_exchange(situation: Situation) -> DispositionVerdict:
    """D2: inclusion in an exchange (R16, R23, R25).

    R16 [GC3-6, GC3-109(3), CAT-3, HRC-GC31-12, UA-SWAPS]: "No special agreement shall adversely
    affect the situation of prisoners of war" (GC3-6): each man needs an established wish to
    return and no real risk in the receiving state *and* in any state it will hand him to. A match
    with the agreement's categories makes him a candidate, never a name on the final list.
    """
    title = situation.rulebook.dispositions["D2"].title
    findings: list[Finding] = []
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R16"))
    elif situation.ceased:
        findings.append(
            finding("R18", Effect.BAR, "active hostilities have ceased: every prisoner is released and repatriated (D1), not exchanged",
                    ("GC3-118(1)",))
        )
    agreements = situation.agreements("exchange")
    receiving = tuple(dict.fromkeys(a.receiving_state for a in agreements if a.receiving_state))
    if not agreements:
        findings.append(
            finding("R16", Effect.NEED, "no exchange agreement is in force", ("GC3-6",),
                    missing=(Missing(key="agreement:exchange", text="an exchange agreement in force, with its receiving state", rule="R16"),))
        )
    elif not receiving:
        findings.append(
            finding("R16", Effect.NEED, "the agreement does not say where the men handed over go", ("GC3-6",),
                    missing=(Missing(key="agreement:receiving_state", text="the receiving state of the exchange", rule="R16"),))
        )
    if not receiving and situation.case.identity is not None:
        # The prospective counterpart is the state he fought for: its chain is checked anyway, so
        # that a real risk is shown before any agreement is signed.
        receiving = (situation.case.identity.armed_force,)
    findings += risk_findings(situation, receiving, "R16", bar_label="exchange")
    if situation.refuses():
        findings += _refusal(situation, "R16")
    else:
        findings += free_will_findings(situation, "R16", "inclusion in an exchange")
    findings += _handover_refusal(situation, Wish.WANTS_REPATRIATION)
    if any(a.categories for a in agreements):
        findings.append(
            finding("R16", Effect.NOTE, "a category match makes him a candidate only; he goes on the final list only if every individual check is met",
                    ("GC3-6", "UA-SWAPS"))
        )
    if situation.wants_home() and agreements and receiving:
        findings.append(
            finding("R16", Effect.PERMIT, "he wants to go home and the exchange route is free of real risk", ("GC3-6", "GC3-109(3)"))
        )
    return decide("D2", title, findings, destinations=receiving, conditions=_handover_conditions(situation))
