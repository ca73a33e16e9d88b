"""The situation a case is decided in: the state of hostilities and the agreements in force.

It is dated so that a determination as of any day sees the situation of that day: the cessation
of active hostilities (GC III Art 118) switches the law from internment to release and repatriation.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from powcase.domain.values import CountryCode, Model

Hostilities = Literal["ongoing", "ceased"]


class HostilitiesPeriod(Model):
    state: Hostilities
    since: date


class Agreement(Model):
    """A special agreement (GC III Art 6, 109-111, 118): an exchange, a repatriation plan, a
    neutral accommodation or a third-state reception."""

    id: str = Field(min_length=1)
    kind: Literal["exchange", "repatriation", "neutral_accommodation", "third_state"]
    parties: list[CountryCode] = Field(min_length=1)
    signed_on: date
    # Where the men handed over go: for an exchange with Russia that is RUS (and then, for a DPRK
    # national, the law engine works out the onward state).
    receiving_state: CountryCode | None = None
    categories: list[str] = Field(default_factory=list)
    ends_on: date | None = None


class Context(Model):
    detaining_power: CountryCode
    hostilities: list[HostilitiesPeriod] = Field(min_length=1)
    agreements: list[Agreement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Context:
        dates = [p.since for p in self.hostilities]
        if dates != sorted(dates):
            raise ValueError("hostilities: periods must be in date order")
        return self

    def hostilities_on(self, day: date) -> HostilitiesPeriod | None:
        """The hostilities period in force on a day, or None before the first one."""
        current = None
        for period in self.hostilities:
            if period.since <= day:
                current = period
        return current

    def agreements_on(self, day: date) -> list[Agreement]:
        return [a for a in self.agreements if a.signed_on <= day and (a.ends_on is None or day <= a.ends_on)]
