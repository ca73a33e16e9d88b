"""The access tables in tables.py and in migration 0002 are the same tables, on both backends."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from tests.conftest import Backend

import powcase.access.tables as access_tables
from powcase.store.tables import metadata

OURS = {t.name for t in vars(access_tables).values() if getattr(t, "metadata", None) is metadata}


def _table_of(diff: Any) -> str | None:
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item if isinstance(item, tuple) else (item,):
            name = getattr(part, "name", None) if not isinstance(part, str) else None
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None) in OURS:
                return str(table.name)
            if name in OURS:
                return str(name)
            if isinstance(part, str) and part in OURS:
                return part
    return None


def test_the_migration_creates_the_tables_as_declared(backend: Backend) -> None:
    assert {"users", "user_roles", "api_tokens", "observer_assignments", "access_log", "access_log_head", "account_acts"} == OURS
    with backend.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    ours = [d for d in diffs if _table_of(d)]
    assert ours == []
