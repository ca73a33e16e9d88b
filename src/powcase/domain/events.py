"""One event type per thing that can happen to a prisoner of war.

Every event carries the date it happened (``occurred_on``); when it was recorded, by whom, and its
place in the case's history live on the envelope (:class:`RecordedEvent`), written by the store.

Each class names the few fields that stay readable without the case's key (``CLEAR``): the ones a
list or a filter needs and that say nothing about who the man is or what he said. Every other field
is sealed under the case's data key. A new field is therefore secret unless someone decides
otherwise here, in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from powcase.domain.text import (
    LINE_MAX,
    LIST_MAX,
    TEXT_MAX,
    FreeText,
    Line,
    check_birth_date,
    clean_line,
    clean_text,
)
from powcase.domain.values import (
    Art110Category,
    AssessedBy,
    Authenticity,
    CaptureCircumstance,
    CountryCode,
    Disposition,
    LanguageCode,
    Model,
    PersonName,
    PlaceKind,
    PresentRole,
    RiskConclusion,
    StatedWish,
    TransferKind,
)

# Every text field is cleaned at the door by powcase.domain.text: names, one-line fields and free
# texts each have their rule and their limit, the same on every path (register, import, correction).
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(clean_text)]
RequiredLine = Annotated[str, Field(min_length=1, json_schema_extra={"maxLength": LINE_MAX}), AfterValidator(clean_line)]
# Event numbers fit the database's integer column; a larger one names no event.
Seq = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Event(Model):
    """Base of all events."""

    CLEAR: ClassVar[frozenset[str]] = frozenset()
    command: ClassVar[str] = ""
    # Facts that only make sense while the detaining power holds him (checked by the fold).
    needs_custody: ClassVar[bool] = False

    type: str
    occurred_on: date


# --- identity and capture (GC III Art 17, 70, 122) -------------------------------------------


class IdentityDocument(Model):
    kind: RequiredLine
    number: Line | None = None
    issued_by: CountryCode | None = None
    authenticity: Authenticity = Authenticity.UNKNOWN


class Registered(Event):
    """The prisoner enters the register with what GC III Art 17 lets the detaining power ask.

    Only surname, first names, rank, date of birth and serial number are compulsory to give
    (R1); refusing more carries no consequence, so everything else is optional.
    """

    CLEAR = frozenset({"nationality", "armed_force", "power_of_dependence"})
    command = "register"

    type: Literal["registered"] = "registered"
    family_name: PersonName
    given_names: PersonName
    patronymic: PersonName | None = None
    birth_date: date | None = None
    rank: Line | None = None
    service_number: Line | None = None
    nationality: CountryCode
    armed_force: CountryCode  # the state whose forces he served in (a DPRK national in Russian units: RUS)
    power_of_dependence: CountryCode | None = None  # the Power on which he depends, when known (rulebook OQ3)
    languages: list[LanguageCode] = Field(default_factory=list, max_length=LIST_MAX)
    literate: bool | None = None
    aliases: list[PersonName] = Field(default_factory=list, max_length=LIST_MAX)
    documents: list[IdentityDocument] = Field(default_factory=list, max_length=LIST_MAX)
    sensitive_family: FreeText | None = None  # R2: optional, never required, flagged sensitive

    @field_validator("birth_date")
    @classmethod
    def _born_before_registered(cls, born: date | None, info: ValidationInfo) -> date | None:
        registered_on = info.data.get("occurred_on")  # validated before: it is declared first
        if born is not None and isinstance(registered_on, date):
            check_birth_date(born, registered_on, info)
        return born


class Captured(Event):
    """He fell into the power of the detaining power (GC III Art 5)."""

    command = "capture"

    type: Literal["captured"] = "captured"
    place: RequiredLine
    circumstances: CaptureCircumstance
    wounded: bool = False
    capturing_unit: Line | None = None
    via_surrender_programme: bool = False


class CustodyMoved(Event):
    """He was moved to a place of internment, a transit camp or a hospital."""

    CLEAR = frozenset({"place", "kind"})
    command = "custody"
    needs_custody = True

    type: Literal["custody_moved"] = "custody_moved"
    place: RequiredLine
    kind: PlaceKind = PlaceKind.CAMP
    reason: FreeText | None = None


class MedicallyAssessed(Event):
    """A medical finding, including the GC III Art 110 categories for direct repatriation."""

    command = "medical"
    needs_custody = True

    type: Literal["medically_assessed"] = "medically_assessed"
    assessed_by: AssessedBy
    art110: list[Art110Category] = Field(default_factory=list, max_length=LIST_MAX)
    fit_to_travel: bool | None = None
    fit_for_interview: bool | None = None
    notes: FreeText | None = None


class CaptureCardRecorded(Event):
    """GC III Art 70: the capture card offered, sent or declined (he may decline the family copy)."""

    command = "capture-card"

    type: Literal["capture_card_recorded"] = "capture_card_recorded"
    action: Literal["offered", "sent", "declined"]
    copies: list[Literal["family", "central_agency"]] = Field(default_factory=list, max_length=LIST_MAX)
    reason: FreeText | None = None


NoticeSubject = Literal[
    "particulars", "transfer", "release", "repatriation", "escape", "hospital", "death", "health",
    "death_certificate",
]


class Notified(Event):
    """Notification to the information bureau, the Central Agency (Art 122-123) or withheld.

    Withholding needs a reason: the law lets it only where sending would harm him or his relatives.
    """

    command = "notification"

    type: Literal["notified"] = "notified"
    recipient: Literal["information_bureau", "central_agency", "power_of_origin", "protecting_power"]
    action: Literal["sent", "withheld"]
    reason: FreeText | None = None
    # What the notice is about (Art 122(4)-(9), Art 120): his particulars unless said otherwise.
    about: NoticeSubject = "particulars"

    @model_validator(mode="after")
    def _withheld_has_reason(self) -> Notified:
        if self.action == "withheld" and not self.reason:
            raise ValueError("reason: a withheld notification needs the reason it would cause harm")
        return self


# --- the free-will interview (rulebook R20-R24) -----------------------------------------------


class InterpreterAffiliation(StrEnum):
    """Whom the interpreter answers to: the free-will rules read it (R20, GC III Art 126)."""

    INDEPENDENT = "independent"  # ICRC, an agreed neutral, or engaged with no tie to a party
    DETAINING_POWER = "detaining_power"
    POWER_OF_ORIGIN = "power_of_origin"
    FELLOW_PRISONER = "fellow_prisoner"


class Interpreter(Model):
    name: Line | None = None
    language: LanguageCode
    # None: not recorded. Free text recorded before this field was structured is kept, word for
    # word, in `affiliation_note`; it is never read as a claim of independence (see below).
    affiliation: InterpreterAffiliation | None = None
    affiliation_note: FreeText | None = None
    competence_checked: bool = False
    security_services: bool = False  # from the detaining power's security services (R20)
    conflict_of_interest_declared: bool = False

    @model_validator(mode="before")
    @classmethod
    def _free_text_affiliation(cls, data: Any) -> Any:
        """Stored events and case files from before the field was structured hold free text.
        Only the exact name of a category ("independent", "power of origin", ...) is read as that
        category; any other text is kept as a note and the affiliation counts as not recorded,
        because a phrase such as "independent (ICRC roster)" is a claim to check, not a finding."""
        if not isinstance(data, dict) or not isinstance(data.get("affiliation"), str):
            return data
        text = data["affiliation"]
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        if key in InterpreterAffiliation._value2member_map_:
            return {**data, "affiliation": key}
        note = data.get("affiliation_note")
        return {**data, "affiliation": None, "affiliation_note": f"{note}; {text}" if note else text}


class Presence(Model):
    role: PresentRole
    name: Line | None = None
    organisation: Line | None = None


class Interviewed(Event):
    """An interview about his wish, with the safeguards that make the wish trustworthy."""

    command = "interview"
    needs_custody = True

    type: Literal["interviewed"] = "interviewed"
    place: Line | None = None
    interviewer: RequiredLine
    interviewer_organisation: Line | None = None
    language: LanguageCode
    interpreter: Interpreter | None = None
    present: list[Presence] = Field(default_factory=list, max_length=LIST_MAX)
    informed_of_options: bool = False
    informed_of_right_to_change: bool = False
    options_notice_version: Line | None = None
    understood: bool | None = None
    fit_for_interview: bool = True
    signs_of_pressure: list[Line] = Field(default_factory=list, max_length=LIST_MAX)
    stated_wish: StatedWish
    wish_state: CountryCode | None = None
    reasons: FreeText | None = None
    words_original: FreeText | None = None
    words_translated: FreeText | None = None
    # An interview is held in one sitting: more than a day is a typing error, not an interview.
    duration_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    reflection_offered: bool = False
    next_interview_on: date | None = None
    at_handover: bool = False  # R23: the private reconfirmation at the point of departure

    @model_validator(mode="after")
    def _third_state_named(self) -> Interviewed:
        if self.stated_wish == StatedWish.THIRD_STATE and self.wish_state is None:
            raise ValueError("wish_state: a wish to go to a third state must name the state")
        if self.stated_wish != StatedWish.THIRD_STATE and self.wish_state is not None:
            raise ValueError(f"wish_state: given ({self.wish_state}) but the stated wish is {self.stated_wish.value}")
        return self


# --- corrections --------------------------------------------------------------------------------


class Corrected(Event):
    """A correction of an earlier event: which one, what changes, and why. Never an edit in place."""

    CLEAR = frozenset({"corrects_seq"})
    command = "correction"

    type: Literal["corrected"] = "corrected"
    corrects_seq: Seq
    changes: dict[str, Any] = Field(min_length=1, max_length=LIST_MAX)
    reason: Text


# --- risk, third states and decisions ---------------------------------------------------------


class RiskAssessed(Event):
    """A reasoned assessment of the risk on return to one destination (rulebook R25-R29)."""

    command = "risk-assessment"

    type: Literal["risk_assessed"] = "risk_assessed"
    destination: CountryCode
    onward: list[CountryCode] = Field(default_factory=list, max_length=LIST_MAX)  # states he may be handed on to
    conclusion: RiskConclusion
    test: list[Line] = Field(default_factory=list, max_length=LIST_MAX)  # source ids of the test applied, e.g. CAT-3
    evidence: list[Line] = Field(default_factory=list, max_length=LIST_MAX)  # source ids of country evidence
    personal_factors: list[Line] = Field(default_factory=list, max_length=LIST_MAX)
    family_risk: bool = False
    exclusion_indicators: list[Line] = Field(default_factory=list, max_length=LIST_MAX)  # R28: recorded, never decisive
    reasoning: Text
    assessor: RequiredLine
    reviewer: Line | None = None
    review_due: date | None = None
    assurances: FreeText | None = None


class ThirdStateAnswered(Event):
    """A third state's written answer to a request to receive him."""

    command = "third-state-answer"

    type: Literal["third_state_answered"] = "third_state_answered"
    state: CountryCode
    answer: Literal["accepts", "declines"]
    reference: Line | None = None
    conditions: FreeText | None = None


