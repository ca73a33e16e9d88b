"""The event store: append-only, encrypted, hash-chained case histories.

Every write happens inside one :class:`StoreTransaction`; a failure anywhere rolls back all of
it, so an import that crashes half-way leaves the store as it was.
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from powcase.domain.case import fold
from powcase.domain.events import Event, RecordedEvent
from powcase.errors import Conflict, IntegrityFailure, KeyUnavailable, NotFound, PowcaseError
from powcase.store import codec
from powcase.store.bulk import insert_rows, select_rows
from powcase.store.crypto import MasterKey, Sealer, new_data_key
from powcase.store.projections import summary_row
from powcase.store.summaries import fingerprint
from powcase.store.tables import case_keys, case_summary, chain_heads, events, store_head
from powcase.store.witness import Entry, Head, Move, Witness, missing_message

# Cases checked against their anchors per round trip in a walk over the whole register.
_CHECK_BATCH = 500


@dataclass(frozen=True)
class ChainBreak:
    """A place where stored history does not match its chain. Names the case and event only."""

    case_id: str | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"case {self.case_id}" if self.case_id else "store"
        if self.seq is not None:
            where += f" event {self.seq}"
        return f"{where}: {self.problem}"


class EventStore:
    """The store. With a ``witness`` (every store opened by powcase has one), every read, decision
    and write checks each case's head against the witness outside the database as well."""

    def __init__(self, engine: Engine, master_key: MasterKey, witness: Witness | None = None) -> None:
        self.engine = engine
        self.master_key = master_key
        self.witness = witness
        self._sealers: dict[str, Sealer] = {}

    @contextmanager
    def begin(self) -> Iterator[StoreTransaction]:
        """One transaction. The heads it moves are staged in the witness just before the commit
        and confirmed just after it (see :mod:`powcase.store.witness` on a crash in between)."""
        moves: list[Move] = []
        try:
            with self.engine.begin() as conn:
                tx = StoreTransaction(self, conn)
                yield tx
                moves = tx.stage_witness()
        except BaseException:
            if moves and self.witness is not None:
                with suppress(Exception):  # the staged heads are harmless; dropping them is tidiness
                    self.witness.abandon(self.master_key, moves)
            raise
        if moves and self.witness is not None:
            # Committed. Should confirming fail, the staged heads are accepted and confirmed by the
            # next read of those cases: the write stands either way.
            with suppress(OSError, sqlite3.Error, IntegrityFailure):
                self.witness.confirm(self.master_key, moves)

    def forget_all_keys(self) -> None:
        self._sealers.clear()

    def forget_key(self, case_id: str) -> None:
        self._sealers.pop(case_id, None)

    def head_mac(self, case_id: str, seq: int, hash_: str) -> str:
        return self.master_key.blind_index("chain-head", f"{case_id}|{seq}|{hash_}")

    def count_mac(self, count: int) -> str:
        return self.master_key.blind_index("store-head", str(count))


