"""The detaining power's duties on time: what must be sent, recorded or done, by when, and whether it was.

`deadlines(case, rulebook, as_of, context)` lists every duty of the register for one prisoner,
each with its sources, the day it fell due, its status and the event that discharges it:

    capture_card           GC III Art 70   a card within a week of arrival at a camp (transit
                                           camps too), and again on each move to a hospital or camp
    particulars            GC III Art 122  his particulars forwarded to the Information Bureau
    notice_<event>         GC III Art 122  notices of transfer, release, repatriation, escape,
                                           admission to hospital and death
    health_report          GC III Art 122  a report every week while he is seriously ill or wounded
    next_interview         R21             the next qualifying interview, after the reflection period
    handover_reconfirmation R23            his private reconfirmation at the point of departure
    death_certificate      GC III Art 120  the death certificate (Annex IV D)
    proceedings_names      GC III Art 119  names of men kept back for criminal proceedings
    detention_reason       GC III Art 118  a recorded reason for each period held after cessation
    nnrc_civilian_status / nnrc_neutral_departure   the 1953 NNRC clocks, when the policy applies

Every duty appears at least once, as `not_applicable` when nothing triggered it, so that a list
shows what was checked. A duty discharged late is still `done`, with the delay said in its detail.
Pure: no clock, no I/O; the periods are rulebook parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from enum import StrEnum

from powcase.domain import Case, Context
from powcase.domain.case import Fact
from powcase.domain.events import NoticeSubject, Notified
from powcase.domain.values import PlaceKind, TransferKind
from powcase.law.free_will import FreeWillStatus, Wish, assess_free_will
from powcase.law.rulebook import Rulebook
from powcase.law.verdicts import Frozen


class DutyStatus(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class Duty(Frozen):
    """One duty of the detaining power towards one prisoner, as of a date."""

    case_id: str
    duty: str  # a stable key, e.g. "capture_card", "notice_escape", "detention_reason"
    title: str
    sources: tuple[str, ...]
    status: DutyStatus
    trigger_on: date | None = None  # the day the duty arose
    due_on: date | None = None  # the last day (None when the law sets no day)
    done_on: date | None = None
    discharged_by: str  # the event that discharges it, as recorded with `powcase record`
    detail: str = ""


# Whom a notice about him may go to; a withheld notice (Art 123) is a recorded decision and
# discharges the duty as much as a sent one does.
_NOTICE_KINDS: tuple[tuple[NoticeSubject, str], ...] = (
    ("transfer", "Notice of transfer"),
    ("release", "Notice of release"),
    ("repatriation", "Notice of repatriation"),
    ("escape", "Notice of escape"),
    ("hospital", "Notice of admission to hospital"),
    ("death", "Notice of death"),
)

_REPATRIATING = frozenset({TransferKind.REPATRIATION, TransferKind.EXCHANGE, TransferKind.DIRECT_REPATRIATION})
_CAMPS = frozenset({PlaceKind.CAMP, PlaceKind.TRANSIT_CAMP})


def _status(due_on: date | None, done_on: date | None, as_of: date) -> DutyStatus:
    if done_on is not None:
        return DutyStatus.DONE
    if due_on is not None and due_on < as_of:
        return DutyStatus.OVERDUE
    return DutyStatus.DUE


def _late(due_on: date | None, done_on: date | None) -> str:
    if due_on is not None and done_on is not None and done_on > due_on:
        return f" (late by {(done_on - due_on).days} days)"
    return ""


def _duty(case: Case, as_of: date, key: str, title: str, sources: Sequence[str], discharged_by: str, *,
          trigger_on: date | None, due_on: date | None, done_on: date | None, detail: str = "") -> Duty:
    return Duty(
        case_id=case.case_id, duty=key, title=title, sources=tuple(sources),
        status=_status(due_on, done_on, as_of), trigger_on=trigger_on, due_on=due_on, done_on=done_on,
        discharged_by=discharged_by, detail=detail + _late(due_on, done_on),
    )


def _not_applicable(case: Case, key: str, title: str, sources: Sequence[str], discharged_by: str, why: str) -> Duty:
    return Duty(case_id=case.case_id, duty=key, title=title, sources=tuple(sources),
                status=DutyStatus.NOT_APPLICABLE, discharged_by=discharged_by, detail=why)


def _first_on_or_after(days: Iterable[date], start: date) -> date | None:
    """The first discharge on or after the trigger; one late act discharges every earlier open
    trigger too (he was enabled to write, the Bureau was told), late."""
    return min((day for day in days if day >= start), default=None)


def _notices(case: Case, about: str) -> list[date]:
    return [f.occurred_on for f in case.notifications if _about(f) == about]


def _about(f: Fact[Notified]) -> str:
    return f.event.about


# --- GC III Art 70: the capture card ----------------------------------------------------------


def capture_cards(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """Art 70: "Immediately upon capture, or not more than one week after arrival at a camp, even if
    it is a transit camp, likewise in case of sickness or transfer to hospital or another camp", he
    "shall be enabled to write" a capture card. A card offered, sent or declined discharges it:
    the duty is to enable him, and he may decline (R3)."""
    title, sources, by = "Capture card", ("GC3-70",), "capture-card (offered, sent or declined)"
    if case.capture is None:
        yield _not_applicable(case, "capture_card", title, sources, by, "no capture recorded")
        return
    triggers: list[tuple[date, str]] = []
    arrived = False
    for move in case.custody:
        if not arrived and move.event.kind not in _CAMPS:
            triggers.append((move.occurred_on, f"moved to {move.event.kind.value.replace('_', ' ')}"))
            continue
        triggers.append((move.occurred_on, "arrival at a camp" if not arrived else f"moved to {move.event.kind.value.replace('_', ' ')}"))
        arrived = True
    if not triggers:
        triggers.append((case.capture.occurred_on, "capture (no arrival at a camp recorded)"))
    cards = [f.occurred_on for f in case.capture_cards]
    days = rulebook.integer("capture_card_deadline_days", as_of)
    for start, what in triggers:
        done = _first_on_or_after(cards, start)
        yield _duty(case, as_of, "capture_card", title, sources, by, trigger_on=start,
                    due_on=start + timedelta(days=days), done_on=done, detail=f"after {what}")


# --- GC III Art 122: the Information Bureau ---------------------------------------------------


def particulars(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """Art 122: his particulars forwarded "within the shortest possible period" (R4); the
    treaty sets no number, the target is `bureau_notice_target_days`."""
    title, sources, by = "Particulars forwarded", ("GC3-122",), "notification about=particulars (sent or withheld)"
    if case.capture is None:
        yield _not_applicable(case, "particulars", title, sources, by, "no capture recorded")
        return
    start = case.capture.occurred_on
    due = start + timedelta(days=rulebook.integer("bureau_notice_target_days", as_of))
    yield _duty(case, as_of, "particulars", title, sources, by, trigger_on=start, due_on=due,
                done_on=_first_on_or_after(_notices(case, "particulars"), start))


def _notice_triggers(case: Case) -> dict[str, list[date]]:
    triggers: dict[str, list[date]] = {about: [] for about, _ in _NOTICE_KINDS}
    arrived = False
    for move in case.custody:
        if move.event.kind is PlaceKind.HOSPITAL:
            triggers["hospital"].append(move.occurred_on)
        elif arrived:
            triggers["transfer"].append(move.occurred_on)
        arrived = arrived or move.event.kind in _CAMPS
    for transfer in case.transfers:
        kind = transfer.event.kind
        key = "release" if kind is TransferKind.RELEASE else "repatriation" if kind in _REPATRIATING else "transfer"
        triggers[key].append(transfer.occurred_on)
    if case.status.value in ("escaped", "died") and case.status_since is not None:
        triggers["escape" if case.status.value == "escaped" else "death"].append(case.status_since)
    return triggers


def notices(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """Art 122: the Bureau is informed of transfers, releases, repatriations, escapes, admissions
    to hospital and deaths, each within `bureau_notice_target_days`."""
    days = rulebook.integer("bureau_notice_target_days", as_of)
    triggers = _notice_triggers(case)
    for about, title in _NOTICE_KINDS:
        key, by = f"notice_{about}", f"notification about={about} (sent or withheld)"
        if not triggers[about]:
            yield _not_applicable(case, key, title, ("GC3-122",), by, f"no {about} recorded")
            continue
        for start in triggers[about]:
            yield _duty(case, as_of, key, title, ("GC3-122",), by, trigger_on=start,
                        due_on=start + timedelta(days=days), done_on=_first_on_or_after(_notices(case, about), start))


def health_reports(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """Art 122: information on the state of health of seriously ill or seriously wounded
    prisoners, "every week if possible". Seriously ill or wounded: the latest medical finding
    places him in an Art 110 category; the duty lasts while he is held and so found."""
    title, sources, by = "Weekly health report", ("GC3-122", "GC3-110"), "notification about=health"
    serious = [f for f in case.medical if f.event.art110]
    latest = case.medical[-1] if case.medical else None
    if latest is None or not latest.event.art110 or not case.in_custody:
        why = "not found seriously ill or wounded" if not serious else "no longer seriously ill or wounded, or no longer held"
        yield _not_applicable(case, "health_report", title, sources, by, why)
        return
    since = latest.occurred_on
    for earlier in reversed(case.medical[:-1]):  # the start of the present spell of serious illness
        if not earlier.event.art110:
            break
        since = earlier.occurred_on
    interval = timedelta(days=rulebook.integer("health_report_interval_days", as_of))
    reports = sorted(d for d in _notices(case, "health") if d >= since)
    last = since
    for report in reports:
        if report > last + interval:  # a missed week stays visible as done late
            yield _duty(case, as_of, "health_report", title, sources, by, trigger_on=last,
                        due_on=last + interval, done_on=report)
        last = report
    yield _duty(case, as_of, "health_report", title, sources, by, trigger_on=last, due_on=last + interval,
                done_on=None, detail=f"seriously ill or wounded since {since}")


def death_certificate(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """Art 120: death certificates (Annex IV D) or certified lists forwarded "as rapidly as
    possible" to the Information Bureau, with date, place and cause of death and the grave."""
    title, sources, by = "Death certificate", ("GC3-120",), "notification about=death_certificate"
    if case.status.value != "died" or case.status_since is None:
        yield _not_applicable(case, "death_certificate", title, sources, by, "no death recorded")
        return
    start = case.status_since
    due = start + timedelta(days=rulebook.integer("death_certificate_target_days", as_of))
    yield _duty(case, as_of, "death_certificate", title, sources, by, trigger_on=start, due_on=due,
                done_on=_first_on_or_after(_notices(case, "death_certificate"), start))


