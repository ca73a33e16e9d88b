"""What a verdict says is missing, and what would change it, is all of it and only that.

Cases are generated from the facts the decision table reads (nationality and forces, hostilities,
interviews, medical findings, risk assessments, a third state's answer, proceedings, legal bases,
agreements). For every disposition that is not permitted:

- applying a listed change and deciding again gives a different verdict (permitted);
- applying any single missing fact never makes the verdict worse (but for the risk assessment
  that lets a deployment honour a refusal after hostilities, Open question 1);
- when every missing fact can be supplied, supplying them all permits the disposition, and
  leaving out any one of them does not: no listed fact is one the verdict does not need.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from powcase.domain import Case, Context, casefile_history, fold, parse_casefiles
from powcase.law import Rulebook, determine, load_rulebook
from powcase.law.determination import evaluate_disposition
from powcase.law.hypotheses import Hypothesis, apply_hypotheses, hypotheses_for
from powcase.law.verdicts import DispositionVerdict, Status

POLICIES = Path(__file__).resolve().parents[1] / "scenarios" / "policies"
RULEBOOKS = [load_rulebook()] + [
    load_rulebook(POLICIES / name)
    for name in ("refusal-without-risk-not-honoured.yaml", "refusal-during-hostilities-not-honoured.yaml",
                 "voluntary-return-despite-risk-allowed.yaml", "neutral-observer-not-required.yaml")
]
AS_OF = date(2025, 3, 20)
_RANK = {Status.BARRED: 0, Status.NEEDS_FACTS: 1, Status.PERMITTED: 2}
_WISHES = [("repatriation", None), ("no_repatriation", None), ("third_state", "KOR"), ("stay", None), ("undecided", None)]


def _interview(day: int, wish: tuple[str, str | None], qualifies: bool, language: str) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "interviewed", "occurred_on": (date(2025, 2, 1) + timedelta(days=day)).isoformat(),
        "interviewer": "Delegate", "language": language,
        "interpreter": {"language": language, "affiliation": "independent", "competence_checked": True},
        "present": [{"role": "neutral_observer", "organisation": "ICRC"}] if qualifies else [],
        "informed_of_options": True, "informed_of_right_to_change": True, "stated_wish": wish[0],
    }
    if wish[1]:
        event["wish_state"] = wish[1]
    return event


def _risk(state: str, conclusion: str) -> dict[str, Any]:
    return {"type": "risk_assessed", "occurred_on": "2025-02-20", "destination": state, "conclusion": conclusion,
            "test": ["CAT-3"], "evidence": [], "reasoning": "Fictional.", "assessor": "A", "reviewer": "B"}


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, Context]:
    nationality, force = draw(st.sampled_from([("RUS", "RUS"), ("PRK", "RUS"), ("PRK", "PRK")]))
    language = "rus" if nationality == "RUS" else "kor"
    events: list[dict[str, Any]] = [{"type": "captured", "occurred_on": "2025-01-08", "place": "Sector", "circumstances": "captured"}]
    medical = draw(st.sampled_from([None, ("mixed_medical_commission", "110-1-2", True), ("physician", "110-1-2", None),
                                    ("mixed_medical_commission", "110-1-1", False), ("mixed_medical_commission", "110-2-1", True)]))
    if medical:
        events.append({"type": "medically_assessed", "occurred_on": "2025-01-20", "assessed_by": medical[0],
                       "art110": [medical[1]], "fit_to_travel": medical[2]})
    count = draw(st.integers(min_value=0, max_value=3))
    for index in range(count):
        events.append(_interview(index * 9, draw(st.sampled_from(_WISHES)), draw(st.booleans()), language))
    for state in ("RUS", "PRK", "KOR"):
        conclusion = draw(st.sampled_from([None, "no_real_risk", "real_risk"]))
        if conclusion:
            events.append(_risk(state, conclusion))
    answer = draw(st.sampled_from([None, "accepts", "declines"]))
    if answer:
        events.append({"type": "third_state_answered", "occurred_on": "2025-02-21", "state": "KOR", "answer": answer})
    proceedings = draw(st.sampled_from([None, (True, True), (False, False)]))
    if proceedings:
        events.append({"type": "proceedings_recorded", "occurred_on": "2025-02-22", "kind": "criminal", "status": "pending",
                       "indictable_offence": proceedings[0], "detaining_power_holds": proceedings[1]})
    for disposition in draw(st.lists(st.sampled_from(["D1", "D5", "D6", "D7"]), unique=True, max_size=2)):
        events.append({"type": "legal_basis_recorded", "occurred_on": "2025-02-23", "disposition": disposition,
                       "basis": "Fictional.", "signed_off_by": "Legal officer"})
    ceased = draw(st.booleans())
    hostilities = [{"state": "ongoing", "since": "2022-02-24"}]
    if ceased:
        hostilities.append({"state": "ceased", "since": "2025-03-01"})
    agreements = []
    if draw(st.booleans()):
        agreements.append({"id": "x-2025", "kind": "exchange", "parties": ["UKR", "RUS"], "signed_on": "2025-01-15", "receiving_state": "RUS"})
    document = {
        "case_id": "GENERATED",
        "person": {"registered_on": "2025-01-10", "family_name": {"latin": "Example"}, "given_names": {"latin": "Fictional"},
                   "nationality": nationality, "armed_force": force, "languages": [language]},
        "events": events,
        "context": {"detaining_power": "UKR", "hostilities": hostilities, "agreements": agreements},
    }
    casefile = parse_casefiles(document)[0]
    assert casefile.context is not None
    return fold(casefile_history(casefile), AS_OF), casefile.context


def _decide(case: Case, rulebook: Rulebook, context: Context, verdict: DispositionVerdict, subset: list[Hypothesis]) -> DispositionVerdict:
    trial, day, trial_context = apply_hypotheses(case, AS_OF, context, subset)
    return evaluate_disposition(trial, rulebook, day, trial_context, verdict.disposition)


def _slot(key: str) -> str:
    """Interviews, the consent they carry and the safeguards they must keep are one added fact."""
    head = key.partition(":")[0]
    return "interview" if head in ("interview", "consent", "safeguard") else key


def _refusal_honoured(verdict: DispositionVerdict) -> bool:
    return verdict.status is Status.BARRED and all(reason.rule == "R19" and 1 in reason.open_questions for reason in verdict.reasons)


@settings(max_examples=80, deadline=None)
@given(generated=cases(), rulebook=st.sampled_from(RULEBOOKS))
def test_missing_and_would_change_are_all_of_it_and_only_that(generated: tuple[Case, Context], rulebook: Rulebook) -> None:
    case, context = generated
    determination = determine(case, rulebook, AS_OF, context)
    for verdict in determination.dispositions:
        if verdict.status not in (Status.BARRED, Status.NEEDS_FACTS):
            continue
        name = f"{verdict.disposition} {verdict.status.value}"
        hypotheses = hypotheses_for(case, rulebook, AS_OF, context, verdict)
        if not verdict.missing:
            assert not verdict.would_change, f"{name}: nothing is missing, yet a change is offered"
        for change in verdict.would_change:
            chosen = [h for h in hypotheses if h.text in change.facts]
            assert _decide(case, rulebook, context, verdict, chosen).status is Status.PERMITTED, f"{name}: {change.facts} does not permit it"
        for hypothesis in hypotheses:
            after = _decide(case, rulebook, context, verdict, [hypothesis])
            if _RANK[after.status] < _RANK[verdict.status]:
                # The one fact the matrix asks for that may decide against him: after hostilities
                # an established refusal waits for the risk assessment (REFUSES x NOT_ASSESSED:
                # needs facts); once no real risk is found, the deployment's choice on Open
                # question 1 decides, and an honoured refusal bars repatriation.
                assert _refusal_honoured(after), f"{name}: {hypothesis.text!r} makes it {after.status.value}: {[r.text for r in after.reasons]}"
        slots = {_slot(item.key) for item in verdict.missing}
        if not slots or len(hypotheses) != len(slots):
            continue  # some missing fact has no hypothetical form (a registration, a third state's name)
        complete = _decide(case, rulebook, context, verdict, hypotheses)
        if _refusal_honoured(complete):
            continue
        assert complete.status is Status.PERMITTED, f"{name}: supplying every missing fact {[h.text for h in hypotheses]} does not permit it"
        for hypothesis in hypotheses:
            others = [h for h in hypotheses if h is not hypothesis]
            assert _decide(case, rulebook, context, verdict, others).status is not Status.PERMITTED, \
                f"{name}: {hypothesis.text!r} is listed but not needed"
