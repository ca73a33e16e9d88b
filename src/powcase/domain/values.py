"""Value types shared by events, the case fold and the law engine.

Codes are validated against ISO tables (pycountry) so that a typo such as ``PKR`` for the DPRK is
refused at the door instead of silently creating a country the law engine knows nothing about.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from powcase.domain.text import NameText


@cache
def _alpha3_countries() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def _languages() -> dict[str, str]:
    """Every ISO 639-1 and 639-3 code mapped to its 639-3 form.

    Read from pycountry's own ISO 639-3 table with json: pycountry builds an object per language
    (8,000 of them), which was a fifth of a second of every command that read a case."""
    path = Path(pycountry.DATABASE_DIR) / "iso639-3.json"
    table: dict[str, str] = {}
    for lang in json.loads(path.read_text(encoding="utf-8"))["639-3"]:
        table[lang["alpha_3"]] = lang["alpha_3"]
        two = lang.get("alpha_2")
        if two:
            table[two] = lang["alpha_3"]
    return table


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code not in _alpha3_countries():
        raise ValueError(f"unknown country code {value!r} (ISO 3166-1 alpha-3 expected, e.g. PRK, RUS, UKR, KOR)")
    return code


def language_code(value: str) -> str:
    code = value.strip().lower()
    try:
        return _languages()[code]
    except KeyError:
        raise ValueError(f"unknown language code {value!r} (ISO 639, e.g. kor, rus, ukr)") from None


CountryCode = Annotated[str, AfterValidator(country_code)]
LanguageCode = Annotated[str, AfterValidator(language_code)]


class Model(BaseModel):
    """Immutable, strict about unknown fields: a misspelt field must not vanish silently."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PersonName(Model):
    """A name as written in the person's own script and in Latin letters (GC III Art 17).

    Each form is cleaned at the door by :func:`powcase.domain.text.clean_name`."""

    native: NameText | None = None
    latin: NameText | None = None

    @model_validator(mode="after")
    def _some_form(self) -> PersonName:
        if not (self.native or self.latin):
            raise ValueError("a name needs its native or its Latin form")
        return self


class StatedWish(StrEnum):
    """What the prisoner said he wants, in an interview."""

    REPATRIATION = "repatriation"
    NO_REPATRIATION = "no_repatriation"
    THIRD_STATE = "third_state"
    STAY = "stay"
    UNDECIDED = "undecided"


class CaptureCircumstance(StrEnum):
    CAPTURED = "captured"
    SURRENDERED = "surrendered"
    WOUNDED = "wounded"


class Authenticity(StrEnum):
    GENUINE = "genuine"
    FALSE = "false"
    UNKNOWN = "unknown"


class PlaceKind(StrEnum):
    CAMP = "camp"
    TRANSIT_CAMP = "transit_camp"
    HOSPITAL = "hospital"
    PENAL = "penal"
    OTHER = "other"


class Art110Category(StrEnum):
    """GC III Art 110 categories, paragraph and item."""

    INCURABLE = "110-1-1"  # incurably wounded/sick, fitness gravely diminished
    NOT_RECOVERING_WITHIN_YEAR = "110-1-2"  # not likely to recover within one year
    PERMANENTLY_DIMINISHED = "110-1-3"  # recovered but fitness gravely and permanently diminished
    RECOVERY_WITHIN_YEAR = "110-2-1"  # neutral accommodation: recovery expected within a year
    THREATENED_BY_CAPTIVITY = "110-2-2"  # neutral accommodation: health seriously threatened


class AssessedBy(StrEnum):
    MIXED_MEDICAL_COMMISSION = "mixed_medical_commission"
    PHYSICIAN = "physician"
    MANIFEST = "manifest"  # GC III Art 112(2): manifestly seriously injured or sick


class PresentRole(StrEnum):
    """Who else was in the room during an interview (R20: privacy)."""

    DETAINING_POWER_STAFF = "detaining_power_staff"
    DETAINING_POWER_SECURITY = "detaining_power_security"
    NEUTRAL_OBSERVER = "neutral_observer"
    POWER_OF_ORIGIN_REPRESENTATIVE = "power_of_origin_representative"
    THIRD_STATE_REPRESENTATIVE = "third_state_representative"
    FELLOW_PRISONER = "fellow_prisoner"
    MEDIA = "media"
    MEDICAL_STAFF = "medical_staff"
    LEGAL_COUNSEL = "legal_counsel"
    OTHER = "other"


class Disposition(StrEnum):
    """The dispositions of the decision table (rulebook section 3)."""

    REPATRIATION = "D1"
    EXCHANGE = "D2"
    DIRECT_REPATRIATION = "D3"
    NEUTRAL_ACCOMMODATION = "D4"
    THIRD_STATE_TRANSFER = "D5"
    RELEASE = "D6"
    CONTINUED_INTERNMENT = "D7"


class TransferKind(StrEnum):
    """Transfers out of the detaining power's custody, each tied to one disposition."""

    REPATRIATION = "repatriation"
    EXCHANGE = "exchange"
    DIRECT_REPATRIATION = "direct_repatriation"
    NEUTRAL_ACCOMMODATION = "neutral_accommodation"
    THIRD_STATE = "third_state"
    RELEASE = "release"

    @property
    def disposition(self) -> Disposition:
        return _TRANSFER_DISPOSITION[self]


_TRANSFER_DISPOSITION = {
    TransferKind.REPATRIATION: Disposition.REPATRIATION,
    TransferKind.EXCHANGE: Disposition.EXCHANGE,
    TransferKind.DIRECT_REPATRIATION: Disposition.DIRECT_REPATRIATION,
    TransferKind.NEUTRAL_ACCOMMODATION: Disposition.NEUTRAL_ACCOMMODATION,
    TransferKind.THIRD_STATE: Disposition.THIRD_STATE_TRANSFER,
    TransferKind.RELEASE: Disposition.RELEASE,
}


class RiskConclusion(StrEnum):
    REAL_RISK = "real_risk"
    NO_REAL_RISK = "no_real_risk"


class CaseStatus(StrEnum):
    INTERNED = "interned"
    TRANSFERRED = "transferred"
    DIED = "died"
    ESCAPED = "escaped"
    ERASED = "erased"
