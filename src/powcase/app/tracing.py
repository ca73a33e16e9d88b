"""Tracing over the register: the name index is built in memory, inside this process, from
names decrypted with the master key (docs/tracing.md, option A); nothing about names is stored
in clear or as a searchable hash."""

from __future__ import annotations

from powcase.domain.case import fold
from powcase.domain.events import Registered
from powcase.store.eventstore import EventStore
from powcase.tracing import MatchResult, NameIndex, RegisterEntry


def register_entry(case_id: str, person: Registered) -> RegisterEntry:
    """One entry per case, in his own script where it was recorded: the keys are built from the
    original, so every transliteration of it can be found."""

    def form(native: str | None, latin: str | None) -> str:
        return native or latin or ""

    patronymic = person.patronymic
    return RegisterEntry(
        id=case_id,
        family_name=form(person.family_name.native, person.family_name.latin),
        given_name=form(person.given_names.native, person.given_names.latin),
        patronymic=form(patronymic.native, patronymic.latin) if patronymic else None,
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        language=person.languages[0] if person.languages else None,
    )


def build_name_index(store: EventStore) -> NameIndex:
    entries: list[RegisterEntry] = []
    with store.begin() as tx:
        for history in tx.histories():
            case = fold(history)
            if case.identity is not None:
                entries.append(register_entry(case.case_id, case.identity))
    return NameIndex(entries)


def search(store: EventStore, name: str, born: str | None, top: int) -> MatchResult:
    return build_name_index(store).search(name, born, top=top, query_id="search")


def possible_duplicates(store: EventStore, person: Registered) -> MatchResult:
    """Who in the register this new person might already be."""
    entry = register_entry("new", person)
    full = " ".join(p for p in (entry.family_name, entry.given_name, entry.patronymic) if p)
    return build_name_index(store).search(full, entry.birth_date, top=5, query_id="duplicate-check")
