"""The witness: every case's chain head, kept outside the database, so that the database alone
cannot be rewound.

The MACs on ``chain_heads`` stop a database thief from forging a head, but not from putting back
a genuine head he saved earlier together with the rows it covered: a rollback. The witness is a
small SQLite file beside the key file (``POWCASE_WITNESS`` to move it), which whoever holds only
the database cannot reach. It holds, per case, the head powcase last wrote and the fingerprint of
the case's summary row at that head; each entry carries a MAC under a key derived from the
master key, and a state row carries a MAC over the sum of all entry MACs, the number of entries
and a version that every write advances (so replaying an old entry inside the witness itself is
found by ``audit verify``).

Writes: before the database commits, the new head is staged as the entry's *next* head (durably);
after the commit it becomes the *current* head. A crash between the two leaves the database at
either the old head (the commit failed: the entry's current head) or the new one (its next
head); both are heads powcase wrote, so both are accepted, and the first read or write that sees
the database at the next head confirms it. Nothing else is accepted: a database behind the
current head was rolled back, one ahead of the next head was written without powcase.
"""

from __future__ import annotations

import hmac
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from powcase.errors import IntegrityFailure, InvalidInput
from powcase.store import codec
from powcase.store.crypto import MasterKey

WITNESS_ENV = "POWCASE_WITNESS"
WITNESS_NAME = "powcase.witness"
_MODULUS = 1 << 256
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS heads (case_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, "
    "summary TEXT, next_seq INTEGER, next_hash TEXT, next_summary TEXT, mac TEXT NOT NULL, alt_mac TEXT)",
    "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, "
    "total TEXT NOT NULL, count INTEGER NOT NULL, key_id TEXT NOT NULL, mac TEXT NOT NULL, "
    "alt_key_id TEXT, alt_total TEXT, alt_mac TEXT)",
)
# SQLite allows 999 parameters in older builds; stay well below.
_BATCH = 500


class Head(NamedTuple):
    seq: int
    hash: str
    summary: str | None


class Entry(NamedTuple):
    """What the witness holds for one case: the head written last, and one being written.
    (Named tuples, not dataclasses: a list builds one per case.)"""

    case_id: str
    current: Head
    next: Head | None

    def match(self, seq: int, hash_: str) -> Head | None:
        """The head of the witness that the database's head is, if it is one of them."""
        for head in (self.current, self.next):
            if head is not None and (head.seq, head.hash) == (seq, hash_):
                return head
        return None

    @property
    def recorded(self) -> bool:
        """Whether the case exists as far as the witness knows (a creation may still be staged)."""
        return self.current.seq > 0


@dataclass(frozen=True)
class Move:
    """One case's head moving in a write: from the head the writer found to the one it wrote."""

    case_id: str
    old_seq: int
    old_hash: str
    new_seq: int
    new_hash: str
    summary: str | None


def _mac_text(case_id: str, current: Head, nxt: Head | None) -> str:
    # repr of a tuple of str, int and None is unambiguous, and several times faster than JSON:
    # a list of 20,000 cases checks 20,000 entries.
    if nxt is None:
        return repr((case_id, current.seq, current.hash, current.summary))
    return repr((case_id, current.seq, current.hash, current.summary, nxt.seq, nxt.hash, nxt.summary))


def entry_mac(key: MasterKey, case_id: str, current: Head, nxt: Head | None) -> str:
    return key.blind_index("witness-entry", _mac_text(case_id, current, nxt))


def _state_mac(key: MasterKey, version: int, total: int, count: int) -> str:
    return key.blind_index("witness-state", f"{version}|{total:064x}|{count}|{key.key_id}")


def missing_message(path: Path) -> str:
    return (
        f"the witness {path} is missing: restore it from its backup; if it is lost, an administrator "
        "runs `powcase audit witness-init` (see docs/data-protection.md)"
    )


