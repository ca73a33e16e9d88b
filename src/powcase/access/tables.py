"""The tables of access control, on the store's own MetaData so that one schema holds them all.

Times are stored as fixed-width UTC text (``codec.timestamp``), as the events table does: the same
string on SQLite and PostgreSQL, compared correctly as text, and hashed byte for byte in the
access log.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from powcase.store.tables import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    # One person, one account: "Kim" and "kim" are the same account name (NFKC, casefolded).
    Column("name_key", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    # Throttling of failed logins: failures counted within a window that starts at the first one.
    Column("failed_count", Integer, nullable=False, default=0),
    Column("failed_since", String(32), nullable=True),
    Column("locked_until", String(32), nullable=True),
    # The language of the web pages this person chose (en, ko, uk, ru); none: the browser's.
    Column("language", String(8), nullable=True),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role", String(32), primary_key=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    # SHA-256 of the token: the token itself is shown once and never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("label", String(120), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    CheckConstraint("kind IN ('api', 'session')", name="ck_api_tokens_kind"),
)
Index("ix_api_tokens_user", api_tokens.c.user_id)

observer_assignments = Table(
    "observer_assignments",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("case_id", String(40), primary_key=True),
    Column("assigned_at", String(32), nullable=False),
    Column("assigned_by", String(64), nullable=False),
)

# Append-only (triggers refuse UPDATE and DELETE) and hash-chained: one chain for the whole store.
access_log = Table(
    "access_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
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
    CheckConstraint("outcome IN ('allowed', 'refused')", name="ck_access_log_outcome"),
)
Index("ix_access_log_case", access_log.c.case_id)
Index("ix_access_log_actor", access_log.c.actor)

# The MAC'd anchor of the log: without it, cutting the last records would leave a valid chain.
access_log_head = Table(
    "access_log_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

# Separation of duties: who founded, created, reset, re-roled or confirmed each account, and
# when; and when its owner chose his own password. Two-person rules read it: no two parties that
# one person vouched for within the confirmation window (access/duties.py). ``by_name`` is the
# account that acted (NULL only for the store's first administrator, founded by nobody).
account_acts = Table(
    "account_acts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("act", String(16), nullable=False),
    Column("by_name", String(64), nullable=True),
    Column("at", String(32), nullable=False),
    # When the account was shown this act (a reset by someone else) at its next login.
    Column("seen_at", String(32), nullable=True),
    CheckConstraint(
        "act IN ('founded', 'created', 'reset', 'roles', 'confirmed', 'changed')", name="ck_account_acts_act"
    ),
)
Index("ix_account_acts_user", account_acts.c.user_id)
