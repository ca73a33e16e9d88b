"""The tables a store keeps about the offices it synchronises with.

They sit in the store's metadata (one schema, one migration chain) but hold no person's data in
clear: public keys, counters, chain heads, and the rows of a diverging branch exactly as the
other office stored them (ciphertext under the case's own data key).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, LargeBinary, PrimaryKeyConstraint, String, Table, Text

from powcase.store.tables import metadata

# This store's own office: its name, role and private keys, wrapped by the master key.
sync_identity = Table(
    "sync_identity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(8), nullable=False),  # "hq" or "field"
    Column("signing_key", LargeBinary, nullable=False),
    Column("agreement_key", LargeBinary, nullable=False),
)

# The offices this store exchanges bundles with, and how far each direction has gone.
sync_peers = Table(
    "sync_peers",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(8), nullable=False),
    Column("signing_public", String(64), nullable=False),
    Column("agreement_public", String(64), nullable=False),
    Column("enrolled_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Column("sent_number", Integer, nullable=False),
    Column("received_number", Integer, nullable=False),
    Column("received_digest", String(64), nullable=True),
    # The last record of this store's access log that the peer holds (from its bundles).
    Column("log_acked", Integer, nullable=False, server_default="0"),
)

# Need-to-know: the cases shared with each office, and the head that office acknowledged.
sync_shared = Table(
    "sync_shared",
    metadata,
    Column("peer", String(64), nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("acked_seq", Integer, nullable=False),
    Column("acked_hash", String(64), nullable=False),
    PrimaryKeyConstraint("peer", "case_id", name="pk_sync_shared"),
)

# Cases headquarters took back from a field office (need-to-know), kept at both ends. At
# headquarters: ordered by a legal officer; bundles to the office numbered above ``after_bundle``
# carry the order; done when the office reports its copy of the key destroyed, on a bundle that
# carried the order (``done_bundle``). At the field office (``peer`` is headquarters): the order
# received; done when the key was destroyed, on headquarters' bundle ``done_bundle``. Until then
# the field office holds events headquarters has not acknowledged, and sends them first.
sync_withdrawn = Table(
    "sync_withdrawn",
    metadata,
    Column("peer", String(64), nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("ordered_at", String(32), nullable=False),
    Column("after_bundle", Integer, nullable=False),
    Column("done_at", String(32), nullable=True),
    Column("done_bundle", Integer, nullable=True),
    PrimaryKeyConstraint("peer", "case_id", name="pk_sync_withdrawn"),
)


def _event_row() -> list[Column[Any]]:
    """An event row as the events table holds it (a case's rows travel and are kept verbatim)."""
    return [
        Column("seq", Integer, nullable=False),
        Column("type", String(40), nullable=False),
        Column("occurred_on", Date, nullable=False),
        Column("recorded_at", String(32), nullable=False),
        Column("actor", String(120), nullable=False),
        Column("clear", Text, nullable=False),
        Column("sealed", LargeBinary, nullable=True),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    ]


# Another office's line of a case after the point where it diverged from ours.
sync_branches = Table(
    "sync_branches",
    metadata,
    Column("case_id", String(40), nullable=False),
    Column("peer", String(64), nullable=False),
    *_event_row(),
    PrimaryKeyConstraint("case_id", "peer", "seq", name="pk_sync_branches"),
)

# This office's own line of a case, as it stood when the office adopted headquarters' resolved
# line in its place: every row exactly as it was, and the resolution (by its hash) that merged it.
sync_superseded = Table(
    "sync_superseded",
    metadata,
    Column("case_id", String(40), nullable=False),
    Column("resolution_hash", String(64), nullable=False),
    *_event_row(),
    PrimaryKeyConstraint("case_id", "hash", name="pk_sync_superseded"),
)

# Which office sent this store each event row on its chain that it did not write itself: a row's
# author is the name the writing store gave it, covered by its hash and carried verbatim, so
# without this a row written under another office's officer's name would pass for his. Written
# in the same transaction as the rows (fast-forward, a case adopted, a resolved line adopted, an
# enrolment package joined); a row this store wrote itself has none.
sync_received = Table(
    "sync_received",
    metadata,
    Column("case_id", String(40), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("peer", String(64), nullable=False),
    PrimaryKeyConstraint("case_id", "hash", name="pk_sync_received"),
)

# A case whose two lines both grew after a common head: shown, blocked, resolved by a person.
sync_conflicts = Table(
    "sync_conflicts",
    metadata,
    Column("case_id", String(40), nullable=False),
    Column("peer", String(64), nullable=False),
    Column("fork_seq", Integer, nullable=False),
    Column("detected_at", String(32), nullable=False),
    Column("resolved_seq", Integer, nullable=True),
    PrimaryKeyConstraint("case_id", "peer", name="pk_sync_conflicts"),
)

# Another office's access log, record for record as it keeps it, its chain checked on import.
sync_access_log = Table(
    "sync_access_log",
    metadata,
    Column("office", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_id", String(40), nullable=True),
    Column("fields", Text, nullable=False),
    Column("purpose", String(40), nullable=True),
    Column("outcome", String(8), nullable=False),
    Column("reason", String(40), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    PrimaryKeyConstraint("office", "seq", name="pk_sync_access_log"),
)

# A case that arrived from another office for a man this store already holds under another id.
sync_duplicates = Table(
    "sync_duplicates",
    metadata,
    Column("case_id", String(40), nullable=False),
    Column("other_case_id", String(40), nullable=False),
    Column("peer", String(64), nullable=False),
    Column("detected_at", String(32), nullable=False),
    PrimaryKeyConstraint("case_id", "other_case_id", name="pk_sync_duplicates"),
)
