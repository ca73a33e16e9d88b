"""The tables. Events are append-only; the summary is a projection rebuilt from them.

What stays in clear, and why, is listed in the README ("What is stored in clear").
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("occurred_on", Date, nullable=False),
    # Text, not a timestamp type: the hash covers this exact string on every backend.
    Column("recorded_at", String(32), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("clear", Text, nullable=False),
    Column("sealed", LargeBinary, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
)

case_keys = Table(
    "case_keys",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("master_key_id", String(16), nullable=False),
)

# Anchors that make removal visible: a hash chain alone cannot show that its last links were cut,
# nor that a whole case vanished. Each anchor carries a MAC under a key derived from the master
# key, which someone holding only the database cannot forge.
chain_heads = Table(
    "chain_heads",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

store_head = Table(
    "store_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_count", Integer, nullable=False),
    Column("mac", String(64), nullable=False),
)

case_summary = Table(
    "case_summary",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("nationality", String(3), nullable=True),
    Column("armed_force", String(3), nullable=True),
    Column("power_of_dependence", String(3), nullable=True),
    Column("status", String(20), nullable=False),
    Column("place", String(200), nullable=True),
    Column("registered_on", Date, nullable=True),
    Column("captured_on", Date, nullable=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_occurred_on", Date, nullable=False),
    Column("service_number_digest", String(64), nullable=True),
)
Index("ix_case_summary_nationality", case_summary.c.nationality)
Index("ix_case_summary_place", case_summary.c.place)
Index("ix_case_summary_status", case_summary.c.status)
# A service number is unique within one armed force (a second registration is bad input); the digest is a keyed hash.
Index(
    "uq_case_summary_service_number",
    case_summary.c.armed_force,
    case_summary.c.service_number_digest,
    unique=True,
)

# Derived, like the summary: each case's latest determination of the register (its verdicts and
# until when they hold), with the chain head, rulebook and context it was made from, so that
# deciding the register again decides only what changed (app/determinations.py). The verdicts are
# sealed (they say whether he refuses to go home, or faces a real risk there) under a key derived
# from the master key, with every other column as associated data: a row changed is not served.
determinations = Table(
    "determinations",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("rulebook_hash", String(64), nullable=False),
    Column("context_hash", String(64), nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("sealed_verdicts", LargeBinary, nullable=False),
)
