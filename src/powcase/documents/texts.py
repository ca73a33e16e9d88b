"""The words on the documents: labels and the notice of rights, in English, Korean, Russian and
Ukrainian, each with its review status.

A translation counts as reviewed only when `texts/reviews.yaml` holds a sign-off naming the SHA-256
of the exact text: a later edit of a single word brings back "pending review by a qualified
translator" on every printed copy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from powcase.errors import InvalidInput

LANGUAGES = ("en", "ko", "ru", "uk")

# The register records languages as ISO 639-3 codes; documents use the two-letter ones.
_FROM_ISO3 = {"eng": "en", "kor": "ko", "rus": "ru", "ukr": "uk"}
# The language of a detaining power's own documents.
_OF_STATE = {"UKR": "uk", "RUS": "ru", "KOR": "ko", "PRK": "ko"}


def language_of(iso3_codes: list[str]) -> str:
    """His first language that a document exists in; English otherwise."""
    return next((_FROM_ISO3[c] for c in iso3_codes if c in _FROM_ISO3), "en")


def language_of_state(state: str | None) -> str:
    return _OF_STATE.get(state or "", "en")


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInput(f"--lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    return lang


def _read(name: str) -> Any:
    return yaml.safe_load(resources.files("powcase.documents").joinpath("texts", name).read_text(encoding="utf-8"))


@cache
def labels() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = _read("labels.yaml")
    return data


def label(key: str, lang: str) -> str:
    return labels()[key][lang]


@cache
def notice_text(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = _read("notice.yaml")[check_language(lang)]
    return data


def text_digest(lang: str) -> str:
    """SHA-256 of one language's notice text and labels, as a reviewer signs it off."""
    document = {"notice": notice_text(lang), "labels": {k: v[lang] for k, v in labels().items()}}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Review:
    lang: str
    reviewed: bool
    reviewer: str | None = None
    reviewed_on: date | None = None

    def line(self) -> str:
        if self.lang == "en":
            return "English: the text of reference"
        if not self.reviewed:
            return label("pending_review", self.lang)
        return f"{label('reviewed_by', self.lang)}: {self.reviewer}, {self.reviewed_on}"


def review_of(lang: str, reviews: list[dict[str, Any]] | None = None) -> Review:
    """English is the text of reference; every other language needs a sign-off of its exact text
    (`reviews`: the sign-offs, by default those recorded in texts/reviews.yaml)."""
    if lang == "en":
        return Review(lang, True)
    digest = text_digest(lang)
    for entry in (_read("reviews.yaml") or []) if reviews is None else reviews:
        if entry.get("lang") == lang and entry.get("sha256") == digest:
            return Review(lang, True, str(entry["reviewer"]), entry.get("reviewed_on"))
    return Review(lang, False)
