"""Separation of duties: the acts that created, reset, re-roled or confirmed each account.

Accounts that exist before this revision have no acts: they count as confirmed, vouched for by
nobody (nothing recorded says otherwise). Every account made or changed afterwards is recorded.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_acts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("act", sa.String(16), nullable=False),
        sa.Column("by_name", sa.String(64), nullable=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("seen_at", sa.String(32), nullable=True),
        sa.CheckConstraint(
            "act IN ('founded', 'created', 'reset', 'roles', 'confirmed', 'changed')", name="ck_account_acts_act"
        ),
    )
    op.create_index("ix_account_acts_user", "account_acts", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_account_acts_user", "account_acts")
    op.drop_table("account_acts")
