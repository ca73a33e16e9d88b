"""The event store: append-only, encrypted, hash-chained case histories.

Every write happens inside one :class:`StoreTransaction`; a failure anywhere rolls back all of
it, so an import that crashes half-way leaves the store as it was.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from powcase.domain.events import Event, RecordedEvent
from powcase.errors import Conflict, IntegrityFailure, KeyUnavailable, NotFound, PowcaseError
from powcase.store import codec
from powcase.store.crypto import MasterKey, Sealer, new_data_key
from powcase.store.tables import case_keys, chain_heads, events, store_head


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
    def __init__(self, engine: Engine, master_key: MasterKey) -> None:
        self.engine = engine
        self.master_key = master_key
        self._sealers: dict[str, Sealer] = {}

    @contextmanager
    def begin(self) -> Iterator[StoreTransaction]:
        with self.engine.begin() as conn:
            yield StoreTransaction(self, conn)

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
        that determinations, tracing, planning, retention and rebuilds share.

        With ``unreadable``, a case that cannot be decoded (a broken chain, a stored value that
        no longer validates) is passed over and its id handed to it, so that a walk serving
        everyone (tracing, planning) is not stopped by one record; without it, the error stands."""
        self.load_all_keys()
        for rows in self.all_rows():
            try:
                history = self.decode(rows)
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
        rows = self.rows(case_id)
        if not rows:
            raise NotFound(f"no case {case_id}")
        return self.decode(rows)

    def decode(self, rows: Sequence[codec.Row]) -> list[RecordedEvent]:
        """Rows of one case into events; sealed parts are opened with the case's key.

        The chain is checked on every read, not only by `audit verify`: no fact is shown or
        decided on from a history that was altered in the database.
        """
        if not rows:
            return []
        problems = _chain_problems(list(rows))
        if problems:
            raise IntegrityFailure(f"{problems[0]}; run `powcase audit verify`")
        sealer = self.sealer(rows[0].case_id)
        return [_decode_row(r, sealer) for r in rows]

    def case_ids(self) -> list[str]:
        return list(self.conn.execute(select(events.c.case_id).distinct().order_by(events.c.case_id)).scalars())

    def all_rows(self) -> Iterator[list[codec.Row]]:
        """Every case's rows, one case at a time, in case id order."""
        result = self.conn.execute(
            select(*_ROW_COLUMNS).order_by(events.c.case_id, events.c.seq).execution_options(yield_per=5000)
        )
        batch: list[codec.Row] = []
        for r in result:
            row = codec.Row._make(r)
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
        current = self.conn.execute(
            select(chain_heads.c.last_seq, chain_heads.c.last_hash).where(chain_heads.c.case_id == case_id)
        ).first()
        last_seq, prev = (current[0], current[1]) if current else (0, codec.GENESIS)
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
            self.conn.execute(insert(events), values)
            self._move_heads(case_id, last_seq, values[-1]["seq"], values[-1]["hash"], len(values))
        except IntegrityError:
            raise Conflict(f"case {case_id} changed while appending; read it again and retry") from None
        return out

    def create_cases(
        self, cases: Sequence[tuple[str, Sequence[Event]]], actor: str, recorded_at: datetime
    ) -> list[list[RecordedEvent]]:
        """Create many new cases at once: the bulk path of an import, same rows as :meth:`append`."""
        mk = self.store.master_key
        keys: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        heads: list[dict[str, Any]] = []
        written: list[list[RecordedEvent]] = []
        for case_id, new in cases:
            data_key = new_data_key()
            sealer = Sealer(data_key)
            keys.append({"case_id": case_id, "wrapped_key": mk.wrap(data_key, case_id), "master_key_id": mk.key_id})
            values, out = self._rows(case_id, 0, codec.GENESIS, new, actor, recorded_at, sealer)
            rows.extend(values)
            last = values[-1]
            heads.append({"case_id": case_id, "last_seq": last["seq"], "last_hash": last["hash"],
                          "mac": self.store.head_mac(case_id, last["seq"], last["hash"])})
            written.append(out)
            self.store._sealers[case_id] = sealer
        try:
            self.conn.execute(insert(case_keys), keys)
            self.conn.execute(insert(events), rows)
            self.conn.execute(insert(chain_heads), heads)
        except IntegrityError:
            raise Conflict("a case being created exists already; nothing was written") from None
        self._count_events(len(rows))
        return written

    @staticmethod
    def _rows(
        case_id: str, last_seq: int, prev: str, new: Sequence[Event], actor: str, recorded_at: datetime, sealer: Sealer
    ) -> tuple[list[dict[str, Any]], list[RecordedEvent]]:
        stamp = codec.timestamp(recorded_at)
        when = codec.parse_timestamp(stamp)
        values: list[dict[str, Any]] = []
        out: list[RecordedEvent] = []
        seq = last_seq
        for ev in new:
            seq += 1
            clear_part, sealed_part = codec.split(ev)
            clear = codec.canonical(clear_part).decode()
            sealed = sealer.seal(codec.canonical(sealed_part), codec.aad(case_id, seq, ev.type)) if sealed_part else None
            row = codec.Row(case_id, seq, ev.type, ev.occurred_on, stamp, actor, clear, sealed, prev, "")
            row = row._replace(hash=codec.hash_of(row))
            values.append(row._asdict())
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

    def append_rows(self, case_id: str, rows: Sequence[codec.Row]) -> None:
        """Append rows another office made, exactly as it stored them, so that both offices hold
        the same chain: each must follow this store's head and match its own hash."""
        current = self.conn.execute(
            select(chain_heads.c.last_seq, chain_heads.c.last_hash).where(chain_heads.c.case_id == case_id)
        ).first()
        first_seq, last_seq, prev = (current[0], current[0], current[1]) if current else (0, 0, codec.GENESIS)
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

    # --- verification -------------------------------------------------------------------------

    def verify(self, progress: Any = None) -> list[ChainBreak]:
        """Walk every chain; report each place where history was altered, removed or reordered."""
        breaks: list[ChainBreak] = []
        heads = {r.case_id: r for r in self.conn.execute(select(chain_heads))}
        seen: set[str] = set()
        total = 0
        for rows in self.all_rows():
            case_id = rows[0].case_id
            seen.add(case_id)
            total += len(rows)
            breaks.extend(self._verify_case(rows, heads.get(case_id)))
            if progress is not None:
                progress(1)
        for case_id in sorted(set(heads) - seen):
            breaks.append(ChainBreak(case_id, None, "all its events were removed"))
        head = self.conn.execute(select(store_head.c.event_count, store_head.c.mac)).first()
        expected = int(head[0]) if head else 0
        if head is not None and not hmac.compare_digest(head[1], self.store.count_mac(expected)):
            breaks.append(ChainBreak(None, None, "the store's event count was tampered with"))
        elif expected != total:
            breaks.append(ChainBreak(None, None, f"{expected} events were recorded but {total} are stored"))
        return breaks

    def _verify_case(self, rows: list[codec.Row], head: Any) -> list[ChainBreak]:
        out = _chain_problems(rows)
        case_id = rows[0].case_id
        last = rows[-1]
        if head is None:
            out.append(ChainBreak(case_id, None, "has no chain head (inserted outside powcase)"))
        elif not hmac.compare_digest(head.mac, self.store.head_mac(case_id, head.last_seq, head.last_hash)):
            out.append(ChainBreak(case_id, None, "its chain head was tampered with"))
        elif (head.last_seq, head.last_hash) != (last.seq, last.hash):
            out.append(ChainBreak(case_id, head.last_seq, f"the chain ends at event {last.seq} but {head.last_seq} were recorded (removed)"))
        return out


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


def _decode_row(row: codec.Row, sealer: Sealer | None) -> RecordedEvent:
    when = codec.parse_timestamp(row.recorded_at)
    if row.sealed is not None and sealer is None:
        return RecordedEvent(row.case_id, row.seq, row.type, row.occurred_on, when, row.actor, None)
    opened = sealer.open(row.sealed, codec.aad(row.case_id, row.seq, row.type)) if row.sealed is not None and sealer else b"{}"
    event = codec.rebuild_event(row.type, row.occurred_on, row.clear, opened)
    return RecordedEvent(row.case_id, row.seq, row.type, row.occurred_on, when, row.actor, event)
