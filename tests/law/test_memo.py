"""The memo is written for people: wishes in words, interviews counted as people count them,
each source listed once as the reader chooses, and a registration after the as-of date named."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from tests.law.law_scenarios import load, run, scenario_files

from powcase.domain import RecordedEvent, fold, parse_event
from powcase.law import determine, load_rulebook, render_memo
from powcase.law.memo import SourceDetail

RULEBOOK = load_rulebook()
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _memo(name: str, index: int = 0, sources: SourceDetail = "full") -> str:
    casefile = load(SCENARIOS / f"{name}.yaml")
    return render_memo(run(casefile, casefile.expect[index]), RULEBOOK, sources)


def _flat(memo: str) -> str:
    """The memo's words without its line wrapping."""
    return " ".join(memo.split())


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_no_memo_shows_the_engines_internals(path: Path) -> None:
    casefile = load(path)
    memo = render_memo(run(casefile, casefile.expect[0]), RULEBOOK).split("\n", 1)[1]  # past the case id
    for internal in ("(mark ", "WANTS_REPATRIATION", "REFUSES", "NOT_ASKED", "UNDECIDED", "_RISK", "NOT_ASSESSED", "Art 118, Art 118"):
        assert internal not in memo, internal
    assert not re.search(r"\binterview \d", memo), "an interview named by its event number alone"


def test_interviews_are_counted_as_people_count_them() -> None:
    memo = _flat(_memo("coerced-statement"))
    assert "the 1st interview (event 3)" in memo
    assert "the 2nd interview (event 4)" in memo
    assert "His wish: refuses repatriation." in memo


def test_each_source_is_listed_once_as_the_reader_chooses() -> None:
    full = _memo("demo-first-soldier-asks-for-south-korea", sources="full")
    ids = _memo("demo-first-soldier-asks-for-south-korea", sources="ids")
    none = _memo("demo-first-soldier-asks-for-south-korea", sources="none")
    listed = [line for line in full.splitlines() if line.startswith("   - CAT-3:")]
    assert len(listed) == 1
    assert "substantial grounds" in full and "substantial grounds" not in ids
    assert "   - CAT-3: Convention against Torture, Art 3(1)-(2)" in ids
    assert "Sources cited" not in none and "CAT-3:" not in none
    assert "[R25; CAT-3" in none  # still cited where it is relied on
    assert len(ids.splitlines()) < len(full.splitlines())


def _recorded(seq: int, data: dict[str, object]) -> RecordedEvent:
    event = parse_event(data)
    return RecordedEvent("NEW-STORE", seq, event.type, event.occurred_on,
                         datetime.combine(event.occurred_on, time(), UTC), "clerk", event)


def test_a_registration_after_the_as_of_date_is_named_as_such() -> None:
    """On a new store the registration defaults to today: as of an earlier date the memo says the
    registration comes later, not that the language or the registration is missing."""
    history = [
        _recorded(1, {"type": "registered", "occurred_on": "2025-03-01", "family_name": {"latin": "Example"},
                      "given_names": {"latin": "Fictional"}, "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"]}),
        _recorded(2, {"type": "interviewed", "occurred_on": "2025-02-03", "interviewer": "Delegate", "language": "rus",
                      "present": [{"role": "neutral_observer"}], "informed_of_options": True,
                      "informed_of_right_to_change": True, "stated_wish": "repatriation"}),
    ]
    as_of = date(2025, 2, 10)
    memo = _flat(render_memo(determine(fold(history, as_of), RULEBOOK, as_of, None), RULEBOOK, "none"))
    assert "is dated 2025-03-01, after the date of this determination (2025-02-10)" in memo
    assert "his working language is not recorded" not in memo
    assert "missing: his registration" not in memo
    assert "avoid at the next interview: his registration" not in memo
    assert "a determination as of 2025-03-01 or later, or a correction of the registration date" in memo