class LegalBasisRecorded(Event):
    """The legal route for a disposition, signed off (rulebook Open question 2)."""

    command = "legal-basis"

    type: Literal["legal_basis_recorded"] = "legal_basis_recorded"
    disposition: Disposition
    basis: Text
    signed_off_by: RequiredLine


class SafetyPlanRecorded(Event):
    """R30: safety measures for a release or transfer (where he goes, documents, reprisals, data)."""

    command = "safety-plan"

    type: Literal["safety_plan_recorded"] = "safety_plan_recorded"
    disposition: Disposition
    measures: Text


class TransfereeAssessed(Event):
    """GC III Art 12: whether a receiving Power is willing and able to apply the Convention."""

    command = "transferee-assessment"

    type: Literal["transferee_assessed"] = "transferee_assessed"
    state: CountryCode
    willing_and_able: bool
    reasoning: Text


class ProceedingsRecorded(Event):
    """Criminal or disciplinary proceedings (GC III Art 115, 119(5))."""

    command = "proceedings"

    type: Literal["proceedings_recorded"] = "proceedings_recorded"
    kind: Literal["criminal", "disciplinary"]
    status: Literal["pending", "sentenced", "concluded"]
    indictable_offence: bool = False
    detaining_power_holds: bool = True  # the detaining power chooses to keep him back (119(5))
    names_communicated: bool = False  # 119(6)
    detaining_power_consents_to_repatriation: bool = False  # Art 115
    until: date | None = None


