"""Free will: when the prisoner's stated wish counts (rulebook R20-R24).

The law asks that no prisoner be repatriated against his will where it would endanger him, and
the practice of the ICRC is to make sure, in private interviews, that he goes "of [his] own free
will" (ICRC-IRIQ-1996, ICRC-PRAC). This module reads the recorded interviews and says:

- for each interview, whether it qualifies and, if not, every reason why (R20, R21);
- whether the wish is *established* (enough qualifying interviews, far enough apart, after the
  last conflicting or pressured statement), *pending* (and what is missing), or *contested*
  (which statements conflict, which interview showed pressure) (R22);
- the private reconfirmation at the point of departure (R23).

A change of mind is a new statement like any other: it starts a new series (R24), and the earlier
statements then conflict with it until the new series is complete.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from powcase.domain import Case, Fact
from powcase.domain.events import InterpreterAffiliation, Interviewed
from powcase.domain.values import PresentRole, StatedWish
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import Frozen, Missing, Reason


class Wish(StrEnum):
    """The wish as the decision table reads it (rulebook section 2, notation)."""

    WANTS_REPATRIATION = "WANTS_REPATRIATION"
    REFUSES = "REFUSES"
    UNDECIDED = "UNDECIDED"
    NOT_ASKED = "NOT_ASKED"


class FreeWillStatus(StrEnum):
    ESTABLISHED = "established"
    PENDING = "pending"
    CONTESTED = "contested"


_WISH = {
    StatedWish.REPATRIATION: Wish.WANTS_REPATRIATION,
    StatedWish.NO_REPATRIATION: Wish.REFUSES,
    StatedWish.THIRD_STATE: Wish.REFUSES,
    StatedWish.STAY: Wish.REFUSES,
    StatedWish.UNDECIDED: Wish.UNDECIDED,
}

# Who may be in the room without breaking privacy (R20: "without detaining-power witnesses",
# GC3-126 "without witnesses"). Counsel, a neutral observer and medical staff protect him;
# anyone else is a witness whose presence may weigh on what he says.
_ALLOWED_PRESENT = frozenset(
    {PresentRole.NEUTRAL_OBSERVER, PresentRole.LEGAL_COUNSEL, PresentRole.MEDICAL_STAFF}
)


_DETAINING_POWER = frozenset({PresentRole.DETAINING_POWER_STAFF, PresentRole.DETAINING_POWER_SECURITY})


class InterviewAssessment(Frozen):
    seq: int
    held_on: date
    wish: Wish
    wish_state: str | None
    at_handover: bool
    qualifies: bool
    defects: tuple[Reason, ...]
    pressure: bool
    detaining_power_present: bool = False


class FreeWill(Frozen):
    status: FreeWillStatus
    wish: Wish
    preferred_state: str | None = None  # a third state he asks for, or the detaining power to stay
    establishing: tuple[int, ...] = ()  # interview numbers (event seq) that establish the wish
    interviews: tuple[InterviewAssessment, ...] = ()
    conflicts: tuple[str, ...] = ()
    pressured: tuple[int, ...] = ()
    missing: tuple[Missing, ...] = ()
    next_interview_on: date | None = None
    reasons: tuple[Reason, ...] = ()


# The wish in the words a memo uses (the enum names are for programs).
WISH_WORDS = {
    Wish.WANTS_REPATRIATION: "wants to go home",
    Wish.REFUSES: "refuses repatriation",
    Wish.UNDECIDED: "undecided",
    Wish.NOT_ASKED: "not asked",
}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _label(position: int, seq: int) -> str:
    return f"the {ordinal(position)} interview (event {seq})"


def interview_label(free_will: FreeWill, seq: int) -> str:
    """An interview as a person counts it, with the event number the record uses: "the 1st
    interview (event 3)". Interviews are counted in the order they were held."""
    for position, item in enumerate(free_will.interviews, start=1):
        if item.seq == seq:
            return _label(position, seq)
    return f"the interview recorded as event {seq}"


def wish_of(interview: Interviewed) -> Wish:
    return _WISH[interview.stated_wish]


def wish_of_statement(stated: StatedWish) -> Wish:
    """The decision table's wish for a stated wish: any refusal of repatriation is REFUSES."""
    return _WISH[stated]


