"""The law scenarios again, through the store: each case file is imported on each backend, read
back (decrypted, folded) and decided. The determination must match the file's expectations and
be byte for byte the one computed from the file alone (ARCHITECTURE property 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.conftest import FixedClock
from tests.law.law_scenarios import check, load, rulebook_for, scenario_files

from powcase.app.decisions import determine_stored
from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.domain.casefile import casefile_history
from powcase.law import ExecutionRefused, determine

# Histories the law engine reads (their duties are overdue for ever) but that the store's guard
# refuses to import: a handover with no reconfirmation at the point of departure (R23), a release
# during hostilities with no consent, status route or safety plan on record (R10, R19, R30).
UNLAWFUL_HISTORIES = {"duties-handed-over-without-reconfirmation.yaml", "duties-released-notice.yaml"}


def test_every_scenario_decides_the_same_from_the_store(pw: Powcase, clock: FixedClock) -> None:
    clock.moment = datetime(2027, 1, 1, tzinfo=UTC)  # some scenarios run into 2026
    files = {path: load(path) for path in scenario_files()}
    imported = {}
    for n, (path, cf) in enumerate(files.items()):
        # The guard decides an imported transfer in the deployment's context: here, the file's.
        pw.context = cf.context
        case = cf.model_copy(update={"case_id": f"SC-{n:03d}"})
        if path.name in UNLAWFUL_HISTORIES:
            with pytest.raises(ExecutionRefused):
                pw.import_casefiles([case], "importer")
            continue
        (imported[path],) = pw.import_casefiles([case], "importer")
    checked = 0
    for path, case_id in imported.items():
        cf = files[path]
        for expect in cf.expect or []:
            as_of = date.fromisoformat(str(expect["as_of"]))
            book = rulebook_for(expect.get("policy"))
            stored = determine_stored(pw.store, case_id, book, as_of, cf.context).determination
            problems = check(stored, expect)
            assert not problems, f"{path.name} as of {as_of} (from the store):\n  " + "\n  ".join(problems)
            from_file = determine(fold(casefile_history(cf, case_id), as_of), book, as_of, cf.context)
            assert stored.to_json() == from_file.to_json(), path.name
            checked += 1
    assert checked == sum(len(files[path].expect or []) for path in imported) >= 60
    assert pw.verify() == []


def test_determination_is_reproducible(pw: Powcase) -> None:
    cf = load(next(p for p in scenario_files() if p.name == "demo-first-soldier-asks-for-south-korea.yaml"))
    (case_id,) = pw.import_casefiles([cf], "importer")
    book = rulebook_for(None)
    first = determine_stored(pw.store, case_id, book, date(2025, 3, 15), cf.context).determination.to_json()
    again = determine_stored(pw.store, case_id, book, date(2025, 3, 15), cf.context).determination.to_json()
    assert first == again
