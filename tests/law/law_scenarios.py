"""Reads the `expect:` blocks of the law scenarios (tests/scenarios/*.yaml) and checks them.

A lawyer adds a scenario by writing a case file with an `expect:` list; no Python is needed.
Each entry is checked against `determine(fold(history, as_of), rulebook, as_of, context)`:

    as_of: 2025-03-15                  the date of the determination (required)
    policy: honour-refusal-false.yaml  a deployment override file in tests/scenarios/policies/
    free_will: established             established | pending | contested
    wish: REFUSES                      WANTS_REPATRIATION | REFUSES | UNDECIDED | NOT_ASKED
    preferred_state: KOR               the third state his established wish names
    next_interview_on: 2025-03-17      the earliest date of the next qualifying interview
    conflicts: true                    the statements conflict (R22)
    interview_defects: {3: [not private]}   by event number: words in the reasons it does not count
    personal_factors: [publicly_exposed]    R27 factors that must be found
    risk: {PRK: REAL_RISK}             the finding for a state (on any route)
    destination_risk: {RUS: REAL_RISK} the finding for a whole route starting at that state
    dispositions: {D1: barred}         permitted | barred | needs_facts
    required: [D1]                     permitted and obligatory
    missing: {D5: [written acceptance by KOR]}      words each in some missing fact
    missing_excludes: {D1: [interview]}             words in no missing fact
    missing_count: {D5: 3}                          exactly this many missing facts
    reasons_do_not_cite: {D3: [GC3-109(3)]}         source ids no reason of the verdict cites
    duties_contain: [death certificate]             words each in some duty (R31, R32)
    would_change: {D5: [[written acceptance by KOR]]}   each inner list: one smallest change
    no_change: [D1]                    no added fact would permit it
    reasons_cite: {D3: [GC3-109(3)]}   source ids cited by the verdict's reasons
    open_questions: {D1: [1]}          open questions cited in reasons or notes
    alerts: {D7: [post_hostilities_hold]}
    notes_contain: {D2: [candidate]}
    conditions_contain: {D5: [reconfirm]}
    deadlines: {capture_card: [done 2025-01-20, overdue 2025-02-03], notice_escape: [not_applicable]}
                                       each duty's rows in order: a status, and for due/overdue the
                                       due date, for done the day it was done (checked by
                                       check_deadlines, powcase.law.deadlines)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from powcase.domain import CaseFile, casefile_history, fold, read_casefiles
from powcase.law.determination import Determination, determine
from powcase.law.rulebook import Rulebook, load_rulebook

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
POLICIES = SCENARIOS / "policies"

KNOWN_KEYS = frozenset(
    {
        "as_of", "policy", "free_will", "wish", "preferred_state", "next_interview_on", "conflicts",
        "interview_defects", "personal_factors", "risk", "destination_risk", "dispositions", "required",
        "missing", "would_change", "no_change", "reasons_cite", "open_questions", "alerts",
        "notes_contain", "conditions_contain", "comment", "deadlines",
    }
)

_RULEBOOKS: dict[str | None, Rulebook] = {}

# What `missing` must not list, how many facts it lists, and the duties after death or escape.
KNOWN_KEYS = KNOWN_KEYS | {"missing_excludes", "missing_count", "reasons_do_not_cite", "duties_contain"}


def rulebook_for(policy: str | None) -> Rulebook:
    if policy not in _RULEBOOKS:
        _RULEBOOKS[policy] = load_rulebook(POLICIES / policy if policy else None)
    return _RULEBOOKS[policy]


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def run(casefile: CaseFile, expect: dict[str, Any]) -> Determination:
    unknown = set(expect) - KNOWN_KEYS
    assert not unknown, f"unknown expect keys: {sorted(unknown)}"
    as_of = expect["as_of"]
    assert isinstance(as_of, date), "as_of must be a date (YYYY-MM-DD)"
    history = casefile_history(casefile)
    case = fold(history, as_of)
    return determine(case, rulebook_for(expect.get("policy")), as_of, casefile.context)


def check(determination: Determination, expect: dict[str, Any]) -> list[str]:
    """Every mismatch between the determination and the expectation, as readable lines."""
    problems: list[str] = _check_missing_and_duties(determination, expect)
    fw = determination.free_will

    def same(label: str, actual: Any, wanted: Any) -> None:
        if actual != wanted:
            problems.append(f"{label}: expected {wanted!r}, got {actual!r}")

    if "free_will" in expect:
        same("free_will", fw.status.value, expect["free_will"])
    if "wish" in expect:
        same("wish", fw.wish.value, expect["wish"])
    if "preferred_state" in expect:
        same("preferred_state", fw.preferred_state, expect["preferred_state"])
    if "next_interview_on" in expect:
        same("next_interview_on", fw.next_interview_on, expect["next_interview_on"])
    if "conflicts" in expect:
        same("conflicts", bool(fw.conflicts), expect["conflicts"])
    for seq, words in (expect.get("interview_defects") or {}).items():
        found = [item for item in fw.interviews if item.seq == int(seq)]
        if not found:
            problems.append(f"interview {seq}: not found")
            continue
        texts = " | ".join(defect.text for defect in found[0].defects)
        for word in words:
            if word not in texts:
                problems.append(f"interview {seq}: defect {word!r} not in {texts!r}")
    for factor in expect.get("personal_factors", []):
        if factor not in determination.personal_factors:
            problems.append(f"personal factor {factor!r} not found in {determination.personal_factors}")
    states = {state.state: state.status.value for risk in determination.risk for state in risk.states}
    for state, status in (expect.get("risk") or {}).items():
        same(f"risk {state}", states.get(state), status)
    routes = {risk.destination: risk.status.value for risk in determination.risk}
    for state, status in (expect.get("destination_risk") or {}).items():
        same(f"route from {state}", routes.get(state), status)
    for key, status in (expect.get("dispositions") or {}).items():
        verdict = determination.verdict(key)
        if verdict.status.value != status:
            why = "; ".join(reason.text for reason in verdict.reasons)
            problems.append(f"{key}: expected {status}, got {verdict.status.value} ({why})")
    for key in expect.get("required", []):
        if not determination.verdict(key).required:
            problems.append(f"{key}: expected required")
    for key, words in (expect.get("missing") or {}).items():
        texts = " | ".join(item.text for item in determination.verdict(key).missing)
        problems.extend(f"{key}: missing {word!r} not in {texts!r}" for word in words if word not in texts)
    for key, changes in (expect.get("would_change") or {}).items():
        actual = [change.facts for change in determination.verdict(key).would_change]
        for wanted in changes:
            if not any(len(facts) == len(wanted) and all(any(w in f for f in facts) for w in wanted) for facts in actual):
                problems.append(f"{key}: change {wanted!r} not among {actual!r}")
    for key in expect.get("no_change", []):
        actual = determination.verdict(key).would_change
        if actual:
            problems.append(f"{key}: expected no change, got {[c.facts for c in actual]}")
    for key, ids in (expect.get("reasons_cite") or {}).items():
        cited = {source for reason in determination.verdict(key).reasons for source in reason.sources}
        problems.extend(f"{key}: reasons do not cite {source}" for source in ids if source not in cited)
    for key, numbers in (expect.get("open_questions") or {}).items():
        verdict = determination.verdict(key)
        cited_q = {n for reason in (*verdict.reasons, *verdict.notes) for n in reason.open_questions}
        problems.extend(f"{key}: open question {n} not cited" for n in numbers if n not in cited_q)
    for key, alerts in (expect.get("alerts") or {}).items():
        actual_alerts = determination.verdict(key).alerts
        problems.extend(f"{key}: alert {a!r} not raised" for a in alerts if a not in actual_alerts)
    for field, label in (("notes_contain", "notes"), ("conditions_contain", "conditions")):
        for key, words in (expect.get(field) or {}).items():
            texts = " | ".join(reason.text for reason in getattr(determination.verdict(key), label))
            problems.extend(f"{key}: {label} lack {word!r}: {texts!r}" for word in words if word not in texts)
    return problems


def _check_missing_and_duties(determination: Determination, expect: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key, words in (expect.get("missing_excludes") or {}).items():
        texts = " | ".join(item.text for item in determination.verdict(key).missing)
        problems.extend(f"{key}: missing should not mention {word!r}: {texts!r}" for word in words if word in texts)
    for key, count in (expect.get("missing_count") or {}).items():
        texts = [item.text for item in determination.verdict(key).missing]
        if len(texts) != count:
            problems.append(f"{key}: expected {count} missing facts, got {len(texts)}: {texts!r}")
    for key, ids in (expect.get("reasons_do_not_cite") or {}).items():
        cited = {source for reason in determination.verdict(key).reasons for source in reason.sources}
        problems.extend(f"{key}: reasons should not cite {source}" for source in ids if source in cited)
    duties = " | ".join(duty.text for duty in determination.duties)
    problems.extend(f"duty {word!r} not in {duties!r}" for word in expect.get("duties_contain", []) if word not in duties)
    return problems


def load(path: Path) -> CaseFile:
    casefiles = read_casefiles(path)
    assert len(casefiles) == 1, f"{path.name}: one case per scenario file"
    return casefiles[0]


def check_deadlines(casefile: CaseFile, expect: dict[str, Any]) -> list[str]:
    """Every mismatch between the duties listed as of `as_of` and the `deadlines:` expectation."""
    from powcase.law.deadlines import DUTY_KEYS, deadlines

    as_of = expect["as_of"]
    case = fold(casefile_history(casefile), as_of)
    duties = deadlines(case, rulebook_for(expect.get("policy")), as_of, casefile.context)
    problems: list[str] = []
    for key, wanted in (expect.get("deadlines") or {}).items():
        if key not in DUTY_KEYS:
            problems.append(f"deadlines: unknown duty {key!r}")
            continue
        rows = [d for d in duties if d.duty == key]
        actual = []
        for d in rows:
            day = d.done_on if d.status.value == "done" else d.due_on
            actual.append(f"{d.status.value} {day}" if day else d.status.value)
        expected = [str(item) for item in wanted]
        matches = len(actual) == len(expected) and all(
            a == e or (" " not in e and a.split(" ")[0] == e) for a, e in zip(actual, expected, strict=True)
        )
        if not matches:
            problems.append(f"deadlines {key}: expected {expected}, got {actual}")
    return problems
