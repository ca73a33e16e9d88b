"""Split a full name written in any script and order into its parts.

The parser never decides alone: it returns every reading that is plausible
(family name first or last, a patronymic, initials, an unspaced Hangul name)
and the matcher keeps the reading that fits a register entry best.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from powcase.tracing.hangul import is_hangul, is_syllable
from powcase.tracing.keys import (
    fine_key,
    fine_keys,
    looks_slavic,
    looks_ukrainian,
    pivot,
    skeleton,
    spelling_key,
    strict_keys,
)
from powcase.tracing.korean import split_korean

SUPPORTED_SCRIPTS = frozenset({"Latin", "Cyrillic", "Hangul"})
# Characters that separate or decorate name parts in the systems we read:
# MR and Ukrainian apostrophes, ISO 9 prime marks, hyphens, initials' dots.
_SEPARATORS = frozenset(" \t-‐‑–.,'’ʼʹʺ`\"")
_APOSTROPHE_LIKE = frozenset("'’ʼʹʺ`\"")
# Patronymic endings in pivot form (Cyrillic and every Latin system fold to these).
_PATRONYMIC = re.compile(r"(ovich|evich|ovych|evych|ovitch|ovna|evna|ivna|yivna|ichna)$")
_PATRONYMIC_WEAK = re.compile(r"(ich|ych)$")
# log2 of the prior odds of reading a name family-last (without patronymic).
_FAMILY_LAST_PRIOR = -1.5


class UnusableName(ValueError):
    """A name the matcher cannot read; str() is a reason safe to show and log."""


@dataclass(frozen=True, slots=True)
class NamePart:
    """Phonetic keys of one name part: the main reading and its alternatives."""

    fine: str
    skel: str
    alts: tuple[tuple[str, str], ...] = ()
    # Skeletons of keys.strict_keys: consonants with Korean ㅇ/ㄴ and ㅎ/ㄱ kept apart.
    strict: tuple[str, ...] = ()
    spelled: str = ""  # keys.spelling_key of the text, for table look-ups

    @property
    def empty(self) -> bool:
        return not self.fine

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """(fine key, skeleton) of every reading, main first."""
        return ((self.fine, self.skel), *self.alts)


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a query: which tokens are family, given, patronymic."""

    family: NamePart
    given: NamePart | None
    patronymic: NamePart | None
    given_initial: str | None = None
    patronymic_initial: str | None = None
    # log2 prior of this reading: family name last is the less usual order.
    prior: float = 0.0


def script_of(ch: str) -> str | None:
    """Script of a letter ("Latin", "Cyrillic", "Hangul", "Arabic", "Han", ...); None if not a letter."""
    if is_hangul(ch):
        return "Hangul"
    cat = unicodedata.category(ch)
    if not cat.startswith("L"):
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("CJK"):
        return "Han"
    if name.startswith("MODIFIER LETTER"):
        return None
    first = name.split(" ", 1)[0]
    return first.capitalize() if first else "Unknown"


@lru_cache(maxsize=200_000)
def check_text(text: str) -> None:
    """Raise UnusableName for empty text, other scripts, or mixed scripts in one word."""
    if not text or not text.strip():
        raise UnusableName("empty name")
    for word in re.split(r"[\s,]+", text.strip()):
        scripts: set[str] = set()
        for ch in word:
            if ch in _SEPARATORS or unicodedata.category(ch) in {"Mn", "Lm"}:
                continue
            script = script_of(ch)
            if script is None:
                raise UnusableName("invalid characters in name")
            if script not in SUPPORTED_SCRIPTS:
                raise UnusableName(f"unsupported script: {script}")
            scripts.add(script)
        if len(scripts) > 1:
            raise UnusableName("mixed scripts in one name part: " + "/".join(sorted(scripts)))
    if not any(script_of(ch) for ch in text):
        raise UnusableName("empty name")


@lru_cache(maxsize=500_000)
def name_part(text: str, slavic: bool | None = None, ukrainian: bool = False) -> NamePart:
    """Keys of one name part; slavic/ukrainian describe the whole name (see keys.fine_keys)."""
    fine, *alts = fine_keys(text, slavic, ukrainian)
    return NamePart(
        fine,
        skeleton(fine),
        tuple((a, skeleton(a)) for a in alts),
        tuple(dict.fromkeys(skeleton(k) for k in strict_keys(text, bool(slavic)))),
        spelling_key(text),
    )


