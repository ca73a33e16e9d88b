"""A person's own settings: the language of the pages he reads (web). Not case data."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select, update

from powcase.access.permissions import User
from powcase.access.tables import users
from powcase.errors import InvalidInput

# The languages of the interface: the people we serve first read Korean.
LANGUAGES: tuple[str, ...] = ("en", "ko", "uk", "ru")


def language_of(engine: Engine, user: User) -> str | None:
    with engine.begin() as conn:
        value = conn.execute(select(users.c.language).where(users.c.id == user.id)).scalar_one_or_none()
    return str(value) if value else None


def store_language(conn: Connection, user: User, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(f"language: one of {', '.join(LANGUAGES)}")
    conn.execute(update(users).where(users.c.id == user.id).values(language=language))
