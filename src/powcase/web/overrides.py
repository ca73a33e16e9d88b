"""Overrides waiting for their second legal officer.

An override of the execution guard is granted by two people who may each record one, both
authenticated (Office.grant_override). On the web the first proposes; the proposal waits here
until a second, different legal officer, logged in on his own session, confirms it; only then is
the OverrideGranted event recorded, by the Office, with both names. A proposal is not a record:
it is held in this process's memory and lost on restart (the first proposes again).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Proposal:
    id: str
    case_id: str
    disposition: str
    reason: str
    on: date
    proposed_by: str


class PendingOverrides:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Proposal] = {}

    def propose(self, case_id: str, disposition: str, reason: str, on: date, by: str) -> Proposal:
        proposal = Proposal("OV-" + secrets.token_hex(6), case_id, disposition, reason, on, by)
        with self._lock:
            self._items[proposal.id] = proposal
        return proposal

    def for_case(self, case_id: str) -> list[Proposal]:
        with self._lock:
            return [p for p in self._items.values() if p.case_id == case_id]

    def take(self, proposal_id: str) -> Proposal | None:
        with self._lock:
            return self._items.pop(proposal_id, None)

    def put_back(self, proposal: Proposal) -> None:
        with self._lock:
            self._items[proposal.id] = proposal
