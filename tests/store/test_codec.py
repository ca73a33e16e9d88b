"""The row hash assembled by hand is byte for byte the canonical JSON it is defined as."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powcase.store import codec

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(
    case_id=text, seq=st.integers(min_value=1, max_value=10**9), type_=text,
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), recorded_at=text, actor=text,
    clear=text, sealed=st.none() | st.binary(max_size=64), prev=text,
)
def test_fast_row_hash_equals_its_definition(
    case_id: str, seq: int, type_: str, day: date, recorded_at: str, actor: str, clear: str, sealed: bytes | None, prev: str
) -> None:
    row = codec.Row(case_id, seq, type_, day, recorded_at, actor, clear, sealed, prev, "")
    assert codec.hash_of(row) == codec.hash_of_slow(row)


def test_rows_not_authenticated_by_their_head_still_have_their_clear_half_checked() -> None:
    """Only rows whose chain the caller checked against the MACed head and the witness skip the
    check that the clear half names clear fields only; every other decode still refuses."""
    with pytest.raises(ValueError, match="the clear part holds fields that must be sealed"):
        codec.rebuild_event("interviewed", date(2025, 2, 3), '{"stated_wish":"repatriation"}', b"{}")
