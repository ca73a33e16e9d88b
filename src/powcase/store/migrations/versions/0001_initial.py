"""The append-only events table, case keys, chain anchors and the case summary.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("clear", sa.Text, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
    )
    op.create_table(
        "case_keys",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("master_key_id", sa.String(16), nullable=False),
    )
    op.create_table(
        "chain_heads",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "store_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "case_summary",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("nationality", sa.String(3), nullable=True),
        sa.Column("armed_force", sa.String(3), nullable=True),
        sa.Column("power_of_dependence", sa.String(3), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("registered_on", sa.Date, nullable=True),
        sa.Column("captured_on", sa.Date, nullable=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_occurred_on", sa.Date, nullable=False),
        sa.Column("service_number_digest", sa.String(64), nullable=True),
    )
    op.create_index("ix_case_summary_nationality", "case_summary", ["nationality"])
    op.create_index("ix_case_summary_place", "case_summary", ["place"])
    op.create_index("ix_case_summary_status", "case_summary", ["status"])
    op.create_index(
        "uq_case_summary_service_number", "case_summary", ["armed_force", "service_number_digest"], unique=True
    )


def downgrade() -> None:
    for table in ("case_summary", "store_head", "chain_heads", "case_keys", "events"):
        op.drop_table(table)
