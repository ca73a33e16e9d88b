"""The guard's promise as a property, on both backends: for a man who refuses to go home and faces
a real risk there (the first demo soldier: a DPRK national in Russian forces, who asks for South
Korea), no sequence of records, corrections, overrides and case-file imports ends with a transfer
to his power of origin - directly, or by any route through it - in the effective (corrected)
history, unless the transfer relies on an override granted in this store by two people.

The check below is written from the promise, not from the guard's code: it reads the final
histories only. What he said in his interviews is not corrected here: a correction of his words
changes the facts the law decides on (audited, with its reason), not the guard's promise."""

from __future__ import annotations

import contextlib
import copy
import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.conftest import Backend, FixedClock

from powcase.app.service import Powcase
from powcase.demo import CONTEXT, the_two_soldiers
from powcase.domain.case import apply_corrections
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import (
    Corrected,
    OverrideGranted,
    RecordedEvent,
    Transferred,
    parse_event,
)
from powcase.domain.values import Disposition, TransferKind
from powcase.errors import PowcaseError
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore

# His power of origin: the state of his nationality and the state whose forces he served in (which
# would hand him on to the DPRK).
ORIGIN = frozenset({"PRK", "RUS"})
STATES = ["PRK", "RUS", "KOR", "UKR", "POL"]
DATES = st.dates(date(2025, 1, 12), date(2025, 11, 30)).map(date.isoformat)
RECONFIRMATIONS = st.sampled_from([None, {"by": "ICRC", "result": "confirmed"}, {"by": "ICRC", "result": "refused"}])
DISPOSITIONS = st.sampled_from([d.value for d in Disposition])
TWO_PEOPLE = "Officer A + Officer B"
_ids = itertools.count(1)

transfers = st.fixed_dictionaries({
    "type": st.just("transferred"), "occurred_on": st.one_of(DATES, st.just("2025-06-10")), "kind": st.sampled_from([k.value for k in TransferKind]),
    "to_state": st.sampled_from(STATES), "via": st.lists(st.sampled_from(STATES), max_size=2, unique=True),
    "reconfirmation": RECONFIRMATIONS, "override_seq": st.none() | st.integers(10, 26),
})
facts = st.one_of(
    st.fixed_dictionaries({"type": st.just("third_state_answered"), "occurred_on": DATES, "state": st.sampled_from(STATES),
                           "answer": st.sampled_from(["accepts", "declines"])}),
    st.fixed_dictionaries({"type": st.just("safety_plan_recorded"), "occurred_on": DATES, "disposition": DISPOSITIONS,
                           "measures": st.just("Invented measures")}),
    st.fixed_dictionaries({"type": st.just("legal_basis_recorded"), "occurred_on": DATES, "disposition": DISPOSITIONS,
                           "basis": st.just("Invented basis"), "signed_off_by": st.just("Legal adviser 9")}),
    st.fixed_dictionaries({"type": st.just("risk_assessed"), "occurred_on": DATES, "destination": st.sampled_from(STATES),
                           "conclusion": st.sampled_from(["real_risk", "no_real_risk"]), "reasoning": st.just("Invented."),
                           "assessor": st.just("Legal officer 8"), "reviewer": st.none() | st.just("Legal officer 9")}),
)
CHANGES: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([k.value for k in TransferKind]), "to_state": st.sampled_from(STATES),
    "via": st.lists(st.sampled_from(STATES), max_size=2), "occurred_on": DATES, "reconfirmation": RECONFIRMATIONS,
    "override_seq": st.integers(10, 26), "disposition": DISPOSITIONS, "conclusion": st.sampled_from(["real_risk", "no_real_risk"]),
    "answer": st.sampled_from(["accepts", "declines"]), "state": st.sampled_from(STATES),
    "nationality": st.sampled_from(STATES), "armed_force": st.sampled_from(STATES), "power_of_dependence": st.sampled_from(STATES),
}
corrections = st.fixed_dictionaries({
    "type": st.just("corrected"), "occurred_on": DATES, "corrects_seq": st.integers(1, 26), "reason": st.just("Invented reason"),
    "changes": st.lists(st.sampled_from(sorted(CHANGES)), min_size=1, max_size=2, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: CHANGES[key] for key in keys})),
})
overrides = st.fixed_dictionaries({"type": st.just("override_granted"), "occurred_on": DATES, "disposition": DISPOSITIONS,
                                   "reason": st.just("Invented order"), "approvers": st.just(["Officer A", "Officer B"])})
