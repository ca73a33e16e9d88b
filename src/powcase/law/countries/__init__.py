"""Dated country evidence profiles (R27, R29).

A profile states what the cited evidence says about people of a category returned to a country,
and where that country is likely to send them on. It is evidence, never a verdict: `risk.py`
combines it with the case's personal factors, recorded assessments and the rulebook's dated
presumptions.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from importlib import resources

from pydantic import BaseModel, ConfigDict

from powcase.law.packaged import load_packaged


class Indication(StrEnum):
    """What the evidence of a profile entry indicates."""

    REAL_RISK = "real_risk"  # the cited evidence shows a real risk for the category
    RISK_FACTOR = "risk_factor"  # raises the risk; an individual assessment must weigh it
    NO_PATTERN_RECORDED = "no_pattern_recorded"  # the rulebook holds no such evidence


class Likelihood(StrEnum):
    """How likely a country is to hand a person on to another state (chain refoulement)."""

    LIKELY = "likely"
    NONE_KNOWN = "none_known"


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    indicates: Indication
    statement: str
    sources: tuple[str, ...]


class CategoryEvidence(Evidence):
    category: str
    valid_from: date


class OnwardRemoval(BaseModel):
    """Evidence that `country` hands nationals of `nationals_of` on to `to` (HRC-GC31-12)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nationals_of: str
    to: str
    valid_from: date
    likelihood: Likelihood
    statement: str
    sources: tuple[str, ...]


class CountryProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str
    name: str
    valid_from: date
    reviewed_on: date
    general_situation: Evidence
    categories: tuple[CategoryEvidence, ...] = ()
    onward_removal: tuple[OnwardRemoval, ...] = ()

    def category(self, category: str, on: date) -> CategoryEvidence | None:
        """The evidence for a category of people, if any is in force on the date."""
        for entry in self.categories:
            if entry.category == category and entry.valid_from <= on:
                return entry
        return None

    def onward(self, nationality: str, on: date) -> tuple[OnwardRemoval, ...]:
        """Evidence about handing on a national of `nationality`, in force on the date."""
        return tuple(
            entry
            for entry in self.onward_removal
            if entry.nationals_of == nationality and entry.valid_from <= on
        )

    def citations(self) -> tuple[str, ...]:
        cited = list(self.general_situation.sources)
        for entry in self.categories:
            cited.extend(entry.sources)
        for onward in self.onward_removal:
            cited.extend(onward.sources)
        return tuple(cited)


def load_country_profiles() -> dict[str, CountryProfile]:
    """Every profile shipped in `law/countries/*.yaml`, by ISO 3166 alpha-3 code."""
    profiles: dict[str, CountryProfile] = {}
    folder = resources.files("powcase.law.countries")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        profile = CountryProfile.model_validate(load_packaged(entry.read_text(encoding="utf-8")))
        profiles[profile.country] = profile
    return profiles
