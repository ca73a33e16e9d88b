"""A field office's own line of a case, kept when it adopts headquarters' resolved line.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_superseded",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("resolution_hash", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("clear", sa.Text, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "hash", name="pk_sync_superseded"),
    )


def downgrade() -> None:
    op.drop_table("sync_superseded")
