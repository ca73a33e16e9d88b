"""The gate every use case passes: authorize, and write the access log, allowed or refused.

How the app uses it, for one use case::

    gate.check(user, "show_identity", case_id, purpose="casework")   # own transaction; raises
    with store.begin() as tx:
        gate.record(tx.conn, user, "show_identity", case_id, purpose="casework")
        ... the action ...

``check`` runs before the action's transaction: a refusal is committed in a transaction of its
own and then raised, so it stays in the log although nothing else happens. (On SQLite a second
transaction cannot even start while the action's holds the write lock.) ``record`` writes the
allowed access in the action's transaction, so it stands or falls with the action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from powcase.access.audit import ACTIONS, PURPOSES, check_purpose, record_access
from powcase.access.duties import check_two_people, load_standing
from powcase.access.permissions import AccessRefused, User, authorize, authorize_pair, rule_for
from powcase.store.crypto import MasterKey

# The default confirmation window of separation of duties (``LoginPolicy.confirmation_window``).
CONFIRMATION_WINDOW = timedelta(days=30)


class AccessGate:
    def __init__(
        self, engine: Engine, master_key: MasterKey, clock: Callable[[], datetime],
        confirmation_window: timedelta = CONFIRMATION_WINDOW,
    ) -> None:
        self.engine = engine
        self.master_key = master_key
        self.clock = clock
        self.confirmation_window = confirmation_window

    def check(
        self, user: User, use_case: str, case_id: str | None = None, *,
        fields: Iterable[str] | None = None, purpose: str | None = None, purpose_required: bool = False,
    ) -> None:
        """Raise :class:`AccessRefused` (a ``NotPermitted``), after logging it, unless allowed."""
        try:
            if purpose_required and purpose is None:
                raise AccessRefused(f"{use_case} needs a purpose", "no_purpose")
            check_purpose(purpose)
            authorize(user, use_case, case_id)
        except AccessRefused as exc:
            self.refuse(user.name, use_case, exc.code, case_id, fields=fields, purpose=purpose)
            raise

    def check_pair(self, use_case: str, first: User, second: User, case_id: str | None = None) -> None:
        """A use case the table marks ``together``: both roles, two people, separation of duties."""
        try:
            authorize_pair(use_case, first, second, case_id)
        except AccessRefused as exc:
            self._refuse_both(use_case, first, second, exc.code, case_id)
            raise
        self.check_two_people(use_case, first, second, case_id)

    def check_two_people(self, use_case: str, first: User, second: User, case_id: str | None = None) -> None:
        """Two accounts that are two people: each confirmed, neither vouched for by the other,
        not both by the same person within the confirmation window (access/duties.py)."""
        try:
            with self.engine.begin() as conn:
                parties = [(u, load_standing(conn, u)) for u in (first, second)]
            check_two_people(use_case, parties, self.clock(), self.confirmation_window)
        except AccessRefused as exc:
            self._refuse_both(use_case, first, second, exc.code, case_id)
            raise

    def _refuse_both(self, use_case: str, first: User, second: User, code: str, case_id: str | None) -> None:
        # Logged under both names: either of them may be the one trying to act alone.
        for user in {first.name: first, second.name: second}.values():
            self.refuse(user.name, use_case, code, case_id)

    def record(
        self, conn: Connection, user: User, use_case: str, case_id: str | None = None, *,
        fields: Iterable[str] | None = None, purpose: str | None = None,
    ) -> int:
        """Log an allowed access inside the action's transaction."""
        return record_access(
            conn, self.master_key, at=self.clock(), actor=user.name, action=use_case, case_id=case_id,
            fields=self._fields(use_case, fields), purpose=purpose, outcome="allowed",
        )

    def refuse(
        self, actor: str, action: str, code: str, case_id: str | None = None, *,
        fields: Iterable[str] | None = None, purpose: str | None = None,
    ) -> None:
        """Log a refusal in a transaction of its own. Never call it inside an open transaction."""
        if action not in ACTIONS:
            return  # an unknown use case is a programming error; it cannot name a log record
        with self.engine.begin() as conn:
            record_access(
                conn, self.master_key, at=self.clock(), actor=actor, action=action, case_id=case_id,
                fields=self._fields(action, fields), purpose=purpose if purpose in PURPOSES else None,
                outcome="refused", reason=code,
            )

    @staticmethod
    def _fields(use_case: str, fields: Iterable[str] | None) -> tuple[str, ...]:
        if fields is not None:
            return tuple(fields)
        try:
            return rule_for(use_case).reads
        except AccessRefused:
            return ()

