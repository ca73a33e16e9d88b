"""The use cases of powcase: one method per command, the only layer that holds store and law.

Every write is one transaction: validate against the case's history, append, update the
projection. Nothing is written when any step refuses.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from powcase.app.determinations import (
    check_determinations,
    clear_determinations,
    decide_register,
    forget_determination,
)
from powcase.app.guard import check_history, check_imported
from powcase.domain.case import Case, fold
from powcase.domain.casefile import CASE_ID_PATTERN, CaseFile, Person, casefile_events, file_events
from powcase.domain.context import Context
from powcase.domain.events import DuplicateDecided, Erased, Event, RecordedEvent, Registered
from powcase.domain.text import STORED
from powcase.errors import (
    Conflict,
    IntegrityFailure,
    InvalidInput,
    KeyUnavailable,
    NotFound,
    NotPermitted,
)
from powcase.law import Rulebook, load_rulebook
from powcase.store.bulk import collector_paused, columns, insert_rows
from powcase.store.checkpoint import check_against, make_checkpoint
from powcase.store.eventstore import ChainBreak, EventStore, StoreTransaction
from powcase.store.projections import (
    find_by_service_number,
    owners_of_digests,
    service_number_digest,
    summary_row,
    upsert_summary,
)
from powcase.store.tables import case_summary
from powcase.store.witness import Witness
from powcase.sync import superseded
from powcase.sync.identity import FIELD, MADE_AT_HEADQUARTERS
from powcase.sync.state import (
    closed_duplicates,
    duplicate_cases,
    in_conflict,
    index_stays_with_other,
    own_role,
    withdrawn_here,
)

Progress = Callable[[int], None] | None
# Cases written per round trip in an import; all chunks share one transaction.
IMPORT_CHUNK = 500
SUMMARY_COLUMNS = columns(case_summary)

# Crockford's base32 without I, L, O, U: case ids are read aloud over radios and telephones.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@contextmanager
def _unique_service_numbers() -> Iterator[None]:
    """The summary's unique index is the last guard (e.g. a correction of a service number)."""
    try:
        yield
    except IntegrityError:
        raise InvalidInput("service_number: another prisoner of the same armed force has this service number") from None


def duplicate_of(history: Sequence[RecordedEvent]) -> str | None:
    """The case that holds this man, when headquarters decided this case registers him twice."""
    for rec in reversed(history):
        if isinstance(rec.event, DuplicateDecided) and rec.event.decision == "same":
            return rec.event.other_case_id
    return None


def _erased(history: Sequence[RecordedEvent]) -> bool:
    return any(r.type == "erased" for r in history)


def new_case_id() -> str:
    return "PW-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    nationality: str | None
    armed_force: str | None
    status: str
    place: str | None
    captured_on: date | None
    last_seq: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "nationality": self.nationality,
            "armed_force": self.armed_force,
            "status": self.status,
            "place": self.place,
            "captured_on": self.captured_on.isoformat() if self.captured_on else None,
            "events": self.last_seq,
        }