class StoreTransaction:
    """One unit of work against the store."""

    def __init__(self, store: EventStore, conn: Connection) -> None:
        self.store = store
        self.conn = conn
        # case id -> (head found, head written) for the witness: first old, last new.
        self._moves: dict[str, tuple[int, str, int, str]] = {}

    # --- keys ---------------------------------------------------------------------------------

    def create_case_key(self, case_id: str) -> None:
        key = new_data_key()
        mk = self.store.master_key
        self.conn.execute(
            insert(case_keys).values(case_id=case_id, wrapped_key=mk.wrap(key, case_id), master_key_id=mk.key_id)
        )
        self.store._sealers[case_id] = Sealer(key)

    def sealer(self, case_id: str) -> Sealer | None:
        """The case's sealer, or None when its key was destroyed."""
        cached = self.store._sealers.get(case_id)
        if cached is not None:
            return cached
        wrapped = self.conn.execute(select(case_keys.c.wrapped_key).where(case_keys.c.case_id == case_id)).scalar()
        if wrapped is None:
            return None
        sealer = Sealer(self.store.master_key.unwrap(wrapped, case_id))
        self.store._sealers[case_id] = sealer
        return sealer

    def histories(self, unreadable: Callable[[str], None] | None = None) -> Iterator[list[RecordedEvent]]:
        """Every case's decoded history, one case at a time: the walk over the whole register
        that determinations, tracing, planning, retention and rebuilds share. Each case is
        checked against its anchors as a single read is; at the end, no case the witness
        records may be missing.

        With ``unreadable``, a case whose stored values cannot be decoded (a value that no longer
        validates) is passed over and its id handed to it, so that a walk serving everyone
        (tracing, planning) is not stopped by one record; without it, the error stands. A case
        that fails its integrity check stops the walk either way: tampering is never skipped."""
        self.load_all_keys()
        batch: list[list[codec.Row]] = []
        seen = 0
        for rows in self.all_rows():
            batch.append(rows)
            if len(batch) >= _CHECK_BATCH:
                checked, recorded = self._checked_batch(batch)
                seen += recorded
                yield from self._decoded(checked, unreadable)
                batch = []
        if batch:
            checked, recorded = self._checked_batch(batch)
            seen += recorded
            yield from self._decoded(checked, unreadable)
        self._none_removed(seen)

    def _decoded(
        self, checked: list[list[codec.Row]], unreadable: Callable[[str], None] | None
    ) -> Iterator[list[RecordedEvent]]:
        for rows in checked:
            try:
                history = self.decode(rows, checked=True)
            except (PowcaseError, ValueError):
                if unreadable is None:
                    raise
                unreadable(rows[0].case_id)
                continue
            yield history

    def load_all_keys(self) -> None:
        """Unwrap every case key at once, before a pass over the whole store."""
        for case_id, wrapped in self.conn.execute(select(case_keys.c.case_id, case_keys.c.wrapped_key)):
            if case_id not in self.store._sealers:
                self.store._sealers[case_id] = Sealer(self.store.master_key.unwrap(wrapped, case_id))

    def destroy_case_key(self, case_id: str) -> None:
        self.conn.execute(delete(case_keys).where(case_keys.c.case_id == case_id))
        self.store.forget_key(case_id)

    # --- reading ------------------------------------------------------------------------------

    def last_seq(self, case_id: str) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(events.c.seq), 0)).where(events.c.case_id == case_id)).scalar_one())

    def exists(self, case_id: str) -> bool:
        return self.last_seq(case_id) > 0

    def existing(self, case_ids: Sequence[str]) -> list[str]:
        """Those of the given case ids that the store holds already."""
        return list(self.conn.execute(select(chain_heads.c.case_id).where(chain_heads.c.case_id.in_(case_ids))).scalars())

    def rows(self, case_id: str) -> list[codec.Row]:
        result = self.conn.execute(select(*_ROW_COLUMNS).where(events.c.case_id == case_id).order_by(events.c.seq))
        return [codec.Row._make(r) for r in result]

    def history(self, case_id: str) -> list[RecordedEvent]:
        """One case's history, checked against its chain, its MACed head and the witness."""
        rows = self.rows(case_id)
        if rows:
            self.sealer(case_id)  # another master key is named as such, not as a tampered head
        return self.decode(self._checked_rows(case_id, rows), checked=True)

    # --- the anchors: chain head MAC and witness ----------------------------------------------

    def _head_row(self, case_id: str, *, for_writing: bool = False) -> Any:
        """The case's chain head. A writer locks it (PostgreSQL; SQLite has one writer at a time):
        a concurrent writer then waits, and reads the head and the last event of one history, so
        that it is told of a conflict, not of a chain that "lost" the other's events."""
        query = select(chain_heads.c.last_seq, chain_heads.c.last_hash, chain_heads.c.mac).where(chain_heads.c.case_id == case_id)
        return self.conn.execute(query.with_for_update() if for_writing else query).first()

    def _head_problem(self, case_id: str, last: codec.Row, head: Any) -> str | None:
        if head is None:
            return "has no chain head (inserted outside powcase)"
        if not hmac.compare_digest(head.mac, self.store.head_mac(case_id, head.last_seq, head.last_hash)):
            return "its chain head was tampered with"
        if (head.last_seq, head.last_hash) != (last.seq, last.hash):
            return f"the chain ends at event {last.seq} but {head.last_seq} were recorded (removed)"
        return None

    def _checked_rows(self, case_id: str, rows: list[codec.Row], entry: Entry | None = None, head: Any = None,
                      prefetched: bool = False) -> list[codec.Row]:
        """The rows, if they end at the head the database's MAC and the witness vouch for.

        A writer in another process may commit between our read of the rows and of the witness
        (PostgreSQL reads each statement afresh): a witness ahead of the rows gets one re-read.
        """
        witness = self.store.witness
        for attempt in (1, 2):
            if not (prefetched and attempt == 1):
                head = self._head_row(case_id)
                entry = witness.entries(self.store.master_key, [case_id]).get(case_id) if witness else None
            if not rows:
                if entry is None or not entry.recorded:
                    raise NotFound(f"no case {case_id}")
                problem: str | None = f"all its events were removed from the database (the witness records {entry.current.seq})"
            else:
                chain = _chain_problems(rows)
                if chain:
                    raise IntegrityFailure(f"{chain[0]}; run `powcase audit verify`")
                problem = self._head_problem(case_id, rows[-1], head) or self._own_write_or(witness, entry, rows[-1])
            if problem is None:
                self._confirm_seen(entry, rows[-1])
                return rows
            behind = entry is not None and (not rows or rows[-1].seq < entry.current.seq or rows[-1].seq < (entry.next.seq if entry.next else 0))
            if attempt == 1 and behind:
                rows = self.rows(case_id)
                continue
            break
        raise IntegrityFailure(f"case {case_id}: {problem}; nothing is shown or decided from it; run `powcase audit verify`")

    def _own_write_or(self, witness: Witness | None, entry: Entry | None, last: codec.Row) -> str | None:
        """A head this very transaction wrote is not in the witness yet (it is staged at commit)."""
        move = self._moves.get(last.case_id)
        if move is not None and (move[2], move[3]) == (last.seq, last.hash):
            return None
        return _witness_problem(witness, entry, last)

    def _confirm_seen(self, entry: Entry | None, last: codec.Row) -> None:
        """The database is at the witness's staged head: that write committed; confirm it."""
        witness = self.store.witness
        if witness is not None and entry is not None and entry.next is not None and (entry.next.seq, entry.next.hash) == (last.seq, last.hash):
            witness.promote(self.store.master_key, [(entry.case_id, last.seq, last.hash)])

    def _checked_batch(self, batch: list[list[codec.Row]]) -> tuple[list[list[codec.Row]], int]:
        """Check many cases against their anchors with two round trips; returns the rows and how
        many of the cases the witness records as written."""
        ids = [rows[0].case_id for rows in batch]
        heads = {r.case_id: r for r in self.conn.execute(
            select(chain_heads.c.case_id, chain_heads.c.last_seq, chain_heads.c.last_hash, chain_heads.c.mac)
            .where(chain_heads.c.case_id.in_(ids))
        )}
        witness = self.store.witness
        entries = witness.entries(self.store.master_key, ids) if witness else {}
        out = []
        recorded = 0
        for rows in batch:
            case_id = rows[0].case_id
            entry = entries.get(case_id)
            out.append(self._checked_rows(case_id, rows, entry, heads.get(case_id), prefetched=True))
            recorded += entry is not None and entry.recorded
        return out, recorded

    def _none_removed(self, seen: int) -> None:
        """After a walk: every case the witness records was among those walked."""
        witness = self.store.witness
        if witness is None:
            return
        if witness.recorded_count() <= seen:
            return
        entries = [e for e in witness.all_entries(self.store.master_key) if e.recorded]
        stored = set(self.conn.execute(select(chain_heads.c.case_id)).scalars()) | set(
            self.conn.execute(select(events.c.case_id).distinct()).scalars()
        )
        for e in entries:
            if e.case_id not in stored:
                raise IntegrityFailure(
                    f"case {e.case_id}: all its events were removed from the database (the witness records "
                    f"{e.current.seq}); run `powcase audit verify`"
                )

    def stage_witness(self) -> list[Move]:
        """Stage this transaction's head moves in the witness: called just before the commit."""
        witness = self.store.witness
        if witness is None or not self._moves:
            return []
        ids = list(self._moves)
        summaries: dict[str, str] = {}
        for start in range(0, len(ids), _CHECK_BATCH):
            chunk = ids[start : start + _CHECK_BATCH]
            for r in self.conn.execute(select(case_summary).where(case_summary.c.case_id.in_(chunk))).mappings():
                summaries[r["case_id"]] = fingerprint(r)
        moves = [Move(case_id, o_seq, o_hash, n_seq, n_hash, summaries.get(case_id))
                 for case_id, (o_seq, o_hash, n_seq, n_hash) in self._moves.items()]
        witness.stage(self.store.master_key, moves)
        return moves

    def _note_move(self, case_id: str, old_seq: int, old_hash: str, seq: int, hash_: str) -> None:
        first = self._moves.get(case_id)
        self._moves[case_id] = (first[0], first[1], seq, hash_) if first else (old_seq, old_hash, seq, hash_)

    def decode(self, rows: Sequence[codec.Row], checked: bool = False) -> list[RecordedEvent]:
        """Rows of one case into events; sealed parts are opened with the case's key.

        The chain is checked on every read, not only by `audit verify`: no fact is shown or
        decided on from a history that was altered in the database.
        """
        if not rows:
            return []
        problems = [] if checked else _chain_problems(list(rows))
        if problems:
            raise IntegrityFailure(f"{problems[0]}; run `powcase audit verify`")
        sealer = self.sealer(rows[0].case_id)
        return [_decode_row(r, sealer, checked) for r in rows]

    def case_ids(self) -> list[str]:
        return list(self.conn.execute(select(events.c.case_id).distinct().order_by(events.c.case_id)).scalars())

    def all_rows(self) -> Iterator[list[codec.Row]]:
        """Every case's rows, one case at a time, in case id order (through the driver: the walk
        over the whole register is where SQLAlchemy's per-row processing showed)."""
        batch: list[codec.Row] = []
        make = codec.Row._make
        for r in select_rows(self.conn, events, _ROW_NAMES, ("case_id", "seq")):
            row = make(r)
            if batch and batch[0].case_id != row.case_id:
                yield batch
                batch = []
            batch.append(row)
        if batch:
            yield batch

    # --- writing ------------------------------------------------------------------------------

    def append(
        self, case_id: str, expected_seq: int, new: Sequence[Event], actor: str, recorded_at: datetime
    ) -> list[RecordedEvent]:
        """Append events after ``expected_seq``; a stale writer gets :class:`Conflict`."""
        current = self._head_row(case_id, for_writing=True)
        last_seq, prev = (current[0], current[1]) if current else (0, codec.GENESIS)
        self._refuse_unverified(case_id, current)
        if last_seq != expected_seq:
            raise Conflict(
                f"case {case_id} changed: expected to append after event {expected_seq}, "
                f"but it has {last_seq} events; read it again and retry"
            )
        sealer = self.sealer(case_id)
        if sealer is None:
            raise KeyUnavailable(f"case {case_id} was erased; nothing more can be recorded")
        values, out = self._rows(case_id, last_seq, prev, new, actor, recorded_at, sealer)
        try:
            self.conn.execute(insert(events), [v._asdict() for v in values])
            self._move_heads(case_id, last_seq, values[-1].seq, values[-1].hash, len(values))
        except IntegrityError:
            raise Conflict(f"case {case_id} changed while appending; read it again and retry") from None
        self._note_move(case_id, last_seq, prev, values[-1].seq, values[-1].hash)
        return out

    def _refuse_unverified(self, case_id: str, head: Any) -> None:
        """Never seal a new head over a chain whose head does not verify: that would launder the
        tampering (the new MAC would vouch for whatever the database holds)."""
        last = self.conn.execute(
            select(*_ROW_COLUMNS).where(events.c.case_id == case_id).order_by(events.c.seq.desc()).limit(1)
        ).first()
        if head is None and last is None:
            return
        if last is None:
            problem: str | None = "all its events were removed (its chain head remains)"
        else:
            problem = self._head_problem(case_id, codec.Row._make(last), head)
        if problem is not None:
            raise IntegrityFailure(f"case {case_id}: {problem}; nothing was written; run `powcase audit verify`")

    def create_cases(
        self, cases: Sequence[tuple[str, Sequence[Event]]], actor: str, recorded_at: datetime
    ) -> list[list[RecordedEvent]]:
        """Create many new cases at once: the bulk path of an import, same rows as :meth:`append`."""
        mk = self.store.master_key
        keys: list[tuple[str, bytes, str]] = []
        rows: list[codec.Row] = []
        heads: list[tuple[str, int, str, str]] = []
        written: list[list[RecordedEvent]] = []
        for case_id, new in cases:
            data_key = new_data_key()
            sealer = Sealer(data_key)
            keys.append((case_id, mk.wrap(data_key, case_id), mk.key_id))
            values, out = self._rows(case_id, 0, codec.GENESIS, new, actor, recorded_at, sealer)
            rows.extend(values)
            last = values[-1]
            heads.append((case_id, last.seq, last.hash, self.store.head_mac(case_id, last.seq, last.hash)))
            self._note_move(case_id, 0, codec.GENESIS, last.seq, last.hash)
            written.append(out)
            self.store._sealers[case_id] = sealer
        try:
            # Through the driver, in this transaction (store/bulk.py): the bulk path of an import.
            insert_rows(self.conn, case_keys, keys)
            insert_rows(self.conn, events, rows)
            insert_rows(self.conn, chain_heads, heads)
        except IntegrityError:
            raise Conflict("a case being created exists already; nothing was written") from None
        self._count_events(len(rows))
        return written

    @staticmethod
    def _rows(
        case_id: str, last_seq: int, prev: str, new: Sequence[Event], actor: str, recorded_at: datetime, sealer: Sealer
    ) -> tuple[list[codec.Row], list[RecordedEvent]]:
        """The rows (in the events table's column order) and the events as recorded."""
        stamp = codec.timestamp(recorded_at)
        when = codec.parse_timestamp(stamp)
        values: list[codec.Row] = []
        out: list[RecordedEvent] = []
        seq = last_seq
        for ev in new:
            seq += 1
            clear_part, sealed_part = codec.split(ev)
            clear = codec.canonical_text(clear_part)
            sealed = sealer.seal(codec.canonical(sealed_part), codec.aad(case_id, seq, ev.type)) if sealed_part else None
            row = codec.Row(case_id, seq, ev.type, ev.occurred_on, stamp, actor, clear, sealed, prev, "")
            row = row._replace(hash=codec.hash_of(row))
            values.append(row)
            out.append(RecordedEvent(case_id, seq, ev.type, ev.occurred_on, when, actor, ev))
            prev = row.hash
        return values, out

    def _move_heads(self, case_id: str, old_seq: int, seq: int, hash_: str, added: int) -> None:
        mac = self.store.head_mac(case_id, seq, hash_)
        if old_seq == 0:
            self.conn.execute(insert(chain_heads).values(case_id=case_id, last_seq=seq, last_hash=hash_, mac=mac))
        else:
            moved = self.conn.execute(
                update(chain_heads)
                .where(chain_heads.c.case_id == case_id, chain_heads.c.last_seq == old_seq)
                .values(last_seq=seq, last_hash=hash_, mac=mac)
            )
            if moved.rowcount != 1:
                raise Conflict(f"case {case_id} changed while appending; read it again and retry")
        self._count_events(added)

    def _count_events(self, added: int) -> None:
        count = self.conn.execute(select(store_head.c.event_count).where(store_head.c.id == 1).with_for_update()).scalar()
        if count is None:
            self.conn.execute(insert(store_head).values(id=1, event_count=added, mac=self.store.count_mac(added)))
        else:
            total = int(count) + added
            self.conn.execute(update(store_head).where(store_head.c.id == 1).values(event_count=total, mac=self.store.count_mac(total)))

    # --- rows made by another office (field offices) -----------------------------------------

    def adopt_case_key(self, case_id: str, data_key: bytes) -> None:
        """Keep a case's data key received from another office, wrapped by this store's master key."""
        mk = self.store.master_key
        self.conn.execute(
            insert(case_keys).values(case_id=case_id, wrapped_key=mk.wrap(data_key, case_id), master_key_id=mk.key_id)
        )
        self.store._sealers[case_id] = Sealer(data_key)

    def summary_changed(self, case_id: str) -> None:
        """The case's summary row was written again without a new event (a field office gave a
        case back and destroyed its key): the witness takes its new fingerprint with this
        transaction, at the same head, as it would with a write."""
        head = self._head_row(case_id)
        if head is not None:
            self._note_move(case_id, int(head[0]), str(head[1]), int(head[0]), str(head[1]))

    def append_rows(self, case_id: str, rows: Sequence[codec.Row]) -> None:
        """Append rows another office made, exactly as it stored them, so that both offices hold
        the same chain: each must follow this store's head and match its own hash."""
        current = self._head_row(case_id, for_writing=True)
        self._refuse_unverified(case_id, current)
        first_seq, last_seq, prev = (current[0], current[0], current[1]) if current else (0, 0, codec.GENESIS)
        first_hash = prev
        for row in rows:
            if row.case_id != case_id or row.seq != last_seq + 1 or row.prev_hash != prev:
                raise IntegrityFailure(f"case {case_id} event {row.seq}: does not follow this store's event {last_seq}")
            if codec.hash_of(row) != row.hash:
                raise IntegrityFailure(f"case {case_id} event {row.seq}: its content does not match its hash (altered)")
            last_seq, prev = row.seq, row.hash
        if not rows:
            return
        try:
            self.conn.execute(insert(events), [row._asdict() for row in rows])
            self._move_heads(case_id, first_seq, last_seq, prev, len(rows))
        except IntegrityError:
            raise Conflict(f"case {case_id} changed while appending; read it again and retry") from None
        self._note_move(case_id, first_seq, first_hash, last_seq, prev)

    def replace_line(self, case_id: str, fork: int, rows: Sequence[codec.Row]) -> list[codec.Row]:
        """Put another office's line after event ``fork`` in place of this store's own, and
        return the rows it replaces, for the caller to keep (``sync_superseded``): the one way a
        field office adopts headquarters' resolved line of a case (:mod:`powcase.app.sync`).

        The head moves from the head the witness holds to the new one, in one move the witness
        stages like any write; the caller has checked that the new line's resolution names the
        replaced head and carries its events."""
        current = self._head_row(case_id, for_writing=True)
        self._refuse_unverified(case_id, current)
        if current is None or not rows or not 0 < fork < current[0]:
            raise IntegrityFailure(f"case {case_id}: no line of its own after event {fork} to replace")
        old_seq, old_hash = int(current[0]), str(current[1])
        local = self.rows(case_id)
        prev = local[fork - 1].hash
        for seq, row in enumerate(rows, start=fork + 1):
            if row.case_id != case_id or row.seq != seq or row.prev_hash != prev:
                raise IntegrityFailure(f"case {case_id} event {row.seq}: does not follow this store's event {seq - 1}")
            if codec.hash_of(row) != row.hash:
                raise IntegrityFailure(f"case {case_id} event {row.seq}: its content does not match its hash (altered)")
            prev = row.hash
        replaced = local[fork:]
        last = rows[-1]
        self.conn.execute(delete(events).where(events.c.case_id == case_id, events.c.seq > fork))
        self.conn.execute(insert(events), [row._asdict() for row in rows])
        moved = self.conn.execute(
            update(chain_heads)
            .where(chain_heads.c.case_id == case_id, chain_heads.c.last_seq == old_seq)
            .values(last_seq=last.seq, last_hash=last.hash, mac=self.store.head_mac(case_id, last.seq, last.hash))
        )
        if moved.rowcount != 1:
            raise Conflict(f"case {case_id} changed while its line was replaced; nothing was written")
        self._count_events(len(rows) - len(replaced))
        self._note_move(case_id, old_seq, old_hash, last.seq, last.hash)
        return replaced

    # --- verification -------------------------------------------------------------------------

    def verify(self, progress: Any = None) -> list[ChainBreak]:
        """Walk every chain; report each place where history was altered, removed or reordered,
        where the database disagrees with the witness, and every summary row that does not
        match its case's events."""
        breaks: list[ChainBreak] = []
        heads = {r.case_id: r for r in self.conn.execute(select(chain_heads))}
        witness = self.store.witness
        entries: dict[str, Entry] = {}
        if witness is not None:
            if not witness.exists():
                breaks.append(ChainBreak(None, None, missing_message(witness.path)))
                witness = None
            else:
                breaks.extend(ChainBreak(None, None, p) for p in witness.state_problems(self.store.master_key))
                try:
                    entries = {e.case_id: e for e in witness.all_entries(self.store.master_key, strict=False)}
                except IntegrityFailure:
                    witness = None  # it does not open under this key: said above, nothing more to compare
        ends: dict[str, codec.Row] = {}
        total = 0
        for rows in self.all_rows():
            case_id = rows[0].case_id
            ends[case_id] = rows[-1]
            total += len(rows)
            breaks.extend(self._verify_case(rows, heads.get(case_id)))
            if witness is not None:
                problem = _witness_problem(witness, entries.get(case_id), rows[-1])
                if problem:
                    breaks.append(ChainBreak(case_id, None, problem))
            if progress is not None:
                progress(1)
        for case_id in sorted(set(heads) - set(ends)):
            breaks.append(ChainBreak(case_id, None, "all its events were removed"))
        for case_id in sorted(set(entries) - set(ends) - set(heads)):
            if entries[case_id].recorded:
                breaks.append(ChainBreak(case_id, None, f"all its events were removed (the witness records {entries[case_id].current.seq})"))
        head = self.conn.execute(select(store_head.c.event_count, store_head.c.mac)).first()
        expected = int(head[0]) if head else 0
        if head is not None and not hmac.compare_digest(head[1], self.store.count_mac(expected)):
            breaks.append(ChainBreak(None, None, "the store's event count was tampered with"))
        elif expected != total:
            breaks.append(ChainBreak(None, None, f"{expected} events were recorded but {total} are stored"))
        if witness is not None:
            breaks.extend(self._summary_breaks(entries, ends))
        return breaks

    def _summary_breaks(self, entries: dict[str, Entry], ends: dict[str, codec.Row]) -> list[ChainBreak]:
        """The clear summary against the fingerprints the witness holds for each case's head."""
        out: list[ChainBreak] = []
        listed: set[str] = set()
        for r in self.conn.execute(select(case_summary)).mappings():
            case_id = r["case_id"]
            listed.add(case_id)
            entry, last = entries.get(case_id), ends.get(case_id)
            if last is None:
                out.append(ChainBreak(case_id, None, "has a summary row but no events (inserted outside powcase)"))
                continue
            head = entry.match(last.seq, last.hash) if entry else None
            if head is not None and head.summary is not None and head.summary != fingerprint(r):
                out.append(ChainBreak(case_id, None, "its summary row does not match its events (edited in the database); "
                                      "`powcase rebuild` recomputes it"))
        for case_id in sorted(set(ends) - listed):
            entry, last = entries.get(case_id), ends[case_id]
            head = entry.match(last.seq, last.hash) if entry else None
            if head is not None and head.summary is not None:
                out.append(ChainBreak(case_id, None, "its summary row was removed; `powcase rebuild` recomputes it"))
        return out

    def _verify_case(self, rows: list[codec.Row], head: Any) -> list[ChainBreak]:
        out = _chain_problems(rows)
        case_id = rows[0].case_id
        problem = self._head_problem(case_id, rows[-1], head)
        if problem is not None:
            seq = head.last_seq if head is not None and problem.endswith("(removed)") else None
            out.append(ChainBreak(case_id, seq, problem))
        return out

    # --- the summary, checked -----------------------------------------------------------------

    def summaries(self) -> list[dict[str, Any]]:
        """Every case's summary row, in case id order, each one either vouched for by the witness
        or recomputed from the case's verified events: an edited row is never shown."""
        names = [c.name for c in case_summary.columns]
        rows = {r[0]: dict(zip(names, r, strict=True)) for r in self.conn.execute(select(*case_summary.columns))}
        witness = self.store.witness
        if witness is None:
            return [rows[k] for k in sorted(rows)]
        out: list[dict[str, Any]] = []
        for entry in witness.all_entries(self.store.master_key):
            row = rows.get(entry.case_id)
            if row is not None:
                heads = [h for h in (entry.current, entry.next) if h is not None and h.seq == row["last_seq"]]
                if any(h.summary == fingerprint(row) for h in heads):
                    out.append(row)
                    continue
            elif not entry.recorded:
                continue  # a creation staged in the witness that has not (yet) committed
            history = self.history(entry.case_id)
            out.append(summary_row(fold(history), self.store.master_key, max(r.occurred_on for r in history)))
        return out

    # --- checkpoints for the neutral intermediary ---------------------------------------------

    def heads(self) -> dict[str, tuple[int, str]]:
        """Every case's head as the database holds it: (last event number, its hash)."""
        return {r.case_id: (int(r.last_seq), str(r.last_hash))
                for r in self.conn.execute(select(chain_heads.c.case_id, chain_heads.c.last_seq, chain_heads.c.last_hash))}

    def witness_entries(self) -> list[Entry]:
        """The witness a verified store would have now: each head, with its summary's fingerprint."""
        summaries = {r["case_id"]: fingerprint(r) for r in self.conn.execute(select(case_summary)).mappings()}
        return [Entry(case_id, Head(seq, hash_, summaries.get(case_id)), None) for case_id, (seq, hash_) in sorted(self.heads().items())]

    def refresh_witness_summaries(self) -> None:
        """The summary was rebuilt from the verified events: the witness takes its fingerprints."""
        if self.store.witness is not None:
            self.store.witness.refresh_summaries(self.store.master_key, self.witness_entries())

    def event_hashes(self) -> Iterator[tuple[str, int, str]]:
        result = self.conn.execute(select(events.c.case_id, events.c.seq, events.c.hash).execution_options(yield_per=5000))
        for case_id, seq, hash_ in result:
            yield str(case_id), int(seq), str(hash_)


