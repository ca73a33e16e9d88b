"""Tracing over the register: the name index is built in memory, inside this process, from
names decrypted with the master key (docs/tracing.md, option A); nothing about names is stored
in clear or as a searchable hash.

A record the index cannot read (a case whose history does not fold, a name in a script tracing
does not know, a value stored before today's checks at the door) is left out and its case id
reported with the answer: one bad record never stops tracing for everyone.
"""

from __future__ import annotations

from powcase.domain.case import fold
from powcase.domain.events import Registered
from powcase.domain.text import searchable
from powcase.errors import PowcaseError
from powcase.store.eventstore import EventStore
from powcase.sync.state import withdrawn_here
from powcase.tracing import MatchResult, NameIndex, RegisterEntry
from powcase.tracing.parse import UnusableName, check_text


def _readable(native: str | None, latin: str | None) -> str:
    """The form tracing can read: his own script where it can, else the Latin form (a name in
    Han or Arabic script with a Latin form is still found by its Latin form)."""
    for form in (native, latin):
        if form:
            try:
                check_text(form)
            except UnusableName:
                continue
            return form
    return native or latin or ""


def register_entry(case_id: str, person: Registered) -> RegisterEntry:
    """One entry per case, in his own script where it was recorded: the keys are built from the
    original, so every transliteration of it can be found."""
    patronymic = person.patronymic
    return RegisterEntry(
        id=case_id,
        family_name=_readable(person.family_name.native, person.family_name.latin),
        given_name=_readable(person.given_names.native, person.given_names.latin),
        patronymic=_readable(patronymic.native, patronymic.latin) if patronymic else None,
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        language=person.languages[0] if person.languages else None,
    )


def build_name_index(store: EventStore) -> NameIndex:
    """The index over every readable case; ``skipped`` lists the case ids left out. At a field
    office, a case headquarters took back is not in the register at all (neither indexed nor
    reported unreadable: nothing of him is this office's to find)."""
    entries: list[RegisterEntry] = []
    unreadable: list[str] = []
    with store.begin() as tx:
        taken = withdrawn_here(tx.conn)
        for history in tx.histories(unreadable.append):
            if history[0].case_id in taken:
                continue
            try:
                case = fold(history)
            except PowcaseError:
                unreadable.append(history[0].case_id)
                continue
            if case.identity is not None:
                entries.append(register_entry(case.case_id, case.identity))
    index = NameIndex(entries, skip_unusable=True)
    index.skipped = sorted({*unreadable, *index.skipped} - taken.keys())
    return index


def search(store: EventStore, name: str, born: str | None, top: int) -> MatchResult:
    return build_name_index(store).search(searchable(name), born, top=top, query_id="search")


def possible_duplicates(store: EventStore, person: Registered) -> MatchResult:
    """Who in the register this new person might already be."""
    entry = register_entry("new", person)
    full = " ".join(p for p in (entry.family_name, entry.given_name, entry.patronymic) if p)
    return build_name_index(store).search(full, entry.birth_date, top=5, query_id="duplicate-check")
