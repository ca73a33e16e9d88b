"""Field offices: this office's identity, its peers, the cases shared with each, diverging
branches, conflicts and possible duplicates found on import.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_identity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("signing_key", sa.LargeBinary, nullable=False),
        sa.Column("agreement_key", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "sync_peers",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("signing_public", sa.String(64), nullable=False),
        sa.Column("agreement_public", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
        sa.Column("sent_number", sa.Integer, nullable=False),
        sa.Column("received_number", sa.Integer, nullable=False),
        sa.Column("received_digest", sa.String(64), nullable=True),
        sa.Column("log_acked", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "sync_access_log",
        sa.Column("office", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=True),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("purpose", sa.String(40), nullable=True),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("office", "seq", name="pk_sync_access_log"),
    )
    op.create_table(
        "sync_shared",
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("acked_seq", sa.Integer, nullable=False),
        sa.Column("acked_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("peer", "case_id", name="pk_sync_shared"),
    )
    op.create_table(
        "sync_branches",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("clear", sa.Text, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "peer", "seq", name="pk_sync_branches"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("fork_seq", sa.Integer, nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("resolved_seq", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("case_id", "peer", name="pk_sync_conflicts"),
    )
    op.create_table(
        "sync_duplicates",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("other_case_id", sa.String(40), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "other_case_id", name="pk_sync_duplicates"),
    )


def downgrade() -> None:
    for name in ("sync_access_log", "sync_duplicates", "sync_conflicts", "sync_branches", "sync_shared", "sync_peers", "sync_identity"):
        op.drop_table(name)
