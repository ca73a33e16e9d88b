"""The register decided as of a day, deciding again only what changed.

The projection (table `determinations`) keeps, per case, the verdicts of its latest determination
of the register, the day they were made for and the day until which they hold (`valid_until`,
from the law engine), and what they were made from: the case's chain head (event number and
hash), the rulebook's content hash and the context's hash. A row is served for a day only if all
of these still hold:

- the row opens: its verdicts are sealed (AES-GCM under a key derived from the master key, since
  they say whether he refuses to go home or faces a real risk there) with every other column as
  associated data, so a row changed in the database does not open and is not trusted;
- the case's chain head is the one the row was made from (recording an event moves the head,
  and the one append path deletes the row as well);
- the rulebook and the context are those it was made with;
- the day is on or after the row's day and before its `valid_until`.

Otherwise the case is decided again (verdicts only, without the search for what would change
them) and its row replaced. The walk streams: it never holds every determination at once.
`audit verify` names a row that fails the first two checks; `powcase rebuild` recreates the lot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from powcase.domain.case import fold
from powcase.domain.context import Context
from powcase.domain.events import RecordedEvent
from powcase.errors import KeyUnavailable
from powcase.law import Rulebook, Status, verdicts
from powcase.store import codec
from powcase.store.crypto import MasterKey, Sealer
from powcase.store.eventstore import ChainBreak, EventStore, StoreTransaction
from powcase.store.tables import chain_heads, determinations, events

_SEAL_PURPOSE = "determinations"
_CHUNK = 500  # cases read, decided and written together
_ROW_COLUMNS = tuple(events.c[name] for name in codec.Row._fields)


@dataclass(frozen=True, slots=True)
class CaseVerdicts:
    """One case's verdicts as of the day asked (empty: not in custody that day, so not decided)."""

    case_id: str
    verdicts: tuple[tuple[str, Status], ...]
    recomputed: bool


def context_hash(context: Context | None) -> str:
    document = context.model_dump(mode="json") if context is not None else None
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _encode(verdicts: Iterable[tuple[str, Status]]) -> str:
    return " ".join(f"{code}={status.value}" for code, status in verdicts)


def _decode(text: str) -> tuple[tuple[str, Status], ...]:
    out = []
    for item in text.split():
        code, _, status = item.partition("=")
        out.append((code, Status(status)))
    return tuple(out)


class _Seal:
    """Seals and opens the verdicts of projection rows, bound to the row's other columns."""

    def __init__(self, master_key: MasterKey) -> None:
        # A key of its own, derived from the master key (HMAC under a derived subkey is a PRF).
        self._sealer = Sealer(bytes.fromhex(master_key.blind_index(_SEAL_PURPOSE, "verdicts")))

    @staticmethod
    def _aad(row: Any) -> bytes:
        until = row["valid_until"].isoformat() if row["valid_until"] is not None else ""
        return "|".join((
            row["case_id"], row["as_of"].isoformat(), str(row["last_seq"]), row["head_hash"], row["rulebook_hash"],
            row["context_hash"], until,
        )).encode("utf-8")

    def seal(self, row: dict[str, Any], verdicts: str) -> bytes:
        return self._sealer.seal(verdicts.encode("utf-8"), self._aad(row))

    def open(self, row: Any) -> str | None:
        """The verdicts, or None when the row was not written by powcase as it stands."""
        try:
            return self._sealer.open(bytes(row["sealed_verdicts"]), self._aad(row)).decode("utf-8")
        except (KeyUnavailable, ValueError):
            return None


def _trusted(seal: _Seal, r: Any) -> str | None:
    """The row's verdicts if it is what powcase wrote, for the head the case has now.

    The head's own MAC need not be checked to serve the row: the row is bound to the head it was
    made from, so it holds the verdicts of that (then verified) history; a head changed to match
    another history does not match the row, and that case is read, and checked, again."""
    if r.sealed_verdicts is None or (r.last_seq, r.head_hash) != (r.head_seq, r.head_last_hash):
        return None
    return seal.open(r._mapping)


def _serves(r: Any, rulebook_hash: str, ctx_hash: str, day: date) -> bool:
    return (
        r.rulebook_hash == rulebook_hash
        and r.context_hash == ctx_hash
        and r.as_of <= day
        and (r.valid_until is None or day < r.valid_until)
    )


def decide_register(
    store: EventStore, rulebook: Rulebook, day: date, context: Context | None
) -> Iterator[CaseVerdicts]:
    """Every case's verdicts as of `day`, from the projection where it holds, decided again
    (and the projection brought up to date) where it does not. In case id order within each
    of the two passes: first the cases served, then those decided again."""
    ctx_hash = context_hash(context)
    seal = _Seal(store.master_key)
    query = (
        select(
            chain_heads.c.case_id,
            chain_heads.c.last_seq.label("head_seq"),
            chain_heads.c.last_hash.label("head_last_hash"),
            determinations.c.as_of,
            determinations.c.last_seq,
            determinations.c.head_hash,
            determinations.c.rulebook_hash,
            determinations.c.context_hash,
            determinations.c.valid_until,
            determinations.c.sealed_verdicts,
        )
        .select_from(chain_heads.outerjoin(determinations, determinations.c.case_id == chain_heads.c.case_id))
        .order_by(chain_heads.c.case_id)
        .execution_options(yield_per=5000)
    )
    with store.begin() as tx:
        stale: list[str] = []
        total = 0
        held: list[tuple[Any, str]] = []  # rows that open, waiting for the witness to vouch for their head
        for r in tx.conn.execute(query):
            total += 1
            opened = _trusted(seal, r) if _serves(r, rulebook.content_hash, ctx_hash, day) else None
            if opened is None:
                stale.append(r.case_id)
                continue
            held.append((r, opened))
            if len(held) >= _CHUNK:
                yield from _vouched(store, held, stale)
                held = []
        yield from _vouched(store, held, stale)
        if len(stale) > total // 4:
            tx.load_all_keys()  # one pass over the keys rather than one query per case
        for start in range(0, len(stale), _CHUNK):
            yield from _decide_again(tx, seal, stale[start : start + _CHUNK], rulebook, day, context, ctx_hash)


