"""The `deadlines:` expectations of the law scenarios: each duty due, overdue, done or not applicable."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.law.law_scenarios import check_deadlines, load, scenario_files

from powcase.law.deadlines import DUTY_KEYS

CASES = [
    pytest.param(path, index, id=f"{path.stem}[{index}]")
    for path in scenario_files()
    for index, expect in enumerate(load(path).expect or [])
    if "deadlines" in expect
]


def test_every_duty_has_a_scenario_for_each_status() -> None:
    seen: set[tuple[str, str]] = set()
    for path, index in (p.values[:2] for p in CASES):
        for key, rows in load(path).expect[index]["deadlines"].items():  # type: ignore[index]
            seen.update((key, str(row).split(" ")[0]) for row in rows)
    for key in ("capture_card", "particulars", "notice_escape", "notice_repatriation", "death_certificate",
                "proceedings_names", "detention_reason"):
        for status in ("due", "overdue", "done", "not_applicable"):
            assert (key, status) in seen, f"no scenario shows {key} {status}"
    for key in DUTY_KEYS:  # every other duty: not applicable, and arisen at least once
        assert (key, "not_applicable") in seen, f"no scenario shows {key} not applicable"
        assert {(key, s) for s in ("due", "overdue", "done")} & seen, f"no scenario shows {key} arising"
    for key, status in (("handover_reconfirmation", "done"), ("handover_reconfirmation", "overdue"),
                        ("next_interview", "done"), ("nnrc_civilian_status", "overdue")):
        assert (key, status) in seen, f"no scenario shows {key} {status}"


@pytest.mark.parametrize(("path", "index"), CASES)
def test_deadline_scenario(path: Path, index: int) -> None:
    casefile = load(path)
    expect = casefile.expect[index]
    problems = check_deadlines(casefile, expect)
    assert not problems, f"{path.name} as of {expect['as_of']}:\n  " + "\n  ".join(problems)
