"""Checkpoints: the store's heads, published to someone outside it (the neutral intermediary).

The witness stops a rollback by whoever holds only the database; someone who could replace both
the database and the witness (an administrator with backups of both) could still rewind them
together. A checkpoint handed to the neutral intermediary closes that: ``powcase audit verify
--against FILE`` finds every case whose history no longer reaches the head it had then.

A checkpoint names case ids, event numbers and hashes: no person, no fact. Its ``root`` is a
SHA-256 over the heads (short enough to read aloud or write in a visit report); its ``mac``,
under a key derived from the master key, lets the store tell its own checkpoints from forged ones.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Set
from datetime import datetime
from pathlib import Path
from typing import Any

from powcase.errors import IntegrityFailure, InvalidInput
from powcase.store import codec
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import ChainBreak, StoreTransaction

FORMAT = "powcase-checkpoint/1"


def root_of(heads: dict[str, tuple[int, str]]) -> str:
    return hashlib.sha256(codec.canonical(sorted([c, s, h] for c, (s, h) in heads.items()))).hexdigest()


def _seal(key: MasterKey, made_at: str, version: int | None, root: str) -> str:
    return key.blind_index("checkpoint", f"{made_at}|{version}|{root}")


def make_checkpoint(tx: StoreTransaction, made_at: datetime) -> dict[str, Any]:
    """The heads of a store that verifies (the caller checks that first)."""
    heads = tx.heads()
    witness = tx.store.witness
    version = witness.version() if witness is not None else None
    if witness is not None:
        # Each head as the witness vouches for it, at the moment of writing: not merely as the
        # database said when the store was verified a moment ago.
        entries = {e.case_id: e for e in witness.all_entries(tx.store.master_key)}
        for case_id, (seq, hash_) in heads.items():
            entry = entries.get(case_id)
            if entry is None or entry.match(seq, hash_) is None:
                raise IntegrityFailure(f"case {case_id}: its head is not the one the witness holds; no checkpoint made")
    stamp = codec.timestamp(made_at)
    root = root_of(heads)
    return {
        "format": FORMAT, "made_at": stamp, "witness_version": version, "key_id": tx.store.master_key.key_id,
        "cases": len(heads), "root": root, "mac": _seal(tx.store.master_key, stamp, version, root),
        "heads": {c: [s, h] for c, (s, h) in sorted(heads.items())},
    }


def write_checkpoint(path: Path, checkpoint: dict[str, Any]) -> None:
    """Atomically, readable by its owner only (it names case ids)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(checkpoint, indent=1) + "\n")
    os.replace(tmp, path)


def read_checkpoint(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path}: not a readable checkpoint ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("heads"), dict):
        raise InvalidInput(f"{path}: not a powcase checkpoint")
    try:
        data["heads"] = {str(c): (int(s), str(h)) for c, (s, h) in data["heads"].items()}
    except (TypeError, ValueError):
        raise InvalidInput(f"{path}: its heads are not (event number, hash) pairs") from None
    return data


def check_against(
    tx: StoreTransaction, checkpoint: dict[str, Any], reached: Set[tuple[str, int, str]] = frozenset()
) -> tuple[list[ChainBreak], bool]:
    """Every case whose history no longer reaches its head in the checkpoint. Returns the breaks
    and whether the checkpoint's seal could be checked (not when made under an earlier master key).
    ``reached``: heads the chain still reaches another way (a field office's line that a
    resolution merged and that it replaced by headquarters' line: powcase.sync.superseded)."""
    heads: dict[str, tuple[int, str]] = checkpoint["heads"]
    made_at = str(checkpoint.get("made_at"))
    key = tx.store.master_key
    if root_of(heads) != checkpoint.get("root"):
        return [ChainBreak(None, None, "the checkpoint's heads do not match its root: the file was altered")], False
    sealed = checkpoint.get("key_id") == key.key_id
    if sealed and not hmac.compare_digest(str(checkpoint.get("mac")), _seal(key, made_at, checkpoint.get("witness_version"), str(checkpoint["root"]))):
        return [ChainBreak(None, None, "the checkpoint's seal does not verify: not made by this store, or altered")], True
    breaks: list[ChainBreak] = []
    witness = tx.store.witness
    version = checkpoint.get("witness_version")
    if sealed and witness is not None and isinstance(version, int) and witness.exists() and witness.version() < version:
        breaks.append(ChainBreak(None, None, f"the witness is older than the checkpoint of {made_at} (rolled back)"))
    found = {case_id for case_id, (seq, hash_) in heads.items() if (case_id, seq, hash_) in reached}
    for case_id, seq, hash_ in tx.event_hashes():
        wanted = heads.get(case_id)
        if wanted is not None and wanted[0] == seq and case_id not in found:
            found.add(case_id)
            if wanted[1] != hash_:
                breaks.append(ChainBreak(case_id, seq, f"differs from the checkpoint of {made_at} (history rewritten)"))
    for case_id in sorted(set(heads) - found):
        breaks.append(ChainBreak(case_id, heads[case_id][0], f"is gone: the checkpoint of {made_at} records it (rolled back)"))
    return breaks, sealed
