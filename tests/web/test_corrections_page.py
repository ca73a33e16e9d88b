"""Corrections on the web: an event corrected with a reason, through the same guard as the CLI."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import KOR1, Site, csrf
from tests.web.test_pages import errors_by_field

from powcase.domain.events import parse_event


def _handed_to_korea(site: Site) -> int:
    """The first soldier handed over to South Korea as the law permits; the transfer's number."""
    for data in (
        {"type": "third_state_answered", "occurred_on": "2025-05-20", "state": "KOR", "answer": "accepts"},
        {"type": "safety_plan_recorded", "occurred_on": "2025-05-25", "disposition": "D5", "measures": "Escort to Seoul"},
        {"type": "transferred", "occurred_on": "2025-06-10", "kind": "third_state", "to_state": "KOR",
         "reconfirmation": {"by": "ICRC delegate", "result": "confirmed"}},
    ):
        written = site.pw.record(KOR1, parse_event(data), "officer")
    return written.seq


def _post(site: Site, who: str, **data: Any) -> Any:
    client = site.browser(who)
    form = client.get(f"/cases/{KOR1}/record/correction")
    assert form.status_code == 200
    return client.post(f"/cases/{KOR1}/record/correction", data={"csrf": csrf(form), **data}, follow_redirects=False)


def test_a_correction_is_recorded_with_its_reason_and_one_the_guard_refuses_shows_why(site: Site) -> None:
    seq = _handed_to_korea(site)
    before = len(site.pw.history(KOR1))
    refused = _post(site, "legal", occurred_on="2025-06-11", corrects_seq=str(seq), changes="occurred_on: 2025-05-15",
                    reason="date misread")
    assert refused.status_code == 409
    assert "The execution guard refused this correction:" in refused.text and "R17" in refused.text
    assert 'value="2025-06-11"' in refused.text  # the form comes back filled
    assert len(site.pw.history(KOR1)) == before
    fine = _post(site, "legal", occurred_on="2025-06-11", corrects_seq=str(seq), changes="agreement: ROK-UKR-2025-1",
                 reason="reference added")
    assert fine.status_code == 303
    assert site.pw.case(KOR1).transfers[-1].event.agreement == "ROK-UKR-2025-1"


def test_a_bad_correction_is_answered_beside_its_field_and_nothing_written(site: Site) -> None:
    before = len(site.pw.history(KOR1))
    response = _post(site, "legal", occurred_on="2025-06-11", corrects_seq="2", changes="just words", reason="")
    assert response.status_code == 422
    errors = errors_by_field(response.text)
    assert set(errors) == {"changes", "reason"}
    assert len(site.pw.history(KOR1)) == before


def test_correcting_needs_the_right_to_record_the_corrected_event(site: Site) -> None:
    seq = _handed_to_korea(site)
    refused = _post(site, "registrar", occurred_on="2025-06-11", corrects_seq=str(seq), changes="agreement: X", reason="x")
    assert refused.status_code == 403  # a registrar does not record transfers, so he cannot correct one
