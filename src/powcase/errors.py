"""The errors a user of powcase can catch.

PowcaseError
 ├── InvalidInput          bad input: names the field and the value, writes nothing
 │    └── InvariantViolation   a fact contradicts the case's history (e.g. dated before capture)
 ├── NotFound              no such case, event or key
 ├── Conflict              a stale writer: someone appended to the case first
 ├── IntegrityFailure      a hash chain does not verify
 ├── KeyUnavailable        the master key is missing or a case's data key was erased
 └── NotPermitted          the law engine or an authorisation refuses the action

Messages carry case ids, event numbers and field names, never a person's name or statement:
an error message ends up in terminals, logs and bug reports.
"""

from __future__ import annotations


class PowcaseError(Exception):
    """Base of every error powcase raises on purpose."""


class InvalidInput(PowcaseError):
    """Input that cannot be accepted; nothing was written."""


class InvariantViolation(InvalidInput):
    """A new fact that contradicts what the case already holds."""


class NotFound(PowcaseError):
    """The case, event or key asked for does not exist."""


class Conflict(PowcaseError):
    """The case changed since the writer read it; nothing was written."""


class IntegrityFailure(PowcaseError):
    """Stored history does not match its hash chain."""


class KeyUnavailable(PowcaseError):
    """A key needed to read personal data is missing or was destroyed."""


class NotPermitted(PowcaseError):
    """The action is refused by the law engine or by authorisation."""
