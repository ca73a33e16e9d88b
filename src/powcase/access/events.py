"""The access layer's event, a disclosure, lives with the other events in the domain; this
module names it where the sharing gate looks for it."""

from powcase.domain.events import (
    DISCLOSURE_ID_PATTERN,
    DisclosableField,
    Disclosed,
    Purpose,
    RecipientKind,
)

__all__ = ["DISCLOSURE_ID_PATTERN", "DisclosableField", "Disclosed", "Purpose", "RecipientKind"]
