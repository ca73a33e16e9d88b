"""Which documents there are, what facts each needs, and what each shows.

Pure: a document is a function of the case's facts (folded as of a date), the situation and, for
the decision memo, the determination. A document whose facts are missing is refused with the list
of what is missing, before anything is rendered or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from powcase.documents.texts import (
    check_language,
    label,
    language_of,
    language_of_state,
    notice_text,
    review_of,
)
from powcase.domain.case import Case
from powcase.domain.context import Context
from powcase.domain.events import Transferred
from powcase.domain.values import PersonName, PresentRole, TransferKind
from powcase.errors import InvalidInput
from powcase.law import Determination, Rulebook
from powcase.law.sources import split_citation


class DocumentKind(StrEnum):
    CAPTURE_CARD = "capture-card"
    NOTICE = "notice"
    INTERVIEW_RECORD = "interview-record"
    DECISION_MEMO = "decision-memo"
    REPATRIATION_CERTIFICATE = "repatriation-certificate"
    HANDOVER_CERTIFICATE = "handover-certificate"
    DEATH_NOTIFICATION = "death-notification"


# Documents that carry his identity: printed only for roles that may read it.
IDENTITY_KINDS = frozenset({
    DocumentKind.CAPTURE_CARD, DocumentKind.INTERVIEW_RECORD, DocumentKind.REPATRIATION_CERTIFICATE,
    DocumentKind.HANDOVER_CERTIFICATE, DocumentKind.DEATH_NOTIFICATION,
})
# Documents that carry his words: printed only for roles that may read statements.
STATEMENT_KINDS = frozenset({DocumentKind.INTERVIEW_RECORD})

_REPATRIATING = frozenset({TransferKind.REPATRIATION, TransferKind.EXCHANGE, TransferKind.DIRECT_REPATRIATION})
_HANDED_OVER = frozenset({TransferKind.THIRD_STATE, TransferKind.NEUTRAL_ACCOMMODATION})


class MissingFacts(InvalidInput):
    """The case lacks facts the document needs; nothing was rendered or written."""

    def __init__(self, kind: DocumentKind, case_id: str, missing: list[str]) -> None:
        super().__init__(f"case {case_id}: cannot print the {kind.value}: missing {'; '.join(missing)}")
        self.missing = missing


def _transfer(case: Case, kinds: frozenset[TransferKind]) -> Transferred | None:
    return next((f.event for f in reversed(case.transfers) if f.event.kind in kinds), None)


def missing_facts(kind: DocumentKind, case: Case, determination: Determination | None = None) -> list[str]:
    """What the case lacks for the document, in words a registrar can act on."""
    missing: list[str] = []
    if case.erased:
        return ["the case was erased"]
    if kind in IDENTITY_KINDS and case.identity is None:
        missing.append("his registration (identity)")
    if kind in (DocumentKind.CAPTURE_CARD, DocumentKind.DEATH_NOTIFICATION) and case.capture is None:
        missing.append("the capture (powcase record capture)")
    if kind is DocumentKind.CAPTURE_CARD and not case.custody:
        missing.append("a place of internment (powcase record custody)")
    if kind is DocumentKind.INTERVIEW_RECORD and not case.interviews:
        missing.append("an interview (powcase record interview)")
    if kind is DocumentKind.DECISION_MEMO:
        if not case.decisions:
            missing.append("a recorded decision with its approver (powcase record decision)")
        elif determination is None:
            missing.append("the determination as of the decision")
    if kind is DocumentKind.REPATRIATION_CERTIFICATE and _transfer(case, _REPATRIATING) is None:
        missing.append("a repatriation or exchange (powcase record transfer)")
    if kind is DocumentKind.HANDOVER_CERTIFICATE:
        handover = _transfer(case, _HANDED_OVER)
        if handover is None:
            missing.append("a handover to a third state or neutral country (powcase record transfer)")
        elif handover.reconfirmation is None:
            missing.append("his reconfirmation at the point of departure, recorded with the transfer (R23)")
    if kind is DocumentKind.DEATH_NOTIFICATION and case.status.value != "died":
        missing.append("his death (powcase record death)")
    return missing


def _name(name: PersonName | None) -> str:
    if name is None:
        return ""
    parts = [p for p in (name.native, name.latin) if p]
    return " / ".join(dict.fromkeys(parts))


@dataclass(frozen=True)
class Printed:
    """What a template needs: the kind, the language(s), the data and the review line(s)."""

    kind: DocumentKind
    template: str
    data: dict[str, Any]


def _identity(case: Case) -> dict[str, Any]:
    ident = case.identity
    if ident is None:  # checked by missing_facts first; kept for the type checker
        raise MissingFacts(DocumentKind.CAPTURE_CARD, case.case_id, ["his registration (identity)"])
    native = " ".join(n.native for n in (ident.family_name, ident.given_names) if n.native)
    latin = " ".join(n.latin for n in (ident.family_name, ident.given_names) if n.latin)
    return {
        "full_name": " / ".join(x for x in (native, latin) if x),
        "family_name": _name(ident.family_name),
        "given_names": _name(ident.given_names),
        "father": _name(ident.patronymic),
        "birth_date": ident.birth_date.isoformat() if ident.birth_date else None,
        "rank": ident.rank,
        "service_number": ident.service_number,
        "power": ident.power_of_dependence or ident.armed_force,
        "nationality": ident.nationality,
    }


def _health(case: Case, lang: str) -> str:
    latest = case.medical[-1].event if case.medical else None
    if latest is not None and latest.art110:
        return label("seriously", lang)
    if case.capture is not None and case.capture.event.wounded:
        return label("wounded", lang)
    return label("good_health", lang)


def _capture_card(case: Case, context: Context | None, made_on: date) -> dict[str, Any]:
    if case.capture is None:
        raise MissingFacts(DocumentKind.CAPTURE_CARD, case.case_id, ["the capture (powcase record capture)"])
    ident = case.identity
    his = language_of(list(ident.languages) if ident else [])
    ours = language_of_state(context.detaining_power if context else None)
    langs = [ours, his] if ours != his else [ours, "en" if ours != "en" else "ru"]
    places = [f.event.place for f in case.custody]
    return {
        "langs": langs,
        "reviews": [review_of(lang).line() for lang in langs],
        "person": _identity(case),
        "taken_prisoner": case.capture.occurred_on.isoformat(),
        "coming_from": places[-2] if len(places) > 1 else case.capture.event.place,
        "health": {lang: _health(case, lang) for lang in langs},
        "camp": case.place,
        "made_on": made_on.isoformat(),
    }


def _checklist(case: Case) -> list[dict[str, Any]]:
    out = []
    for f in case.interviews:
        ev = f.event
        roles = {p.role for p in ev.present}
        interp = ev.interpreter
        checks = [
            ("Options explained (every disposition and its consequences)", ev.informed_of_options),
            ("Told he may change his mind until departure", ev.informed_of_right_to_change),
            ("Understood, in his words", ev.understood is True),
            ("Fit for interview", ev.fit_for_interview),
            ("In private: no detaining-power staff or security present",
             not roles & {PresentRole.DETAINING_POWER_STAFF, PresentRole.DETAINING_POWER_SECURITY}),
            ("Neutral observer present", PresentRole.NEUTRAL_OBSERVER in roles),
            ("Interpreter independent of the security services", interp is None or not interp.security_services),
            ("Interpreter's competence checked", interp is None or interp.competence_checked),
            ("No signs of pressure", not ev.signs_of_pressure),
            ("Reflection period offered", ev.reflection_offered),
        ]
        out.append({
            "seq": f.seq, "on": ev.occurred_on.isoformat(), "place": ev.place, "interviewer": ev.interviewer,
            "organisation": ev.interviewer_organisation, "language": ev.language,
            "interpreter": interp.model_dump(mode="json") if interp else None,
            "present": [p.model_dump(mode="json") for p in ev.present],
            "notice_version": ev.options_notice_version, "checks": checks,
            "pressure": ev.signs_of_pressure, "wish": ev.stated_wish.value, "wish_state": ev.wish_state,
            "reasons": ev.reasons, "words_original": ev.words_original, "words_translated": ev.words_translated,
            "duration": ev.duration_minutes, "at_handover": ev.at_handover,
        })
    return out


def prepare(
    kind: DocumentKind, case: Case, *, lang: str | None, made_on: date, context: Context | None,
    determination: Determination | None = None, rulebook: Rulebook | None = None,
) -> Printed:
    """Check the facts and gather what the document shows; raises MissingFacts."""
    missing = missing_facts(kind, case, determination)
    if missing:
        raise MissingFacts(kind, case.case_id, missing)
    his = language_of(list(case.identity.languages) if case.identity else [])
    chosen = check_language(lang) if lang else his
    data: dict[str, Any] = {"case_id": case.case_id, "made_on": made_on.isoformat()}
    if kind is DocumentKind.CAPTURE_CARD:
        data.update(_capture_card(case, context, made_on))
        if lang and lang not in data["langs"]:
            data["langs"] = [data["langs"][0], chosen]
            data["reviews"] = [review_of(x).line() for x in data["langs"]]
            data["health"] = {x: _health(case, x) for x in data["langs"]}
    elif kind is DocumentKind.NOTICE:
        data.update({"lang": chosen, "notice": notice_text(chosen), "review": review_of(chosen).line(),
                     "case_label": label("case", chosen)})
    elif kind is DocumentKind.INTERVIEW_RECORD:
        data.update({"person": _identity(case), "interviews": _checklist(case)})
    elif kind is DocumentKind.DECISION_MEMO:
        decision = case.decisions[-1].event
        data.update({"decision": decision.model_dump(mode="json"), "d": determination,
                     "sources": _cited(determination, rulebook)})
    elif kind is DocumentKind.REPATRIATION_CERTIFICATE:
        transfer = _required(_transfer(case, _REPATRIATING), kind, case)
        data.update({"person": _identity(case), "transfer": transfer.model_dump(mode="json"), "camp": case.place,
                     "hospital": next((f.event.place for f in reversed(case.custody) if f.event.kind.value == "hospital"), None),
                     "health": _health(case, "en"),
                     "medical": [f.event.model_dump(mode="json") for f in case.medical]})
    elif kind is DocumentKind.HANDOVER_CERTIFICATE:
        transfer = _required(_transfer(case, _HANDED_OVER), kind, case)
        state = transfer.to_state
        data.update({
            "person": _identity(case), "transfer": transfer.model_dump(mode="json"), "camp": case.place,
            "assessments": [f.event.model_dump(mode="json") for f in case.transferee_assessments if f.event.state == state],
            "acceptances": [f.event.model_dump(mode="json") for f in case.third_state_answers if f.event.state == state],
            "bases": [f.event.model_dump(mode="json") for f in case.legal_bases],
        })
    elif kind is DocumentKind.DEATH_NOTIFICATION:
        data.update({"person": _identity(case), "died_on": case.status_since.isoformat() if case.status_since else None,
                     "place": case.place, "cause": _cause(case)})
    return Printed(kind, f"{kind.value}.html", data)


def _required(transfer: Transferred | None, kind: DocumentKind, case: Case) -> Transferred:
    if transfer is None:  # checked by missing_facts first; kept for the type checker
        raise MissingFacts(kind, case.case_id, ["the transfer"])
    return transfer


def _cited(determination: Determination | None, rulebook: Rulebook | None) -> list[tuple[str, str, str]]:
    """Every source the memo cites: id, title and provision, in the order first cited."""
    if determination is None or rulebook is None:
        return []
    reasons = [*determination.free_will.reasons]
    for verdict in determination.dispositions:
        reasons += [*verdict.reasons, *verdict.notes, *verdict.conditions]
    ids = dict.fromkeys(split_citation(c)[0] for r in reasons for c in r.sources)
    found = []
    for source_id in ids:
        source = rulebook.sources.get(source_id)
        found.append((source.id, source.title, source.provision))
    return found


def _cause(case: Case) -> str | None:
    return case.death.event.cause if case.death else None
