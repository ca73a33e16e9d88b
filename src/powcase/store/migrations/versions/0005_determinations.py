"""The projection of determinations: each case's verdicts, until when they hold, and what they
were made from (chain head, rulebook, context). The verdicts are sealed. Derived data: it starts
empty and fills itself the first time the register is decided.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "determinations",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("rulebook_hash", sa.String(64), nullable=False),
        sa.Column("context_hash", sa.String(64), nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("sealed_verdicts", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("determinations")
