"""What would change a verdict: a smallest set of added facts that makes it permitted.

Nothing here is written per case. For each fact a verdict says is missing, a *generator* builds
the hypothetical event that would supply it (a qualifying interview series, a reviewed risk
assessment finding no real risk, a written acceptance, a signed-off legal basis, ...). The search
adds them to the case and runs the same rules on the hypothetical case, then takes away each one
the disposition does not need. A real risk or an established refusal is never "missing": no
generator removes it, so such a bar shows no change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from powcase.domain import Case, Context, Fact
from powcase.domain.context import Agreement
from powcase.domain.events import (
    Event,
    Interviewed,
    LegalBasisRecorded,
    MedicallyAssessed,
    Presence,
    ProceedingsRecorded,
    RiskAssessed,
    SafetyPlanRecorded,
    ThirdStateAnswered,
)
from powcase.domain.values import AssessedBy, Disposition, PresentRole, RiskConclusion, StatedWish
from powcase.law.free_will import FreeWillStatus, Wish, assess_free_will, wish_of, wish_of_statement
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import Change, DispositionVerdict, Status

# The search costs one evaluation per hypothesis, plus one; a verdict lacking more independent
# facts than this offers no change (its `missing` list still names them all).
MAX_HYPOTHESES = 12
_HYPOTHETICAL = "hypothesis"


@dataclass(frozen=True)
class Hypothesis:
    text: str
    events: tuple[Event, ...] = ()
    agreement: Agreement | None = None


Evaluate = Callable[[Case, date, Context | None], DispositionVerdict]


def _wanted(verdict: DispositionVerdict) -> tuple[StatedWish, str | None] | None:
    kind = Disposition(verdict.disposition)
    if kind in (Disposition.REPATRIATION, Disposition.EXCHANGE, Disposition.DIRECT_REPATRIATION):
        return StatedWish.REPATRIATION, None
    if kind in (Disposition.NEUTRAL_ACCOMMODATION, Disposition.THIRD_STATE_TRANSFER) and verdict.destinations:
        return StatedWish.THIRD_STATE, verdict.destinations[0]
    if kind is Disposition.RELEASE:
        return StatedWish.STAY, None
    return None


def _continuing(case: Case, verdict: DispositionVerdict) -> tuple[StatedWish, str | None] | None:
    """For a release (D6) any free refusal is consent: continue his latest refusal if there is one."""
    if verdict.disposition != Disposition.RELEASE.value or not case.interviews:
        return None
    latest = max(case.interviews, key=lambda fact: (fact.occurred_on, fact.seq)).event
    if latest.stated_wish in (StatedWish.NO_REPATRIATION, StatedWish.THIRD_STATE, StatedWish.STAY):
        return latest.stated_wish, latest.wish_state
    return None


def _interviews(case: Case, rulebook: Rulebook, as_of: date, verdict: DispositionVerdict) -> Hypothesis | None:
    """The fewest qualifying interviews (R20, R21) that would establish the wish this disposition needs."""
    wanted = _continuing(case, verdict) or _wanted(verdict)
    if wanted is None or case.identity is None or not case.identity.languages:
        return None
    stated, state = wanted
    spacing = rulebook.integer("reflection_days", as_of)
    free_will = assess_free_will(case, rulebook, as_of)
    if not _fits_his_wish(case, free_will.wish, stated, state):
        # Never hypothesise that he changes his mind: only confirm what he said, or, while he is
        # undecided or not asked, what he would have to say for this disposition.
        return None
    start = free_will.next_interview_on or as_of
    for count in range(1, rulebook.integer("min_interviews", as_of) + 1):
        events = tuple(
            Interviewed(
                occurred_on=start + timedelta(days=spacing * index),
                interviewer=_HYPOTHETICAL,
                language=case.identity.languages[0],
                present=[Presence(role=PresentRole.NEUTRAL_OBSERVER)],
                informed_of_options=True,
                informed_of_right_to_change=True,
                stated_wish=stated,
                wish_state=state,
            )
            for index in range(count)
        )
        trial = _with_events(case, events)
        last = events[-1].occurred_on
        result = assess_free_will(trial, rulebook, last)
        if result.status is FreeWillStatus.ESTABLISHED and result.wish is wish_of(events[0]) and (
            state is None or stated is not StatedWish.THIRD_STATE or result.preferred_state == state
        ):
            what = {
                StatedWish.REPATRIATION: "that he wants to go home",
                StatedWish.NO_REPATRIATION: "that he refuses repatriation",
                StatedWish.THIRD_STATE: f"that he asks to go to {state}",
                StatedWish.STAY: "that he asks to stay",
            }.get(stated, stated.value.replace("_", " "))
            noun = "a qualifying interview" if count == 1 else f"{count} qualifying interviews {spacing} days apart"
            return Hypothesis(text=f"{noun} confirming {what}, on or after {start.isoformat()}", events=events)
    return None


def _fits_his_wish(case: Case, wish: Wish, stated: StatedWish, state: str | None) -> bool:
    if wish in (Wish.UNDECIDED, Wish.NOT_ASKED):
        return True
    if wish_of_statement(stated) is not wish:
        return False
    named = [fact.event.wish_state for fact in case.interviews if fact.event.wish_state]
    return state is None or not named or named[-1] == state




def _generators(case: Case, rulebook: Rulebook, as_of: date, context: Context | None, verdict: DispositionVerdict) -> list[Hypothesis]:
    found: list[Hypothesis] = []
    seen: set[str] = set()
    for item in verdict.missing:
        key = item.key
        head, _, arg = key.partition(":")
        hypothesis: Hypothesis | None = None
        if head in ("interview", "consent") and "interview" not in seen:
            seen.add("interview")
            hypothesis = _interviews(case, rulebook, as_of, verdict)
        elif head == "risk_assessment":
            hypothesis = Hypothesis(
                text=f"a reasoned, reviewed risk assessment finding no real risk in {arg}",
                events=(RiskAssessed(occurred_on=as_of, destination=arg, conclusion=RiskConclusion.NO_REAL_RISK, test=["CAT-3", "HRC-GC31-12"],
                                     reasoning=_HYPOTHETICAL, assessor="assessor", reviewer="reviewer"),),
            )
        elif head == "acceptance":
            hypothesis = Hypothesis(text=f"written acceptance by {arg}",
                                    events=(ThirdStateAnswered(occurred_on=as_of, state=arg, answer="accepts"),))
        elif head in ("legal_basis", "safety_plan"):
            disposition = Disposition(arg)
            event: Event = (
                LegalBasisRecorded(occurred_on=as_of, disposition=disposition, basis=_HYPOTHETICAL, signed_off_by=_HYPOTHETICAL)
                if head == "legal_basis"
                else SafetyPlanRecorded(occurred_on=as_of, disposition=disposition, measures=_HYPOTHETICAL)
            )
            hypothesis = Hypothesis(text=item.text, events=(event,))
        elif head == "medical" and arg in ("fitness", "mmc") and case.medical:
            latest = case.medical[-1].event
            hypothesis = Hypothesis(
                text="a finding that he is fit to travel" if arg == "fitness" else "the Mixed Medical Commission's decision confirming the category",
                events=(MedicallyAssessed(
                    occurred_on=as_of,
                    assessed_by=AssessedBy.MIXED_MEDICAL_COMMISSION if arg == "mmc" else latest.assessed_by,
                    art110=[*latest.art110],
                    fit_to_travel=True if arg == "fitness" else latest.fit_to_travel,
                ),),
            )
        elif head == "proceedings" and case.proceedings:
            hypothesis = Hypothesis(
                text=item.text,
                events=(ProceedingsRecorded(occurred_on=as_of, kind="criminal", status="concluded")
                        if arg == "end" else
                        case.proceedings[-1].event.model_copy(update={"occurred_on": as_of, "detaining_power_consents_to_repatriation": True}),),
            )
        elif key == "agreement:exchange" and context is not None and case.identity is not None:
            counterpart = case.identity.armed_force
            hypothesis = Hypothesis(
                text=f"an exchange agreement in force with {counterpart}",
                agreement=Agreement(id=_HYPOTHETICAL, kind="exchange", parties=[context.detaining_power, counterpart],
                                    signed_on=as_of, receiving_state=counterpart),
            )
        if hypothesis is not None and hypothesis.text not in {h.text for h in found}:
            found.append(hypothesis)
    return found[:MAX_HYPOTHESES]


_FIELD = {
    Interviewed: "interviews",
    RiskAssessed: "risk_assessments",
    ThirdStateAnswered: "third_state_answers",
    LegalBasisRecorded: "legal_bases",
    SafetyPlanRecorded: "safety_plans",
    MedicallyAssessed: "medical",
    ProceedingsRecorded: "proceedings",
}


def _with_events(case: Case, events: tuple[Event, ...]) -> Case:
    """A copy of the case with hypothetical events appended, numbered after its last event."""
    lists: dict[str, list[Fact[Event]]] = {}
    seq = case.last_seq
    for event in events:
        seq += 1
        name = _FIELD[type(event)]
        lists.setdefault(name, list(getattr(case, name))).append(Fact(seq, event))
    return replace(case, last_seq=seq, **lists)  # type: ignore[arg-type]


def what_would_change(
    case: Case,
    rulebook: Rulebook,
    as_of: date,
    context: Context | None,
    verdict: DispositionVerdict,
    evaluate: Evaluate,
) -> tuple[Change, ...]:
    """A smallest set of hypothetical facts that turns `verdict` into permitted, if any.

    `missing` names everything that stands between the case and `permitted`, so the search first
    adds every hypothesis at once: if even that does not permit, nothing listed would (one
    evaluation). Otherwise it drops, one at a time, each hypothesis the verdict does not need,
    which leaves a set from which no fact can be taken away (n more evaluations, not 2^n).
    """
    if verdict.status is not Status.PERMITTED and verdict.status is not Status.NOT_APPLICABLE:
        hypotheses = _generators(case, rulebook, as_of, context, verdict)
        if hypotheses and _permits(case, as_of, context, hypotheses, evaluate):
            kept = list(hypotheses)
            for hypothesis in reversed(hypotheses):
                trial = [item for item in kept if item is not hypothesis]
                if trial and _permits(case, as_of, context, trial, evaluate):
                    kept = trial
            return (Change(facts=tuple(h.text for h in kept)),)
    return ()


def apply_hypotheses(case: Case, as_of: date, context: Context | None, subset: list[Hypothesis]) -> tuple[Case, date, Context | None]:
    """The case, date and context with the hypothetical facts of `subset` added."""
    events = tuple(event for hypothesis in subset for event in hypothesis.events)
    agreements = [h.agreement for h in subset if h.agreement is not None]
    trial_context = context
    if agreements and context is not None:
        trial_context = context.model_copy(update={"agreements": [*context.agreements, *agreements]})
    day = max([as_of, *(event.occurred_on for event in events)])
    return _with_events(case, events), day, trial_context


def _permits(case: Case, as_of: date, context: Context | None, subset: list[Hypothesis], evaluate: Evaluate) -> bool:
    trial, day, trial_context = apply_hypotheses(case, as_of, context, subset)
    return evaluate(trial, day, trial_context).status is Status.PERMITTED


def hypotheses_for(case: Case, rulebook: Rulebook, as_of: date, context: Context | None, verdict: DispositionVerdict) -> list[Hypothesis]:
    """The hypothetical facts that would supply what `verdict` lists as missing (for tests and
    for callers that want to try them one by one)."""
    return _generators(case, rulebook, as_of, context, verdict)
