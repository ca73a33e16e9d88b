"""D4 Accommodation in a neutral country and D5 Transfer to a third state that accepts him.

R15 [GC3-109(2), GC3-110(2), GC3-111]: accommodation in a neutral country needs a signed
agreement with that state; under Art 111 (able-bodied prisoners) it must also include the Power on
which he depends. R17 [GC3-12]: a prisoner may be transferred as a prisoner "only ... to a Power
which is a party to the Convention and after the Detaining Power has satisfied itself of the
willingness and ability of such transferee Power to apply the Convention". R29 [RC51-1A2]: the
third state's risk is assessed too, onward removal included. R30 [AP2-5-4]: safety measures.
The legal route for a transfer or release during hostilities is unsettled (Open question 2).
"""

from __future__ import annotations

from powcase.domain.values import Disposition
from powcase.law.dispositions.situation import (
    NEUTRAL_ACCOMMODATION_CATEGORIES,
    Situation,
    free_will_findings,
    risk_findings,
)
from powcase.law.free_will import FreeWillStatus, Wish, handover_reconfirmation, interview_label
from powcase.law.verdicts import (
    DispositionVerdict,
    Effect,
    Finding,
    Missing,
    Reason,
    decide,
    finding,
)


def _rok_note(state: str) -> list[Finding]:
    if state != "KOR":
        return []
    return [
        finding("R29", Effect.NOTE, "the ROK claims North Koreans as its nationals; whether it counts as a neutral state is open",
                ("ROK-CONST-3", "RC51-1A2"), open_questions=(6,))
    ]


def _consent(situation: Situation, state: str, parameter: str, what: str) -> list[Finding]:
    """The prisoner's established consent to go to this state (a POLICY of the decision table)."""
    if not situation.rulebook.flag(parameter, situation.as_of):
        return []
    free_will = situation.free_will
    if free_will.status is not FreeWillStatus.ESTABLISHED:
        return free_will_findings(situation, "R20", what)
    if free_will.preferred_state == state:
        return []
    return [
        finding("R20", Effect.BAR, f"he has not asked to go to {state}: {what} needs his consent", ("ICRC-PRAC", "GC3-ROK"),
                missing=(Missing(key=f"consent:{state}", text=f"his established wish to go to {state}", rule="R20"),))
    ]


def _safety_conditions(situation: Situation, disposition: Disposition) -> tuple[Reason, ...]:
    conditions: list[Reason] = []
    if situation.rulebook.flag("reconfirm_at_handover", situation.as_of):
        conditions.append(Reason(rule="R23", text="reconfirm his wish in private at the point of departure", sources=("GULF-1991", "NNRC-10")))
    if not situation.safety_plan(disposition):
        conditions.append(Reason(rule="R30", text="record the safety measures (where he goes, documents, protection from reprisals, data protection)", sources=("AP2-5-4",)))
    return tuple(conditions)


def accommodation_in_neutral_country(situation: Situation) -> DispositionVerdict:
    """D4 (R15): during hostilities, with a signed agreement, no real risk there or onward, and
    (POLICY `require_consent_for_neutral_accommodation`) his consent."""
    title = situation.rulebook.dispositions["D4"].title
    findings: list[Finding] = []
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R15"))
    elif situation.ceased:
        findings.append(finding("R18", Effect.BAR, "active hostilities have ceased: use repatriation, transfer or release (D1, D5, D6)", ("GC3-111", "GC3-118")))
    agreements = situation.agreements("neutral_accommodation")
    states = tuple(dict.fromkeys(a.receiving_state for a in agreements if a.receiving_state))
    if not states:
        findings.append(
            finding("R15", Effect.NEED, "no agreement with a neutral state is in force", ("GC3-109(2)", "GC3-111"),
                    missing=(Missing(key="agreement:neutral_accommodation", text="a signed agreement with a neutral state to accommodate him", rule="R15"),))
        )
    sick = bool(situation.medical_categories() & NEUTRAL_ACCOMMODATION_CATEGORIES)
    dependence = situation.case.identity.power_of_dependence if situation.case.identity else None
    if agreements and not sick:
        parties_ok = dependence is not None and any(dependence in a.parties for a in agreements)
        if not parties_ok:
            findings.append(
                finding("R15", Effect.NEED, "for an able-bodied prisoner (Art 111) the agreement must include the Power on which he depends",
                        ("GC3-111",), open_questions=(3,),
                        missing=(Missing(key="agreement:power_of_dependence", text="the agreement of the Power on which he depends (Art 111)", rule="R15"),))
            )
    findings += risk_findings(situation, states, "R15", bar_label="accommodation")
    for state in states:
        findings += _consent(situation, state, "require_consent_for_neutral_accommodation", "accommodation in a neutral country")
        findings += _rok_note(state)
    if not any(item.effect in (Effect.BAR, Effect.NEED) for item in findings):
        findings.append(finding("R15", Effect.PERMIT, "agreement in force, no real risk, and his consent", ("GC3-109(2)", "GC3-111")))
    return decide("D4", title, findings, destinations=states, conditions=_safety_conditions(situation, Disposition.NEUTRAL_ACCOMMODATION))


