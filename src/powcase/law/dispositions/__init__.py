"""The decision table (rulebook section 3): one verdict per disposition D1-D7.

    D1 repatriation.py       repatriation_to_power_of_origin     R18, R19, R25
    D2 repatriation.py       inclusion_in_exchange               R16, R23, R25
    D3 sick_and_wounded.py   direct_repatriation_sick_or_wounded R11, R13
    D4 third_states.py       accommodation_in_neutral_country    R15
    D5 third_states.py       transfer_to_third_state             R17, R29, R30
    D6 release.py            release_in_detaining_state          R10, R19, R30
    D7 internment.py         continued_internment                R9, R18, R19
    -- closure.py            closed_by_status (every disposition) R31 death, R32 escape
"""

from __future__ import annotations

from dataclasses import replace

from powcase.law.dispositions.closure import closed_by_status, closed_verdict, closing_reason
from powcase.law.dispositions.internment import continued_internment
from powcase.law.dispositions.release import release_in_detaining_state
from powcase.law.dispositions.repatriation import (
    inclusion_in_exchange,
    repatriation_to_power_of_origin,
)
from powcase.law.dispositions.sick_and_wounded import direct_repatriation_sick_or_wounded
from powcase.law.dispositions.situation import Situation
from powcase.law.dispositions.third_states import (
    accommodation_in_neutral_country,
    transfer_to_third_state,
)
from powcase.law.verdicts import DispositionVerdict, Status


def decide_dispositions(situation: Situation) -> tuple[DispositionVerdict, ...]:
    """Every disposition of the table, in order; D6 and D7 read the verdict on D1."""
    closing = closing_reason(situation.case)
    if closing is not None:
        return tuple(closed_verdict(situation, f"D{number}", closing) for number in range(1, 8))
    repatriation = repatriation_to_power_of_origin(situation)
    return (
        repatriation,
        inclusion_in_exchange(situation),
        direct_repatriation_sick_or_wounded(situation),
        accommodation_in_neutral_country(situation),
        transfer_to_third_state(situation),
        release_in_detaining_state(situation, _beyond_the_proceedings(situation, repatriation.status)),
        continued_internment(situation, repatriation.status),
    )


def decide_disposition(situation: Situation, disposition: str) -> DispositionVerdict:
    """One disposition of the table; the search for what would change a verdict asks this
    many times and need not decide the other six each time."""
    closed = closed_by_status(situation, disposition)
    if closed is not None:
        return closed
    single = {
        "D2": inclusion_in_exchange,
        "D3": direct_repatriation_sick_or_wounded,
        "D4": accommodation_in_neutral_country,
        "D5": transfer_to_third_state,
    }
    if disposition in single:
        return single[disposition](situation)
    repatriation = repatriation_to_power_of_origin(situation)
    if disposition == "D1":
        return repatriation
    if disposition == "D6":
        return release_in_detaining_state(situation, _beyond_the_proceedings(situation, repatriation.status))
    if disposition == "D7":
        return continued_internment(situation, repatriation.status)
    raise KeyError(disposition)


def _beyond_the_proceedings(situation: Situation, repatriation: Status) -> Status:
    """After hostilities release is the alternative to a repatriation barred by a real risk or
    an honoured refusal, not by the criminal proceedings that hold him for the time being: for
    release, D1 is read as it will stand once they end (GC3-119(5), R19)."""
    if not situation.ceased or situation.criminal_hold() is None:
        return repatriation
    case = replace(situation.case, proceedings=[])
    ended = Situation(case=case, rulebook=situation.rulebook, as_of=situation.as_of, context=situation.context,
                      free_will=situation.free_will)
    return repatriation_to_power_of_origin(ended).status


__all__ = ["Situation", "decide_disposition", "decide_dispositions"]