def interview_defects(interview: Interviewed, case: Case, rulebook: Rulebook, on: date) -> tuple[Reason, ...]:
    """Every reason an interview does not count toward an established wish (R20, R21, R5).

    R20 [GC3-126, ICRC-PRAC, GC3-17(4), MENON-1952, NNRC-GEN, NNRC-10, GULF-1991]: private,
    without detaining-power witnesses; in his language with a competent interpreter not from the
    detaining power's security services; no force, threat or inducement; every option and its
    consequences explained; told he may change his mind. R21: a neutral observer present or
    conducting (`require_neutral_observer`); an ICRC delegate who conducts it is recorded as a
    neutral_observer presence.
    """
    defects: list[Reason] = []
    roles = {presence.role for presence in interview.present}
    for role in sorted(roles - _ALLOWED_PRESENT):
        defects.append(
            Reason(
                rule="R20",
                text=f"not private: {role.value.replace('_', ' ')} present",
                sources=("GC3-126", "ICRC-PRAC"),
            )
        )
    languages = case.identity.languages if case.identity else []
    if not languages and case.identity is None and case.registered_on is not None and case.registered_on > on:
        defects.append(Reason(rule="R5", text=f"his registration, which records his working language, is dated {case.registered_on.isoformat()}, "
                              f"after the date of this determination ({on.isoformat()})", sources=("GC3-17(6)",)))
    elif not languages:
        defects.append(Reason(rule="R5", text="his working language is not recorded", sources=("GC3-17(6)",)))
    elif interview.language not in languages:
        defects.append(
            Reason(rule="R5", text="not held in a language he understands", sources=("GC3-17(6)", "GC3-41"))
        )
    interpreter = interview.interpreter
    if interpreter is not None:
        if not interpreter.competence_checked:
            defects.append(Reason(rule="R20", text="interpreter's competence not checked", sources=("GC3-126",)))
        defects.extend(_interpreter_witness(interpreter.affiliation))
        if interpreter.security_services and rulebook.flag("require_independent_interpreter", on):
            defects.append(
                Reason(
                    rule="R20",
                    text="interpreter from the detaining power's security services",
                    sources=("GC3-126",),
                )
            )
    if interview.signs_of_pressure:
        defects.append(
            Reason(
                rule="R22",
                text="signs of coercion, inducement or pressure recorded",
                sources=("GC3-17(4)", "MENON-1952", "NNRC-GEN"),
            )
        )
    if not interview.fit_for_interview:
        defects.append(Reason(rule="R20", text="he was not fit for the interview", sources=("GC3-17(4)",)))
    if interview.understood is False:
        defects.append(Reason(rule="R20", text="he did not understand the options", sources=("ICRC-PRAC",)))
    if not interview.informed_of_options and rulebook.flag("require_options_explained", on):
        defects.append(
            Reason(rule="R20", text="options and their consequences not explained", sources=("GC3-118", "ICRC-PRAC"))
        )
    if not interview.informed_of_right_to_change:
        defects.append(
            Reason(rule="R20", text="not told he may change his mind", sources=("NNRC-10", "GULF-1991"))
        )
    if rulebook.flag("require_neutral_observer", on) and PresentRole.NEUTRAL_OBSERVER not in roles:
        defects.append(Reason(rule="R21", text="no neutral observer present", sources=("ICRC-PRAC",)))
    return tuple(defects)


def _interpreter_witness(affiliation: InterpreterAffiliation | None) -> tuple[Reason, ...]:
    """An interpreter who answers to the power of origin, or who is a fellow prisoner, is a
    witness: GC III Art 126 gives the interview "without witnesses", and R20 asks for a private
    one. Not a POLICY choice: no parameter turns it off. An interpreter of the detaining power
    is barred only when from its security services (R20, `require_independent_interpreter`);
    an affiliation not recorded is a gap in the record, not a witness (rulebook section 4 asks
    for it; the separate `security_services` fact still decides R20's named exclusion)."""
    if affiliation is InterpreterAffiliation.POWER_OF_ORIGIN:
        return (Reason(rule="R20", text="not private: the interpreter was supplied by the power of origin, the state he may fear",
                       sources=("GC3-126", "ICRC-PRAC")),)
    if affiliation is InterpreterAffiliation.FELLOW_PRISONER:
        return (Reason(rule="R20", text="not private: the interpreter is a fellow prisoner, open to camp pressure (R22)",
                       sources=("GC3-126", "ICRC-PRAC")),)
    return ()


