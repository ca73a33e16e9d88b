"""Bad input never raises: any subset of a scenario's facts, on any date, gets verdicts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.law.law_scenarios import load, scenario_files

from powcase.domain import casefile_history, fold
from powcase.law import determine, load_rulebook
from powcase.law.verdicts import Status

RULEBOOK = load_rulebook()
FILES = scenario_files()


@settings(max_examples=80, deadline=None)
@given(
    file_index=st.integers(min_value=0, max_value=len(FILES) - 1),
    keep=st.lists(st.booleans(), min_size=12, max_size=12),
    days=st.integers(min_value=0, max_value=500),
    drop_context=st.booleans(),
)
def test_any_subset_of_facts_gets_verdicts(file_index: int, keep: list[bool], days: int, drop_context: bool) -> None:
    casefile = load(FILES[file_index])
    history = casefile_history(casefile)
    kept = [history[0]] + [event for index, event in enumerate(history[1:]) if index >= len(keep) or keep[index]]
    as_of = date(2025, 1, 10) + timedelta(days=days)
    context = None if drop_context else casefile.context
    determination = determine(fold(kept, as_of), RULEBOOK, as_of, context)
    assert len(determination.dispositions) == 7
    assert all(verdict.status in Status for verdict in determination.dispositions)
    assert determination.to_json() == determine(fold(kept, as_of), RULEBOOK, as_of, context).to_json()
