"""Recording a correction of an earlier event (never an edit in place): which event, what changes
and why. Through ``Office.record``: the one correcting must also hold the right to record the
event he corrects, and the execution guard checks the history the correction would leave; a
correction it refuses shows its reasons, and nothing is written."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from powcase.access.permissions import AccessRefused, record_use_case
from powcase.domain.events import Corrected
from powcase.domain.reading import parse_yaml
from powcase.errors import Conflict, InvalidInput, NotPermitted
from powcase.law import ExecutionRefused
from powcase.web import forms
from powcase.web.i18n import N_
from powcase.web.session import Page, redirect, render

FIELDS = [
    forms.FormField("occurred_on", "date", True),
    forms.FormField("corrects_seq", "number", True),
    forms.FormField("changes", "textarea", True),
    forms.FormField("reason", "textarea", True),
]
HINTS = {
    "corrects_seq": N_("The number (#) of the event in the case's timeline."),
    "changes": N_("One `field: new value` per line, e.g. `occurred_on: 2025-03-02`."),
}


def correction_page(page: Page, case_id: str, values: dict[str, str], errors: dict[str, str],
                    refusal: ExecutionRefused | None = None, status: int = 200) -> Response:
    office = page.office
    assert office is not None  # noqa: S101 - the callers sent anyone else to the login page
    office.require(record_use_case("correction"), case_id)
    expected = values.get("expected_seq") or (str(office.history(case_id)[0][-1].seq) if office.may("history") else "")
    return render(page, "record.html", status=status, case_id=case_id, command="correction", fields=FIELDS,
                  values=values, errors=errors, expected_seq=expected, refusal=refusal, hints=HINTS)


def _changes(text: str, _: Any) -> tuple[dict[str, Any] | None, str | None]:
    try:
        parsed = parse_yaml(text, "changes")
    except InvalidInput as exc:
        return None, _("Not accepted:") + " " + str(exc).partition(": ")[2]
    if not isinstance(parsed, dict) or not parsed:
        return None, _("Write one `field: new value` per line.")
    return {str(k): v for k, v in parsed.items()}, None


def record_correction(page: Page, case_id: str, form: dict[str, str]) -> Response:
    office = page.office
    assert office is not None  # noqa: S101 - the caller sent anyone else to the login page
    office.require(record_use_case("correction"), case_id)
    data: dict[str, Any] = {"type": "corrected", **{k: v for k, v in forms.read_form(FIELDS, form).items() if k != "changes"}}
    errors: dict[str, str] = {}
    if form.get("changes", "").strip():
        changes, problem = _changes(form["changes"], page._)
        if problem:
            errors["changes"] = problem
        else:
            data["changes"] = changes
    event, invalid = forms.validate_event(Corrected, data, page._)
    errors = {**invalid, **errors}
    if errors or event is None:
        return correction_page(page, case_id, form, errors, status=422)
    expected = int(form["expected_seq"]) if form.get("expected_seq", "").isdigit() else None
    try:
        office.record(case_id, event, expected)
    except ExecutionRefused as exc:
        return correction_page(page, case_id, form, {"form": page._("The execution guard refused this correction:")}, exc, 409)
    except Conflict:
        errors = {"form": page._("Someone recorded on this case since you opened the form; nothing was written. Open the case again.")}
        return correction_page(page, case_id, form, errors, status=409)
    except InvalidInput as exc:
        return correction_page(page, case_id, form, forms.input_error(str(exc), {f.name for f in FIELDS}, page._), status=422)
    except AccessRefused:
        raise  # the table's refusal (he may not record the event he corrects): the 403 page
    except NotPermitted as exc:
        return correction_page(page, case_id, form, {"form": page._("Refused.") + " " + str(exc)}, status=409)
    return redirect(page, f"/cases/{case_id}")