def _witness_problem(witness: Witness | None, entry: Entry | None, last: codec.Row) -> str | None:
    if witness is None:
        return None
    if entry is None:
        return "the witness has no record of it (inserted outside powcase)"
    if entry.match(last.seq, last.hash) is not None:
        return None
    if last.seq < entry.current.seq:
        return f"the database holds {last.seq} event(s) but the witness records {entry.current.seq} (rolled back or removed)"
    return f"its last event {last.seq} is not the one the witness records (altered, or written outside powcase)"


def _chain_problems(rows: list[codec.Row]) -> list[ChainBreak]:
    """Breaks within one case's rows: gaps, broken links, content that does not match its hash."""
    out: list[ChainBreak] = []
    prev = codec.GENESIS
    expected_seq = 1
    case_id = rows[0].case_id
    for row in rows:
        if row.seq != expected_seq:
            out.append(ChainBreak(case_id, expected_seq, f"missing: the chain jumps from {expected_seq - 1} to {row.seq} (removed or reordered)"))
        elif row.prev_hash != prev:
            out.append(ChainBreak(case_id, row.seq, "does not follow the event before it (removed, inserted or reordered)"))
        if codec.hash_of(row) != row.hash:
            out.append(ChainBreak(case_id, row.seq, "its content does not match its hash (altered)"))
        prev = row.hash
        expected_seq = row.seq + 1
    return out


_ROW_COLUMNS = (
    events.c.case_id, events.c.seq, events.c.type, events.c.occurred_on, events.c.recorded_at,
    events.c.actor, events.c.clear, events.c.sealed, events.c.prev_hash, events.c.hash,
)
_ROW_NAMES = tuple(c.name for c in _ROW_COLUMNS)


def _decode_row(row: codec.Row, sealer: Sealer | None, authenticated: bool = False) -> RecordedEvent:
    """``authenticated``: the caller checked the case's rows against its MACed head and the
    witness (``decode(..., checked=True)``); see codec.rebuild_event."""
    when = codec.parse_timestamp(row.recorded_at)
    if row.sealed is not None and sealer is None:
        return RecordedEvent(row.case_id, row.seq, row.type, row.occurred_on, when, row.actor, None)
    opened = sealer.open(row.sealed, codec.aad(row.case_id, row.seq, row.type)) if row.sealed is not None and sealer else b"{}"
    event = codec.rebuild_event(row.type, row.occurred_on, row.clear, opened, authenticated)
    return RecordedEvent(row.case_id, row.seq, row.type, row.occurred_on, when, row.actor, event)
