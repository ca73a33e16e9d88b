"""What every disposition rule reads: the case, the law in force, the context, and the findings
on free will and risk already made for this determination."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from powcase.domain import Case, Context
from powcase.domain.context import Agreement, HostilitiesPeriod
from powcase.domain.events import LegalBasisRecorded, ProceedingsRecorded
from powcase.domain.values import Art110Category, Disposition
from powcase.law.free_will import WISH_WORDS, FreeWill, FreeWillStatus, Wish
from powcase.law.risk import DestinationRisk, RiskStatus, assess_destination
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import Effect, Finding, Missing, finding

# Art 110(1): the categories for direct repatriation (R11); Art 110(2): neutral accommodation.
DIRECT_REPATRIATION_CATEGORIES = frozenset(
    {Art110Category.INCURABLE, Art110Category.NOT_RECOVERING_WITHIN_YEAR, Art110Category.PERMANENTLY_DIMINISHED}
)
NEUTRAL_ACCOMMODATION_CATEGORIES = frozenset(
    {Art110Category.RECOVERY_WITHIN_YEAR, Art110Category.THREATENED_BY_CAPTIVITY}
)


@dataclass(frozen=True)
class Situation:
    case: Case
    rulebook: Rulebook
    as_of: date
    context: Context | None
    free_will: FreeWill
    # Risk is asked for the same destination by several dispositions; compute it once.
    _risk: dict[str, DestinationRisk] = field(default_factory=dict, compare=False, repr=False)

    # --- hostilities (R9, R18) ---------------------------------------------------------------
    @property
    def hostilities(self) -> HostilitiesPeriod | None:
        return self.context.hostilities_on(self.as_of) if self.context else None

    @property
    def ongoing(self) -> bool:
        period = self.hostilities
        return period is not None and period.state == "ongoing"

    @property
    def ceased(self) -> bool:
        period = self.hostilities
        return period is not None and period.state == "ceased"

    def hostilities_unknown(self, rule: str) -> Finding:
        return finding(
            rule,
            Effect.NEED,
            "the state of hostilities on this date is not recorded",
            ("GC3-118",),
            missing=(Missing(key="hostilities", text="the state of hostilities (ongoing, or ceased with the date)", rule=rule),),
        )

    def agreements(self, kind: str) -> list[Agreement]:
        if self.context is None:
            return []
        return [agreement for agreement in self.context.agreements_on(self.as_of) if agreement.kind == kind]

    # --- risk (R25) ----------------------------------------------------------------------------
    def risk(self, destination: str) -> DestinationRisk:
        if destination not in self._risk:
            self._risk[destination] = assess_destination(self.case, destination, self.rulebook, self.as_of)
        return self._risk[destination]

    def assessed_destinations(self) -> tuple[DestinationRisk, ...]:
        return tuple(self._risk[key] for key in sorted(self._risk))

    def origin_candidates(self) -> tuple[str, ...]:
        """The Power of origin, or the Power on which he depends (Open question 3).

        When the Power of dependence is not recorded and he served in another state's forces,
        both states are candidates and both must be safe.
        """
        identity = self.case.identity
        if identity is None:
            return ()
        if identity.power_of_dependence is not None:
            return (identity.power_of_dependence,)
        return tuple(dict.fromkeys((identity.nationality, identity.armed_force)))

    def power_of_dependence_unclear(self) -> bool:
        identity = self.case.identity
        return identity is not None and identity.power_of_dependence is None and identity.armed_force != identity.nationality

    # --- records -------------------------------------------------------------------------------
    def legal_basis(self, disposition: Disposition) -> LegalBasisRecorded | None:
        found = [
            fact for fact in self.case.legal_bases if fact.event.disposition is disposition and fact.occurred_on <= self.as_of
        ]
        return found[-1].event if found else None

    def safety_plan(self, disposition: Disposition) -> bool:
        return any(
            fact.event.disposition is disposition and fact.occurred_on <= self.as_of for fact in self.case.safety_plans
        )

    def criminal_hold(self) -> ProceedingsRecorded | None:
        """Criminal proceedings for an indictable offence, or a sentence, for which the detaining
        power keeps him back (GC3-119(5)); the latest record of them decides."""
        records = [fact for fact in self.case.proceedings if fact.event.kind == "criminal" and fact.occurred_on <= self.as_of]
        if not records:
            return None
        latest = max(records, key=lambda fact: (fact.occurred_on, fact.seq)).event
        if latest.status in ("pending", "sentenced") and latest.indictable_offence and latest.detaining_power_holds:
            return latest
        return None

    def judicial_proceedings(self) -> ProceedingsRecorded | None:
        """Any pending criminal proceedings or sentence (Art 115, R13)."""
        records = [fact for fact in self.case.proceedings if fact.event.kind == "criminal" and fact.occurred_on <= self.as_of]
        if not records:
            return None
        latest = max(records, key=lambda fact: (fact.occurred_on, fact.seq)).event
        return latest if latest.status in ("pending", "sentenced") else None

    def medical_categories(self) -> set[Art110Category]:
        categories: set[Art110Category] = set()
        for fact in self.case.medical:
            if fact.occurred_on <= self.as_of:
                categories = set(fact.event.art110) or categories
        return categories

    def sick_or_wounded(self) -> bool:
        """Seriously wounded or sick in an Art 110(1) category, by any recorded finding: the
        prisoner Art 109(1) speaks of, whom Art 109(3) protects against return against his will."""
        return bool(self.medical_categories() & DIRECT_REPATRIATION_CATEGORIES)

    @property
    def established(self) -> bool:
        return self.free_will.status is FreeWillStatus.ESTABLISHED

    def wants_home(self) -> bool:
        return self.established and self.free_will.wish is Wish.WANTS_REPATRIATION

    def refuses(self) -> bool:
        return self.established and self.free_will.wish is Wish.REFUSES


def risk_findings(situation: Situation, destinations: tuple[str, ...], rule: str, *, bar_label: str) -> list[Finding]:
    """R25 for a set of destinations: a real risk anywhere on a chain bars; not assessed needs facts.

    R25 [CAT-3, HRC-GC31-12, ICRC20-118, GC4-45-4]: no repatriation, exchange or transfer "that
    sends the POW there, directly or through a state likely to hand him over", whatever an
    agreement or Art 118 says. It is therefore declared an exception to the rules that would
    require or permit the disposition (R11, R16, R18).
    """
    findings: list[Finding] = []
    for destination in destinations:
        risk = situation.risk(destination)
        route = " -> ".join(risk.chain)
        if risk.status is RiskStatus.REAL_RISK:
            risky = [state.state for state in risk.states if state.status is RiskStatus.REAL_RISK]
            findings.append(
                finding(
                    "R25",
                    Effect.BAR,
                    f"{bar_label} via {route} is barred: real risk in {', '.join(risky)}",
                    ("CAT-3", "HRC-GC31-12", "ICRC20-118"),
                    exception_to=("R11", "R16", "R18"),
                )
            )
        elif risk.status is RiskStatus.NOT_ASSESSED:
            unassessed = [state.state for state in risk.states if state.status is RiskStatus.NOT_ASSESSED]
            findings.append(
                finding(
                    rule,
                    Effect.NEED,
                    f"risk not assessed for {', '.join(unassessed)} on the route {route}",
                    ("CAT-3", "HRC-GC31-12"),
                    missing=tuple(
                        Missing(
                            key=f"risk_assessment:{state}",
                            text=f"a reasoned risk assessment for {state}"
                            + (f" (intermediate state on the route {route})" if state != risk.chain[-1] else ""),
                            rule="R26",
                        )
                        for state in unassessed
                    ),
                )
            )
    return findings


def free_will_findings(situation: Situation, rule: str, wanted: str) -> list[Finding]:
    """The wish is not (yet) a basis for anything: contested (R22) or pending (R20, R21).

    R22 [GC3-17(4), NNRC-GEN]: "No disposition that depends on the wish may be permitted until a
    new interview series resolves it" - a missing fact, not a final bar (worked scenario 7).
    """
    free_will = situation.free_will
    if free_will.status is FreeWillStatus.CONTESTED:
        return [
            finding(
                "R22",
                Effect.NEED,
                f"free will is contested; {wanted} cannot rest on his wish until a new interview series resolves it",
                ("GC3-17(4)", "NNRC-GEN"),
                missing=free_will.missing,
            )
        ]
    if free_will.status is FreeWillStatus.PENDING:
        label = "he has not been asked about his wish" if free_will.wish is Wish.NOT_ASKED else f"his wish is not yet established (so far: {WISH_WORDS[free_will.wish]})"
        return [
            finding(
                rule,
                Effect.NEED,
                f"{label}; {wanted} depends on it",
                ("GC3-126", "ICRC-PRAC"),
                missing=free_will.missing,
            )
        ]
    return []
