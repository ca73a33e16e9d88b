"""Errors of the exchange core.

Messages name rows, fields, quotas and case ids: never a person's name, birth date or statement,
because an error message ends up in terminals, logs and bug reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from powcase.errors import InvalidInput

# A message lists this many problems; `.problems` keeps all of them.
_SHOWN = 20


class ListError(InvalidInput):
    """A list file cannot be imported; nothing from it was imported.

    Every problem found is in `.problems` (one string per problem, each starting with its row),
    so the clerk fixes the file in one pass instead of one error per attempt.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:_SHOWN])
        more = len(self.problems) - _SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n  {shown}{tail}")


class TermsError(InvalidInput):
    """The terms of an exchange cannot be met; `.quota` names the quota at fault, if one is."""

    def __init__(self, message: str, *, quota: str | None = None) -> None:
        self.quota = quota
        super().__init__(message)
