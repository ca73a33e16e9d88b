"""Why a bundle or an enrolment is refused. One line each; the store is unchanged."""

from __future__ import annotations

from powcase.errors import InvalidInput


class BundleRefused(InvalidInput):
    """A bundle that is not applied: unreadable, not for us, not from a current peer, altered,
    replayed, or carrying chains that do not verify. Nothing was written."""
