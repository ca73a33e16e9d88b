"""Cases taken back from a field office (need-to-know): ordered at headquarters, done at the field.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_withdrawn",
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("ordered_at", sa.String(32), nullable=False),
        sa.Column("after_bundle", sa.Integer, nullable=False),
        sa.Column("done_at", sa.String(32), nullable=True),
        sa.Column("done_bundle", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("peer", "case_id", name="pk_sync_withdrawn"),
    )


def downgrade() -> None:
    op.drop_table("sync_withdrawn")
