"""One generic test: every scenario file in tests/scenarios, every entry of its `expect:` list."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.law.law_scenarios import check, load, run, scenario_files

CASES = [
    pytest.param(path, index, id=f"{path.stem}[{index}]")
    for path in scenario_files()
    for index in range(len(load(path).expect or []))
]


def test_there_are_enough_scenarios() -> None:
    assert len(scenario_files()) >= 40


@pytest.mark.parametrize(("path", "index"), CASES)
def test_scenario(path: Path, index: int) -> None:
    casefile = load(path)
    expect = casefile.expect[index]
    problems = check(run(casefile, expect), expect)
    assert not problems, f"{path.name} as of {expect['as_of']}:\n  " + "\n  ".join(problems)


def test_every_scenario_has_expectations() -> None:
    for path in scenario_files():
        assert load(path).expect, f"{path.name} has no expect: block"