class Exposed(Event):
    """R6: his image, name or words reached the public anyway; a risk factor (R27)."""

    command = "exposure"

    type: Literal["exposed"] = "exposed"
    channel: RequiredLine
    description: FreeText | None = None
    stated_wish_to_defect: bool = False


class Decided(Event):
    """A decision on a disposition, with the engine's verdict it relied on."""

    command = "decision"

    type: Literal["decided"] = "decided"
    disposition: Disposition
    destination: CountryCode | None = None
    decision: Text
    approved_by: RequiredLine
    rulebook_version: Line | None = None
    input_hash: Line | None = None


class OverrideGranted(Event):
    """An override of the execution guard: a reason and two different approvers (ARCHITECTURE 1)."""

    command = "override"

    type: Literal["override_granted"] = "override_granted"
    disposition: Disposition
    reason: Text
    approvers: list[RequiredLine] = Field(min_length=2, max_length=LIST_MAX)

    @model_validator(mode="after")
    def _two_people(self) -> OverrideGranted:
        if len({a.strip().casefold() for a in self.approvers}) < 2:
            raise ValueError("approvers: an override needs two different approvers")
        return self


class Reconfirmation(Model):
    """R23: the private reconfirmation at the point of departure."""

    by: RequiredLine
    result: Literal["confirmed", "refused"]


