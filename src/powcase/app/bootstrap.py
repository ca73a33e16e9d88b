"""The composition root: where configuration becomes a running application."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from powcase.app.decisions import load_context
from powcase.app.service import Powcase
from powcase.errors import InvalidInput
from powcase.files import make_private
from powcase.law import load_rulebook
from powcase.store import schema
from powcase.store.crypto import MASTER_KEY_ENV, create_key_file, load_master_key
from powcase.store.engine import database_url, make_engine, sqlite_path
from powcase.store.eventstore import EventStore
from powcase.store.tables import chain_heads
from powcase.store.witness import WITNESS_ENV, WITNESS_NAME, Witness

KEY_FILE_ENV = "POWCASE_KEY_FILE"
CONTEXT_ENV = "POWCASE_CONTEXT"
RULEBOOK_ENV = "POWCASE_RULEBOOK"


@dataclass(frozen=True)
class Settings:
    database_url: str
    key_file: Path
    context_file: Path  # hostilities and agreements in force (see docs/law.md)
    rulebook_file: Path | None = None  # the deployment's policy overrides
    witness_file: Path | None = None  # the heads kept outside the database (store/witness.py)

    @classmethod
    def resolve(
        cls, database: str | None = None, key_file: Path | None = None, rulebook_file: Path | None = None
    ) -> Settings:
        url = database_url(database)
        db = sqlite_path(url)
        # Beside an SQLite file by default, so that a field office's laptop has one folder to
        # back up; see the README on keeping the key apart from it.
        folder = db.parent if db else Path()
        if key_file is None:
            key_file = Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else folder / "powcase.key"
        context = Path(os.environ[CONTEXT_ENV]) if os.environ.get(CONTEXT_ENV) else folder / "context.yaml"
        if rulebook_file is None and os.environ.get(RULEBOOK_ENV):
            rulebook_file = Path(os.environ[RULEBOOK_ENV])
        # Beside the key file: kept where the database's administrator does not reach.
        witness = Path(os.environ[WITNESS_ENV]) if os.environ.get(WITNESS_ENV) else key_file.parent / WITNESS_NAME
        return cls(url, key_file, context, rulebook_file, witness)


def init_store(settings: Settings) -> bool:
    """Create the key file (unless the key comes from the environment) and the schema.

    Returns True when a new key file was written.
    """
    created = False
    if not os.environ.get(MASTER_KEY_ENV) and not settings.key_file.exists():
        create_key_file(settings.key_file)
        created = True
    db = sqlite_path(settings.database_url)
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)  # a new SQLite file is created 0600
    try:
        schema.upgrade(engine)
        # A new store gets its witness at once; an existing one without a witness gets it only
        # from `powcase audit witness-init`, which says what it vouches for.
        if settings.witness_file is not None and not settings.witness_file.exists():
            with engine.connect() as conn:
                empty = conn.execute(select(chain_heads.c.case_id).limit(1)).first() is None
            if empty:
                Witness.create(settings.witness_file, load_master_key(settings.key_file))
    finally:
        engine.dispose()
    if db is not None:
        make_private(db)  # a store made by an older powcase, 0644, is closed to others here
    return created


def open_powcase(settings: Settings) -> Powcase:
    db = sqlite_path(settings.database_url)
    if db is not None and not db.exists():
        raise InvalidInput(f"no powcase store at {db}: run `powcase init` first")
    engine = make_engine(settings.database_url)
    if not schema.is_current(engine):
        raise InvalidInput("the database schema is missing or old: run `powcase init` to create or upgrade it")
    overrides = settings.rulebook_file
    return Powcase(
        EventStore(engine, load_master_key(settings.key_file), Witness(settings.witness_file) if settings.witness_file else None),
        rulebook=lambda: load_rulebook(overrides),
        context=load_context(settings.context_file),
    )