events = st.one_of(transfers, facts, corrections)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("record"), events),
        st.tuples(st.just("override"), overrides),
        # A case file of the same man, carrying what a file may try: transfers, corrections, overrides.
        st.tuples(st.just("import"), st.lists(st.one_of(transfers, facts, corrections, overrides), min_size=1, max_size=4)),
    ),
    min_size=1, max_size=6,
)


def _the_man(case_id: str, extra: list[dict[str, Any]]) -> dict[str, Any]:
    first = copy.deepcopy(the_two_soldiers()[0])
    first["case_id"] = case_id
    first["person"]["service_number"] = f"KPA-PROP-{case_id}"
    first["events"].extend(extra)
    return first


def _override_in_store(history: list[RecordedEvent], transfer: RecordedEvent) -> bool:
    """A valid override: granted in this store by two people, before the transfer, for its
    disposition, and never corrected."""
    assert isinstance(transfer.event, Transferred)
    seq = transfer.event.override_seq
    granted = next((r for r in history if r.seq == seq), None)
    corrected = any(isinstance(r.event, Corrected) and r.event.corrects_seq == seq for r in history)
    return (
        granted is not None and isinstance(granted.event, OverrideGranted) and granted.seq < transfer.seq
        and granted.actor == TWO_PEOPLE and len(set(granted.event.approvers)) == 2 and not corrected
        and granted.event.disposition == transfer.event.kind.disposition
    )


def transfers_home_without_override(history: list[RecordedEvent]) -> list[str]:
    found = []
    for rec in apply_corrections(history):
        if isinstance(rec.event, Transferred):
            reached = ({rec.event.to_state} | set(rec.event.via)) & ORIGIN
            if reached and not _override_in_store(history, rec):
                found.append(f"event {rec.seq}: {rec.event.kind.value} to {rec.event.to_state} via {rec.event.via}")
    return found


def _attempt(action: Any) -> None:
    with contextlib.suppress(PowcaseError, ValidationError, ValueError):  # refused: nothing written
        action()


# South Korea's acceptance and the safety measures, so that a lawful transfer to Korea (events 16, 17)
# is within reach and the corrections and routes that would turn it homeward are tried on it.
KOREA_READY = [
    {"type": "third_state_answered", "occurred_on": "2025-05-20", "state": "KOR", "answer": "accepts"},
    {"type": "safety_plan_recorded", "occurred_on": "2025-05-25", "disposition": "D5", "measures": "Invented measures"},
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(korea_ready=st.booleans(), plan=operations)
def test_no_sequence_sends_him_home_without_a_two_person_override(
    backend: Backend, master_key: MasterKey, clock: FixedClock, korea_ready: bool, plan: list[tuple[str, Any]]
) -> None:
    app = Powcase(EventStore(backend.engine, master_key), clock, context=Context.model_validate(CONTEXT))
    ready = KOREA_READY if korea_ready else []
    case_id = f"PW-PROP-{next(_ids):05d}"
    (case_id,) = app.import_casefiles(parse_casefiles(_the_man(case_id, ready)), "importer")
    cases = [case_id]
    for kind, payload in plan:
        if kind == "record":
            _attempt(lambda p=payload: app.record(case_id, parse_event(p), "legal-officer"))
        elif kind == "override":
            _attempt(lambda p=payload: app.record(case_id, parse_event(p), TWO_PEOPLE))
        else:
            other = f"PW-PROP-{next(_ids):05d}"
            _attempt(lambda p=payload, o=other: cases.extend(app.import_casefiles(parse_casefiles(_the_man(o, [*ready, *p])), "importer")))
    for cid in cases:
        assert transfers_home_without_override(app.history(cid)) == [], cid
