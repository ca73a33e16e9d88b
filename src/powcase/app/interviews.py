"""Before an interview is saved: will it qualify, and if not, why (the engine's own rules).

The draft is folded into the case as the next event and the law engine is asked, as of the
interview's day, exactly as it will be asked once the interview is recorded; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from powcase.domain.case import fold
from powcase.domain.context import Context
from powcase.domain.events import Interviewed, RecordedEvent
from powcase.law import FreeWill, Rulebook, determine
from powcase.law.free_will import InterviewAssessment


@dataclass(frozen=True)
class InterviewPreview:
    assessment: InterviewAssessment  # this interview: qualifies, and every defect if not
    free_will: FreeWill  # the finding on his free will once it is recorded


def preview_interview(
    history: list[RecordedEvent], draft: Interviewed, rulebook: Rulebook, context: Context | None, actor: str,
    now: datetime,
) -> InterviewPreview:
    case_id = history[0].case_id
    seq = history[-1].seq + 1
    drafted = RecordedEvent(case_id, seq, draft.type, draft.occurred_on, now, actor, draft)
    case = fold([*history, drafted])
    determination = determine(case, rulebook, draft.occurred_on, context)
    assessment = next(a for a in determination.free_will.interviews if a.seq == seq)
    return InterviewPreview(assessment, determination.free_will)
