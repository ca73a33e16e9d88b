"""The case summary is in clear and editable by whoever holds the database: it is never taken
as fact. Each write records, in the witness, a fingerprint of the summary row it wrote; a list
uses a row only if its fingerprint is the one the witness holds for the case's head, and
recomputes the row from the (verified) events otherwise.

The fingerprint covers every column that follows from the events alone. The service-number
digest is keyed (it changes when the master key rotates) and ``last_occurred_on`` is not shown;
``audit verify`` checks the digest against the events, and ``powcase rebuild`` recomputes both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import RowMapping

FINGERPRINTED = (
    "case_id", "nationality", "armed_force", "power_of_dependence", "status", "place",
    "registered_on", "captured_on", "last_seq",
)


def fingerprint(row: Mapping[str, Any] | RowMapping) -> str:
    # repr of a tuple of str, int, date and None is unambiguous and cheap (a list checks every row).
    values = tuple(row[name].isoformat() if isinstance(row[name], date) else row[name] for name in FINGERPRINTED)
    return hashlib.sha256(repr(values).encode()).hexdigest()
