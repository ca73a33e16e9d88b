"""Whether an interview counts: the law engine's free-will rules, asked right after recording one,
so the interviewer learns at once what a later determination would say."""

from __future__ import annotations

from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.law import determine
from powcase.law.free_will import InterviewAssessment


def interview_assessment(pw: Powcase, case_id: str, seq: int) -> InterviewAssessment | None:
    """The engine's assessment of interview ``seq`` as of the day it was held."""
    history = pw.history(case_id)
    held = next((r for r in history if r.seq == seq), None)
    if held is None:
        return None
    case = fold(history, held.occurred_on)
    d = determine(case, pw.rulebook, held.occurred_on, pw.context)
    return next((a for a in d.free_will.interviews if a.seq == seq), None)
