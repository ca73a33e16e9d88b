"""Tracing: find one person across registers written in Hangul, Cyrillic or Latin.

Names are normalised to phonetic keys that survive the Korean and Russian /
Ukrainian transliteration systems (see docs/tracing.md), candidates are found
by blocking on those keys and ranked by a Fellegi-Sunter weight over name
parts and birth date.  Names and dates never go into logs or exceptions.
"""

from powcase.tracing.batch import match_file, read_queries, read_register
from powcase.tracing.match import NameIndex
from powcase.tracing.models import (
    Candidate,
    MatchResult,
    Query,
    RegisterEntry,
    TracingInputError,
)

__all__ = [
    "Candidate",
    "MatchResult",
    "NameIndex",
    "Query",
    "RegisterEntry",
    "TracingInputError",
    "match_file",
    "read_queries",
    "read_register",
]
