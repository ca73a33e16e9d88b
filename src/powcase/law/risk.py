"""Real risk on return (rulebook R25-R29): per destination and per onward state.

R25 [CAT-3, HRC-GC31-12, ICRC20-118]: a real risk for a destination bars every disposition that
sends him there, "directly or through a state likely to hand him over". So a destination is read
as a chain: the receiving state, then every state the country profile (or the recorded
assessment) says it would hand him on to; an exchange with Russia sends a DPRK national on to the
DPRK (HRC-GC31-12: "any country to which the person may subsequently be removed").

For each state of a chain the finding rests, in this order, on:
1. the latest recorded risk assessment for that state (R26: reasoned, with the test applied);
2. a dated presumption of the rulebook for a category he belongs to (R27), which only a reasoned
   assessment reviewed by someone other than its author can rebut;
3. otherwise NOT_ASSESSED, listing the country evidence that an assessor must weigh.
R28: exclusion indicators (1F, NKRA-9) are recorded and never change the finding.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from powcase.domain import Case
from powcase.domain.values import CaptureCircumstance, RiskConclusion
from powcase.law.countries import Indication, Likelihood
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import Frozen, Reason


class RiskStatus(StrEnum):
    REAL_RISK = "REAL_RISK"
    NO_REAL_RISK = "NO_REAL_RISK"
    NOT_ASSESSED = "NOT_ASSESSED"


# The order in which a chain's findings combine: one real risk anywhere bars the whole chain.
_SEVERITY = {RiskStatus.NO_REAL_RISK: 0, RiskStatus.NOT_ASSESSED: 1, RiskStatus.REAL_RISK: 2}


class PersonalFactor(StrEnum):
    """R27: what about him raises the risk (the rulebook's list)."""

    CAPTURED_SOLDIER = "captured_soldier"
    SURRENDERED_SOLDIER = "surrendered_soldier"
    PUBLICLY_EXPOSED = "publicly_exposed"
    WISH_TO_DEFECT_STATED = "wish_to_defect_stated"
    CONTACT_WITH_ROK = "contact_with_rok"
    FAMILY_IN_COUNTRY = "family_in_country"
    RELIGIOUS_CONTACT = "religious_contact"


class StateRisk(Frozen):
    state: str
    status: RiskStatus
    basis: str  # "assessment", "presumption" or "none"
    assessment_seq: int | None = None
    reasons: tuple[Reason, ...] = ()
    evidence: tuple[Reason, ...] = ()  # country-profile evidence for his categories
    notes: tuple[Reason, ...] = ()  # R28 exclusion indicators, overdue reviews


class DestinationRisk(Frozen):
    destination: str
    chain: tuple[str, ...]
    status: RiskStatus
    states: tuple[StateRisk, ...]


def personal_factors(case: Case, as_of: date) -> tuple[PersonalFactor, ...]:
    """The R27 factors the record shows, found automatically from the events (R6, R27).

    Capture: captured alive or surrendered (GC3-5). Exposure events (R6) [GC3-13, NGO-2025]:
    public exposure, and a wish to defect stated in public. Family in the country of origin comes
    from a risk assessment's `family_risk` (the family data itself stays sealed, R2). Factors
    named in an assessment with the rulebook's words are taken too.
    """
    found: set[PersonalFactor] = set()
    if case.capture is not None and case.capture.occurred_on <= as_of:
        capture = case.capture.event
        if capture.circumstances is CaptureCircumstance.SURRENDERED or capture.via_surrender_programme:
            found.add(PersonalFactor.SURRENDERED_SOLDIER)
        else:
            found.add(PersonalFactor.CAPTURED_SOLDIER)
    for exposure in case.exposures:
        if exposure.occurred_on <= as_of:
            found.add(PersonalFactor.PUBLICLY_EXPOSED)
            if exposure.event.stated_wish_to_defect:
                found.add(PersonalFactor.WISH_TO_DEFECT_STATED)
    known = {factor.value: factor for factor in PersonalFactor}
    for assessment in case.risk_assessments:
        if assessment.occurred_on > as_of:
            continue
        if assessment.event.family_risk:
            found.add(PersonalFactor.FAMILY_IN_COUNTRY)
        found.update(known[name] for name in assessment.event.personal_factors if name in known)
    return tuple(sorted(found, key=lambda factor: factor.value))


def _own_country(case: Case, state: str) -> bool:
    """Presumptions and category evidence concern his own state: nationality or the army he served."""
    identity = case.identity
    return identity is not None and state in {identity.nationality, identity.armed_force}


def assess_state(case: Case, state: str, rulebook: Rulebook, as_of: date) -> StateRisk:
    """The risk in one state (R26, R27, R28).

    R26 [CAT-3, HRC-GC31-12, GC4-45-4, RC51-33]: "substantial grounds for believing" a "real
    risk" of torture, ill-treatment, arbitrary deprivation of life, or persecution; personal,
    weighed against the general situation (CAT-3(2)). R27: a dated presumption for a category
    stands unless rebutted by a reasoned assessment reviewed by another person
    (`presumption_rebuttal_requires_review`). R28 [CAT-3, RC51-1F]: exclusion is only noted.
    """
    factors = personal_factors(case, as_of)
    own = _own_country(case, state)
    profile = rulebook.countries.get(state)
    evidence: list[Reason] = []
    presumed: list[tuple[PersonalFactor, tuple[str, ...]]] = []
    if own:
        for factor in factors:
            if profile is not None:
                entry = profile.category(factor.value, as_of)
                if entry is not None:
                    evidence.append(
                        Reason(rule="R27", text=f"{factor.value}: {entry.statement}", sources=entry.sources)
                    )
            presumption = rulebook.presumption(state, factor.value, as_of)
            if presumption is not None and presumption.value is True:
                presumed.append((factor, presumption.sources))
    if profile is not None and profile.general_situation.indicates is Indication.REAL_RISK:
        evidence.insert(
            0,
            Reason(
                rule="R27",
                text=f"general situation in {state}: {profile.general_situation.statement}",
                sources=profile.general_situation.sources,
            ),
        )

    assessments = [
        fact for fact in case.risk_assessments if fact.event.destination == state and fact.occurred_on <= as_of
    ]
    latest = max(assessments, key=lambda fact: (fact.occurred_on, fact.seq)) if assessments else None
    notes: list[Reason] = []
    if latest is not None:
        if latest.event.exclusion_indicators:
            notes.append(
                Reason(
                    rule="R28",
                    text="exclusion indicators recorded; they never change the risk or permit return",
                    sources=("CAT-3", "RC51-1F"),
                )
            )
        if latest.event.review_due is not None and latest.event.review_due < as_of:
            notes.append(
                Reason(rule="R26", text=f"risk assessment for {state} was due for review on {latest.event.review_due.isoformat()}")
            )
    presumption_text = ", ".join(factor.value for factor, _ in presumed)
    presumption_sources = tuple(dict.fromkeys(source for _, sources in presumed for source in sources))

    if latest is not None and latest.event.conclusion is RiskConclusion.REAL_RISK:
        return StateRisk(
            state=state,
            status=RiskStatus.REAL_RISK,
            basis="assessment",
            assessment_seq=latest.seq,
            reasons=(
                Reason(
                    rule="R26",
                    text=f"the risk assessment of {latest.occurred_on.isoformat()} (event {latest.seq}) found a real risk in {state}",
                    sources=_tests(latest.event.test, rulebook),
                ),
            ),
            evidence=tuple(evidence),
            notes=tuple(notes),
        )
    if latest is not None:
        reviewed = bool(latest.event.reviewer) and (
            (latest.event.reviewer or "").strip().casefold() != latest.event.assessor.strip().casefold()
        )
        if presumed and rulebook.flag("presumption_rebuttal_requires_review", as_of) and not reviewed:
            return StateRisk(
                state=state,
                status=RiskStatus.REAL_RISK,
                basis="presumption",
                assessment_seq=latest.seq,
                reasons=(
                    Reason(
                        rule="R27",
                        text=(
                            f"presumption of real risk in {state} ({presumption_text}) not rebutted: "
                            f"the assessment (event {latest.seq}) has no review by a second person"
                        ),
                        sources=presumption_sources,
                    ),
                ),
                evidence=tuple(evidence),
                notes=tuple(notes),
            )
        return StateRisk(
            state=state,
            status=RiskStatus.NO_REAL_RISK,
            basis="assessment",
            assessment_seq=latest.seq,
            reasons=(
                Reason(
                    rule="R26",
                    text=f"the risk assessment of {latest.occurred_on.isoformat()} (event {latest.seq}) found no real risk in {state}",
                    sources=_tests(latest.event.test, rulebook) + _tests(latest.event.evidence, rulebook),
                ),
            ),
            evidence=tuple(evidence),
            notes=tuple(notes),
        )
    if presumed:
        return StateRisk(
            state=state,
            status=RiskStatus.REAL_RISK,
            basis="presumption",
            reasons=(
                Reason(
                    rule="R27",
                    text=f"real risk in {state} presumed by policy for {presumption_text}; no assessment rebuts it",
                    sources=presumption_sources,
                ),
            ),
            evidence=tuple(evidence),
            notes=tuple(notes),
        )
    return StateRisk(
        state=state,
        status=RiskStatus.NOT_ASSESSED,
        basis="none",
        reasons=(Reason(rule="R26", text=f"no risk assessment recorded for {state}", sources=("CAT-3", "HRC-GC31-12")),),
        evidence=tuple(evidence),
        notes=tuple(notes),
    )


def _tests(cited: list[str], rulebook: Rulebook) -> tuple[str, ...]:
    """Source ids an assessment cites, keeping only ids the rulebook knows (others are free text)."""
    return tuple(citation for citation in cited if citation in rulebook.sources)


def destination_chain(case: Case, destination: str, rulebook: Rulebook, as_of: date) -> tuple[str, ...]:
    """The destination and every state he may be handed on to (R25, R29) [HRC-GC31-12, RC51-1A2].

    Onward states come from the country profile (`onward_removal` with likelihood "likely" for
    his nationality) and from the onward states named in a recorded assessment. A profile entry
    "none_known" (e.g. the ROK: no returns to the DPRK, GP/KK) ends the chain.
    """
    nationality = case.identity.nationality if case.identity else None
    chain = [destination]
    index = 0
    while index < len(chain):
        state = chain[index]
        index += 1
        onward: list[str] = []
        profile = rulebook.countries.get(state)
        if profile is not None and nationality is not None:
            onward.extend(
                entry.to for entry in profile.onward(nationality, as_of) if entry.likelihood is Likelihood.LIKELY
            )
        for fact in case.risk_assessments:
            if fact.event.destination == state and fact.occurred_on <= as_of:
                onward.extend(fact.event.onward)
        chain.extend(next_state for next_state in onward if next_state not in chain)
    return tuple(chain)


def assess_destination(case: Case, destination: str, rulebook: Rulebook, as_of: date) -> DestinationRisk:
    """R25: the risk of sending him to `destination`, the worst finding along its chain."""
    chain = destination_chain(case, destination, rulebook, as_of)
    states = tuple(assess_state(case, state, rulebook, as_of) for state in chain)
    worst = max((state.status for state in states), key=lambda status: _SEVERITY[status])
    return DestinationRisk(destination=destination, chain=chain, status=worst, states=states)


def onward_reasons(risk: DestinationRisk, rulebook: Rulebook, case: Case, as_of: date) -> tuple[Reason, ...]:
    """Why the chain runs on (or stops): the profile entries for each link, with their sources."""
    nationality = case.identity.nationality if case.identity else None
    reasons: list[Reason] = []
    if nationality is None:
        return ()
    for state in risk.chain:
        profile = rulebook.countries.get(state)
        if profile is None:
            continue
        reasons.extend(
            Reason(rule="R29", text=f"{state}: {entry.statement}", sources=entry.sources)
            for entry in profile.onward(nationality, as_of)
        )
    return tuple(reasons)
