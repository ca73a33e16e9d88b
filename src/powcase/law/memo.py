"""A plain-language memo of a determination, with citations.

The memo says what the engine found and why, in the order a lawyer would read it: the wish, the
risk, then each disposition with its reasons, the facts still missing and what would change the
verdict. Each source is cited by its id where it is relied on and listed once, at the end, as the
caller chooses (`sources`): "none", "ids" (id, title and provision) or "full" (with the wording
its mark allows: only checked (✔) wording appears as a quotation; secondary (S) wording is
attributed; T and ? wording is a paraphrase to check). The memo names no prisoner: only the case id.
"""

from __future__ import annotations

import textwrap
from typing import Literal

from powcase.law.determination import Determination
from powcase.law.free_will import WISH_WORDS, FreeWillStatus, interview_label
from powcase.law.rulebook import Rulebook
from powcase.law.sources import render_source, split_citation
from powcase.law.verdicts import DispositionVerdict, Reason

_WIDTH = 96
_STATUS = {"permitted": "PERMITTED", "barred": "BARRED", "needs_facts": "NEEDS FACTS", "not_applicable": "NOT APPLICABLE"}
SourceDetail = Literal["none", "ids", "full"]


def _cite(reason: Reason) -> str:
    parts = [reason.rule]
    if reason.sources:
        parts.append(", ".join(reason.sources))
    cited = f" [{'; '.join(parts)}]"
    if reason.open_questions:
        cited += " (Open question " + ", ".join(str(n) for n in reason.open_questions) + ")"
    return reason.text + cited


def _para(text: str, indent: str = "   ") -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _disposition(verdict: DispositionVerdict) -> list[str]:
    status = _STATUS[verdict.status.value] + (" AND REQUIRED" if verdict.required else "")
    where = f" (to {', '.join(verdict.destinations)})" if verdict.destinations else ""
    lines = [f"{verdict.disposition} {verdict.title}{where}: {status}"]
    for reason in verdict.reasons:
        lines += _para("- " + _cite(reason))
    for note in verdict.notes:
        lines += _para("- note: " + _cite(note))
    for item in verdict.missing:
        lines += _para("- missing: " + item.text)
    for change in verdict.would_change:
        lines += _para("- would change it: " + "; and ".join(change.facts))
    for condition in verdict.conditions:
        lines += _para("- on execution: " + _cite(condition))
    return lines


def render_memo(determination: Determination, rulebook: Rulebook, sources: SourceDetail = "full") -> str:
    """The memo as plain text (for `powcase determine --format text`); `sources` chooses how the
    list of sources at the end is shown."""
    d = determination
    lines = [
        f"DETERMINATION - case {d.case_id}, as of {d.as_of.isoformat()}",
        f"Rulebook {d.rulebook_version}" + (f", deployment: {d.deployment}" if d.deployment else ""),
        f"Input hash sha256:{d.input_hash}",
    ]
    if d.hostilities is None:
        lines.append("Context: the state of hostilities is not recorded.")
    else:
        lines.append(
            f"Context: detaining power {d.detaining_power}; hostilities {d.hostilities} since "
            f"{d.hostilities_since.isoformat() if d.hostilities_since else '?'}."
        )
    fw = d.free_will
    lines += ["", "1. His wish and free will (R20-R24)"]
    head = f"Free will: {fw.status.value}. His wish: {WISH_WORDS[fw.wish]}"
    if fw.preferred_state:
        head += f", asking to go to {fw.preferred_state}"
    lines += _para(head + ".")
    for reason in fw.reasons:
        lines += _para("- " + _cite(reason))
    for interview in fw.interviews:
        if not interview.qualifies:
            why = "; ".join(defect.text for defect in interview.defects)
            lines += _para(f"- {interview_label(fw, interview.seq)} ({interview.held_on.isoformat()}) does not count: {why}")
    if fw.status is not FreeWillStatus.ESTABLISHED:
        for item in fw.missing:
            lines += _para("- missing: " + item.text)
    lines += ["", "2. Risk on return (R25-R29)"]
    if d.personal_factors:
        lines += _para("Personal factors on record (R27): " + ", ".join(f.replace("_", " ") for f in d.personal_factors) + ".")
    for risk in d.risk:
        lines += _para(f"Route {' -> '.join(risk.chain)}: {risk.status.value.replace('_', ' ').lower()}")
        for state in risk.states:
            for reason in state.reasons:
                lines += _para("- " + _cite(reason), "     ")
            for note in state.notes:
                lines += _para("- note: " + _cite(note), "     ")
    lines += ["", "3. Dispositions (decision table D1-D7)"]
    for verdict in d.dispositions:
        lines += ["", *_disposition(verdict)]
    if d.duties:
        lines += ["", "Duties that follow"]
        for duty in d.duties:
            lines += _para("- " + _cite(duty))
    cited: dict[str, str] = {}
    questions: set[int] = set()
    reasons = [*fw.reasons, *(r for risk in d.risk for s in risk.states for r in (*s.reasons, *s.notes)), *d.duties]
    for verdict in d.dispositions:
        reasons += [*verdict.reasons, *verdict.notes, *verdict.conditions]
    for reason in reasons:
        questions.update(reason.open_questions)
        for citation in reason.sources:
            source_id, _ = split_citation(citation)
            cited.setdefault(source_id, render_source(rulebook.sources.get(source_id), with_wording=sources == "full"))
    if sources != "none":
        lines += ["", "4. Sources cited"]
        for source_id in sorted(cited):
            lines += _para("- " + cited[source_id])
    if questions:
        lines += ["", f"{5 if sources != 'none' else 4}. Open questions this determination depends on"]
        for number in sorted(questions):
            question = rulebook.open_questions[number]
            lines += _para(f"- Open question {number}, {question.title}: {question.summary}")
    lines += ["", "This memo is the engine's reading of the record; a person decides and signs."]
    return "\n".join(lines) + "\n"
