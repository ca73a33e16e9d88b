"""The records the tracing package reads and returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TracingInputError(ValueError):
    """Unusable input.  The message names the row and field, never the name or date in it."""


class RegisterEntry(BaseModel):
    """One person in a register (a camp roster, an exchange list, a family's request)."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    id: str
    family_name: str
    given_name: str
    patronymic: str | None = None
    birth_date: str | None = None  # 'YYYY-MM-DD', 'YYYY' or None
    language: str | None = None  # ISO 639 hint: 'kor', 'rus', 'ukr'


class Query(BaseModel):
    """A full name as another document writes it, in any script and order."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    id: str
    name: str
    birth_date: str | None = None


class Candidate(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True)

    record_id: str
    score: float = Field(ge=0.0, le=100.0)
    label: Literal["likely", "possible"]
    reasons: list[str]


class MatchResult(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True)

    query_id: str
    candidates: list[Candidate]
    accept: bool
    reason: str | None = None
    # Ids of register entries the index could not read (and so never searched): reported, so that
    # "no candidate" is never taken for "not in the register" while a record is unreadable.
    skipped: list[str] = Field(default_factory=list)