def _assess(fact: Fact[Interviewed], case: Case, rulebook: Rulebook, on: date) -> InterviewAssessment:
    defects = interview_defects(fact.event, case, rulebook, on)
    return InterviewAssessment(
        seq=fact.seq,
        held_on=fact.occurred_on,
        wish=wish_of(fact.event),
        wish_state=fact.event.wish_state,
        at_handover=fact.event.at_handover,
        qualifies=not defects,
        defects=defects,
        pressure=bool(fact.event.signs_of_pressure),
        detaining_power_present=bool(
            {presence.role for presence in fact.event.present} & _DETAINING_POWER
        ),
    )


def _spaced(candidates: list[InterviewAssessment], days: int) -> list[InterviewAssessment]:
    """The longest chain of interviews each at least `days` after the one before (R21)."""
    chain: list[InterviewAssessment] = []
    for item in candidates:
        if not chain or item.held_on - chain[-1].held_on >= timedelta(days=days):
            chain.append(item)
    return chain


def assess_free_will(case: Case, rulebook: Rulebook, as_of: date) -> FreeWill:
    """Is his wish established, pending or contested? (R20-R24)

    R20/R21: established only by `min_interviews` qualifying interviews at least `reflection_days`
    apart. R22 [GC3-17(4), NNRC-GEN]: conflicting statements or signs of pressure make it
    contested until a new series of qualifying interviews, all held after the last conflicting or
    pressured one, resolves it. R24 [NNRC-10]: a changed wish counts once it is so established.
    """
    needed = rulebook.integer("min_interviews", as_of)
    spacing = rulebook.integer("reflection_days", as_of)
    facts = sorted(
        (fact for fact in case.interviews if fact.occurred_on <= as_of),
        key=lambda fact: (fact.occurred_on, fact.seq),
    )
    assessed = tuple(_assess(fact, case, rulebook, as_of) for fact in facts)
    if not assessed:
        return FreeWill(
            status=FreeWillStatus.PENDING,
            wish=Wish.NOT_ASKED,
            missing=(
                Missing(
                    key="interview",
                    text=f"{needed} qualifying private interviews in his language, {spacing} days apart",
                    rule="R20",
                    on_or_after=as_of,
                ),
            ),
            next_interview_on=as_of,
            reasons=(Reason(rule="R20", text="he has not been interviewed about his wish", sources=("ICRC-PRAC",)),),
        )
    position = {item.seq: index for index, item in enumerate(assessed, start=1)}

    def labels(items: list[InterviewAssessment] | tuple[InterviewAssessment, ...]) -> str:
        return ", ".join(_label(position[item.seq], item.seq) for item in items)

    latest = assessed[-1]
    wish = latest.wish
    words = WISH_WORDS[wish]
    series_start = len(assessed)
    while series_start > 0 and assessed[series_start - 1].wish is wish:
        series_start -= 1
    series, earlier = assessed[series_start:], assessed[:series_start]
    conflicting = [
        item for item in earlier if item.wish not in (wish, Wish.UNDECIDED) and wish is not Wish.UNDECIDED
    ]
    pressured = [item for item in assessed if item.pressure]
    taint_dates = [item.held_on for item in (*conflicting, *pressured)]
    last_taint = max(taint_dates) if taint_dates else None
    resolving = [
        item for item in series if item.qualifies and (last_taint is None or item.held_on > last_taint)
    ]
    chain = _spaced(resolving, spacing)
    conflicts = tuple(
        f"{_label(position[item.seq], item.seq)} ({item.held_on.isoformat()}): {WISH_WORDS[item.wish]}"
        for item in (*conflicting, latest)
    ) if conflicting else ()
    # The state his wish names is the one the last `needed` interviews of the chain all name:
    # an earlier refusal that named no state does not undo a later, established request.
    preferred = _preferred_state(chain[-needed:] if needed else chain)

    if wish is not Wish.UNDECIDED and len(chain) >= needed:
        return FreeWill(
            status=FreeWillStatus.ESTABLISHED,
            wish=wish,
            preferred_state=preferred,
            establishing=tuple(item.seq for item in chain),
            interviews=assessed,
            conflicts=conflicts,
            pressured=tuple(item.seq for item in pressured),
            reasons=(
                Reason(
                    rule="R20",
                    text=(
                        f"his wish ({words}) is established by {len(chain)} qualifying interviews "
                        f"at least {spacing} days apart: {labels(chain)}"
                    ),
                    sources=("GC3-126", "ICRC-PRAC"),
                ),
            ),
        )

    next_on = chain[-1].held_on + timedelta(days=spacing) if chain else as_of
    next_on = max(next_on, as_of)
    remaining = needed - len(chain) if wish is not Wish.UNDECIDED else needed
    what = "stating a decided wish" if wish is Wish.UNDECIDED else f"confirming that he {words}"
    missing = [
        Missing(
            key="interview",
            text=(
                f"{remaining} more qualifying interview{'s' if remaining > 1 else ''} {what}, "
                f"the next on or after {next_on.isoformat()}"
            ),
            rule="R21",
            on_or_after=next_on,
        )
    ]
    # What the next interview can avoid; a registration dated later is not one of those.
    fixes = sorted({defect.text for item in series if not item.qualifies for defect in item.defects
                    if not defect.text.startswith("his registration")})
    missing.extend(Missing(key=f"safeguard:{text}", text=f"avoid at the next interview: {text}", rule="R20") for text in fixes)
    reasons = [
        Reason(
            rule="R20",
            text=f"{len(chain)} of {needed} qualifying interviews for his current wish ({words})",
            sources=("GC3-126", "ICRC-PRAC"),
        )
    ]
    status = FreeWillStatus.PENDING
    if conflicting or pressured:
        status = FreeWillStatus.CONTESTED
        if conflicting:
            reasons.append(
                Reason(rule="R22", text="statements conflict: " + "; ".join(conflicts), sources=("NNRC-GEN",))
            )
        if pressured:
            reasons.append(
                Reason(
                    rule="R22",
                    text="signs of pressure at " + labels(pressured),
                    sources=("GC3-17(4)", "MENON-1952"),
                )
            )
    if status is FreeWillStatus.CONTESTED:
        # Name the interviews held before detaining-power witnesses: the likeliest source of a
        # statement made under pressure (GC3-17(4), GC3-126).
        watched = [item for item in assessed if item.detaining_power_present]
        if watched:
            reasons.append(
                Reason(
                    rule="R22",
                    text="detaining-power staff or security present at " + labels(watched),
                    sources=("GC3-126", "GC3-17(4)"),
                )
            )
    return FreeWill(
        status=status,
        wish=wish,
        preferred_state=preferred,
        establishing=(),
        interviews=assessed,
        conflicts=conflicts,
        pressured=tuple(item.seq for item in pressured),
        missing=tuple(missing),
        next_interview_on=next_on,
        reasons=tuple(reasons),
    )


def _preferred_state(chain: list[InterviewAssessment]) -> str | None:
    """The one third state every establishing interview names; the detaining power for 'stay'."""
    named = {item.wish_state for item in chain if item.wish_state}
    if len(named) == 1 and all(item.wish_state for item in chain):
        return named.pop()
    return None


def stays(case: Case, free_will: FreeWill) -> bool:
    """True when the established wish is to stay in the detaining state (D6)."""
    if free_will.status is not FreeWillStatus.ESTABLISHED:
        return False
    seqs = set(free_will.establishing)
    return all(
        fact.event.stated_wish is StatedWish.STAY for fact in case.interviews if fact.seq in seqs
    )


def handover_reconfirmation(free_will: FreeWill) -> InterviewAssessment | None:
    """The latest private reconfirmation at the point of departure (R23) [GULF-1991, NNRC-10].

    "One last chance at the border": a refusal there stops the handover for that prisoner.
    """
    handovers = [item for item in free_will.interviews if item.at_handover]
    return handovers[-1] if handovers else None
