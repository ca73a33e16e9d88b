"""Database engines for the two backends: an SQLite file on a laptop, PostgreSQL on a server."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

DATABASE_ENV = "POWCASE_DATABASE_URL"
DEFAULT_URL = "sqlite:///powcase.db"


def database_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get(DATABASE_ENV) or DEFAULT_URL
    # Plain postgresql:// URLs mean psycopg 3 here, the driver we install.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _create_private(path: Path) -> None:
    """Create a new store file readable by its owner only, before SQLite creates it with the
    umask's mode (0644, usually). SQLite gives its journal files the mode of the database."""
    if path.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _create_private(path)
    # NullPool: each unit of work opens the file afresh, so two processes (or threads) see each
    # other's commits and SQLite's own locking decides who writes.
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # SQLAlchemy issues BEGIN itself (below); the driver must not start transactions of its own.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Erasure deletes a wrapped key: overwrite its bytes instead of leaving them in free pages.
        cur.execute("PRAGMA secure_delete = ON")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so a second writer waits and then sees the
        # first one's events (and gets a clear conflict) instead of failing half-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