def _vouched(store: EventStore, held: list[tuple[Any, str]], stale: list[str]) -> Iterator[CaseVerdicts]:
    """Served rows whose head the witness outside the database records (a store rolled back to an
    older head, projection row included, is not served: the case is read, and refused, again)."""
    witness = store.witness
    entries = witness.entries(store.master_key, [r.case_id for r, _ in held]) if witness is not None and held else {}
    for r, opened in held:
        if witness is not None:
            entry = entries.get(r.case_id)
            if entry is None or entry.match(r.head_seq, r.head_last_hash) is None:
                stale.append(r.case_id)
                continue
        if opened:
            yield CaseVerdicts(r.case_id, _decode(opened), recomputed=False)


def _histories(tx: StoreTransaction, case_ids: Sequence[str]) -> Iterator[list[RecordedEvent]]:
    """The histories of some cases, each checked against its chain, its MACed head and the
    witness, as the store's own walk over the register checks them."""
    result = tx.conn.execute(
        select(*_ROW_COLUMNS).where(events.c.case_id.in_(case_ids)).order_by(events.c.case_id, events.c.seq)
    ).all()
    batch: list[list[codec.Row]] = []
    for item in result:
        row = codec.Row._make(item)
        if batch and batch[-1][0].case_id == row.case_id:
            batch[-1].append(row)
        else:
            batch.append([row])
    checked, _ = tx._checked_batch(batch)
    for rows in checked:
        yield tx.decode(rows, checked=True)


def decide_case(
    history: Sequence[RecordedEvent], rulebook: Rulebook, day: date, context: Context | None
) -> tuple[tuple[tuple[str, Status], ...], date | None]:
    """A stored case's verdicts as of `day` (none when he is not in custody that day) and the day
    until which they hold: the engine's `valid_until`, or the next recorded fact's date."""
    if any(r.type == "erased" for r in history):
        return (), None
    later = [r.occurred_on for r in history if r.occurred_on > day]
    next_fact = min(later) if later else None
    if history[0].occurred_on > day:
        return (), next_fact
    case = fold(history, day)
    if not case.in_custody:  # the law decides what may happen to those we still hold
        return (), next_fact
    decided = verdicts(case, rulebook, day, context)
    until = min((x for x in (decided.valid_until, next_fact) if x is not None), default=None)
    return tuple((v.disposition, v.status) for v in decided.dispositions), until


def _decide_again(
    tx: StoreTransaction, seal: _Seal, case_ids: Sequence[str], rulebook: Rulebook, day: date, context: Context | None, ctx_hash: str
) -> Iterator[CaseVerdicts]:
    heads = {
        case_id: head
        for case_id, head in tx.conn.execute(
            select(chain_heads.c.case_id, chain_heads.c.last_hash).where(chain_heads.c.case_id.in_(case_ids))
        )
    }
    rows = []
    decided = []
    for history in _histories(tx, case_ids):
        verdicts, until = decide_case(history, rulebook, day, context)
        last = history[-1]
        head = heads[last.case_id]
        row: dict[str, Any] = {
            "case_id": last.case_id, "as_of": day, "last_seq": last.seq, "head_hash": head,
            "rulebook_hash": rulebook.content_hash, "context_hash": ctx_hash, "valid_until": until,
        }
        row["sealed_verdicts"] = seal.seal(row, _encode(verdicts))
        rows.append(row)
        if verdicts:
            decided.append(CaseVerdicts(last.case_id, verdicts, recomputed=True))
    if rows:
        tx.conn.execute(delete(determinations).where(determinations.c.case_id.in_([r["case_id"] for r in rows])))
        tx.conn.execute(insert(determinations), rows)
    yield from decided


def forget_determination(conn: Connection, case_id: str) -> None:
    """A recorded event makes the case's stored determination stale: it is removed with the write."""
    conn.execute(delete(determinations).where(determinations.c.case_id == case_id))


def clear_determinations(conn: Connection) -> None:
    conn.execute(delete(determinations))


def check_determinations(tx: StoreTransaction) -> list[ChainBreak]:
    """Rows of the projection that powcase did not write, or that speak for another head of the
    chain than the case's: they are not served (the case is decided again), and named here."""
    seal = _Seal(tx.store.master_key)
    heads = {r.case_id: r for r in tx.conn.execute(select(chain_heads))}
    problems = []
    for r in tx.conn.execute(select(determinations).order_by(determinations.c.case_id)):
        head = heads.get(r.case_id)
        if seal.open(r._mapping) is None:
            problems.append(ChainBreak(r.case_id, None, "its stored determination was altered (not served; run `powcase rebuild`)"))
        elif head is None:
            problems.append(ChainBreak(r.case_id, None, "a stored determination for a case the store does not hold"))
        elif (r.last_seq, r.head_hash) != (head.last_seq, head.last_hash):
            problems.append(ChainBreak(
                r.case_id, r.last_seq,
                f"its stored determination was made at event {r.last_seq}, not at the head of its chain ({head.last_seq})",
            ))
    return problems
