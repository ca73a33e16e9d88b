"""The interview page: the safeguards of a free-will interview are questions that must be
answered, and before saving the page says whether the interview will qualify and, if not, why.

The answer comes from the law engine through the Office (``preview_interview``): the same rules
that will later count or discount it. An interview that will not qualify can still be recorded
(it is a fact that he was interviewed), but only with an explicit confirmation, never by mistake.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from pydantic import ValidationError

from powcase.access.permissions import AccessRefused, record_use_case
from powcase.app.interviews import InterviewPreview
from powcase.domain.events import Interviewed
from powcase.domain.values import PresentRole, StatedWish
from powcase.errors import Conflict, InvalidInput, NotPermitted
from powcase.web import forms
from powcase.web.i18n import N_
from powcase.web.session import Page, redirect, render

PRESENCE_ROWS = 3
YES_NO = ("informed_of_options", "informed_of_right_to_change", "understood", "fit_for_interview")
WISHES = {
    StatedWish.REPATRIATION.value: N_("to be repatriated"),
    StatedWish.NO_REPATRIATION.value: N_("not to be repatriated"),
    StatedWish.THIRD_STATE.value: N_("to go to a third state"),
    StatedWish.STAY.value: N_("to stay in the detaining state"),
    StatedWish.UNDECIDED.value: N_("undecided"),
}
ROLES = {
    PresentRole.NEUTRAL_OBSERVER.value: N_("neutral observer"),
    PresentRole.LEGAL_COUNSEL.value: N_("legal counsel"),
    PresentRole.MEDICAL_STAFF.value: N_("medical staff"),
    PresentRole.DETAINING_POWER_STAFF.value: N_("detaining power's staff"),
    PresentRole.DETAINING_POWER_SECURITY.value: N_("detaining power's security services"),
    PresentRole.POWER_OF_ORIGIN_REPRESENTATIVE.value: N_("representative of his power of origin"),
    PresentRole.THIRD_STATE_REPRESENTATIVE.value: N_("representative of a third state"),
    PresentRole.FELLOW_PRISONER.value: N_("fellow prisoner"),
    PresentRole.MEDIA.value: N_("media"),
}


def interview_page(page: Page, case_id: str, values: dict[str, str], errors: dict[str, str],
                   preview: InterviewPreview | None, status: int = 200) -> Response:
    office = page.office
    assert office is not None  # noqa: S101 - the callers sent anyone else to the login page
    office.require(record_use_case("interview"), case_id)
    expected = values.get("expected_seq") or (str(office.history(case_id)[0][-1].seq) if office.may("history") else "")
    return render(page, "interview.html", status=status, case_id=case_id, values=values, errors=errors,
                  preview=preview, wishes=WISHES, roles=ROLES, rows=range(PRESENCE_ROWS), expected_seq=expected,
                  yes_no=YES_NO)


def parse_interview(form: dict[str, str], _: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as an interview event, and every unanswered safeguard as an error by its field."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"type": "interviewed"}
    for name in ("occurred_on", "place", "interviewer", "interviewer_organisation", "language", "stated_wish",
                 "wish_state", "reasons", "words_original", "words_translated", "duration_minutes",
                 "next_interview_on", "options_notice_version"):
        if form.get(name, "").strip():
            data[name] = form[name].strip()
    for name in YES_NO:
        answer = form.get(name)
        if answer not in ("yes", "no"):
            errors[name] = _("Required.")
        else:
            data[name] = answer == "yes"
    data["reflection_offered"] = form.get("reflection_offered") == "yes"
    # Who else was in the room: an explicit answer, never a blank that might mean "nobody".
    presence = form.get("presence")
    rows = [(form.get(f"present_role_{i}", ""), form.get(f"present_org_{i}", "").strip()) for i in range(PRESENCE_ROWS)]
    listed = [{"role": role, **({"organisation": org} if org else {})} for role, org in rows if role]
    if presence not in ("nobody", "listed"):
        errors["presence"] = _("Required.")
    elif presence == "listed" and not listed:
        errors["presence"] = _("Name the role of everyone present.")
    data["present"] = listed if presence == "listed" else []
    interpreter = form.get("interpreter")
    if interpreter not in ("none", "used"):
        errors["interpreter"] = _("Required.")
    elif interpreter == "used":
        independent = form.get("interpreter_independent")
        if independent not in ("yes", "no"):
            errors["interpreter_independent"] = _("Required.")
        data["interpreter"] = {
            "name": form.get("interpreter_name", "").strip() or None,
            "language": form.get("interpreter_language", "").strip() or form.get("language", "").strip(),
            "affiliation": form.get("interpreter_affiliation", "").strip() or None,
            "competence_checked": form.get("interpreter_competence") == "yes",
            "security_services": independent == "no",
            "conflict_of_interest_declared": form.get("interpreter_conflict") == "yes",
        }
    pressure = form.get("pressure")
    if pressure not in ("none", "observed"):
        errors["pressure"] = _("Required.")
    elif pressure == "observed":
        if not form.get("pressure_signs", "").strip():
            errors["pressure_signs"] = _("Describe the signs of pressure.")
        data["signs_of_pressure"] = [form.get("pressure_signs", "").strip()]
    return data, errors


def record_interview(page: Page, case_id: str, form: dict[str, str]) -> Response:
    office = page.office
    assert office is not None  # noqa: S101 - the caller sent anyone else to the login page
    office.require(record_use_case("interview"), case_id)
    data, errors = parse_interview(form, page._)
    draft: Interviewed | None = None
    try:
        draft = Interviewed.model_validate(data)
    except ValidationError as exc:
        errors = {**forms.field_errors(exc, page._), **errors}
    if errors or draft is None:
        return interview_page(page, case_id, form, errors, None, status=422)
    try:
        preview = office.preview_interview(case_id, draft)
    except InvalidInput as exc:
        return interview_page(page, case_id, form, forms.input_error(str(exc), set(data), page._), None, status=422)
    if form.get("action") != "save":
        return interview_page(page, case_id, form, {}, preview)
    if not preview.assessment.qualifies and form.get("confirm_nonqualifying") != "yes":
        errors = {"confirm_nonqualifying": page._("This interview will not count toward his free will. Confirm to record it anyway.")}
        return interview_page(page, case_id, form, errors, preview, status=422)
    expected = int(form["expected_seq"]) if form.get("expected_seq", "").isdigit() else None
    try:
        office.record(case_id, draft, expected)
    except Conflict:
        errors = {"form": page._("Someone recorded on this case since you opened the form; nothing was written. Open the case again.")}
        return interview_page(page, case_id, form, errors, preview, status=409)
    except InvalidInput as exc:
        return interview_page(page, case_id, form, forms.input_error(str(exc), set(data), page._), preview, status=422)
    except AccessRefused:
        raise  # the table's refusal: the 403 page, as the API's 403
    except NotPermitted as exc:
        return interview_page(page, case_id, form, {"form": str(exc)}, preview, status=409)
    return redirect(page, f"/cases/{case_id}")
