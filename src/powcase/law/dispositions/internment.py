"""D7 Continued internment (R9, R18, R19).

R9 [GC3-21]: the detaining power "may subject prisoners of war to internment" for the whole of
hostilities. R18 [GC3-118(1), CIHL-128, AP1-85-4b]: after the cessation of active hostilities,
release and repatriation "without delay"; every day held counts against
`post_hostilities_hold_alert_days`. Named exceptions (R19): criminal proceedings or a sentence
(GC3-119(5)); a barred repatriation, for the shortest time needed to carry out the alternative.
"""

from __future__ import annotations

from powcase.domain.values import Disposition
from powcase.law.dispositions.situation import Situation
from powcase.law.verdicts import DispositionVerdict, Effect, Finding, Status, decide, finding


def continued_internment(situation: Situation, repatriation: Status) -> DispositionVerdict:
    """D7: always lawful during hostilities; after them only on a ground of R19, else barred."""
    title = situation.rulebook.dispositions["D7"].title
    findings: list[Finding] = []
    alerts: tuple[str, ...] = ()
    period = situation.hostilities
    if period is None:
        findings.append(situation.hostilities_unknown("R9"))
    elif situation.ongoing:
        findings.append(finding("R9", Effect.PERMIT, "internment is lawful for the whole of hostilities", ("GC3-21",)))
    else:
        held = (situation.as_of - period.since).days
        alert_days = situation.rulebook.integer("post_hostilities_hold_alert_days", situation.as_of)
        hold = situation.criminal_hold()
        if hold is not None:
            findings.append(finding("R19", Effect.PERMIT, "held for criminal proceedings for an indictable offence or a sentence (Art 119(5))",
                                    ("GC3-119(5)", "CIHL-128")))
            if not hold.names_communicated:
                findings.append(finding("R19", Effect.NOTE, "the names of those kept back must be communicated (Art 119(6))", ("GC3-119(6)",)))
        elif repatriation is Status.BARRED:
            findings.append(finding("R19", Effect.PERMIT, "repatriation is barred: hold only for the shortest time needed to carry out a transfer or release (D5, D6)",
                                    ("ICRC20-118", "CAT-3", "CIHL-128")))
        elif repatriation is Status.NEEDS_FACTS:
            findings.append(finding("R18", Effect.PERMIT, "hold only for the shortest time needed to establish the facts repatriation needs",
                                    ("GC3-118(1)", "CIHL-128")))
        else:
            findings.append(finding("R18", Effect.BAR, "active hostilities have ceased and no ground to hold him applies: release and repatriate without delay",
                                    ("GC3-118(1)", "CIHL-128", "AP1-85-4b")))
        justified = situation.legal_basis(Disposition.CONTINUED_INTERNMENT) is not None
        if held > alert_days and not justified and hold is None:
            alerts = ("post_hostilities_hold",)
            findings.append(finding("R18", Effect.NOTE,
                                    f"ALERT: held {held} days after the cessation of active hostilities (threshold {alert_days}) without a recorded justification: possible unjustifiable delay",
                                    ("AP1-85-4b", "CIHL-128", "NNRC-11"), open_questions=(9,)))
    return decide("D7", title, findings, alerts=alerts)
