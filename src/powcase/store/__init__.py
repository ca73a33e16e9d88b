"""Persistence: the encrypted, hash-chained event store, its projections and migrations."""

from powcase.store.crypto import MasterKey, create_key_file, load_master_key
from powcase.store.engine import database_url, make_engine, sqlite_path
from powcase.store.eventstore import ChainBreak, EventStore, StoreTransaction

__all__ = [
    "ChainBreak",
    "EventStore",
    "MasterKey",
    "StoreTransaction",
    "create_key_file",
    "database_url",
    "load_master_key",
    "make_engine",
    "sqlite_path",
]