class Witness:
    """The witness file at ``path``. Opened per operation: several processes share it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    @classmethod
    def create(cls, path: Path, key: MasterKey, entries: Iterable[Entry] = ()) -> Witness:
        """A new witness file, readable by its owner only; refuses to replace one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InvalidInput(f"{path}: a witness exists already; it would be lost if replaced") from None
        os.close(fd)
        witness = cls(path)
        with witness._write() as db:
            for statement in _SCHEMA:
                db.execute(statement)
            total = 0
            count = 0
            for e in entries:
                mac = entry_mac(key, e.case_id, e.current, e.next)
                db.execute("INSERT INTO heads (case_id, seq, hash, summary, mac) VALUES (?, ?, ?, ?, ?)",
                           (e.case_id, e.current.seq, e.current.hash, e.current.summary, mac))
                total = (total + int(mac, 16)) % _MODULUS
                count += 1
            db.execute("INSERT INTO state (id, version, total, count, key_id, mac) VALUES (1, 0, ?, ?, ?, ?)",
                       (f"{total:064x}", count, key.key_id, _state_mac(key, 0, total, count)))
        return witness

    # --- connections --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise IntegrityFailure(missing_message(self.path))
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA synchronous = FULL")  # a staged head must survive a crash
        return db

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as db:
            yield db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- reading ------------------------------------------------------------------------------

    def entries(self, key: MasterKey, case_ids: Sequence[str]) -> dict[str, Entry]:
        """The entries of these cases, each checked against its MAC."""
        out: dict[str, Entry] = {}
        with self._read() as db:
            mac_column = self._mac_column(db, key)
            for start in range(0, len(case_ids), _BATCH):
                chunk = list(case_ids[start : start + _BATCH])
                for row in db.execute(_select(mac_column, len(chunk)), chunk):
                    entry = _checked(key, row)
                    out[entry.case_id] = entry
        return out

    def all_entries(self, key: MasterKey, strict: bool = True) -> list[Entry]:
        """Every entry, in case id order. Not strict: entries whose MAC fails are left out (``audit
        verify`` names them from :meth:`state_problems`). A list, not a generator: a read left
        open on the file would block this process's own next write to it."""
        out = []
        with self._read() as db:
            mac_column = self._mac_column(db, key)
            for row in db.execute(_select(mac_column) + " ORDER BY case_id").fetchall():
                try:
                    out.append(_checked(key, row))
                except IntegrityFailure:
                    if strict:
                        raise
        return out

    def recorded_count(self) -> int:
        """How many cases the witness records as written (a cheap count; MACs are not checked)."""
        with self._read() as db:
            return int(db.execute("SELECT count(*) FROM heads WHERE seq > 0").fetchone()[0])

    def version(self) -> int:
        with self._read() as db:
            return int(db.execute("SELECT version FROM state WHERE id = 1").fetchone()[0])

    def state_problems(self, key: MasterKey) -> list[str]:
        """Whether the entries are the ones the witness wrote: their MACs, count and sum."""
        with self._read() as db:
            state = db.execute("SELECT version, total, count, key_id, mac, alt_key_id, alt_total, alt_mac FROM state").fetchone()
            if state is None:
                return ["the witness has no state row (altered)"]
            if key.key_id == state[3]:
                total_text, mac, mac_column = state[1], state[4], "mac"
            elif key.key_id == state[5]:
                total_text, mac, mac_column = state[6], state[7], "alt_mac"
            else:
                return ["the witness was not written under this master key"]
            version, count = int(state[0]), int(state[2])
            total = int(total_text, 16)
            if not hmac.compare_digest(mac, _state_mac(key, version, total, count)):
                return ["the witness's state row was tampered with"]
            problems: list[str] = []
            seen = 0
            summed = 0
            for row in db.execute(_select(mac_column)):
                seen += 1
                try:
                    _checked(key, row)
                except IntegrityFailure as exc:
                    problems.append(str(exc))
                summed = (summed + int(row[-1] or "0", 16)) % _MODULUS
            if (seen, summed) != (count, total):
                problems.append("the witness's entries are not the ones it wrote (replaced, removed or added)")
            return problems

    @staticmethod
    def _mac_column(db: sqlite3.Connection, key: MasterKey) -> str:
        """During a key rotation entries carry MACs under both keys; pick the one for ``key``."""
        state = db.execute("SELECT key_id, alt_key_id FROM state WHERE id = 1").fetchone()
        if state is None:
            raise IntegrityFailure("the witness has no state row (altered)")
        if key.key_id == state[0]:
            return "mac"
        if key.key_id == state[1]:
            return "alt_mac"
        raise IntegrityFailure("the witness was not written under this master key")

    # --- writing ------------------------------------------------------------------------------

    def stage(self, key: MasterKey, moves: Sequence[Move]) -> None:
        """Record each move's new head as the next head, before the database commits."""
        with self._write() as db:
            self._require_current_key(db, key)
            found = self._load(db, key, [m.case_id for m in moves])
            changed: dict[str, tuple[Entry | None, Entry]] = {}
            for m in moves:
                before = found.get(m.case_id)
                current = self._current_for(m, before)
                changed[m.case_id] = (before, Entry(m.case_id, current, Head(m.new_seq, m.new_hash, m.summary)))
            self._store(db, key, changed, advance=True)

    def confirm(self, key: MasterKey, moves: Sequence[Move]) -> None:
        """After the database committed: the next heads become current."""
        self.promote(key, [(m.case_id, m.new_seq, m.new_hash) for m in moves])

    def promote(self, key: MasterKey, heads: Sequence[tuple[str, int, str]]) -> None:
        """The database is at these entries' next heads: make them current."""
        with self._write() as db:
            self._require_current_key(db, key)
            found = self._load(db, key, [case_id for case_id, _, _ in heads])
            changed: dict[str, tuple[Entry | None, Entry]] = {}
            for case_id, seq, hash_ in heads:
                before = found.get(case_id)
                if before is not None and before.next is not None and (before.next.seq, before.next.hash) == (seq, hash_):
                    changed[case_id] = (before, Entry(case_id, before.next, None))
            self._store(db, key, changed, advance=False)

    def abandon(self, key: MasterKey, moves: Sequence[Move]) -> None:
        """The database did not commit: drop the staged heads (harmless if left, tidier gone)."""
        with self._write() as db:
            self._require_current_key(db, key)
            found = self._load(db, key, [m.case_id for m in moves])
            changed: dict[str, tuple[Entry | None, Entry]] = {}
            for m in moves:
                before = found.get(m.case_id)
                if before is not None and before.next is not None and (before.next.seq, before.next.hash) == (m.new_seq, m.new_hash):
                    changed[m.case_id] = (before, Entry(m.case_id, before.current, None))
            self._store(db, key, changed, advance=False)

    def refresh_summaries(self, key: MasterKey, entries: Sequence[Entry]) -> None:
        """After a rebuild from the verified events: the new summary rows' fingerprints, for the
        entries whose head is the one given (a head that moved meanwhile keeps its own)."""
        with self._write() as db:
            self._require_current_key(db, key)
            found = self._load(db, key, [e.case_id for e in entries])
            changed: dict[str, tuple[Entry | None, Entry]] = {}
            for e in entries:
                before = found.get(e.case_id)
                if before is None or before.next is not None or before.current.seq != e.current.seq:
                    continue
                if before.current.hash == e.current.hash and before.current.summary != e.current.summary:
                    changed[e.case_id] = (before, Entry(e.case_id, e.current, None))
            self._store(db, key, changed, advance=False)

    def rekey(self, old: MasterKey, new: MasterKey) -> None:
        """MAC every entry under ``new`` too, keeping the ``old`` MACs until the next write.

        Run before the database's rotation commits: whichever key the store ends up with, the
        witness opens with it; the first write under a key drops the other key's MACs.
        """
        with self._write() as db:
            problems = []
            state = db.execute("SELECT version, count, key_id FROM state WHERE id = 1").fetchone()
            if state is None or state[2] != old.key_id:
                raise IntegrityFailure("the witness was not written under the old master key; run `powcase audit verify`")
            total = 0
            rows = db.execute(_select("mac")).fetchall()
            for row in rows:
                try:
                    entry = _checked(old, row)
                except IntegrityFailure as exc:
                    problems.append(str(exc))
                    continue
                mac = entry_mac(new, entry.case_id, entry.current, entry.next)
                db.execute("UPDATE heads SET alt_mac = mac, mac = ? WHERE case_id = ?", (mac, entry.case_id))
                total = (total + int(mac, 16)) % _MODULUS
            if problems:
                raise IntegrityFailure(f"{problems[0]}; run `powcase audit verify` before rotating")
            version, count = int(state[0]), int(state[1])
            db.execute(
                "UPDATE state SET alt_key_id = key_id, alt_total = total, alt_mac = mac, key_id = ?, total = ?, mac = ? WHERE id = 1",
                (new.key_id, f"{total:064x}", _state_mac(new, version, total, count)),
            )

    def settle(self, key: MasterKey) -> None:
        """The store now runs under ``key`` only: drop the other key's MACs."""
        with self._write() as db:
            self._require_current_key(db, key)

    def _require_current_key(self, db: sqlite3.Connection, key: MasterKey) -> None:
        """A write under ``key`` proves the store accepts it: drop an unfinished rotation's other MACs."""
        state = db.execute("SELECT key_id, alt_key_id, alt_total, alt_mac FROM state WHERE id = 1").fetchone()
        if state is None:
            raise IntegrityFailure("the witness has no state row (altered)")
        if state[0] == key.key_id:
            if state[1] is not None:
                db.execute("UPDATE heads SET alt_mac = NULL")
                db.execute("UPDATE state SET alt_key_id = NULL, alt_total = NULL, alt_mac = NULL WHERE id = 1")
            return
        if state[1] == key.key_id:  # the rotation did not commit: back to the old key's MACs
            db.execute("UPDATE heads SET mac = alt_mac, alt_mac = NULL")
            db.execute("UPDATE state SET key_id = alt_key_id, total = alt_total, mac = alt_mac, "
                       "alt_key_id = NULL, alt_total = NULL, alt_mac = NULL WHERE id = 1")
            return
        raise IntegrityFailure("the witness was not written under this master key")

    @staticmethod
    def _load(db: sqlite3.Connection, key: MasterKey, case_ids: Sequence[str]) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        for start in range(0, len(case_ids), _BATCH):
            chunk = list(case_ids[start : start + _BATCH])
            for row in db.execute(_select("mac", len(chunk)), chunk):
                entry = _checked(key, row)
                out[entry.case_id] = entry
        return out

    @staticmethod
    def _current_for(m: Move, before: Entry | None) -> Head:
        """The head the writer started from must be one the witness holds."""
        if before is None:
            if m.old_seq != 0:
                raise IntegrityFailure(f"case {m.case_id}: the witness has no record of it (inserted outside powcase); nothing was written")
            return Head(0, codec.GENESIS, None)
        head = before.match(m.old_seq, m.old_hash)
        if head is None and m.old_seq == 0 and not before.recorded:
            head = before.current  # a creation staged earlier and never committed
        if head is None:
            raise IntegrityFailure(
                f"case {m.case_id}: the database's chain head (event {m.old_seq}) is not the one the witness holds "
                f"(event {before.current.seq}): rolled back or altered; nothing was written; run `powcase audit verify`"
            )
        return head

    @staticmethod
    def _store(db: sqlite3.Connection, key: MasterKey, changed: dict[str, tuple[Entry | None, Entry]], advance: bool) -> None:
        state = db.execute("SELECT version, total, count FROM state WHERE id = 1").fetchone()
        version, total, count = int(state[0]), int(state[1], 16), int(state[2])
        for before, after in changed.values():
            mac = entry_mac(key, after.case_id, after.current, after.next)
            nxt = after.next
            params = (after.current.seq, after.current.hash, after.current.summary,
                      nxt.seq if nxt else None, nxt.hash if nxt else None, nxt.summary if nxt else None, mac, after.case_id)
            if before is None:
                db.execute("INSERT INTO heads (seq, hash, summary, next_seq, next_hash, next_summary, mac, case_id) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", params)
                count += 1
            else:
                old_mac = entry_mac(key, before.case_id, before.current, before.next)
                total = (total - int(old_mac, 16)) % _MODULUS
                db.execute("UPDATE heads SET seq = ?, hash = ?, summary = ?, next_seq = ?, next_hash = ?, next_summary = ?, "
                           "mac = ? WHERE case_id = ?", params)
            total = (total + int(mac, 16)) % _MODULUS
        if advance:
            version += 1
        if changed or advance:
            db.execute("UPDATE state SET version = ?, total = ?, count = ?, mac = ? WHERE id = 1",
                       (version, f"{total:064x}", count, _state_mac(key, version, total, count)))


_COLUMNS = "case_id, seq, hash, summary, next_seq, next_hash, next_summary"


def _select(mac_column: str, in_count: int = 0) -> str:
    """The entries query. Only this module's constant column names and ``?`` marks go into the
    text; every value is a bound parameter."""
    if mac_column not in ("mac", "alt_mac"):
        raise ValueError(mac_column)
    where = f" WHERE case_id IN ({','.join('?' * in_count)})" if in_count else ""
    return f"SELECT {_COLUMNS}, {mac_column} FROM heads{where}"  # noqa: S608 - constants and ? marks only


def _checked(key: MasterKey, row: tuple[object, ...]) -> Entry:
    case_id, seq, hash_, summary, next_seq, next_hash, next_summary, mac = row
    current = Head(int(str(seq)), str(hash_), None if summary is None else str(summary))
    nxt = None if next_seq is None else Head(int(str(next_seq)), str(next_hash), None if next_summary is None else str(next_summary))
    entry = Entry(str(case_id), current, nxt)
    if mac is None or not hmac.compare_digest(str(mac), entry_mac(key, entry.case_id, current, nxt)):
        raise IntegrityFailure(f"case {case_id}: its entry in the witness was tampered with; run `powcase audit verify`")
    return entry
