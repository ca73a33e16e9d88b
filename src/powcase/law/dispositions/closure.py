"""When no disposition is open: he died (R31), or he escaped and is at large (R32).

Every disposition of the decision table moves a man the detaining power holds. After his death
the duties are those of GC III Art 120 (his will, the death certificate or a certified list to the
Information Bureau, an honourable burial in a marked and recorded grave) and Art 121 (an official
enquiry when another person caused or may have caused the death, or its cause is unknown), with
the Art 122 notice. After an escape they are the Art 122 notice and, on recapture, Art 94 (notify
the Power on which he depends) within the limits of Arts 91-93 (the escape itself earns only
disciplinary punishment). A recapture returns him to custody: every disposition is open again.
These two rules are added from the Convention; the rulebook's section 2 does not number them.
"""

from __future__ import annotations

from powcase.domain import Case
from powcase.domain.values import CaseStatus
from powcase.law.dispositions.situation import Situation
from powcase.law.verdicts import DispositionVerdict, Reason, Status

_DIED = ("GC3-120", "GC3-121")
_ESCAPED = ("GC3-91", "GC3-122")


def closing_reason(case: Case) -> Reason | None:
    since = case.status_since.isoformat() if case.status_since else "a date not recorded"
    if case.status is CaseStatus.DIED:
        return Reason(rule="R31", text=f"he died on {since}: no disposition applies; the duties of Arts 120-121 follow", sources=_DIED)
    if case.status is CaseStatus.ESCAPED:
        return Reason(rule="R32", text=f"he escaped on {since} and is at large: no disposition applies until he is recaptured "
                      "(Arts 91-94); notify the escape (Art 122)", sources=_ESCAPED)
    return None


def closed_by_status(situation: Situation, disposition: str) -> DispositionVerdict | None:
    """The verdict `not_applicable` for a disposition while he is dead or at large, else None."""
    reason = closing_reason(situation.case)
    return None if reason is None else closed_verdict(situation, disposition, reason)


def closed_verdict(situation: Situation, disposition: str, reason: Reason) -> DispositionVerdict:
    return DispositionVerdict(
        disposition=disposition,
        title=situation.rulebook.dispositions[disposition].title,
        status=Status.NOT_APPLICABLE,
        reasons=(reason,),
    )


def duties(case: Case) -> tuple[Reason, ...]:
    """What the detaining power owes once he has died or escaped, and after a recapture."""
    if case.status is CaseStatus.DIED:
        return (
            Reason(rule="R31", text="send the death certificate, or a list certified by a responsible officer, to the Information Bureau",
                   sources=("GC3-120", "GC3-122")),
            Reason(rule="R31", text="draw up or transmit his will as the law of his country requires", sources=("GC3-120",)),
            Reason(rule="R31", text="bury him honourably, if possible by the rites of his religion, in an individual grave that is "
                   "respected, maintained and marked; record the burial and the grave", sources=("GC3-120",)),
            Reason(rule="R31", text="if the death was caused or may have been caused by a sentry, another prisoner or any other person, "
                   "or its cause is unknown: an official enquiry at once, and inform the Protecting Power", sources=("GC3-121",)),
        )
    if case.status is CaseStatus.ESCAPED:
        return (
            Reason(rule="R32", text="notify the escape through the Information Bureau to the Power on which he depends", sources=("GC3-122",)),
            Reason(rule="R32", text="if he is recaptured: notify the recapture (Art 94); the escape itself is liable only to "
                   "disciplinary punishment (Arts 92-93)", sources=("GC3-92", "GC3-93", "GC3-94")),
        )
    if case.status is CaseStatus.INTERNED and case.escapes and case.capture is not None:
        escaped, recaptured = case.escapes[-1].occurred_on.isoformat(), case.capture.occurred_on.isoformat()
        return (
            Reason(rule="R32", text=f"he escaped on {escaped} and was recaptured on {recaptured}: notify the Power on which he depends (Art 94); the escape "
                   "itself is liable only to disciplinary punishment (Arts 92-93), and none if it had succeeded (Art 91)",
                   sources=("GC3-91", "GC3-92", "GC3-93", "GC3-94")),
        )
    return ()
