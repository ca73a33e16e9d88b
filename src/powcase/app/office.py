"""The office: every use case as a named user does it, authorised and written to the access log.

`Powcase` (service.py) is the unit of work and trusts its caller; `Office` is the caller every
person goes through, on the command line and later over HTTP: it asks the permission table
(docs/permissions.md) first, logs the access (allowed or refused) in the hash-chained access log,
and only then acts. Outputs leave through the sharing gate: lists are pseudonymised, and a
person's statements are shown only to roles that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from powcase.access.accounts import Accounts
from powcase.access.audit import AccessRecord, show, verify_audit
from powcase.access.gate import AccessGate
from powcase.access.keys import rotate_master_key
from powcase.access.permissions import (
    AccessRefused,
    User,
    authorize,
    correction_use_case,
    record_use_case,
    rule_for,
)
from powcase.access.preferences import language_of, store_language
from powcase.access.retention import Due, RetentionPolicy, due_for_erasure
from powcase.access.sharing import (
    Disclosure,
    check_disclosure_all,
    new_disclosure_id,
    notification_withheld,
    origin_states,
    propose_withholding,
    pseudonymise,
    real_risk_for_origin,
)
from powcase.app import sync, withdrawal
from powcase.app.context_file import save_context
from powcase.app.cta import (
    COLUMNS,
    CTA_FIELDS,
    LEGAL_BASIS,
    RECIPIENT,
    CtaList,
    Withheld,
    notices_since,
    rows_for,
    withheld_table,
)
from powcase.app.deadlines import DutyRow, register_deadlines
from powcase.app.decisions import Determined, determine_all, determine_stored
from powcase.app.determinations import CaseVerdicts, decide_register
from powcase.app.documents import print_document
from powcase.app.duplicates import DuplicateDecision, decide_duplicate
from powcase.app.exchanges import ExchangePlan, Execution, execute_exchange, plan_exchange
from powcase.app.interviews import InterviewPreview, preview_interview
from powcase.app.service import Powcase, duplicate_of
from powcase.app.sync_reading import Line, lines, safer_determination
from powcase.app.tracing import search
from powcase.documents import IDENTITY_KINDS, STATEMENT_KINDS, DocumentKind
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
from powcase.errors import Conflict, InvalidInput, NotFound, NotPermitted, PowcaseError
from powcase.exchange import Exchange
from powcase.exchange.export import Table
from powcase.law import Determination, ExecutionRefused, RiskStatus, Rulebook, determine
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import ChainBreak
from powcase.sync.identity import FIELD, HQ, MADE_AT_HEADQUARTERS, fingerprint
from powcase.sync.state import (
    Peer,
    Withdrawal,
    closed_duplicates,
    duplicate_states,
    open_conflicts,
    own_role,
    with_senders,
    withdrawals,
    withdrawn_here,
)
from powcase.sync.state import duplicates as sync_duplicates_of
from powcase.sync.state import peers as sync_peers_of
from powcase.tracing import MatchResult

T = TypeVar("T")

# Recipients through whom a notification reaches his own state.
_TOWARD_ORIGIN = ("power_of_origin", "information_bureau")

# What "statements" are (use case show_statements): his words and wishes in interviews.
# The two-person acts only headquarters makes, by the event each writes (sync.identity).
_MADE_BY_USE_CASE = {"record_override": "override_granted", "erase": "erased"}
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

    def _act(self, use_cases: Sequence[str], case_id: str | None, action: Callable[[], T], *,
             people: Sequence[User] = (), also: Sequence[str] = ()) -> T:
        """Run an authorised write, then log it: ``allowed`` only once it is written. An action the
        execution guard (or any check after authorisation) turns down is logged as a refusal, so
        that the log never says a refused transfer was allowed. ``also``: other cases the same act
        wrote (an erasure takes a man's copies), each logged as its own."""
        who = people or (self.user,)
        try:
            result = action()
        except PowcaseError as exc:
            for person in who:
                for use_case in use_cases:
                    self.gate.refuse(person.name, use_case, _refusal_code(exc), case_id)
            raise
        with self.pw.store.engine.begin() as conn:
            for written in (case_id, *also):
                for person in who:
                    for use_case in use_cases:
                        self.gate.record(conn, person, use_case, written)
        return result

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

    def before_asking(self, use_case: str, case_id: str | None = None, second: str | None = None) -> None:
        """Refuse (and log it) before a second person is asked for a password, when the act would
        be refused anyway: a mistyped password must not count toward locking him out for nothing."""
        rule = rule_for(use_case)
        if rule.together is None:
            self.gate.check(self.user, use_case, case_id)
        elif self.user.disabled or not self.user.roles & set(rule.together):
            self.gate.refuse(self.user.name, use_case, "role", case_id)
            a, b = rule.together
            raise AccessRefused(f"{self.user.name} may not {use_case}: it needs a {a.value} and a {b.value} together", "role")
        if second is not None and second.casefold() == self.user.name.casefold():
            self.gate.refuse(self.user.name, use_case, "same_person", case_id)
            raise AccessRefused(f"{use_case} needs two different people; {self.user.name} cannot approve twice", "same_person")
        made = _MADE_BY_USE_CASE.get(use_case)
        with self.pw.store.begin() as tx:
            if case_id is not None and not tx.exists(case_id):
                raise NotFound(f"no case {case_id}")
            if made is not None and own_role(tx.conn) == FIELD:  # the write path refuses it too (Powcase._append)
                raise NotPermitted(f"{MADE_AT_HEADQUARTERS[made]} is made at headquarters, not at a field office; "
                                   "it reaches this office by sync")

    # --- writing ------------------------------------------------------------------------------

    def register(self, person: Registered, case_id: str | None = None) -> str:
        self.gate.check(self.user, "register", case_id)
        return self._act(["register"], case_id, lambda: self.pw.register(person, self.user.name, case_id))

    def record(self, case_id: str, event: Event, expected_seq: int | None = None) -> RecordedEvent:
        if not event.command:
            raise InvalidInput(f"type: {event.type} is not recorded with `record`")
        if isinstance(event, OverrideGranted):
            raise InvalidInput("type: an override is granted by two people together: use `powcase override`")
        use_cases = [record_use_case(event.command)]
        if isinstance(event, Corrected):
            # A correction rewrites the event it names: it needs the right to record that too.
            target = next((r for r in self.pw.history(case_id) if r.seq == event.corrects_seq), None)
            if target is not None and target.event is not None and target.event.command:
                use_cases.insert(0, correction_use_case(target.event.command))
        for use_case in use_cases:
            self.gate.check(self.user, use_case, case_id)

        def write() -> RecordedEvent:
            if isinstance(event, Notified) and event.action == "sent" and event.recipient in _TOWARD_ORIGIN:
                self._propose_withholding(case_id, event)
            return self.pw.record(case_id, event, self.user.name, expected_seq)

        return self._act(use_cases, case_id, write)

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
        self.gate.check_two_people("record_override", self.user, second, case_id)
        event = OverrideGranted(occurred_on=on, disposition=disposition, reason=reason, approvers=[self.user.name, second.name])
        return self._act(["record_override"], case_id, lambda: self.pw.record(case_id, event, f"{self.user.name} + {second.name}"),
                         people=(self.user, second))

    def import_casefiles(self, files: Sequence[CaseFile], progress: Any = None) -> list[str]:
        self.gate.check(self.user, "import")
        return self._act(["import"], None, lambda: self.pw.import_casefiles(files, self.user.name, progress))

    def erasable(self, case_id: str) -> list[str]:
        """Before a second person is asked for a password: refuse (and log it) the erasure of a
        copy of a man registered twice, which goes through his case; return the copies his erasure
        takes with it, for the people to read before they act."""
        try:
            return self.pw.erasable(case_id)
        except PowcaseError as exc:
            self.gate.refuse(self.user.name, "erase", _refusal_code(exc), case_id)
            raise

    def erase(self, case_id: str, reason: str, second: User) -> list[str]:
        """Two different people, an administrator and a legal officer, act together. A man
        registered twice is erased whole: his case and its copies, each case checked and logged
        as its own erasure by the same two people (Powcase.erase). Returns the cases erased."""
        self.gate.check_pair("erase", self.user, second, case_id)
        try:
            copies = self.pw.erasable(case_id)
        except PowcaseError as exc:  # a copy alone: logged under both names, as a refusal of the act
            for person in (self.user, second):
                self.gate.refuse(person.name, "erase", _refusal_code(exc), case_id)
            raise
        for copy in copies:
            self.gate.check_pair("erase", self.user, second, copy)
        return self._act(["erase"], case_id, lambda: self.pw.erase(case_id, reason, f"{self.user.name} + {second.name}", copies),
                         people=(self.user, second), also=copies)

    def save_context(self, path: Path, context: Context) -> None:
        """The situation the law decides in changes every determination: legal officers only, logged."""
        self._pass("set_context")
        save_context(path, context)

    # --- reading ------------------------------------------------------------------------------

    def list_cases(self, nationality: str | None = None, place: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        if place is not None:
            self._pass("list_by_place")
        self._pass("list_pseudonymised")
        with self.pw.store.begin() as tx:
            closed = closed_duplicates(tx.conn)
            taken = withdrawn_here(tx.conn)  # taken back by headquarters: not this office's case any more
        rows = [pseudonymise(s.as_dict()) for s in self.pw.list_cases(nationality, place, status) if s.case_id not in taken]
        for row in rows:
            if row["case_id"] in closed:  # a case id says nothing of who he is
                row["duplicate_of"] = closed[row["case_id"]]
        return rows

    def case(self, case_id: str, as_of: date | None = None) -> tuple[Case, bool]:
        """The case, and whether his statements may be shown to this user."""
        self._readable_here(case_id)
        statements = self.may("show_statements", case_id)
        self._pass("show_identity", case_id, fields=("identity", "interviews") if statements else ("identity",))
        return self.pw.case(case_id, as_of), statements

    def _readable_here(self, case_id: str) -> None:
        """At a field office, a case headquarters took back is refused by name, not shown as a man
        with no facts (its key is destroyed: nothing of him can be read here)."""
        with self.pw.store.begin() as tx:
            taken = withdrawn_here(tx.conn, case_id)
        if taken:
            raise NotPermitted(f"case {case_id}: taken back by headquarters on {taken[case_id][:10]} (need-to-know); "
                               "nothing of him is readable at this office")

    def case_page(self, case_id: str, as_of: date) -> CasePage:
        """Everything the case page shows, as this user may see it, in one read: his identity (the
        page's purpose: refused without the right), the history and the law's determination where
        the table allows them. Each access is logged as its own use case, in the read's transaction."""
        statements = self.may("show_statements", case_id)
        identity_fields = ("identity", "interviews") if statements else ("identity",)
        self.gate.check(self.user, "show_identity", case_id, fields=identity_fields)
        self._readable_here(case_id)
        with_history, with_law = self.may("history", case_id), self.may("determine", case_id)
        with self.pw.store.begin() as tx:
            history = tx.history(case_id)
            if with_history:  # each event another office sent names that office beside its author
                history = with_senders(tx.conn, case_id, history)
            self.gate.record(tx.conn, self.user, "show_identity", case_id, fields=identity_fields)
            for use_case, wanted in (("history", with_history), ("determine", with_law)):
                if wanted:
                    self.gate.record(tx.conn, self.user, use_case, case_id)
        case = fold(history, as_of)
        determination = None
        if with_law and not case.erased and case.duplicate_of is None:  # a man registered twice is decided once
            others = lines(self.pw.store, case_id)
            # In conflict between offices: the page shows the safer reading of every line, as `determine` does.
            determination = safer_determination(history, others, self.pw.rulebook, as_of, self.pw.context)[1] if others \
                else determine(case, self.pw.rulebook, as_of, self.pw.context)
        return CasePage(case, statements, history if with_history else None, determination)

    def history(self, case_id: str) -> tuple[list[RecordedEvent], bool]:
        statements = self.may("show_statements", case_id)
        self._pass("history", case_id)
        with self.pw.store.begin() as tx:
            # Each event another office sent names that office beside its author: the author is
            # the name the writing store gave the row, and travels with it (docs/field-offices.md).
            return with_senders(tx.conn, case_id, tx.history(case_id)), statements

    def export_pseudonymised(self) -> list[dict[str, Any]]:
        """Every case through the sharing gate: what a list shows, nothing more."""
        self._pass("export_pseudonymised")
        with self.pw.store.begin() as tx:
            taken = withdrawn_here(tx.conn)
        return [pseudonymise(s.as_dict()) for s in self.pw.list_cases() if s.case_id not in taken]

    def export(self, case_id: str, purpose: str | None) -> dict[str, Any]:
        """A case file with his identity and statements leaves the system: a purpose is required."""
        self.gate.check(self.user, "export_identified", case_id, purpose=purpose, purpose_required=True)
        try:
            self._readable_here(case_id)
            data = self.pw.export(case_id)
        except PowcaseError as exc:  # erased, taken back, or a copy of a man registered twice: nothing left
            self.gate.refuse(self.user.name, "export_identified", _refusal_code(exc), case_id, purpose=purpose)
            raise
        with self.pw.store.engine.begin() as conn:
            self.gate.record(conn, self.user, "export_identified", case_id, purpose=purpose)
        return data

    def trace(self, name: str, born: str | None, top: int) -> MatchResult:
        self._pass("trace_search")
        return search(self.pw.store, name, born, top)

    def determine(self, case_id: str, rulebook: Rulebook, as_of: date, context: Context | None) -> Determined:
        self._readable_here(case_id)
        self._pass("determine", case_id)
        other = duplicate_of(self.pw.history(case_id))
        if other is not None:  # one man is decided once, on the case that holds him
            raise InvalidInput(f"case {case_id}: closed, registered twice; the man's case is {other}: determine {other}")
        others = lines(self.pw.store, case_id)
        if others:  # two offices wrote different histories: decide on the safer reading of all of them
            case, determination = safer_determination(self.pw.history(case_id), others, rulebook, as_of, context)
            return Determined(case, determination)
        return determine_stored(self.pw.store, case_id, rulebook, as_of, context)

    def preview_interview(self, case_id: str, draft: Interviewed) -> InterviewPreview:
        """Will this interview qualify, and why not: for the one who may record it, before saving."""
        self.gate.check(self.user, record_use_case("interview"), case_id)
        self._pass("determine", case_id)
        return preview_interview(self.pw.history(case_id), draft, self.pw.rulebook, self.pw.context, self.user.name, self.pw.clock())

    def determine_all(self, rulebook: Rulebook, as_of: date, context: Context | None) -> Iterator[Determination]:
        self._pass("determine")  # checked now, not when the first case is asked for
        safer = self._safer_readings(rulebook, as_of, context)
        left_out = self._left_out_of_register()
        return (safer.get(d.case_id, d) for d in determine_all(self.pw.store, rulebook, as_of, context)
                if d.case_id not in left_out)

    def decide_register(self, rulebook: Rulebook, as_of: date, context: Context | None) -> Iterator[CaseVerdicts]:
        """Every case's verdicts, from the projection where it still holds (app/determinations.py);
        a case in conflict between offices on the safer reading of every line, as `determine` says."""
        self._pass("determine")
        safer = {case_id: CaseVerdicts(case_id, tuple((v.disposition, v.status) for v in d.dispositions), True)
                 for case_id, d in self._safer_readings(rulebook, as_of, context).items()}
        left_out = self._left_out_of_register()
        return (safer.get(item.case_id, item) if item.verdicts else item
                for item in decide_register(self.pw.store, rulebook, as_of, context) if item.case_id not in left_out)

    def _left_out_of_register(self) -> set[str]:
        """Cases the register does not decide: closed as registered twice (the man is decided once,
        under the case that holds him), and at a field office those headquarters took back."""
        with self.pw.store.begin() as tx:
            return set(closed_duplicates(tx.conn)) | set(withdrawn_here(tx.conn))

    def _safer_readings(self, rulebook: Rulebook, as_of: date, context: Context | None) -> dict[str, Determination]:
        """The cases in conflict, each decided on the safer reading of all its lines: read before
        the register's walk, which holds its own transaction (SQLite allows one writer)."""
        with self.pw.store.begin() as tx:
            in_conflict = sorted({case_id for case_id, _, _ in open_conflicts(tx.conn)})
        return {case_id: safer_determination(self.pw.history(case_id), lines(self.pw.store, case_id), rulebook, as_of,
                                             context)[1] for case_id in in_conflict}

    def deadlines(self, as_of: date, case_id: str | None = None) -> list[DutyRow]:
        """The duties on time across the register (or of one case): names only for a role that
        may read identity, and then the read is logged as one."""
        if case_id is not None:
            self._readable_here(case_id)  # taken back by headquarters: refused by name, as `show` is
        identified = self.may("show_identity", case_id)
        self._pass("deadlines", case_id, fields=("identity",) if identified else None)
        return register_deadlines(self.pw.store, self.pw.rulebook, as_of, self.pw.context,
                                  case_id=case_id, identified=identified)

    def document(self, kind: DocumentKind, case_id: str, lang: str | None, as_of: date) -> bytes:
        """A document of one case, as PDF: an audited read. A document that carries his identity
        or his words is refused (and the refusal logged) to a role that may not read them."""
        self.gate.check(self.user, "print_document", case_id)
        self._readable_here(case_id)
        fields = ["document." + kind.value.replace("-", "_")]
        if kind in IDENTITY_KINDS:
            self.gate.check(self.user, "show_identity", case_id)
            fields.append("identity")
        if kind in STATEMENT_KINDS:
            self.gate.check(self.user, "show_statements", case_id)
            fields.append("interviews")
        if kind is DocumentKind.DECISION_MEMO:
            self.gate.check(self.user, "determine", case_id)
            fields.append("history")
        history = self.pw.history(case_id)
        pdf = print_document(kind, history, lang=lang, as_of=as_of, made_on=self.pw.today(),
                             rulebook=self.pw.rulebook, context=self.pw.context)
        with self.pw.store.engine.begin() as conn:
            self.gate.record(conn, self.user, "print_document", case_id, fields=fields)
        return pdf

    # --- exchanges ----------------------------------------------------------------------------

    def plan_exchange(self, exchange: Exchange) -> ExchangePlan:
        self._pass("trace_search")
        self._pass("determine")
        return plan_exchange(self.pw, exchange)

    def execute_exchange(self, plan_file: dict[str, Any], on: date, reconfirmations: dict[str, dict[str, str]]) -> Execution:
        chosen = [str(c) for c in plan_file.get("chosen", [])]
        for case_id in chosen:
            self.gate.check(self.user, "record_transfer", case_id)
        try:
            done = execute_exchange(self.pw, plan_file, on, reconfirmations, self.user.name)
        except PowcaseError as exc:
            for case_id in chosen:
                self.gate.refuse(self.user.name, "record_transfer", _refusal_code(exc), case_id)
            raise
        # Each man as it went: transferred (allowed), or removed by the guard (refused).
        with self.pw.store.engine.begin() as conn:
            for case_id in done.transferred:
                self.gate.record(conn, self.user, "record_transfer", case_id)
        for case_id in done.removed:
            self.gate.refuse(self.user.name, "record_transfer", "execution_guard", case_id)
        return done

    # --- the sharing gate ---------------------------------------------------------------------

    def disclose(
        self, request: Disclosure, deliver: Callable[[str, list[dict[str, Any]]], None] | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        """Named fields of named cases to one recipient: checked case by case, recorded as an
        event on each, all or nothing. Returns the disclosure id and the disclosed records.

        ``deliver`` (the id, the records) writes them out inside the transaction that records the
        disclosure: if it fails, nothing is recorded."""
        for case_id in request.case_ids:
            self.gate.check(self.user, "disclose", case_id, fields=request.fields, purpose=request.purpose)
        cases = {case_id: self.pw.case(case_id) for case_id in request.case_ids}
        for case_id, case in cases.items():
            if case.duplicate_of is not None:  # a stale copy: his record is the case his facts were carried onto
                self.gate.refuse(self.user.name, "disclose", "not_permitted", case_id, fields=request.fields, purpose=request.purpose)
                raise NotPermitted(f"case {case_id}: closed, registered twice; the man's case is {case.duplicate_of}: "
                                   f"disclose {case.duplicate_of}")
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
            records = [disclosed_fields(cases[c], request.fields) for c in request.case_ids]
            if deliver is not None:
                deliver(disclosure_id, records)
        return disclosure_id, records

    def cta_list(self, since: date, deliver: Callable[[CtaList], None] | None = None) -> CtaList:
        """The Art 122 particulars and notices since a date for the Central Tracing Agency, through
        the sharing gate: a disclosure recorded on every case on the list; every man for whom
        withholding is recorded or proposed (Art 123) left off, with a line in the withheld report.

        ``deliver`` writes the list out inside the transaction that records the disclosure: if it
        fails, nothing is recorded."""
        self._pass("cta_list")
        on = self.pw.today()
        with self.pw.store.begin() as tx:
            taken = set(withdrawn_here(tx.conn))  # taken back by headquarters: its list, not this office's
            cases = [fold(h) for h in tx.histories() if h[0].case_id not in taken and not any(r.type == "erased" for r in h)]
        # A man registered twice is on the list once, under his case (his copy's facts were carried onto it).
        cases = [case for case in cases if case.duplicate_of is None]
        listed: list[tuple[Case, list[Any]]] = []
        withheld: list[Withheld] = []
        for case in cases:
            notices = notices_since(case, since)
            if not notices:
                continue
            why = self._withholding(case, on)
            if why:
                withheld.append(Withheld(case.case_id, len(notices), why))
            else:
                listed.append((case, notices))

        def build(disclosure_id: str | None) -> CtaList:
            rows = tuple(row for case, notices in listed for row in rows_for(case, notices, disclosure_id or ""))
            table = Table(title="Art 122 notices for the CTA", columns=COLUMNS, rows=rows)
            return CtaList(since, disclosure_id, table, withheld_table(withheld))

        if not listed:
            listing = build(None)
            if deliver is not None:
                deliver(listing)
            return listing
        built: list[CtaList] = []

        def within(disclosure_id: str, _records: list[dict[str, Any]]) -> None:
            built.append(build(disclosure_id))
            if deliver is not None:
                deliver(built[0])

        self.disclose(Disclosure(
            case_ids=[case.case_id for case, _ in listed], purpose="central_agency", recipient=RECIPIENT,
            recipient_kind="neutral_intermediary", legal_basis=LEGAL_BASIS, fields=CTA_FIELDS,
            details=f"Art 122 particulars and notices since {since.isoformat()}",
        ), within)
        return built[0]

    def _withholding(self, case: Case, on: date) -> str | None:
        """Why his data must not travel towards his own state: withholding recorded, or proposed
        because the law engine or a recorded assessment finds a real risk there (Art 123, R25)."""
        if notification_withheld(case):
            return "notification to his power of origin recorded as withheld (Art 123)"
        origin = origin_states(case)
        day = max(on, case.registered_on or on)
        d = determine(case, self.pw.rulebook, day, self.pw.context)
        engine_says = any(r.status is RiskStatus.REAL_RISK and set(r.chain) & origin for r in d.risk)
        if propose_withholding(case, engine_says or real_risk_for_origin(case)):
            return "withholding proposed: real risk on return to his power of origin (Art 123, R25)"
        return None

    # --- integrity, keys, retention -----------------------------------------------------------

    def verify(self, progress: Any = None) -> tuple[list[ChainBreak], list[str]]:
        """Every case's chain and the access log's chain."""
        self._pass("audit_verify")
        with self.pw.store.engine.begin() as conn:
            log_problems = verify_audit(conn, self.pw.store.master_key)
        return self.pw.verify(progress), log_problems

    def checkpoint(self) -> dict[str, Any]:
        """The store's heads for the neutral intermediary (only from a store that verifies)."""
        self._pass("audit_verify")
        return self.pw.checkpoint()

    def check_against(self, checkpoint: dict[str, Any]) -> tuple[list[ChainBreak], bool]:
        self._pass("audit_verify")
        return self.pw.check_against(checkpoint)

    def init_witness(self) -> int:
        """The witness of a store that has none, from the store as it verifies now. An
        administrator's act, like a rebuild: it derives a record from the verified store."""
        self._pass("rebuild")
        return self.pw.init_witness()

    def audit_show(self, user: str | None, case_id: str | None, since: datetime | None, until: datetime | None) -> list[AccessRecord]:
        self._pass("audit_show", case_id)
        with self.pw.store.engine.begin() as conn:
            return show(conn, user=user, case_id=case_id, since=since, until=until)

    def rebuild(self, progress: Any = None) -> int:
        self._pass("rebuild")
        return self.pw.rebuild(progress)

    def may_rotate_keys(self) -> None:
        """Authorise a rotation before anything is staged for it (a refusal is logged and raised)."""
        self.gate.check(self.user, "keys_rotate")

    def rotate_keys(self, new: MasterKey) -> int:
        # Logged before the rotation: after it, the log's head is MAC'd under the new key.
        self._pass("keys_rotate")
        old = self.pw.store.master_key
        witness = self.pw.store.witness
        if witness is not None:
            # Before the database rotates: the witness then opens under either key, whichever
            # the store ends with, even after a crash in between (store/witness.py).
            witness.rekey(old, new)
        try:
            count = rotate_master_key(self.pw.store.engine, old, new)
        except BaseException:
            if witness is not None:
                with suppress(Exception):  # the old key's MACs are kept anyway; this is tidiness
                    witness.rekey(new, old)
            raise
        if witness is not None:
            witness.settle(new)  # committed: the retired key no longer opens the witness
        return count

    def retention(self, policy: RetentionPolicy) -> list[Due]:
        self._pass("retention_run")
        with self.pw.store.begin() as tx:
            # At a field office, a case headquarters took back is not this office's to keep or
            # erase (its key is gone; headquarters keeps the record): not walked at all.
            taken = withdrawn_here(tx.conn)
            cases = [fold(history) for history in tx.histories() if history[0].case_id not in taken]
        erased = {c.case_id for c in cases if c.erased}
        # A copy of a man registered twice goes with his case (Powcase.erase): never due on its own,
        # unless his case was erased before copies went with it.
        return due_for_erasure([c for c in cases if not c.erased and (c.duplicate_of is None or c.duplicate_of in erased)],
                               self.pw.today(), policy)


class FieldOffice:
    """The field-office use cases of one person at one office, through the permission table."""

    def __init__(self, office: Office) -> None:
        self.office = office

    def identity(self, name: str, role: str) -> dict[str, str]:
        o = self.office
        o.gate.check(o.user, "field_identity")
        made = o._act(["field_identity"], None, lambda: sync.make_identity(o.pw, name, role))
        return sync.enrolment_request(made)

    def enrol(self, request: dict[str, Any], case_ids: list[str], hq_name: str) -> tuple[bytes, str, str]:
        o = self.office
        for case_id in case_ids:
            o.gate.check(o.user, "field_enrol", case_id)
        return o._act(["field_enrol"], None, lambda: sync.enrol(o.pw, request, case_ids, hq_name))

    def enrol_again(self, name: str) -> tuple[bytes, str, str]:
        """A new enrolment package for an office that lost its own before joining."""
        o = self.office
        o.gate.check(o.user, "field_enrol")
        for case_id in sync.shared_cases(o.pw, name):
            o.gate.check(o.user, "field_enrol", case_id)
        return o._act(["field_enrol"], None, lambda: sync.enrol_again(o.pw, name))

    def extend(self, name: str, case_ids: list[str]) -> int:
        o = self.office
        o.gate.check(o.user, "field_enrol")
        for case_id in case_ids:
            o.gate.check(o.user, "field_enrol", case_id)
        return o._act(["field_enrol"], None, lambda: sync.extend(o.pw, name, case_ids))

    def withdraw(self, name: str, case_ids: list[str]) -> list[str]:
        """Take cases back from a field office (need-to-know); see app/withdrawal.py."""
        o = self.office
        o.gate.check(o.user, "field_withdraw")
        for case_id in case_ids:
            o.gate.check(o.user, "field_withdraw", case_id)
        return o._act(["field_withdraw"], None, lambda: withdrawal.withdraw(o.pw, name, case_ids))

    def withdrawals(self) -> list[Withdrawal]:
        """The cases taken back, done or waiting, beside :meth:`peers` (checked, not logged again)."""
        self.office.require("field_list")
        with self.office.pw.store.begin() as tx:
            return withdrawals(tx.conn)

    def shared_cases(self, name: str) -> list[str]:
        """The cases an office holds (to narrow a filter to them): case ids only, no content."""
        self.office.require("field_withdraw")
        return sync.shared_cases(self.office.pw, name)

    def join(self, data: bytes, fingerprint: str) -> tuple[sync.Applied, str]:
        o = self.office
        o.gate.check(o.user, "field_join")
        return o._act(["field_join"], None, lambda: sync.join(o.pw, data, fingerprint, o.user.name))

    def revoke(self, name: str) -> None:
        o = self.office
        o.gate.check(o.user, "field_revoke")
        o._act(["field_revoke"], None, lambda: sync.revoke(o.pw, name))

    def peers(self) -> list[Peer]:
        self.office._pass("field_list")
        with self.office.pw.store.begin() as tx:
            return sync_peers_of(tx.conn)

    def listing(self) -> list[dict[str, Any]]:
        """The offices (:meth:`peers`) as `powcase field list` and /offices show them: each with
        its fingerprint (read over the telephone again), and the cases taken back from it, done
        (``withdrawn``) and waiting (``withdrawing``)."""
        peers = self.peers()
        taken = self.withdrawals()
        return [
            {"office": p.name, "role": p.role, "fingerprint": fingerprint(p.signing_public, p.agreement_public),
             "enrolled_at": p.enrolled_at, "revoked_at": p.revoked_at, "sent": p.sent_number, "received": p.received_number,
             "withdrawn": [{"case_id": w.case_id, "ordered_at": w.ordered_at, "done_at": w.done_at}
                           for w in taken if w.office == p.name and w.done_at],
             "withdrawing": [{"case_id": w.case_id, "ordered_at": w.ordered_at}
                             for w in taken if w.office == p.name and not w.done_at]}
            for p in peers
        ]

    def export(self, to: str) -> tuple[bytes, int]:
        o = self.office
        o.gate.check(o.user, "sync_export")
        return o._act(["sync_export"], None, lambda: sync.export(o.pw, to))

    def import_bundle(self, data: bytes) -> sync.Applied:
        o = self.office
        o.gate.check(o.user, "sync_import")
        applied = o._act(["sync_import"], None, lambda: sync.import_bundle(o.pw, data))
        with o.pw.store.begin() as tx:
            # A field office given the case that holds a man it registered twice finds him in it:
            # decided already at headquarters (the decision came with its own case), not news.
            undecided = {(d.case_id, d.other_case_id) for d in duplicate_states(tx.conn) if d.decision is None}
        applied.duplicates = [pair for pair in applied.duplicates if pair in undecided]
        return applied

    def lines(self, case_id: str) -> list[Line]:
        """The other offices' lines of a case in conflict, for the case page (its own read)."""
        if not self.office.may("history", case_id):
            return []
        with self.office.pw.store.begin() as tx:
            if not open_conflicts(tx.conn, case_id):
                return []
        self.office._pass("history", case_id)
        return lines(self.office.pw.store, case_id)

    def at_headquarters(self) -> bool:
        """Whether this store is headquarters, where conflicts are resolved (no content: a role)."""
        with self.office.pw.store.begin() as tx:
            return own_role(tx.conn) == HQ

    def resolve(self, case_id: str, office: str, reason: str) -> int:
        o = self.office
        o.gate.check(o.user, "sync_resolve", case_id)
        return o._act(["sync_resolve"], case_id, lambda: sync.resolve(o.pw, case_id, office, reason, o.user.name))

    def conflicts(self) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, str]]]:
        self.office._pass("sync_conflicts")
        with self.office.pw.store.begin() as tx:
            return open_conflicts(tx.conn), sync_duplicates_of(tx.conn)

    def to_carry(self) -> dict[tuple[str, str], int]:
        """The open pairs decided "same" before, with the facts that arrived on the closed case since:
        counts beside the list :meth:`conflicts` gave (and logged), so checked, not logged again."""
        self.office.require("sync_conflicts")
        with self.office.pw.store.begin() as tx:
            return {(d.case_id, d.other_case_id): d.to_carry for d in duplicate_states(tx.conn) if d.open and d.decision}

    def decide_duplicate(self, case_id: str, other_case_id: str, decision: str, reason: str) -> DuplicateDecision:
        o = self.office
        for wanted in (case_id, other_case_id):
            o.gate.check(o.user, "sync_duplicate", wanted)
        return o._act(["sync_duplicate"], case_id,
                      lambda: decide_duplicate(o.pw, case_id, other_case_id, decision, reason, o.user.name))


def _refusal_code(exc: PowcaseError) -> str:
    """What the access log keeps of a failed write: a fixed code, never the message."""
    if isinstance(exc, ExecutionRefused):
        return "execution_guard"
    if isinstance(exc, AccessRefused):
        return exc.code
    for kind, code in _CODES:
        if isinstance(exc, kind):
            return code
    return "failed"


_CODES: tuple[tuple[type[PowcaseError], str], ...] = (
    (NotPermitted, "not_permitted"), (InvalidInput, "invalid_input"), (Conflict, "conflict"), (NotFound, "not_found"),
)


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
