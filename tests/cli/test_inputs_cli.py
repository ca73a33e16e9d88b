"""Bad names and dates at the command line: one clear line, nothing written, and a register that
keeps working around a record stored before these checks. Every name here is invented."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from tests.cli.conftest import Shell

from powcase.app import Settings, open_powcase
from powcase.domain.events import Registered
from powcase.domain.values import PersonName

PERSON = [
    "register", "--family-name", "Han", "--family-name-native", "한", "--given-names", "Byol Chan",
    "--born", "1999-07-23", "--nationality", "PRK", "--armed-force", "RUS", "--language", "kor",
    "--registered-on", "2025-01-12",
]


def _cases(sh: Shell) -> list[str]:
    return [r["case_id"] for r in json.loads(sh.ok("list", "--format", "json"))]


def test_a_bad_name_or_case_id_is_one_line_and_writes_nothing(sh: Shell) -> None:
    result = sh(*PERSON[:2], "Han\u200b", *PERSON[3:])
    assert result.code == 2
    assert result.err.strip() == (
        "error: family_name.latin: contains an invisible character (U+200B zero width space); retype the name without it"
    )
    result = sh(*PERSON, "--case-id", "../../x")
    assert result.code == 2 and result.err.startswith("error: case_id: 3 to 40 capital letters") and "\n" not in result.err.strip()
    # A real name in a script tracing does not read is registered, and the clerk is told.
    arabic = sh("register", "--family-name-native", "حداد", "--given-names-native", "سامي", "--born", "1990-02-03",
                "--nationality", "SYR", "--armed-force", "RUS", "--registered-on", "2025-01-12")
    assert arabic.code == 0, arabic.err
    new_id = arabic.out.strip()
    assert arabic.err.strip().startswith(f"warning: {new_id} cannot be found by name")
    assert _cases(sh) == [new_id]  # the refused registrations wrote nothing


def test_register_and_trace_work_around_an_old_bad_record_and_a_registrar_corrects_it(sh: Shell) -> None:
    # A record from before these checks, written straight into the store.
    pw = open_powcase(Settings.resolve(f"sqlite:///{sh.folder / 'powcase.db'}"))
    old = Registered.model_construct(
        occurred_on=date(2025, 1, 5), nationality="PRK", armed_force="RUS", languages=["kor"], aliases=[], documents=[],
        family_name=PersonName.model_construct(native="한\u200b", latin=None),
        given_names=PersonName.model_construct(native="별찬😀", latin=None), birth_date=date(2999, 1, 1),
    )
    with pw.store.begin() as tx:
        tx.create_cases([("PW-OLD00001", [old])], "old-version", datetime(2025, 1, 5, tzinfo=UTC))
    pw.store.engine.dispose()

    registered = sh(*PERSON)
    assert registered.code == 0 and registered.out.strip().startswith("PW-")
    assert "warning: 1 case(s) could not be read by name and were not searched: PW-OLD00001" in registered.err
    assert "Traceback" not in registered.err and "별찬" not in registered.err
    found = sh("trace", "search", "Han Byol Chan", "--born", "1999-07-23")
    assert found.code == 0 and found.out.startswith(registered.out.strip())
    assert "PW-OLD00001" in found.err

    # The registrar corrects the old registration, with a reason; tracing then finds him too.
    fixed = sh("record", "correction", "PW-OLD00001", "--on", "2025-02-01", "--set", "corrects_seq=1",
               "--set", "reason=name and birth date misread from the capture card",
               "--set", "changes={family_name: {native: 한}, given_names: {native: 별찬}, birth_date: 1999-07-24}")
    assert fixed.code == 0, fixed.err
    found = json.loads(sh.ok("trace", "search", "한 별찬", "--format", "json"))
    assert "PW-OLD00001" in {c["record_id"] for c in found["candidates"]} and found["skipped"] == []