def name_context(*texts: str | None) -> tuple[bool, bool]:
    """(slavic, ukrainian) for a whole name from all of its parts."""
    parts = [t for t in texts if t]
    slavic = any(looks_slavic(t) for t in parts if not any(is_hangul(ch) for ch in t))
    return slavic, any(looks_ukrainian(t) for t in parts)


def _initials(token: str) -> list[str] | None:
    if "." not in token:
        return None
    pieces = [p for p in token.split(".") if p]
    if pieces and all(len(p) <= 2 for p in pieces):
        return pieces
    return None


def _is_patronymic(token: str, *, strong_only: bool) -> bool:
    piv = pivot(token)
    if len(piv) < 6:
        return False
    return bool(_PATRONYMIC.search(piv)) or (not strong_only and bool(_PATRONYMIC_WEAK.search(piv)))


_name_part = name_part


def _initial_key(letters: str) -> str:
    key = fine_key(letters)
    return key[:1]


def readings(name: str) -> list[Reading]:
    """Every plausible reading of a full name; raises UnusableName with a safe reason."""
    check_text(name)
    raw = [t for t in re.split(r"[\s,]+", name.strip()) if t]
    tokens: list[str] = []
    initials: list[str] = []
    for tok in raw:
        inits = _initials(tok)
        if inits is not None:
            initials.extend(inits)
        else:
            tokens.extend(t for t in tok.split(".") if t)
    tokens = [t for t in tokens if any(script_of(ch) for ch in t)]
    if not tokens:
        raise UnusableName("empty name" if not initials else "only initials, no family name")

    patronymic: str | None = None
    if len(tokens) >= 3:
        found = [t for t in tokens if _is_patronymic(t, strong_only=False)]
        strong = [t for t in found if _is_patronymic(t, strong_only=True)]
        pick = strong or found
        if pick:
            patronymic = pick[-1]
            tokens = [t for t in tokens if t is not patronymic]
    slavic, ukrainian = name_context(*tokens, *initials)
    slavic = slavic or patronymic is not None

    def name_part(text: str) -> NamePart:  # every part read in the whole name's context
        return _name_part(text, slavic, ukrainian)

    patr = name_part(patronymic) if patronymic else None

    out: list[Reading] = []
    if initials:
        g_init = _initial_key(initials[0])
        p_init = _initial_key(initials[1]) if len(initials) > 1 else None
        out.append(Reading(name_part(" ".join(tokens[:1])), None, patr, g_init or None, p_init or None))
        if len(tokens) > 1:
            out.append(Reading(name_part(tokens[-1]), None, patr, g_init or None, p_init or None))
        return out

    if len(tokens) == 1:
        tok = tokens[0]
        hangul = [ch for ch in tok if is_syllable(ch)]
        if len(hangul) >= 2:
            fam_text, given_text = split_korean(tok)
            out.append(Reading(name_part(fam_text), name_part(given_text), patr))
        out.append(Reading(name_part(tok), None, patr))
        return out

    first, rest = tokens[0], tokens[1:]
    out.append(Reading(name_part(first), name_part(" ".join(rest)), patr))
    last, before = tokens[-1], tokens[:-1]
    # Given Patronymic Family is the normal Slavic order; otherwise family-last
    # is the rarer reading and breaks ties against family-first.
    last_prior = 0.0 if patronymic is not None else _FAMILY_LAST_PRIOR
    out.append(Reading(name_part(last), name_part(" ".join(before)), patr, prior=last_prior))
    if len(tokens) == 3 and patronymic is None and all(len(pivot(t)) >= 5 for t in tokens):
        # Slavic order with an unrecognised patronymic: Family Given Patronymic / Given Patronymic Family.
        out.append(Reading(name_part(tokens[0]), name_part(tokens[1]), name_part(tokens[2])))
        out.append(Reading(name_part(tokens[2]), name_part(tokens[0]), name_part(tokens[1])))
    return out


def is_apostrophe(ch: str) -> bool:
    return ch in _APOSTROPHE_LIKE