def _acceptance(situation: Situation, state: str) -> list[Finding]:
    answers = [fact for fact in situation.case.third_state_answers if fact.event.state == state and fact.occurred_on <= situation.as_of]
    agreed = any(a.receiving_state == state for a in situation.agreements("third_state"))
    if answers:
        latest = max(answers, key=lambda fact: (fact.occurred_on, fact.seq))
        if latest.event.answer == "declines":
            return [finding("R17", Effect.BAR, f"{state} has declined to receive him", ("GC3-12",),
                            missing=(Missing(key=f"acceptance:{state}", text=f"written acceptance by {state}", rule="R17"),))]
        return []
    if agreed:
        return []
    return [
        finding("R17", Effect.NEED, f"{state} has not accepted him in writing", ("GC3-12", "ROK-2025") if state == "KOR" else ("GC3-12",),
                missing=(Missing(key=f"acceptance:{state}", text=f"written acceptance by {state}", rule="R17"),))
    ]


def _transferee(situation: Situation, state: str) -> list[Finding]:
    """R17 [GC3-12]: a recorded finding that the transferee is not willing and able bars a custody transfer."""
    found = [fact for fact in situation.case.transferee_assessments if fact.event.state == state and fact.occurred_on <= situation.as_of]
    if found and not found[-1].event.willing_and_able:
        return [finding("R17", Effect.BAR, f"{state} was found not willing and able to apply the Convention", ("GC3-12",))]
    if not found:
        return [finding("R17", Effect.NOTE, f"if he is handed over in custody as a prisoner, Art 12 requires a finding that {state} is willing and able", ("GC3-12",))]
    return []


def transfer_to_third_state(situation: Situation) -> DispositionVerdict:
    """D5 (R17, R29, R30): to a third state that accepts him in writing, with his established
    consent to go there, no real risk there or onward, and - during hostilities - a signed-off
    legal basis (Open question 2)."""
    title = situation.rulebook.dispositions["D5"].title
    free_will = situation.free_will
    findings: list[Finding] = []
    if situation.hostilities is None:
        findings.append(situation.hostilities_unknown("R17"))
    state = free_will.preferred_state if free_will.status is FreeWillStatus.ESTABLISHED else None
    if state is None:
        accepting = [fact.event.state for fact in situation.case.third_state_answers if fact.event.answer == "accepts" and fact.occurred_on <= situation.as_of]
        named = [item.wish_state for item in free_will.interviews if item.wish_state]
        state = (named[-1] if named else None) or (accepting[-1] if accepting else None)
    if free_will.status is FreeWillStatus.ESTABLISHED and free_will.wish is Wish.WANTS_REPATRIATION:
        findings.append(finding("R20", Effect.BAR, "he wants to go home: a third state is not his choice", ("ICRC-PRAC",)))
    if state is None:
        findings += free_will_findings(situation, "R20", "a transfer to a third state")
        findings.append(
            finding("R17", Effect.NEED, "no third state is named", ("GC3-12",),
                    missing=(Missing(key="third_state", text="the third state he asks to go to, and its written acceptance", rule="R17"),))
        )
        return decide("D5", title, findings)
    findings += _consent(situation, state, "require_consent_for_third_state", f"a transfer to {state}")
    handover = handover_reconfirmation(free_will)
    if handover is not None and handover.wish_state != state and handover.held_on >= max(
        (item.held_on for item in free_will.interviews if item.seq in free_will.establishing), default=handover.held_on
    ):
        findings.append(finding("R23", Effect.BAR, f"at the point of departure ({interview_label(free_will, handover.seq)}) he did not confirm going to {state}", ("GULF-1991", "NNRC-10")))
    findings += _acceptance(situation, state)
    findings += risk_findings(situation, (state,), "R29", bar_label=f"transfer to {state}")
    findings += _transferee(situation, state)
    if situation.ongoing and situation.rulebook.flag("require_legal_basis_during_hostilities", situation.as_of) \
            and situation.legal_basis(Disposition.THIRD_STATE_TRANSFER) is None:
        findings.append(
            finding("R17", Effect.NEED, "during hostilities the legal route for a transfer to a third state is unsettled and must be signed off",
                    ("GC3-12", "GC3-21", "GC3-111"), open_questions=(2,),
                    missing=(Missing(key="legal_basis:D5", text="a signed-off legal basis for the transfer during hostilities (Open question 2)", rule="R17"),))
        )
    findings += _rok_note(state)
    if not any(item.effect in (Effect.BAR, Effect.NEED) for item in findings):
        findings.append(finding("R29", Effect.PERMIT, f"{state} accepts him, he wants to go there, and no real risk is found there or onward",
                                ("GC3-12", "RC51-1A2") if state == "KOR" else ("GC3-12",)))
    return decide("D5", title, findings, destinations=(state,), conditions=_safety_conditions(situation, Disposition.THIRD_STATE_TRANSFER))