class Powcase:
    """The application: built once per process by :func:`powcase.app.bootstrap.open_powcase`."""

    def __init__(
        self,
        store: EventStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rulebook: Callable[[], Rulebook] = load_rulebook,
        context: Context | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self._rulebook_loader = rulebook
        self._rulebook: Rulebook | None = None
        self.context = context

    @property
    def rulebook(self) -> Rulebook:
        # Loaded on first use: listing cases should not pay for parsing the law.
        if self._rulebook is None:
            self._rulebook = self._rulebook_loader()
        return self._rulebook

    def today(self) -> date:
        return self.clock().date()

    # --- writing ------------------------------------------------------------------------------

    def register(self, person: Registered, actor: str, case_id: str | None = None) -> str:
        if case_id is not None and not re.fullmatch(CASE_ID_PATTERN, case_id):
            # The same rule as a case file's case_id: a case id ends up in file names and URLs.
            raise InvalidInput("case_id: 3 to 40 capital letters, digits and dashes, starting with a letter or digit (e.g. PW-7K2M9Q4B)")
        with self.store.begin() as tx:
            return self._create(tx, case_id or new_case_id(), [person], actor)

    def record(self, case_id: str, event: Event, actor: str, expected_seq: int | None = None) -> RecordedEvent:
        """Append one event. ``expected_seq`` (the last event the writer saw) guards against a
        stale writer; without it the event goes after whatever the case holds now."""
        if isinstance(event, Registered | Erased):
            raise InvalidInput(f"type: {event.type} is not recorded with `record`")
        with self.store.begin() as tx:
            history = tx.history(case_id)
            other = duplicate_of(history)
            if other is not None:
                raise NotPermitted(f"case {case_id}: closed, registered twice; the man's case is {other}: record it there")
            last = history[-1].seq
            seq = last if expected_seq is None else expected_seq
            return self._append(tx, case_id, history, seq, [event], actor)[-1]

    def import_casefiles(self, files: Sequence[CaseFile], actor: str, progress: Progress = None) -> list[str]:
        """Import case files all or nothing: one transaction for the lot, written in chunks."""
        ids = [cf.case_id or new_case_id() for cf in files]
        seen: set[str] = set()
        for case_id in ids:
            if case_id in seen:
                raise InvalidInput(f"case_id: case {case_id} appears twice in the import")
            seen.add(case_id)
        # The collector off for the batch: it builds many objects and frees none until the end.
        with collector_paused(), self.store.begin() as tx:
            for start in range(0, len(files), IMPORT_CHUNK):
                chunk = list(zip(ids[start : start + IMPORT_CHUNK], files[start : start + IMPORT_CHUNK], strict=True))
                self._create_many(tx, [(case_id, casefile_events(cf)) for case_id, cf in chunk], actor)
                if progress:
                    progress(len(chunk))
        return ids

    def _create_many(self, tx: StoreTransaction, cases: list[tuple[str, list[Event]]], actor: str) -> None:
        existing = tx.existing([case_id for case_id, _ in cases])
        if existing:
            raise InvalidInput(f"case_id: case {existing[0]} exists already")
        now = self.clock()
        folded = []
        people: list[tuple[str, Registered]] = []
        for case_id, events in cases:
            first = events[0] if events else None
            if not isinstance(first, Registered):
                raise InvalidInput(f"case {case_id}: a case starts with its registration")
            people.append((case_id, first))
            recorded = self._recorded(case_id, [], events, actor, now)
            folded.append(fold(recorded))
            check_imported(case_id, recorded)
            self._guard(recorded, 1)
        self._check_service_numbers(tx, people)
        tx.create_cases(cases, actor, now)
        rows = [
            summary_row(case, self.store.master_key, max(ev.occurred_on for ev in events))
            for case, (_, events) in zip(folded, cases, strict=True)
        ]
        with _unique_service_numbers():
            insert_rows(tx.conn, case_summary, [tuple(r[name] for name in SUMMARY_COLUMNS) for r in rows])

    def _recorded(
        self, case_id: str, history: list[RecordedEvent], events: Sequence[Event], actor: str, now: datetime
    ) -> list[RecordedEvent]:
        """The history as it will be once these events are appended; refuses what contradicts it."""
        if any(r.type == "erased" for r in history):
            raise KeyUnavailable(f"case {case_id} was erased; nothing more can be recorded")
        today = now.date()
        for ev in events:
            if ev.occurred_on > today:
                raise InvalidInput(f"occurred_on: {ev.occurred_on} is in the future ({ev.type})")
        if any(isinstance(ev, Registered) for ev in events[0 if history else 1 :]):
            raise InvalidInput("type: a case is registered once")
        last = history[-1].seq if history else 0
        preview = [
            RecordedEvent(case_id, last + i, ev.type, ev.occurred_on, now, actor, ev)
            for i, ev in enumerate(events, start=1)
        ]
        return [*history, *preview]

    def erase(self, case_id: str, reason: str, actor: str, copies: Sequence[str] | None = None) -> list[str]:
        """Crypto-shred a case: destroy its data key, keep its history and hashes.

        A man registered twice is erased whole: every case closed as registering him again (his
        copies: :meth:`erasable`) is erased with his case, in the same transaction, under the same
        reason and the same two people; their facts were carried onto his case, so erasing his case
        alone would leave them readable. A copy alone is refused: it names the case to erase (see
        docs/data-protection.md). ``copies``, when given, are the copies the caller authorised:
        a copy closed since is refused, not erased unchecked. Returns the cases erased, his first."""
        with self.store.begin() as tx:
            history = tx.history(case_id)
            if _erased(history):
                raise InvalidInput(f"case {case_id} was erased already")
            found = self._erasable(tx, case_id)
            if copies is not None and sorted(copies) != found:
                raise Conflict(f"case {case_id}: the cases closed as registering him twice changed; nothing erased, try again")
            erased = [case_id, *found]
            for erasing in erased:
                before = tx.history(erasing)
                self._append(tx, erasing, before, before[-1].seq, [Erased(occurred_on=self.today(), reason=reason)], actor)
                tx.destroy_case_key(erasing)
                upsert_summary(tx.conn, summary_row(fold(tx.history(erasing)), self.store.master_key, self.today()))
            return erased

    def erasable(self, case_id: str) -> list[str]:
        """The copies an erasure of this case takes with it; refused for a copy (see :meth:`erase`)."""
        with self.store.begin() as tx:
            if not tx.exists(case_id):
                raise NotFound(f"no case {case_id}")
            return self._erasable(tx, case_id)

    def _erasable(self, tx: StoreTransaction, case_id: str) -> list[str]:
        holder = self._holder(tx, case_id)
        if holder is not None:
            raise NotPermitted(f"case {case_id}: closed, registered twice; erase {holder}: "
                               "it holds his record and erasing it erases this copy too")
        return self._copies(tx, case_id)

    def _copies(self, tx: StoreTransaction, case_id: str) -> list[str]:
        """The cases closed as registering this man twice, at any remove (a copy of a copy)."""
        closed = closed_duplicates(tx.conn)
        found: list[str] = []
        wanted = [case_id]
        while wanted:
            holder = wanted.pop()
            for copy, its_holder in sorted(closed.items()):
                if its_holder == holder and copy not in found and copy != case_id:
                    found.append(copy)
                    wanted.append(copy)
        # Through a copy erased on its own before this rule (its key is gone) to the copies closed into it.
        return sorted(copy for copy in found if not _erased(tx.history(copy)))

    def _holder(self, tx: StoreTransaction, case_id: str) -> str | None:
        """The case that holds the man when this one is a copy whose erasure must go through it:
        None when it is no copy, or when his case was erased already (then the copy left readable
        by an erasure from before this rule is erased on its own). Follows a copy of a copy."""
        holder, seen = duplicate_of(tx.history(case_id)), {case_id}
        while holder is not None and holder not in seen:
            if not tx.exists(holder):
                return holder  # held at headquarters only: erased there, the erasure reaches this office
            history = tx.history(holder)
            if _erased(history):
                return None
            seen.add(holder)
            further = duplicate_of(history)
            if further is None:
                return holder
            holder = further
        return holder

    def append_within(
        self, tx: StoreTransaction, case_id: str, history: list[RecordedEvent], events: Sequence[Event], actor: str
    ) -> list[RecordedEvent]:
        """Append inside a transaction the caller holds (an exchange writes many cases at once)."""
        return self._append(tx, case_id, history, history[-1].seq, events, actor)

    def _create(self, tx: StoreTransaction, case_id: str, events: Sequence[Event], actor: str) -> str:
        self._create_many(tx, [(case_id, list(events))], actor)
        return case_id

    def _append(
        self, tx: StoreTransaction, case_id: str, history: list[RecordedEvent], expected_seq: int,
        events: Sequence[Event], actor: str,
    ) -> list[RecordedEvent]:
        now = self.clock()
        # With a stale expected_seq the store reports the conflict; check only what will stand.
        last = history[-1].seq if history else 0
        current = expected_seq == last
        case = None
        taken = withdrawn_here(tx.conn, case_id)
        if taken:
            raise NotPermitted(f"case {case_id}: taken back by headquarters on {taken[case_id][:10]} (need-to-know: this office "
                               "no longer holds him); nothing more is recorded here")
        if any(ev.type == "transferred" for ev in events) and in_conflict(tx.conn, case_id):
            raise NotPermitted(
                f"case {case_id}: two offices recorded different histories of this case since their last sync; "
                "no transfer until a legal officer resolves the conflict (`powcase sync conflicts`)"
            )
        made_here = next((ev.type for ev in events if ev.type in MADE_AT_HEADQUARTERS), None)
        if made_here is not None and own_role(tx.conn) == FIELD:
            raise NotPermitted(f"case {case_id}: {MADE_AT_HEADQUARTERS[made_here]} is made at headquarters, "
                               "not at a field office; it reaches this office by sync")
        other = duplicate_of(history) if any(ev.type == "transferred" for ev in events) else None
        if other is not None:
            raise NotPermitted(f"case {case_id}: closed, registered twice; the man's case is {other}: no transfer of this case")
        if current:
            resulting = self._recorded(case_id, history, events, actor, now)
            case = fold(resulting)
            # The execution guard, on the one path every append takes: the resulting history
            # is checked as a whole before anything is written (ARCHITECTURE 1, app/guard.py).
            self._guard(resulting, last + 1)
        written = tx.append(case_id, expected_seq, events, actor, now)
        forget_determination(tx.conn, case_id)
        row = summary_row(case or fold([*history, *written]), self.store.master_key, max(r.occurred_on for r in [*history, *written]))
        with _unique_service_numbers():
            upsert_summary(tx.conn, index_stays_with_other(tx.conn, row))
        return written

    def _guard(self, resulting: list[RecordedEvent], first_new: int) -> None:
        # Only a history with a transfer or a correction has anything for the guard to decide;
        # registering and listing should not pay for parsing the law.
        if any(rec.type in ("transferred", "corrected") for rec in resulting):
            check_history(resulting, first_new, self.rulebook, self.context)

    def _check_service_numbers(self, tx: StoreTransaction, people: Sequence[tuple[str, Registered]]) -> None:
        """A service number is unique within one armed force, in the store and in the batch."""
        keyed = [
            (case_id, person, (person.armed_force, service_number_digest(self.store.master_key, person.armed_force, person.service_number)))
            for case_id, person in people
            if person.service_number
        ]
        owners = owners_of_digests(tx.conn, [key for _, _, key in keyed]) if keyed else {}
        for case_id, person, key in keyed:
            other = owners.get(key)
            if other is not None and other != case_id:
                raise InvalidInput(
                    f"service_number: case {other} already has this service number in the armed force {person.armed_force}"
                )
            owners[key] = case_id

    # --- reading ------------------------------------------------------------------------------

    def history(self, case_id: str) -> list[RecordedEvent]:
        with self.store.begin() as tx:
            return tx.history(case_id)

    def case(self, case_id: str, as_of: date | None = None) -> Case:
        return fold(self.history(case_id), as_of)

    def list_cases(
        self, nationality: str | None = None, place: str | None = None, status: str | None = None
    ) -> list[CaseSummary]:
        # Filtered here, not in SQL: every row is checked against the witness first, so that a
        # status edited in the database neither shows nor hides a case (store/summaries.py).
        with self.store.begin() as tx:
            rows = tx.summaries()
        return [
            CaseSummary(r["case_id"], r["nationality"], r["armed_force"], r["status"], r["place"], r["captured_on"], r["last_seq"])
            for r in rows
            if (not nationality or r["nationality"] == nationality.upper())
            and (not place or r["place"] == place)
            and (not status or r["status"] == status)
        ]

    def find_service_number(self, armed_force: str, service_number: str) -> str | None:
        digest = service_number_digest(self.store.master_key, armed_force.upper(), service_number)
        with self.store.begin() as tx:
            return find_by_service_number(tx.conn, digest, armed_force.upper())

    def export(self, case_id: str) -> dict[str, Any]:
        """The case as a case file: the person and his events as recorded, corrections included,
        without the register's own bookkeeping of its offices (:func:`file_events`). A case closed
        as registering a man twice is refused: it names his case."""
        history = self.history(case_id)
        if any(r.event is None for r in history) or _erased(history):
            raise KeyUnavailable(f"case {case_id} was erased; it cannot be exported")
        holder = duplicate_of(history)
        if holder is not None:  # a stale copy: his record is the case his facts were carried onto
            raise NotPermitted(f"case {case_id}: closed, registered twice; the man's case is {holder}: export {holder}")
        first = history[0].event
        if not isinstance(first, Registered):
            raise NotFound(f"case {case_id} has no registration")
        # Read as stored: a registration from before today's rules at the door still exports.
        person = Person.model_validate(first.model_dump(exclude={"type"}), context=STORED)
        return {
            "case_id": case_id,
            "person": person.model_dump(mode="json", exclude_none=True, exclude={"type"}),
            "events": [event.model_dump(mode="json", exclude_none=True) for event in file_events(history)],
        }

    # --- integrity ----------------------------------------------------------------------------

    def verify(self, progress: Progress = None) -> list[ChainBreak]:
        with self.store.begin() as tx:
            return tx.verify(progress) + check_determinations(tx) + superseded.problems(tx.conn)

    def checkpoint(self) -> dict[str, Any]:
        """The store's heads for the neutral intermediary; only from a store that verifies."""
        breaks = self.verify()
        if breaks:
            raise IntegrityFailure(f"{breaks[0]}; the store does not verify, no checkpoint made; run `powcase audit verify`")
        with self.store.begin() as tx:
            return make_checkpoint(tx, self.clock())

    def check_against(self, checkpoint: dict[str, Any]) -> tuple[list[ChainBreak], bool]:
        with self.store.begin() as tx:
            unsound = {b.case_id for b in superseded.problems(tx.conn)}
            reached = {head for head in superseded.heads(tx.conn) if head[0] not in unsound}
            return check_against(tx, checkpoint, reached)

    def init_witness(self) -> int:
        """Create the witness of a store that has none, from the store as it is now, after
        verifying every chain and recomputing the summary. Returns the number of cases."""
        witness = self.store.witness
        if witness is None:
            raise InvalidInput("no witness file is configured (POWCASE_WITNESS)")
        if witness.exists():
            raise InvalidInput(f"{witness.path}: a witness exists already; it would be lost if replaced")
        bare = Powcase(EventStore(self.store.engine, self.store.master_key), self.clock)
        breaks = bare.verify()
        if breaks:
            raise IntegrityFailure(f"{breaks[0]}; the store does not verify, no witness made")
        bare.rebuild()
        with bare.store.begin() as tx:
            entries = tx.witness_entries()
        Witness.create(witness.path, self.store.master_key, entries)
        return len(entries)

    def count_cases(self) -> int:
        with self.store.begin() as tx:
            return len(tx.case_ids())

    def rebuild(self, progress: Progress = None) -> int:
        """Recompute the case summary from the events alone, in one transaction."""
        count = 0
        with self.store.begin() as tx:
            tx.conn.execute(case_summary.delete())
            rows = []
            for history in tx.histories():
                rows.append(summary_row(fold(history), self.store.master_key, max(r.occurred_on for r in history)))
                count += 1
                if progress:
                    progress(1)
            # A case from a field office for a man held here under another case has no service-number
            # digest while it has his service number: the index stays the other case's.
            arrived = duplicate_cases(tx.conn)
            held = {(r["armed_force"], r["service_number_digest"]) for r in rows if r["case_id"] not in arrived}
            for row in rows:
                if row["case_id"] in arrived and (row["armed_force"], row["service_number_digest"]) in held:
                    row["service_number_digest"] = None
            if rows:
                tx.conn.execute(case_summary.insert(), rows)
            tx.refresh_witness_summaries()
            clear_determinations(tx.conn)
        # The projection of determinations is made again as of today, under the rulebook and context in force.
        for _ in decide_register(self.store, self.rulebook, self.today(), self.context):
            pass
        return count
