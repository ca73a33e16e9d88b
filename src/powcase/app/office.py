"""The office: every use case as a named user does it, authorised and written to the access log.

`Powcase` (service.py) is the unit of work and trusts its caller; `Office` is the caller every
person goes through, on the command line and later over HTTP: it asks the permission table
(docs/permissions.md) first, logs the access (allowed or refused) in the hash-chained access log,
and only then acts. Outputs leave through the sharing gate: lists are pseudonymised, and a
person's statements are shown only to roles that need them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from powcase.access.accounts import Accounts
from powcase.access.audit import AccessRecord, show, verify_audit
from powcase.access.gate import AccessGate
from powcase.access.keys import rotate_master_key
from powcase.access.permissions import AccessRefused, User, authorize, record_use_case
from powcase.access.preferences import language_of, store_language
from powcase.access.retention import Due, RetentionPolicy, due_for_erasure
from powcase.access.sharing import (
    Disclosure,
    check_disclosure_all,
    new_disclosure_id,
    origin_states,
    propose_withholding,
    pseudonymise,
    real_risk_for_origin,
)
from powcase.app.decisions import Determined, determine_all, determine_stored
from powcase.app.exchanges import ExchangePlan, Execution, execute_exchange, plan_exchange
from powcase.app.interviews import InterviewPreview, preview_interview
from powcase.app.service import Powcase
from powcase.app.tracing import search
from powcase.domain.case import Case, fold
from powcase.domain.casefile import CaseFile
from powcase.domain.context import Context
from powcase.domain.events import (
    Corrected,
    Event,
    Interviewed,
    Notified,
    OverrideGranted,
    RecordedEvent,
    Registered,
)
from powcase.domain.values import Disposition
from powcase.errors import InvalidInput, NotPermitted
from powcase.exchange import Exchange
from powcase.law import Determination, RiskStatus, Rulebook, determine
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import ChainBreak
from powcase.tracing import MatchResult

# Recipients through whom a notification reaches his own state.
_TOWARD_ORIGIN = ("power_of_origin", "information_bureau")

# What "statements" are (use case show_statements): his words and wishes in interviews.
STATEMENT_FIELDS = ("stated_wish", "wish_state", "reasons", "words_original", "words_translated")


@dataclass(frozen=True)
class CasePage:
    case: Case
    statements: bool  # whether his words and wishes may be shown to this user
    history: list[RecordedEvent] | None  # None: the role may not read the full history
    determination: Determination | None  # None: the role may not run the law


@dataclass
class Office:
    pw: Powcase
    accounts: Accounts
    user: User

    @property
    def gate(self) -> AccessGate:
        return self.accounts.gate

    def _pass(self, use_case: str, case_id: str | None = None, *, fields: Sequence[str] | None = None,
              purpose: str | None = None) -> None:
        """Authorise (a refusal is logged and raised), then log the allowed access."""
        self.gate.check(self.user, use_case, case_id, fields=fields, purpose=purpose)
        with self.pw.store.engine.begin() as conn:
            self.gate.record(conn, self.user, use_case, case_id, fields=fields, purpose=purpose)

    def language(self) -> str | None:
        """The language this person chose for the web pages (no case data: not logged)."""
        return language_of(self.pw.store.engine, self.user)

    def set_language(self, language: str) -> None:
        self.gate.check(self.user, "set_language")
        with self.pw.store.engine.begin() as conn:
            store_language(conn, self.user, language)
            self.gate.record(conn, self.user, "set_language")

    def require(self, use_case: str, case_id: str | None = None) -> None:
        """Refuse (and log the refusal) unless the table allows it; reads and writes nothing else.
        For a page that shows a form: the form of a use case one may not perform is not shown."""
        self.gate.check(self.user, use_case, case_id)

    def may(self, use_case: str, case_id: str | None = None) -> bool:
        """Whether the table allows it; asked quietly, to decide what to show, never to act."""
        try:
            authorize(self.user, use_case, case_id)
        except AccessRefused:
            return False
        return True

    # --- writing ------------------------------------------------------------------------------

    def register(self, person: Registered, case_id: str | None = None) -> str:
        self._pass("register", case_id)
        return self.pw.register(person, self.user.name, case_id)

    def record(self, case_id: str, event: Event, expected_seq: int | None = None) -> RecordedEvent:
        if not event.command:
            raise InvalidInput(f"type: {event.type} is not recorded with `record`")
        if isinstance(event, OverrideGranted):
            raise InvalidInput("type: an override is granted by two people together: use `powcase override`")
        if isinstance(event, Corrected):
            # A correction rewrites the event it names: it needs the right to record that too.
            target = next((r for r in self.pw.history(case_id) if r.seq == event.corrects_seq), None)
            if target is not None and target.event is not None and target.event.command:
                self._pass(record_use_case(target.event.command), case_id)
        self._pass(record_use_case(event.command), case_id)
        if isinstance(event, Notified) and event.action == "sent" and event.recipient in _TOWARD_ORIGIN:
            self._propose_withholding(case_id, event)
        return self.pw.record(case_id, event, self.user.name, expected_seq)

    def _propose_withholding(self, case_id: str, event: Notified) -> None:
        """A notification that would reach his power of origin goes through the sharing gate: where
        the law engine, or a recorded assessment, finds a real risk there, it is refused and its
        withholding proposed (GC III Art 122-123 read with R25; docs/data-protection.md)."""
        case = self.pw.case(case_id, event.occurred_on)
        origin = origin_states(case)
        d = determine(case, self.pw.rulebook, event.occurred_on, self.pw.context)
        engine_says = any(r.status is RiskStatus.REAL_RISK and set(r.chain) & origin for r in d.risk)
        reason = propose_withholding(case, engine_says or real_risk_for_origin(case))
        if reason:
            raise NotPermitted(
                f"case {case_id}: notification to the {event.recipient.replace('_', ' ')} not sent. {reason} "
                "Record it withheld (--set action=withheld --set reason=...), or notify the central agency."
            )

    def grant_override(
        self, case_id: str, disposition: Disposition, reason: str, second: User, on: date
    ) -> RecordedEvent:
        """An override of the execution guard: two different people who may each record one,
        both authenticated, named as its approvers (ARCHITECTURE property 1)."""
        if second.id == self.user.id:
            self.gate.refuse(self.user.name, "record_override", "same_person", case_id)
            raise AccessRefused("an override needs two different people", "same_person")
        for person in (self.user, second):
            self.gate.check(person, "record_override", case_id)
        with self.pw.store.engine.begin() as conn:
            for person in (self.user, second):
                self.gate.record(conn, person, "record_override", case_id)
        event = OverrideGranted(occurred_on=on, disposition=disposition, reason=reason, approvers=[self.user.name, second.name])
        return self.pw.record(case_id, event, f"{self.user.name} + {second.name}")

    def import_casefiles(self, files: Sequence[CaseFile], progress: Any = None) -> list[str]:
        self._pass("import")
        return self.pw.import_casefiles(files, self.user.name, progress)

    def erase(self, case_id: str, reason: str, second: User) -> None:
        """Two different people, an administrator and a legal officer, act together."""
        self.gate.check_pair("erase", self.user, second, case_id)
        with self.pw.store.engine.begin() as conn:
            for person in (self.user, second):
                self.gate.record(conn, person, "erase", case_id)
        self.pw.erase(case_id, reason, f"{self.user.name} + {second.name}")

    # --- reading ------------------------------------------------------------------------------

    def list_cases(self, nationality: str | None = None, place: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        self._pass("list_pseudonymised")
        return [pseudonymise(s.as_dict()) for s in self.pw.list_cases(nationality, place, status)]

    def case(self, case_id: str, as_of: date | None = None) -> tuple[Case, bool]:
        """The case, and whether his statements may be shown to this user."""
        statements = self.may("show_statements", case_id)
        self._pass("show_identity", case_id, fields=("identity", "interviews") if statements else ("identity",))
        return self.pw.case(case_id, as_of), statements

    def case_page(self, case_id: str, as_of: date) -> CasePage:
        """Everything the case page shows, as this user may see it, in one read: his identity (the
        page's purpose: refused without the right), the history and the law's determination where
        the table allows them. Each access is logged as its own use case, in the read's transaction."""
        statements = self.may("show_statements", case_id)
        identity_fields = ("identity", "interviews") if statements else ("identity",)
        self.gate.check(self.user, "show_identity", case_id, fields=identity_fields)
        with_history, with_law = self.may("history", case_id), self.may("determine", case_id)
        with self.pw.store.begin() as tx:
            history = tx.history(case_id)
            self.gate.record(tx.conn, self.user, "show_identity", case_id, fields=identity_fields)
            for use_case, wanted in (("history", with_history), ("determine", with_law)):
                if wanted:
                    self.gate.record(tx.conn, self.user, use_case, case_id)
        case = fold(history, as_of)
        determination = determine(case, self.pw.rulebook, as_of, self.pw.context) if with_law and not case.erased else None
        return CasePage(case, statements, history if with_history else None, determination)

    def history(self, case_id: str) -> tuple[list[RecordedEvent], bool]:
        statements = self.may("show_statements", case_id)
        self._pass("history", case_id)
        return self.pw.history(case_id), statements

    def export_pseudonymised(self) -> list[dict[str, Any]]:
        """Every case through the sharing gate: what a list shows, nothing more."""
        self._pass("export_pseudonymised")
        return [pseudonymise(s.as_dict()) for s in self.pw.list_cases()]

    def export(self, case_id: str, purpose: str | None) -> dict[str, Any]:
        """A case file with his identity and statements leaves the system: a purpose is required."""
        self.gate.check(self.user, "export_identified", case_id, purpose=purpose, purpose_required=True)
        with self.pw.store.engine.begin() as conn:
            self.gate.record(conn, self.user, "export_identified", case_id, purpose=purpose)
        return self.pw.export(case_id)

    def trace(self, name: str, born: str | None, top: int) -> MatchResult:
        self._pass("trace_search")
        return search(self.pw.store, name, born, top)

    def determine(self, case_id: str, rulebook: Rulebook, as_of: date, context: Context | None) -> Determined:
        self._pass("determine", case_id)
        return determine_stored(self.pw.store, case_id, rulebook, as_of, context)

    def preview_interview(self, case_id: str, draft: Interviewed) -> InterviewPreview:
        """Will this interview qualify, and why not: for the one who may record it, before saving."""
        self.gate.check(self.user, record_use_case("interview"), case_id)
        self._pass("determine", case_id)
        return preview_interview(self.pw.history(case_id), draft, self.pw.rulebook, self.pw.context, self.user.name, self.pw.clock())

    def determine_all(self, rulebook: Rulebook, as_of: date, context: Context | None) -> Iterator[Determination]:
        self._pass("determine")
        return determine_all(self.pw.store, rulebook, as_of, context)

    # --- exchanges ----------------------------------------------------------------------------

    def plan_exchange(self, exchange: Exchange) -> ExchangePlan:
        self._pass("trace_search")
        self._pass("determine")
        return plan_exchange(self.pw, exchange)

    def execute_exchange(self, plan_file: dict[str, Any], on: date, reconfirmations: dict[str, dict[str, str]]) -> Execution:
        for case_id in plan_file.get("chosen", []):
            self._pass("record_transfer", str(case_id))
        return execute_exchange(self.pw, plan_file, on, reconfirmations, self.user.name)

    # --- the sharing gate ---------------------------------------------------------------------

    def disclose(self, request: Disclosure) -> tuple[str, list[dict[str, Any]]]:
        """Named fields of named cases to one recipient: checked case by case, recorded as an
        event on each, all or nothing. Returns the disclosure id and the disclosed records."""
        for case_id in request.case_ids:
            self.gate.check(self.user, "disclose", case_id, fields=request.fields, purpose=request.purpose)
        cases = {case_id: self.pw.case(case_id) for case_id in request.case_ids}
        try:
            check_disclosure_all(request, cases)
        except AccessRefused as exc:
            self.gate.refuse(self.user.name, "disclose", exc.code, None, fields=request.fields, purpose=request.purpose)
            raise
        disclosure_id = new_disclosure_id()
        event = request.event(self.pw.today(), disclosure_id)
        with self.pw.store.begin() as tx:
            for case_id in request.case_ids:
                self.gate.record(tx.conn, self.user, "disclose", case_id, fields=request.fields, purpose=request.purpose)
                self.pw.append_within(tx, case_id, tx.history(case_id), [event], self.user.name)
        return disclosure_id, [disclosed_fields(cases[c], request.fields) for c in request.case_ids]

    # --- integrity, keys, retention -----------------------------------------------------------

    def verify(self, progress: Any = None) -> tuple[list[ChainBreak], list[str]]:
        """Every case's chain and the access log's chain."""
        self._pass("audit_verify")
        with self.pw.store.engine.begin() as conn:
            log_problems = verify_audit(conn, self.pw.store.master_key)
        return self.pw.verify(progress), log_problems

    def audit_show(self, user: str | None, case_id: str | None, since: datetime | None, until: datetime | None) -> list[AccessRecord]:
        self._pass("audit_show", case_id)
        with self.pw.store.engine.begin() as conn:
            return show(conn, user=user, case_id=case_id, since=since, until=until)

    def rebuild(self, progress: Any = None) -> int:
        self._pass("rebuild")
        return self.pw.rebuild(progress)

    def rotate_keys(self, new: MasterKey) -> int:
        self._pass("keys_rotate")
        return rotate_master_key(self.pw.store.engine, self.pw.store.master_key, new)

    def retention(self, policy: RetentionPolicy) -> list[Due]:
        self._pass("retention_run")
        with self.pw.store.begin() as tx:
            cases = [fold(history) for history in tx.histories()]
        return due_for_erasure([c for c in cases if not c.erased], self.pw.today(), policy)


def disclosed_fields(case: Case, fields: Sequence[str]) -> dict[str, Any]:
    """The named fields of one case, and nothing else."""
    ident = case.identity
    record: dict[str, Any] = {"case_id": case.case_id}
    names = {"family_name": ident.family_name if ident else None, "given_names": ident.given_names if ident else None,
             "patronymic": ident.patronymic if ident else None}
    for name in fields:
        if name in names:
            value = names[name]
            record[name] = value.model_dump(exclude_none=True) if value is not None else None
        elif name in ("birth_date", "rank", "service_number", "nationality", "armed_force"):
            value = getattr(ident, name, None) if ident else None
            record[name] = value.isoformat() if isinstance(value, date) else value
        elif name == "captured_on":
            record[name] = case.captured_on.isoformat() if case.captured_on else None
        elif name == "capture_place":
            record[name] = case.capture.event.place if case.capture else None
        elif name == "status":
            record[name] = case.status.value
        elif name == "place_of_internment":
            record[name] = case.place
        elif name == "date_of_death":
            record[name] = case.status_since.isoformat() if case.status.value == "died" and case.status_since else None
        elif name == "health":
            record[name] = [f.event.model_dump(mode="json", include={"occurred_on", "art110", "fit_to_travel"}) for f in case.medical]
        elif name == "stated_wish":
            record[name] = [f.event.model_dump(mode="json", include={"occurred_on", "stated_wish", "wish_state"}) for f in case.interviews]
        elif name == "risk_conclusion":
            record[name] = [f.event.model_dump(mode="json", include={"occurred_on", "destination", "conclusion"}) for f in case.risk_assessments]
    return record


def open_office(pw: Powcase, user: User) -> Office:
    return Office(pw, Accounts(pw.store.engine, pw.store.master_key, pw.clock), user)
