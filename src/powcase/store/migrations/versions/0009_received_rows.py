"""Which office sent each event row a store holds and did not write itself.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows received before this revision are not known: they show as before (no sender named).
    op.create_table(
        "sync_received",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "hash", name="pk_sync_received"),
    )


def downgrade() -> None:
    op.drop_table("sync_received")