class Transferred(Event):
    """He left the detaining power's custody: repatriated, exchanged, transferred or released."""

    command = "transfer"
    needs_custody = True

    type: Literal["transferred"] = "transferred"
    kind: TransferKind
    to_state: CountryCode | None = None
    via: list[CountryCode] = Field(default_factory=list, max_length=LIST_MAX)
    agreement: Line | None = None
    reconfirmation: Reconfirmation | None = None
    override_seq: Seq | None = None  # the override event relied on, if any

    @model_validator(mode="after")
    def _destination(self) -> Transferred:
        if self.kind != TransferKind.RELEASE and self.to_state is None:
            raise ValueError(f"to_state: a transfer of kind {self.kind.value} needs the receiving state")
        return self


class DetentionReasonRecorded(Event):
    """GC III Art 118: why he is still held after the cessation of active hostilities.

    Each period he is held needs its own reason; an unexplained delay is a breach (EECC 2003).
    """

    command = "detention-reason"
    needs_custody = True

    type: Literal["detention_reason_recorded"] = "detention_reason_recorded"
    reason: Text
    covers_days: int | None = Field(default=None, ge=1, le=3660)


class Died(Event):
    command = "death"
    needs_custody = True

    type: Literal["died"] = "died"
    cause: FreeText | None = None


class Escaped(Event):
    command = "escape"
    needs_custody = True

    type: Literal["escaped"] = "escaped"


class Erased(Event):
    """Crypto-shredding: the case's data key was destroyed. The reason stays readable, so it must
    never contain personal data."""

    CLEAR = frozenset({"reason"})
    command = ""  # written only by `powcase erase`

    type: Literal["erased"] = "erased"
    reason: Text


class ConflictResolved(Event):
    """Two offices wrote different histories of this case; a legal officer at headquarters merged
    them: this event names both heads, and the other office's events follow it, recorded again.
    It never arrives in a case file (not among the events a case file may carry)."""

    CLEAR = frozenset({"office", "fork_seq", "our_head", "their_head", "carried"})
    command = ""  # written only by `powcase sync resolve`

    type: Literal["conflict_resolved"] = "conflict_resolved"
    office: str = Field(min_length=1, max_length=64)
    fork_seq: Seq
    our_head: str = Field(pattern=r"^[0-9a-f]{64}$")
    their_head: str = Field(pattern=r"^[0-9a-f]{64}$")
    carried: int = Field(ge=0)
    reason: Text


class DuplicateDecided(Event):
    """A case that arrived from a field office for a man headquarters already held (the same
    service number in the same armed force): a legal officer at headquarters decided whether the
    two cases are one man. "same": this case is closed, registered twice; its facts recorded after
    its registration follow this event's number on the other case, recorded again under their own
    authors (``first_seq`` on, ``carried`` of them). "different": nothing else changes (two men with
    one service number is a data error to correct). Recorded on this case, never in a case file."""

    CLEAR = frozenset({"other_case_id", "decision", "carried", "first_seq"})
    command = ""  # written only by `powcase sync duplicate`

    type: Literal["duplicate_decided"] = "duplicate_decided"
    other_case_id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,39}$")
    decision: Literal["same", "different"]
    carried: int = Field(default=0, ge=0)
    first_seq: int = Field(default=0, ge=0)  # where the carried facts begin on the other case (0: none)
    reason: Text


