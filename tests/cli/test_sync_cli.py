"""Two offices on the command line: headquarters enrols a field office, work goes both ways, a
bundle imported twice changes nothing, a revoked office's bundle is refused in one line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from tests.cli.conftest import Shell

from powcase.app import Settings, open_powcase
from powcase.demo import FIRST_SOLDIER, the_two_soldiers
from powcase.domain.events import RiskAssessed


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
    # The same rows at both ends; the field office received the resolved line from headquarters.
    assert "by clerk-1@CAMP-NORTH at" in hq.ok("history", FIRST_SOLDIER)
    assert "by clerk-1@CAMP-NORTH, received from HQ at" in field.ok("history", FIRST_SOLDIER)
    hq.ok("field", "revoke", "CAMP-NORTH")
    refused = hq("sync", "import", "to-hq-2.bundle")
    assert refused.code != 0
    assert "revoked" in refused.err and len(refused.err.strip().splitlines()) == 1


PERSON = ["register", "--family-name", "Han", "--given-names", "Byol Chan", "--born", "1999-07-23", "--nationality", "PRK",
          "--armed-force", "RUS", "--service-number", "TEST-0999", "--registered-on", "2025-01-12"]


def test_a_man_registered_at_both_offices_is_decided_at_headquarters(tmp_path: Path) -> None:
    hq, field = _enrolled(tmp_path)
    other = hq.ok(*PERSON).strip()
    case = field.ok(*PERSON).strip()
    field.ok("record", "interview", case, "--on", "2025-11-20", "--set", "interviewer=Delegate T",
             "--set", "language=kor", "--set", "stated_wish=undecided")
    field.ok("sync", "export", "--to", "HQ", "--out", "to-hq.bundle")
    (hq.folder / "to-hq.bundle").write_bytes((field.folder / "to-hq.bundle").read_bytes())
    assert f"possibly the same man as case {other}" in hq("sync", "import", "to-hq.bundle").err
    assert f"{case}  from CAMP-NORTH: possibly the same man as {other}" in hq.ok("sync", "conflicts")

    wrong = hq("sync", "duplicate", case, "--of", other, "--decision", "maybe", "--reason", "Same man.")
    assert wrong.code != 0 and len(wrong.err.strip().splitlines()) == 1 and "same or different" in wrong.err
    at_field = field("sync", "duplicate", case, "--of", other, "--decision", "same", "--reason", "Same man.")
    assert at_field.code != 0 and "decided at headquarters" in at_field.err
    said = hq.ok("sync", "duplicate", case, "--of", other, "--decision", "same", "--reason", "Same man: same name and birth date.")
    assert f"case {case}: the same man as case {other}; 1 of its event(s) recorded on {other} from event 2; {case} is closed" in said
    assert f"CAMP-NORTH is given case {other}" in said

    listed = hq("sync", "conflicts")
    assert listed.out == "" and "0 possible duplicate(s)" in listed.err
    assert f"registered twice, see {other}" in hq.ok("list")
    assert {r["case_id"]: r.get("duplicate_of") for r in json.loads(hq.ok("list", "--format", "json"))}[case] == other
    refused = hq("record", "custody", case, "--on", "2025-11-25", "--set", "place=Camp Test-2")
    assert refused.code != 0 and len(refused.err.strip().splitlines()) == 1 and f"the man's case is {other}" in refused.err
    determined = hq("determine", case)
    assert determined.code != 0 and f"determine {other}" in determined.err
    assert "clerk-1@CAMP-NORTH" in hq.ok("history", other)  # the interview, under its author at the field
    # The field office gets the case that holds him, and the decision: no duplicate left to decide there.
    hq.ok("sync", "export", "--to", "CAMP-NORTH", "--out", "back.bundle")
    (field.folder / "back.bundle").write_bytes((hq.folder / "back.bundle").read_bytes())
    back = field("sync", "import", "back.bundle")
    assert back.code == 0 and "1 new case(s)" in back.out and "possibly the same man" not in back.err
    assert f"registered twice, see {other}" in field.ok("list")

    # A stale copy is neither exported nor erased alone: one line naming his case, nothing written,
    # refused before the second person is asked for a password.
    events_before = hq.ok("history", case)
    exported = hq("export", case, "-o", "copy.yaml", "--purpose", "casework")
    assert exported.code != 0 and len(exported.err.strip().splitlines()) == 1 and f"export {other}" in exported.err
    alone = hq("--password-stdin", "erase", case, "--reason", "retention period ended", "--second", "clerk-1",
               stdin="correct horse battery\n", role="admin")
    assert alone.code != 0 and alone.err.strip().splitlines() == [
        f"error: case {case}: closed, registered twice; erase {other}: it holds his record and erasing it erases this copy too"]
    assert hq.ok("history", case) == events_before
    # Erasing his case erases the copy with it, and says so before asking.
    whole = hq("--password-stdin", "erase", other, "--reason", "retention period ended", "--second", "clerk-1",
               stdin="correct horse battery\n", role="admin")
    assert whole.code == 0, whole.err
    assert f"erasing case {other} erases case {case} too" in whole.err
    assert whole.out.splitlines() == [f"case {done} erased: its personal data can no longer be read" for done in (other, case)]
    for done in (other, case):
        assert json.loads(hq.ok("show", done, "--format", "json"))["erased"] is True
    hq.ok("sync", "export", "--to", "CAMP-NORTH", "--out", "erased.bundle")
    (field.folder / "erased.bundle").write_bytes((hq.folder / "erased.bundle").read_bytes())
    field.ok("sync", "import", "erased.bundle")
    for done in (other, case):
        shown = json.loads(field.ok("show", done, "--format", "json"))
        assert shown["erased"] is True and "identity" not in shown
    assert hq.ok("audit", "verify", role="auditor").strip() == "all chains verify"


def _enrolled(tmp_path: Path) -> tuple[Shell, Shell]:
    hq, field = _office(tmp_path / "hq"), _office(tmp_path / "field")
    (hq.folder / "two.json").write_text(json.dumps({"cases": the_two_soldiers()}), encoding="utf-8")
    hq.ok("import", "two.json")
    field.ok("field", "identity", "CAMP-NORTH", "--out", "request.json", role="admin")
    (hq.folder / "request.json").write_bytes((field.folder / "request.json").read_bytes())
    said = hq.ok("field", "enrol", "CAMP-NORTH", "--cases", FIRST_SOLDIER, "--request", "request.json", "--out", "north.pkg")
    (field.folder / "north.pkg").write_bytes((hq.folder / "north.pkg").read_bytes())
    field.ok("field", "join", "north.pkg", "--fingerprint", said.rsplit(" ", 1)[-1].strip(), role="admin")
    return hq, field


def _carry(source: Shell, target: Shell, to: str) -> str:
    source.ok("sync", "export", "--to", to, "--out", "out.bundle")
    (target.folder / "in.bundle").write_bytes((source.folder / "out.bundle").read_bytes())
    return target.ok("sync", "import", "in.bundle")


def _one_line(shell: Shell, *args: str, role: str | None = None) -> str:
    before = shell.ok("list", "--format", "json")
    result = shell(*args, role=role)
    assert result.code != 0 and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert shell.ok("list", "--format", "json") == before
    return result.err


def test_a_field_office_refuses_an_override_or_an_erasure_before_asking_a_second_password(tmp_path: Path) -> None:
    _, field = _enrolled(tmp_path)
    # No line on standard input: a password prompt would fail with another message.
    said = _one_line(field, "--password-stdin", "override", FIRST_SOLDIER, "--disposition", "D2", "--reason", "r",
                     "--second", "auditor-1")
    assert "an override is made at headquarters, not at a field office" in said
    said = _one_line(field, "--password-stdin", "erase", FIRST_SOLDIER, "--reason", "r", "--second", "clerk-1", role="admin")
    assert "an erasure is made at headquarters, not at a field office" in said


def test_headquarters_takes_a_case_back_from_a_field_office(tmp_path: Path) -> None:
    hq, field = _enrolled(tmp_path)
    second = the_two_soldiers()[1]["case_id"]
    field.ok("record", "interview", FIRST_SOLDIER, "--on", "2025-11-20", "--set", "interviewer=Delegate T",
             "--set", "language=kor", "--set", "stated_wish=no_repatriation")
    assert f"does not hold case {second}" in _one_line(hq, "field", "withdraw", "CAMP-NORTH", "--cases", second)
    assert "not enrolled here" in _one_line(hq, "field", "withdraw", "CAMP-SOUTH", "--cases", FIRST_SOLDIER)
    assert "only headquarters" in _one_line(field, "field", "withdraw", "HQ", "--cases", FIRST_SOLDIER)
    # `all` is every case of the register: the office holds one of them.
    assert "CAMP-NORTH: 1 case(s) to take back" in hq.ok("field", "withdraw", "CAMP-NORTH", "--cases", "all")
    assert "nothing changed" in hq.ok("field", "withdraw", "CAMP-NORTH", "--cases", FIRST_SOLDIER)
    assert f"{FIRST_SOLDIER}  being taken back" in hq.ok("field", "list")

    # The field office has an interview headquarters has not received: it keeps the case and sends it.
    said = _carry(hq, field, "CAMP-NORTH")
    assert f"case {FIRST_SOLDIER}: HQ takes it back once it holds this office's events on it" in said
    assert f"{FIRST_SOLDIER}  to take back: this office holds events" in field.ok("field", "list", role="admin")
    assert "1 event(s)" in _carry(field, hq, "HQ")
    said = _carry(hq, field, "CAMP-NORTH")
    assert f"case {FIRST_SOLDIER}: taken back by HQ; this office's copy of its key is destroyed" in said
    assert "no_repatriation" in hq.ok("history", FIRST_SOLDIER)

    # At the field office: not listed, unreadable, no more writes; the chains still verify.
    assert json.loads(field.ok("list", "--format", "json")) == []
    assert "no_repatriation" not in field.ok("history", FIRST_SOLDIER)
    assert "taken back by headquarters" in _one_line(field, "show", FIRST_SOLDIER)
    assert "nothing of him is readable" in _one_line(field, "determine", FIRST_SOLDIER)
    assert "taken back by headquarters" in _one_line(field, "export", FIRST_SOLDIER, "--purpose", "casework")
    refused = _one_line(field, "record", "custody", FIRST_SOLDIER, "--on", "2025-11-25", "--set", "place=Camp Test-2")
    assert "taken back by headquarters" in refused and "need-to-know" in refused
    assert field.ok("audit", "verify", role="auditor").strip() == "all chains verify"
    assert f"{FIRST_SOLDIER}  taken back by headquarters on" in field.ok("field", "list", role="admin")

    # Headquarters hears it is done.
    assert f"case {FIRST_SOLDIER}: CAMP-NORTH took it back" in _carry(field, hq, "HQ")
    listed = json.loads(hq.ok("field", "list", "--format", "json"))
    assert [w["case_id"] for w in listed[0]["withdrawn"]] == [FIRST_SOLDIER] and listed[0]["withdrawing"] == []
    # Given again, afresh: readable and listed at the field office once more.
    assert "1 case(s) added" in hq.ok("field", "extend", "CAMP-NORTH", "--cases", FIRST_SOLDIER)
    assert f"case {FIRST_SOLDIER}: given again by HQ; its key is back" in _carry(hq, field, "CAMP-NORTH")
    assert [r["case_id"] for r in json.loads(field.ok("list", "--format", "json"))] == [FIRST_SOLDIER]
    assert "no_repatriation" in field.ok("history", FIRST_SOLDIER)
    assert field.ok("audit", "verify", role="auditor").strip() == "all chains verify"


def test_an_erased_case_is_no_longer_in_conflict(tmp_path: Path) -> None:
    hq, field = _enrolled(tmp_path)
    field.ok("record", "interview", FIRST_SOLDIER, "--on", "2025-11-22", "--set", "interviewer=Delegate T",
             "--set", "language=kor", "--set", "stated_wish=no_repatriation")
    hq.ok("record", "custody", FIRST_SOLDIER, "--on", "2025-11-23", "--set", "place=Camp Test-2")
    _carry(field, hq, "HQ")
    assert [r["case_id"] for r in json.loads(hq.ok("list", "--conflicts", "--format", "json"))] == [FIRST_SOLDIER]
    hq.ok("--password-stdin", "erase", FIRST_SOLDIER, "--reason", "retention period ended", "--second", "clerk-1",
          stdin="correct horse battery\n", role="admin")
    listed = hq("sync", "conflicts")
    assert listed.out == "" and "0 conflict(s)" in listed.err
    assert json.loads(hq.ok("list", "--conflicts", "--format", "json")) == []
    assert "no open conflict" in _one_line(hq, "sync", "resolve", FIRST_SOLDIER, "--office", "CAMP-NORTH", "--reason", "x")
    assert f"case {FIRST_SOLDIER}: erased at HQ" in _carry(hq, field, "CAMP-NORTH")
    assert field("sync", "conflicts").out == ""
    assert hq.ok("audit", "verify", role="auditor").strip() == "all chains verify"
    assert field.ok("audit", "verify", role="auditor").strip() == "all chains verify"


def test_history_names_the_office_that_sent_a_fact_written_under_a_headquarters_name(tmp_path: Path) -> None:
    hq, field = _enrolled(tmp_path)
    # One insider at the field office writes below the application, into his laptop's store, under
    # the name of a legal officer at headquarters; the bundle he exports is genuine in every byte.
    pw = open_powcase(Settings.resolve(f"sqlite:///{field.folder / 'powcase.db'}"))
    with pw.store.begin() as tx:
        tx.append(FIRST_SOLDIER, tx.rows(FIRST_SOLDIER)[-1].seq, [RiskAssessed(
            occurred_on=date(2025, 11, 20), destination="PRK", conclusion="no_real_risk", reasoning="Invented.",
            assessor="Legal officer 1")], "hq-legal-1", datetime.now(UTC))
    pw.store.engine.dispose()
    field.ok("sync", "export", "--to", "HQ", "--out", "to-hq.bundle")
    (hq.folder / "to-hq.bundle").write_bytes((field.folder / "to-hq.bundle").read_bytes())
    hq.ok("sync", "import", "to-hq.bundle")
    hq.ok("record", "custody", FIRST_SOLDIER, "--on", "2025-11-21", "--set", "place=Camp Test-2")

    events = json.loads(hq.ok("history", FIRST_SOLDIER, "--format", "json"))
    forged, own = events[-2], events[-1]
    assert (forged["type"], forged["actor"], forged["received_from"]) == ("risk_assessed", "hq-legal-1", "CAMP-NORTH")
    assert own["actor"] == "clerk-1" and "received_from" not in own  # headquarters' own: as before
    assert all("received_from" not in e for e in events[:-2])
    text = hq.ok("history", FIRST_SOLDIER)
    assert "by hq-legal-1, received from CAMP-NORTH at" in text and text.count("received from") == 1
    assert "imported already; nothing changed" in hq.ok("sync", "import", "to-hq.bundle")
    assert json.loads(hq.ok("history", FIRST_SOLDIER, "--format", "json")) == events
    hq.ok("audit", "verify", role="auditor")
