"""Stored rows as they travel in a bundle: every field of the row, ciphertext as base64."""

from __future__ import annotations

from datetime import date
from typing import Any

from powcase.store.codec import Row
from powcase.sync.bundle import b64, unb64
from powcase.sync.errors import BundleRefused


def row_to_json(row: Row) -> list[Any]:
    return [row.seq, row.type, row.occurred_on.isoformat(), row.recorded_at, row.actor, row.clear,
            b64(row.sealed) if row.sealed is not None else None, row.prev_hash, row.hash]


def row_from_json(case_id: str, item: Any) -> Row:
    try:
        seq, type_, occurred_on, recorded_at, actor, clear, sealed, prev_hash, hash_ = item
        return Row(case_id, int(seq), str(type_), date.fromisoformat(occurred_on), str(recorded_at), str(actor),
                   str(clear), unb64(sealed) if sealed is not None else None, str(prev_hash), str(hash_))
    except (TypeError, ValueError):
        raise BundleRefused(f"bundle: case {case_id}: an event is not a stored row (altered)") from None