# --- after the cessation of active hostilities (Art 118-119) ---------------------------------


def _cessation(context: Context | None, as_of: date) -> date | None:
    period = context.hostilities_on(as_of) if context else None
    return period.since if period is not None and period.state == "ceased" else None


def _held_until(case: Case, as_of: date) -> date:
    """The last day he was held: today if still held, else the day he left custody."""
    return as_of if case.in_custody or case.status_since is None else case.status_since


def proceedings_names(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> Iterator[Duty]:
    """Art 119: prisoners facing criminal proceedings for an indictable offence may be kept back
    after hostilities; the parties communicate to each other the names of those kept back."""
    title, sources, by = "Names of men kept back for proceedings", ("GC3-119",), "proceedings names_communicated=true"
    ceased = _cessation(context, as_of)
    kept = [f for f in case.proceedings if f.event.kind == "criminal" and f.event.detaining_power_holds
            and f.event.status in ("pending", "sentenced")]
    if ceased is None or not kept or not case.in_custody:
        yield _not_applicable(case, "proceedings_names", title, sources, by,
                              "hostilities not ceased" if ceased is None else "not kept back for criminal proceedings")
        return
    start = max(ceased, kept[0].occurred_on)
    done = next((f.occurred_on for f in case.proceedings if f.event.names_communicated), None)
    yield _duty(case, as_of, "proceedings_names", title, sources, by, trigger_on=start,
                due_on=start + timedelta(days=rulebook.integer("proceedings_names_target_days", as_of)), done_on=done)


def detention_reasons(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> Iterator[Duty]:
    """Art 118(1): "released and repatriated without delay after the cessation of active
    hostilities". Each period of `detention_reason_interval_days` that he is still held needs its
    own recorded reason, given within that period; the Eritrea-Ethiopia Claims Commission found an
    unexplained delay of about three months a breach (EECC-POW-2003)."""
    title, sources, by = "Reason recorded for continued detention", ("GC3-118", "EECC-POW-2003"), "detention-reason"
    ceased = _cessation(context, as_of)
    if ceased is None or case.capture is None:
        yield _not_applicable(case, "detention_reason", title, sources, by, "hostilities not ceased")
        return
    held_until = _held_until(case, as_of)
    if held_until < ceased:
        yield _not_applicable(case, "detention_reason", title, sources, by, "not held after the cessation of hostilities")
        return
    step = timedelta(days=rulebook.integer("detention_reason_interval_days", as_of))
    reasons = [f.occurred_on for f in case.detention_reasons]
    start, number = max(ceased, case.capture.occurred_on), 1
    while start <= held_until:
        end = start + step - timedelta(days=1)
        done = next((d for d in reasons if start <= d <= end), None)
        yield _duty(case, as_of, "detention_reason", title, sources, by, trigger_on=start, due_on=end,
                    done_on=done, detail=f"period {number}: {start} to {end}")
        start, number = end + timedelta(days=1), number + 1


def nnrc_clocks(case: Case, rulebook: Rulebook, as_of: date, context: Context | None, wish: Wish) -> Iterator[Duty]:
    """The 1953 NNRC terms (NNRC-11) as a dated policy yardstick, when a deployment switches them
    on: 90 days of explanations and 30 of a political conference, civilian status by day 120,
    and departure to a neutral country within 30 more days. Discharged by leaving custody."""
    sources, by = ("NNRC-11",), "transfer or release (he leaves custody)"
    rows = (("nnrc_civilian_status", "Civilian status (NNRC 1953 clock)", "civilian_status_day", 0),
            ("nnrc_neutral_departure", "Departure to a neutral country (NNRC 1953 clock)", "civilian_status_day", 1))
    ceased = _cessation(context, as_of)
    why = None
    if not rulebook.flag("nnrc_clocks_apply", as_of):
        why = "the policy does not apply these clocks"
    elif ceased is None:
        why = "hostilities not ceased"
    elif wish is Wish.WANTS_REPATRIATION:
        why = "he asks to go home"
    elif case.capture is None or _held_until(case, as_of) < ceased:
        why = "not held after the cessation of hostilities"
    for key, title, parameter, extra in rows:
        if why is not None or ceased is None:
            yield _not_applicable(case, key, title, sources, by, why or "")
            continue
        days = rulebook.integer(parameter, as_of) + extra * rulebook.integer("neutral_departure_days", as_of)
        left = None if case.in_custody else case.status_since
        detail = (f"explanations {rulebook.integer('nnrc_explanation_days', as_of)} days, conference "
                  f"{rulebook.integer('political_conference_days', as_of)} days, counted from {ceased}")
        yield _duty(case, as_of, key, title, sources, by, trigger_on=ceased, due_on=ceased + timedelta(days=days),
                    done_on=left, detail=detail)


# --- the free-will interviews (R21, R23) -----------------------------------------------------


def interviews(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """R21: interviews at least `reflection_days` apart; the next qualifying interview is possible
    from the end of the reflection period. The law sets no last day, so it is never overdue."""
    title, sources, by = "Next qualifying interview (after the reflection period)", ("ICRC-IRIQ-1999", "NNRC-11"), "interview"
    if not case.in_custody:
        yield _not_applicable(case, "next_interview", title, sources, by, "no longer held")
        return
    fw = assess_free_will(case, rulebook, as_of)
    if fw.status is FreeWillStatus.ESTABLISHED:
        last = max((i.held_on for i in fw.interviews if i.seq in fw.establishing), default=None)
        yield Duty(case_id=case.case_id, duty="next_interview", title=title, sources=sources, status=DutyStatus.DONE,
                   done_on=last, discharged_by=by, detail=f"wish established ({fw.wish.value})")
        return
    earliest = fw.next_interview_on
    yield Duty(case_id=case.case_id, duty="next_interview", title=title, sources=sources, status=DutyStatus.DUE,
               trigger_on=earliest, discharged_by=by,
               detail=f"possible from {earliest}; free will {fw.status.value}" if earliest else f"free will {fw.status.value}")


def handover_reconfirmation(case: Case, rulebook: Rulebook, as_of: date) -> Iterator[Duty]:
    """R23: before any handover he reconfirms in private at the point of departure. A decision
    to send him opens the duty; the handover's recorded reconfirmation discharges it. A handover
    recorded without one is overdue: it was missed."""
    title, sources, by = "Reconfirmation at the point of departure", ("GULF-1991", "NNRC-10"), "transfer with reconfirmation"
    sending = [f for f in case.decisions if f.event.disposition.value in ("D1", "D2", "D3", "D4", "D5")]
    if not rulebook.flag("reconfirm_at_handover", as_of):
        yield _not_applicable(case, "handover_reconfirmation", title, sources, by, "the policy does not require it")
        return
    if case.transfers:
        transfer = case.transfers[-1]
        if transfer.event.kind is TransferKind.RELEASE:
            yield _not_applicable(case, "handover_reconfirmation", title, sources, by, "released, not handed over")
            return
        confirmed = transfer.event.reconfirmation is not None
        yield Duty(case_id=case.case_id, duty="handover_reconfirmation", title=title, sources=sources,
                   status=DutyStatus.DONE if confirmed else DutyStatus.OVERDUE, trigger_on=transfer.occurred_on,
                   due_on=transfer.occurred_on, done_on=transfer.occurred_on if confirmed else None, discharged_by=by,
                   detail="reconfirmed in private" if confirmed else "handed over without a recorded reconfirmation")
        return
    if not sending or not case.in_custody:
        yield _not_applicable(case, "handover_reconfirmation", title, sources, by, "no handover decided")
        return
    yield Duty(case_id=case.case_id, duty="handover_reconfirmation", title=title, sources=sources, status=DutyStatus.DUE,
               trigger_on=sending[-1].occurred_on, discharged_by=by, detail="at the handover, before he leaves")


def deadlines(case: Case, rulebook: Rulebook, as_of: date, context: Context | None = None) -> tuple[Duty, ...]:
    """Every duty towards one prisoner as of a date; `case` folded up to `as_of`."""
    wish = assess_free_will(case, rulebook, as_of).wish if case.in_custody else Wish.NOT_ASKED
    return (
        *capture_cards(case, rulebook, as_of),
        *particulars(case, rulebook, as_of),
        *notices(case, rulebook, as_of),
        *health_reports(case, rulebook, as_of),
        *interviews(case, rulebook, as_of),
        *handover_reconfirmation(case, rulebook, as_of),
        *death_certificate(case, rulebook, as_of),
        *proceedings_names(case, rulebook, as_of, context),
        *detention_reasons(case, rulebook, as_of, context),
        *nnrc_clocks(case, rulebook, as_of, context, wish),
    )


DUTY_KEYS: tuple[str, ...] = (
    "capture_card", "particulars", *(f"notice_{about}" for about, _ in _NOTICE_KINDS), "health_report",
    "next_interview", "handover_reconfirmation", "death_certificate", "proceedings_names", "detention_reason",
    "nnrc_civilian_status", "nnrc_neutral_departure",
)