# --- disclosures through the sharing gate (powcase.access.sharing) ---------------------------

# The recipient, its kind and its state are sealed: "case PW-... disclosed to a receiving state,
# KOR" is the very secret (that he asked not to go home). What stays clear says that something
# was disclosed, which fields, for what category of purpose, and links one disclosure's cases.
RecipientKind = Literal["neutral_intermediary", "power_of_origin", "receiving_state", "ngo", "other"]

# Categories only: a narrative purpose in clear could tell the secret. Details go in `details`.
Purpose = Literal[
    "casework",
    "information_bureau",
    "central_agency",
    "tracing_and_family_news",
    "protecting_power_or_icrc_visit",
    "release_or_transfer_arrangements",
    "legal_proceedings",
    "medical_care",
    "oversight",
    "statistics",
]

# The fields a disclosure may name: the minimal set is chosen from these, never "everything".
DisclosableField = Literal[
    "family_name",
    "given_names",
    "patronymic",
    "birth_date",
    "rank",
    "service_number",
    "nationality",
    "armed_force",
    "captured_on",
    "capture_place",
    "status",
    "place_of_internment",
    "health",
    "stated_wish",
    "risk_conclusion",
    "date_of_death",
]

DISCLOSURE_ID_PATTERN = r"^DS-[0-9A-Z]{8}$"


class Disclosed(Event):
    """Fields of this case were disclosed outside the casework, through the sharing gate."""

    CLEAR = frozenset({"disclosure_id", "purpose", "fields"})
    command = ""  # written only by `powcase disclose`, after the sharing gate

    type: Literal["disclosed"] = "disclosed"
    disclosure_id: str = Field(pattern=DISCLOSURE_ID_PATTERN)  # the same on every case of one disclosure
    purpose: Purpose
    fields: list[DisclosableField] = Field(min_length=1, max_length=LIST_MAX)
    recipient: RequiredLine  # an organisation or office, not a private person
    recipient_kind: RecipientKind
    recipient_state: CountryCode | None = None
    legal_basis: Text
    details: FreeText | None = Field(default=None, max_length=2000)


AnyEvent = Annotated[
    Registered
    | Captured
    | CustodyMoved
    | MedicallyAssessed
    | CaptureCardRecorded
    | Notified
    | Interviewed
    | Corrected
    | RiskAssessed
    | ThirdStateAnswered
    | LegalBasisRecorded
    | SafetyPlanRecorded
    | TransfereeAssessed
    | ProceedingsRecorded
    | Exposed
    | Decided
    | OverrideGranted
    | Transferred
    | DetentionReasonRecorded
    | Died
    | Escaped
    | Disclosed
    | Erased,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)

EVENT_TYPES: dict[str, type[Event]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        Registered, Captured, CustodyMoved, MedicallyAssessed, CaptureCardRecorded, Notified,
        Interviewed, Corrected, RiskAssessed, ThirdStateAnswered, LegalBasisRecorded,
        SafetyPlanRecorded, TransfereeAssessed, ProceedingsRecorded, Exposed, Decided,
        OverrideGranted, Transferred, Died, Escaped, Disclosed, Erased,
        DetentionReasonRecorded, ConflictResolved, DuplicateDecided,
    )
}

# The CLI's `powcase record <command>` names, for every event a user records by hand.
COMMANDS: dict[str, type[Event]] = {
    cls.command: cls for cls in EVENT_TYPES.values() if cls.command and cls is not Registered
}


def parse_event(data: dict[str, Any]) -> Event:
    """Validate a dict (from a case file, the CLI or the store) into its event class."""
    event: Event = EVENT_ADAPTER.validate_python(data)
    return event


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as it stands in a case's history, with who recorded it and when."""

    case_id: str
    seq: int
    type: str
    occurred_on: date
    recorded_at: datetime
    actor: str
    event: Event | None  # None when the case was erased and the sealed part is unreadable
    # The office whose bundle brought this row, when another office wrote it: the author above is
    # the name the writing store gave it and travels with the row; this is known only to the
    # store that received it (sync_received). None for a row this store wrote itself, and in
    # every read that does not ask (the law and the guard never look at it).
    received_from: str | None = None
