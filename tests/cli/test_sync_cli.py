"""Two offices on the command line: headquarters enrols a field office, work goes both ways, a
bundle imported twice changes nothing, a revoked office's bundle is refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Shell

from powcase.demo import FIRST_SOLDIER, the_two_soldiers


def _office(folder: Path) -> Shell:
    folder.mkdir()
    shell = Shell(folder)
    shell.ok("init")
    shell.accounts()
    return shell


def test_enrol_join_export_import_and_revoke(tmp_path: Path) -> None:
    hq, field = _office(tmp_path / "hq"), _office(tmp_path / "field")
    (hq.folder / "two.json").write_text(json.dumps({"cases": the_two_soldiers()}), encoding="utf-8")
    hq.ok("import", "two.json")
    said = field.ok("field", "identity", "CAMP-NORTH", "--out", "request.json", role="admin")
    assert "fingerprint" in said
    (hq.folder / "request.json").write_bytes((field.folder / "request.json").read_bytes())
    said = hq.ok("field", "enrol", "CAMP-NORTH", "--cases", FIRST_SOLDIER, "--request", "request.json", "--out", "north.pkg")
    hq_print = said.rsplit(" ", 1)[-1].strip()
    (field.folder / "north.pkg").write_bytes((hq.folder / "north.pkg").read_bytes())
    wrong = field("field", "join", "north.pkg", "--fingerprint", "0000-0000-0000-0000-0000-0000", role="admin")
    assert wrong.code != 0 and "not the one headquarters read out" in wrong.err
    assert "1 case(s)" in field.ok("field", "join", "north.pkg", "--fingerprint", hq_print, role="admin")
    assert [r["case_id"] for r in json.loads(field.ok("list", "--format", "json"))] == [FIRST_SOLDIER]

    field.ok("record", "interview", FIRST_SOLDIER, "--on", "2025-11-20", "--set", "interviewer=Delegate T",
             "--set", "language=kor", "--set", "stated_wish=undecided")
    field.ok("sync", "export", "--to", "HQ", "--out", "to-hq.bundle")
    (hq.folder / "to-hq.bundle").write_bytes((field.folder / "to-hq.bundle").read_bytes())
    assert "1 event(s)" in hq.ok("sync", "import", "to-hq.bundle")
    assert "imported already; nothing changed" in hq.ok("sync", "import", "to-hq.bundle")

    assert json.loads(hq.ok("list", "--conflicts", "--format", "json")) == []
    # Both write to the case before the next exchange: a conflict, shown in the list and on the case page.
    field.ok("record", "interview", FIRST_SOLDIER, "--on", "2025-11-22", "--set", "interviewer=Delegate T",
             "--set", "language=kor", "--set", "stated_wish=no_repatriation")
    hq.ok("record", "risk-assessment", FIRST_SOLDIER, "--on", "2025-11-23", "--set", "destination=PRK",
          "--set", "conclusion=real_risk", "--set", "reasoning=Invented.", "--set", "assessor=Legal officer 1")
    field.ok("sync", "export", "--to", "HQ", "--out", "to-hq-2.bundle")
    (hq.folder / "to-hq-2.bundle").write_bytes((field.folder / "to-hq-2.bundle").read_bytes())
    assert "in conflict" in hq("sync", "import", "to-hq-2.bundle").err
    assert [r["case_id"] for r in json.loads(hq.ok("list", "--conflicts", "--format", "json"))] == [FIRST_SOLDIER]
    page = json.loads(hq.ok("show", FIRST_SOLDIER, "--format", "json"))
    assert page["in_conflict"][0]["office"] == "CAMP-NORTH"
    assert "interviewed" in page["in_conflict"][0]["their_events"][0]
    assert "decided on the safer reading" in hq("determine", FIRST_SOLDIER).err
    # A legal officer at headquarters resolves it; the field office adopts the resolved line.
    assert "1 of its event(s)" in hq.ok("sync", "resolve", FIRST_SOLDIER, "--office", "CAMP-NORTH",
                                       "--reason", "Both hold; the interview stands.")
    assert "1 case(s) added" in hq.ok("field", "extend", "CAMP-NORTH", "--cases", "all")
    hq.ok("sync", "export", "--to", "CAMP-NORTH", "--out", "back.bundle")
    (field.folder / "back.bundle").write_bytes((hq.folder / "back.bundle").read_bytes())
    said = field.ok("sync", "import", "back.bundle")
    assert f"case {FIRST_SOLDIER}: HQ resolved the conflict; this office now holds the resolved line" in said
    assert json.loads(field.ok("list", "--conflicts", "--format", "json")) == []
    assert len(json.loads(field.ok("list", "--format", "json"))) == 2
    field.ok("audit", "verify", role="auditor")
    assert hq.ok("history", FIRST_SOLDIER).splitlines()[-3:] == field.ok("history", FIRST_SOLDIER).splitlines()[-3:]
    hq.ok("field", "revoke", "CAMP-NORTH")
    refused = hq("sync", "import", "to-hq-2.bundle")
    assert refused.code != 0
    assert "revoked" in refused.err and len(refused.err.strip().splitlines()) == 1
