"""Words the pages show from the model's own names: case statuses, event types, the commands
that record them, the fields of the record forms, the engine's status words. Marked here so
that `pybabel extract` finds them; translated where they are shown."""

from __future__ import annotations

from powcase.web.i18n import N_

CASE_STATUSES = (
    N_("interned"),
    N_("transferred"),
    N_("died"),
    N_("escaped"),
    N_("erased"),
)

EVENT_TYPES = (
    N_("capture_card_recorded"),
    N_("captured"),
    N_("corrected"),
    N_("custody_moved"),
    N_("decided"),
    N_("died"),
    N_("disclosed"),
    N_("erased"),
    N_("escaped"),
    N_("exposed"),
    N_("interviewed"),
    N_("legal_basis_recorded"),
    N_("medically_assessed"),
    N_("notified"),
    N_("override_granted"),
    N_("proceedings_recorded"),
    N_("registered"),
    N_("risk_assessed"),
    N_("safety_plan_recorded"),
    N_("third_state_answered"),
    N_("transferee_assessed"),
    N_("transferred"),
)

COMMANDS = (
    N_("capture"),
    N_("capture-card"),
    N_("correction"),
    N_("custody"),
    N_("death"),
    N_("decision"),
    N_("escape"),
    N_("exposure"),
    N_("interview"),
    N_("legal-basis"),
    N_("medical"),
    N_("notification"),
    N_("override"),
    N_("proceedings"),
    N_("risk-assessment"),
    N_("safety-plan"),
    N_("third-state-answer"),
    N_("transfer"),
    N_("transferee-assessment"),
)

FIELDS = (
    N_("action"),
    N_("agreement"),
    N_("answer"),
    N_("approved_by"),
    N_("art110"),
    N_("assessed_by"),
    N_("assessor"),
    N_("assurances"),
    N_("basis"),
    N_("capturing_unit"),
    N_("cause"),
    N_("channel"),
    N_("circumstances"),
    N_("conclusion"),
    N_("conditions"),
    N_("copies"),
    N_("decision"),
    N_("description"),
    N_("destination"),
    N_("detaining_power_consents_to_repatriation"),
    N_("detaining_power_holds"),
    N_("disposition"),
    N_("evidence"),
    N_("exclusion_indicators"),
    N_("family_risk"),
    N_("fit_for_interview"),
    N_("fit_to_travel"),
    N_("indictable_offence"),
    N_("input_hash"),
    N_("kind"),
    N_("measures"),
    N_("names_communicated"),
    N_("notes"),
    N_("occurred_on"),
    N_("onward"),
    N_("override_seq"),
    N_("personal_factors"),
    N_("place"),
    N_("reason"),
    N_("reasoning"),
    N_("recipient"),
    N_("reconfirmation__by"),
    N_("reconfirmation__result"),
    N_("reference"),
    N_("review_due"),
    N_("reviewer"),
    N_("rulebook_version"),
    N_("signed_off_by"),
    N_("state"),
    N_("stated_wish_to_defect"),
    N_("status"),
    N_("test"),
    N_("to_state"),
    N_("until"),
    N_("via"),
    N_("via_surrender_programme"),
    N_("willing_and_able"),
    N_("wounded"),
)

FREE_WILL = (
    N_("established"),
    N_("pending"),
    N_("contested"),
    N_("WANTS_REPATRIATION"),
    N_("REFUSES"),
    N_("UNDECIDED"),
    N_("NOT_ASKED"),
)

RISK = (
    N_("REAL_RISK"),
    N_("NO_REAL_RISK"),
    N_("NOT_ASSESSED"),
)

SOURCE_KINDS = (
    N_("treaty"),
    N_("commentary"),
    N_("custom"),
    N_("practice"),
    N_("national_law"),
    N_("court"),
    N_("report"),
    N_("news"),
)

OUTCOMES = (
    N_("allowed"),
    N_("refused"),
)
