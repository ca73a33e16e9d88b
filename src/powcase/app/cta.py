"""The list for the Central Tracing Agency (GC III Art 122-123): particulars and notices since a date.

One row per notice, one column per Art 122(4) field (docs/cta-list.md), names in the script they
were recorded in and in Latin letters. The list leaves only through the sharing gate: the office
records a disclosure on every case on it, and leaves off every man for whom withholding is
recorded or proposed (a real risk on return: what reaches his own state could harm him or his
relatives, Art 123). Those go to a separate report that stays in the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from powcase.domain.case import Case
from powcase.domain.events import DisclosableField
from powcase.domain.values import PersonName, PlaceKind, TransferKind
from powcase.exchange.export import Table
from powcase.tracing.cyrillic import looks_ukrainian, transliterate
from powcase.tracing.hangul import is_hangul
from powcase.tracing.korean import romanize_dprk

COLUMNS: tuple[str, ...] = (
    "case_id", "notice", "notice_date", "family_name", "family_name_latin", "given_names", "given_names_latin",
    "father_first_name", "father_first_name_latin", "mother_maiden_name", "birth_date", "birth_place", "rank",
    "service_number", "power_of_dependence", "person_to_inform", "correspondence_address", "place", "details",
    "disclosure_id",
)

# What the disclosure names: the fields the rows carry, nothing more.
CTA_FIELDS: list[DisclosableField] = [
    "family_name", "given_names", "patronymic", "birth_date", "rank", "service_number", "armed_force",
    "captured_on", "capture_place", "status", "place_of_internment", "date_of_death",
]

WITHHELD_COLUMNS: tuple[str, ...] = ("case_id", "notices_left_off", "why")

RECIPIENT = "ICRC Central Tracing Agency"
LEGAL_BASIS = "GC III Art 122 and 123: particulars and notices to the Central Prisoners of War Information Agency"


def latin(name: PersonName | None) -> str:
    """The Latin form as recorded, else a romanisation of the native form (DPRK 1992 for Hangul,
    the national or ICAO system for Ukrainian or Russian Cyrillic)."""
    if name is None:
        return ""
    if name.latin:
        return name.latin
    native = name.native or ""
    if any(is_hangul(ch) for ch in native):
        return romanize_dprk(native)
    return transliterate(native, "ukr2010" if looks_ukrainian(native) else "icao-ru")


@dataclass(frozen=True)
class Notice:
    kind: str  # particulars, transfer, hospital, release, repatriation, escape, death
    on: date
    place: str
    details: str


def notices_since(case: Case, since: date) -> list[Notice]:
    """Every Art 122 notice about him dated on or after `since`, in date order."""
    found: list[Notice] = []
    if case.capture is not None and case.capture.occurred_on >= since:
        found.append(Notice("particulars", case.capture.occurred_on, case.capture.event.place, "captured"))
    arrived = False
    for move in case.custody:
        kind = "hospital" if move.event.kind is PlaceKind.HOSPITAL else "transfer" if arrived else None
        arrived = arrived or move.event.kind in (PlaceKind.CAMP, PlaceKind.TRANSIT_CAMP)
        if kind and move.occurred_on >= since:
            found.append(Notice(kind, move.occurred_on, move.event.place, move.event.kind.value.replace("_", " ")))
    for transfer in case.transfers:
        ev = transfer.event
        if transfer.occurred_on >= since:
            kind = "release" if ev.kind is TransferKind.RELEASE else "repatriation" if ev.kind in (
                TransferKind.REPATRIATION, TransferKind.EXCHANGE, TransferKind.DIRECT_REPATRIATION) else "transfer"
            found.append(Notice(kind, transfer.occurred_on, ev.to_state or "", ev.kind.value.replace("_", " ")))
    if case.status.value in ("escaped", "died") and case.status_since and case.status_since >= since:
        found.append(Notice("escape" if case.status.value == "escaped" else "death", case.status_since, case.place or "", ""))
    return sorted(found, key=lambda n: n.on)


def rows_for(case: Case, notices: list[Notice], disclosure_id: str) -> list[tuple[str, ...]]:
    ident = case.identity
    if ident is None:
        return []
    common = {
        "family_name": ident.family_name.native or ident.family_name.latin or "",
        "family_name_latin": latin(ident.family_name),
        "given_names": ident.given_names.native or ident.given_names.latin or "",
        "given_names_latin": latin(ident.given_names),
        "father_first_name": (ident.patronymic.native or ident.patronymic.latin or "") if ident.patronymic else "",
        "father_first_name_latin": latin(ident.patronymic),
        "mother_maiden_name": "",  # not asked: Art 17 does not require it, and it is family data (R2)
        "birth_date": ident.birth_date.isoformat() if ident.birth_date else "",
        "birth_place": "",
        "rank": ident.rank or "",
        "service_number": ident.service_number or "",
        "power_of_dependence": ident.power_of_dependence or ident.armed_force,
        "person_to_inform": "",  # family data leaves only by his own capture card, never in a list
        "correspondence_address": case.place or "",
    }
    return [
        tuple({"case_id": case.case_id, "notice": n.kind, "notice_date": n.on.isoformat(), **common,
               "place": n.place, "details": n.details, "disclosure_id": disclosure_id}[column] for column in COLUMNS)
        for n in notices
    ]


@dataclass(frozen=True)
class Withheld:
    case_id: str
    notices: int
    why: str


@dataclass(frozen=True)
class CtaList:
    since: date
    disclosure_id: str | None
    table: Table
    withheld: Table


def withheld_table(lines: list[Withheld]) -> Table:
    return Table(title="Withheld (stays in the bureau)", columns=WITHHELD_COLUMNS,
                 rows=tuple((w.case_id, str(w.notices), w.why) for w in lines))
