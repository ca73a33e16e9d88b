"""Who goes first when the terms leave fewer places than eligible people.

Default policy (the numbers move to the rulebook later; until then they are this object's
defaults, and a deployment passes its own):

1. GC III Arts 109-110: the seriously wounded and seriously sick are to be sent back once fit to
   travel; the law engine marks them eligible only when they consent (Art 109(3), R11), so the
   bonus here only ever reaches those who want to go;
2. the agreement's own order of priority among its categories;
3. length of captivity (Art 109(2) names "a long period of captivity"), capped so that years of
   captivity never outweigh a category above.

The weights are additive. With the defaults one Art 109-110 person outweighs any one other
person whatever his other categories, as long as the agreement orders at most nine categories.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from powcase.exchange.model import SERIOUSLY_SICK, SERIOUSLY_WOUNDED, Category, Frozen, Terms

Weight = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class Candidate(Frozen):
    """One person who could go on our list. `eligible` comes from the law engine (R16)."""

    case_id: str = Field(min_length=1)
    eligible: bool
    categories: frozenset[Category] = frozenset()
    captivity_days: Annotated[int, Field(ge=0)] = 0
    # Added to the policy's weight: a case-specific priority the lead supplies (default none).
    priority_weight: Weight = 0.0


class PriorityPolicy(Frozen):
    # Above zero, so that every eligible person adds value and a list is never left short.
    base: Annotated[float, Field(gt=0.0, allow_inf_nan=False)] = 1.0
    art109_categories: frozenset[Category] = frozenset({SERIOUSLY_WOUNDED, SERIOUSLY_SICK})
    art109_weight: Weight = 100.0
    # Highest category in the agreement's order gets step * len(order), the next one step less.
    agreement_order_step: Weight = 10.0
    per_captivity_year: Weight = 1.0
    captivity_cap_years: Weight = 5.0

    @model_validator(mode="after")
    def _captivity_below_categories(self) -> PriorityPolicy:
        if self.per_captivity_year * self.captivity_cap_years >= self.agreement_order_step > 0:
            raise ValueError("capped captivity weight must stay below one step of the agreement's order")
        return self

    def weight(self, candidate: Candidate, terms: Terms) -> float:
        w = self.base + candidate.priority_weight
        if candidate.categories & self.art109_categories:
            w += self.art109_weight
        order = terms.priority
        for rank, category in enumerate(order):
            if category in candidate.categories:
                w += self.agreement_order_step * (len(order) - rank)
                break
        years = min(candidate.captivity_days / 365.25, self.captivity_cap_years)
        return w + self.per_captivity_year * years
