"""Whether an interview counts: the law engine's free-will rules, asked before an interview is
saved (the web form's check) and right after one is recorded (the CLI's answer), so the
interviewer learns at once what a later determination would say. Nothing here is a second copy
of the rules: the engine is asked, as of the interview's day, exactly as it will be asked later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.domain.context import Context
from powcase.domain.events import Interviewed, RecordedEvent
from powcase.law import FreeWill, Rulebook, determine
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


@dataclass(frozen=True)
class InterviewPreview:
    assessment: InterviewAssessment  # this interview: qualifies, and every defect if not
    free_will: FreeWill  # the finding on his free will once it is recorded


def preview_interview(
    history: list[RecordedEvent], draft: Interviewed, rulebook: Rulebook, context: Context | None, actor: str,
    now: datetime,
) -> InterviewPreview:
    """The draft folded into the case as the next event and decided; nothing is written."""
    case_id = history[0].case_id
    seq = history[-1].seq + 1
    drafted = RecordedEvent(case_id, seq, draft.type, draft.occurred_on, now, actor, draft)
    case = fold([*history, drafted])
    determination = determine(case, rulebook, draft.occurred_on, context)
    assessment = next(a for a in determination.free_will.interviews if a.seq == seq)
    return InterviewPreview(assessment, determination.free_will)
