"""Every command answers a person clearly: each case a new user met (a traceback, a silent loss,
a field that could not be found, a password asked too early, output written for programmers)
checked one by one, in-process for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.inprocess import Powcase

from powcase.cli.main import log_folder

PERSON = ["register", "--family-name", "Han", "--given-names", "Byol Chan", "--born", "1999-07-23",
          "--nationality", "PRK", "--armed-force", "RUS", "--language", "kor", "--registered-on", "2025-01-12"]
QUALIFYING = ["--set", "interviewer=Delegate 1", "--set", "language=kor", "--set", "stated_wish=third_state",
              "--set", "wish_state=KOR", "--set", "present+={role: neutral_observer, organisation: ICRC}",
              "--set", "informed_of_options=true", "--set", "informed_of_right_to_change=true"]


@pytest.fixture(scope="module")
def pc(tmp_path_factory: pytest.TempPathFactory) -> Powcase:
    store = Powcase(tmp_path_factory.mktemp("answers")).init().accounts()
    case_id = store.ok(*PERSON).strip()
    store.ok("record", "capture", case_id, "--on", "2025-01-09", "--set", "place=Sector 9", "--set", "circumstances=captured")
    store.case_id = case_id  # type: ignore[attr-defined]
    return store


def case(pc: Powcase) -> str:
    return str(pc.case_id)  # type: ignore[attr-defined]


# --- dates in options: one parser, naming the option and the form --------------------------------

@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["determine", "{case}", "--as-of", "2025-02-30"], "--as-of"),
        (["show", "{case}", "--as-of", "2025/01/01"], "--as-of"),
        ([*PERSON[:-2], "--registered-on", "1.1.2025"], "--registered-on"),
        (["override", "{case}", "--disposition", "D2", "--reason", "r", "--second", "legal-1", "--on", "2025-13-01"], "--on"),
        (["exchange", "execute", "plan.json", "--on", "tomorrow"], "--on"),
        (["audit", "show", "--since", "2025-02-30"], "--since"),
        (["audit", "show", "--until", "01/02/2025"], "--until"),
        (["record", "custody", "{case}", "--on", "20250101", "--set", "place=Camp"], "--on"),
        (["context", "set-hostilities", "ceased", "--since", "yesterday"], "--since"),
    ],
)
def test_a_bad_date_names_its_option_and_the_form(pc: Powcase, args: list[str], option: str) -> None:
    role = "auditor" if args[0] == "audit" else "clerk"
    line = pc.refused(*[a.replace("{case}", case(pc)) for a in args], role=role)
    assert line.startswith(f"error: {option}: ") and "YYYY-MM-DD" in line


def test_an_impossible_date_inside_files(pc: Powcase) -> None:
    (pc.folder / "bad-date.yaml").write_text(
        "person: {registered_on: 2025-02-30, family_name: {latin: A}, given_names: {latin: B}, "
        "nationality: RUS, armed_force: RUS}\n", encoding="utf-8")
    assert "not valid YAML at line 1: a date that does not exist" in pc.refused("import", "bad-date.yaml")
    (pc.folder / "bad-exchange.yaml").write_text(
        "id: X\ncounterpart: RUS\ndate: 2025-02-30\nterms: {total: 1}\n"
        "request_list: {file: r.csv, columns: {name: N}}\n", encoding="utf-8")
    assert "line 3: a date that does not exist" in pc.refused("exchange", "plan", "bad-exchange.yaml")
    (pc.folder / "quoted-date.yaml").write_text(
        "id: X\ncounterpart: RUS\ndate: '2025-02-30'\nterms: {total: 1}\n"
        "request_list: {file: r.csv, columns: {name: N}}\n", encoding="utf-8")
    assert "date:" in pc.refused("exchange", "plan", "quoted-date.yaml")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_documents_nested_thousands_deep(pc: Powcase, suffix: str) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    (pc.folder / f"deep{suffix}").write_text(f'{{"person": {deep}}}', encoding="utf-8")
    assert "nested too deeply" in pc.refused("import", f"deep{suffix}")
    assert "nested too deeply" in pc.refused("record", "custody", case(pc), "--file", f"deep{suffix}")


def test_file_arguments_checked_before_work(pc: Powcase) -> None:
    assert pc.refused("export", case(pc), "--purpose", "casework", "-o", "no/such/folder/x.yaml") == \
        "error: --output: folder no/such/folder does not exist"
    line = pc.refused("disclose", case(pc), "--purpose", "central_agency", "--recipient", "ICRC", "--recipient-kind",
                      "neutral_intermediary", "--legal-basis", "Art 123", "--field", "family_name", "-o", "missing/out.json")
    assert line == "error: --output: folder missing does not exist"
    assert pc.refused("retention", "run", "--policy", "nope.yaml", role="legal") == "error: --policy: nope.yaml: no such file"
    (pc.folder / "broken.yaml").write_text("days: [", encoding="utf-8")
    assert "not valid YAML" in pc.refused("retention", "run", "--policy", "broken.yaml", role="legal")
    assert pc.refused("exchange", "execute", "nope.json", "--on", "2025-06-10") == "error: PLAN: nope.json: no such file"
    (pc.folder / "plan.json").write_text('{"exchange_id": "X", "counterpart": "RUS", "chosen": 5}', encoding="utf-8")
    assert "not a plan file" in pc.refused("exchange", "execute", "plan.json", "--on", "2025-06-10")
    assert pc.refused("exchange", "execute", "plan.json", "--on", "2025-06-10", "--reconfirmations", "none.csv") == \
        "error: --reconfirmations: none.csv: no such file"
    (pc.folder / "no-list.yaml").write_text(
        "id: X\ncounterpart: RUS\ndate: 2025-06-10\nterms: {total: 1}\n"
        "request_list: {file: absent.csv, columns: {name: N}}\n", encoding="utf-8")
    assert "absent.csv: 1 problem(s)" in pc.refused("exchange", "plan", "no-list.yaml", lines=2)
    assert pc.refused("import", "nothing.yaml") == "error: FILES: nothing.yaml: no such file"
    assert pc.refused("import", ".") == "error: FILES: .: not a file"


def test_database_that_cannot_be_reached_or_parsed(pc: Powcase) -> None:
    unparsable = pc("--database", "foo", "list")
    assert unparsable.code == 2 and unparsable.err.strip().startswith("error: --database: not a database URL")
    unreachable = pc("--database", "postgresql://nobody:s3cret@127.0.0.1:1/none", "init")
    assert unreachable.code == 2
    assert unreachable.err.count("\n") == 1 and "cannot use the database" in unreachable.err
    assert "s3cret" not in unreachable.err


def test_a_bug_is_one_line_and_a_log_without_personal_data(pc: Powcase, monkeypatch: pytest.MonkeyPatch) -> None:
    from powcase.app.office import Office

    def broken(self: Office, *args: object) -> None:
        secret = "Han Byol Chan 1999-07-23"
        raise ValueError(f"cannot handle {secret}")

    monkeypatch.setattr(Office, "list_cases", broken)
    ran = pc("list")
    assert ran.code == 1
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unexpected ValueError") and "Traceback" not in ran.err
    logs = list((pc.folder / ".state" / "powcase").glob("error-*.log"))
    assert logs and str(logs[0]) in lines[0]
    text = logs[0].read_text(encoding="utf-8")
    assert "ValueError" in text and "list_cases" in text
    assert "Han" not in text and "1999" not in text
    assert oct(logs[0].stat().st_mode & 0o777) == "0o600"
    assert log_folder().name == "powcase"


# --- silent loss or acceptance -------------------------------------------------------------------

def _exchange(pc: Powcase, csv_text: str) -> str:
    (pc.folder / "request.csv").write_text(csv_text, encoding="utf-8")
    (pc.folder / "exchange.yaml").write_text(
        "id: EX-T\ncounterpart: RUS\ndate: 2025-06-10\nterms: {total: 5}\n"
        "request_list: {file: request.csv, columns: {name: name, birth_date: born}}\n", encoding="utf-8")
    return "exchange.yaml"


def test_unclosed_quote_in_a_request_list_names_its_row(pc: Powcase) -> None:
    rows = 'name,born\nIvanov Ivan,1990\nPetrov "Petr,1991\nSidorov Oleg,1992\nOrlov Igor,1993\n'
    rows = rows.replace('Petrov "Petr', '"Petrov Petr')
    line = pc.refused("exchange", "plan", _exchange(pc, rows), "--out", "out", lines=2)
    assert "row 3: a quote is opened and not closed" in line


def test_a_huge_name_from_the_other_government_is_refused_at_once(pc: Powcase) -> None:
    rows = "name,born\nIvanov Ivan,1990\n" + "Ж" * 100_000 + ",1991\n"
    line = pc.refused("exchange", "plan", _exchange(pc, rows), "--out", "out", lines=2)
    assert "row 3: a cell is longer than 300 characters" in line


def test_export_format_xml_is_refused(pc: Powcase) -> None:
    line = pc.refused("export", case(pc), "--purpose", "casework", "--format", "xml")
    assert "'xml' is not one of 'yaml', 'json'" in line


def test_garbage_reconfirmations_are_refused(pc: Powcase) -> None:
    (pc.folder / "plan.json").write_text('{"exchange_id": "X", "counterpart": "RUS", "chosen": []}', encoding="utf-8")
    (pc.folder / "garbage.csv").write_bytes(b"\x00\x01 this is not a csv \xff\n")
    assert "garbage.csv" in pc.refused("exchange", "execute", "plan.json", "--on", "2025-06-10", "--reconfirmations", "garbage.csv")
    (pc.folder / "words.csv").write_text("hello,world\n1,2\n", encoding="utf-8")
    line = pc.refused("exchange", "execute", "plan.json", "--on", "2025-06-10", "--reconfirmations", "words.csv")
    assert "expected the columns case_id, result, by" in line


def test_trace_search_born_in_another_form_is_an_error(pc: Powcase) -> None:
    assert pc.refused("trace", "search", "Han Byol Chan", "--born", "14.05.2000") == \
        "error: --born: expected YYYY-MM-DD or YYYY"
    assert pc("trace", "search", "Han Byol Chan", "--born", "1999").code == 0


def test_missing_fields_are_reported_all_at_once(pc: Powcase) -> None:
    line = pc.refused("record", "interview", case(pc), "--on", "2025-02-03")
    assert "interviewer: Field required" in line and "language: Field required" in line
    assert "stated_wish: Field required" in line


# --- fields a person can discover ----------------------------------------------------------------

def test_schema_event_lists_every_field_with_type_required_and_description(pc: Powcase) -> None:
    text = pc.ok("schema", "event", "interview")
    lines = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert "required" in lines["stated_wish"] and "third_state" in lines["stated_wish"]
    assert "optional" in lines["informed_of_right_to_change"] and "true/false" in lines["informed_of_right_to_change"]
    assert "change his mind" in lines["informed_of_right_to_change"]
    assert all(line.split(":", 1)[1].strip() for line in lines.values()), "a field without a description"
    assert json.loads(pc.ok("schema", "event", "interview", "--format", "json"))["properties"]["stated_wish"]
    helped = pc.ok("record", "interview", "--help")
    assert "informed_of_options" in helped and "stated_wish" in helped
    assert pc.refused("schema", "event", "nothing").startswith("error: unknown event 'nothing'")


# --- the tour teaches the right way ----------------------------------------------------------------

def test_record_says_when_an_interview_will_not_count_and_why(pc: Powcase) -> None:
    weak = pc("record", "interview", case(pc), "--on", "2025-02-03", "--set", "interviewer=D", "--set", "language=kor",
              "--set", "stated_wish=undecided")
    assert weak.code == 0
    assert "will not count" in weak.err
    assert "not told he may change his mind [R20]" in weak.err and "no neutral observer present [R21]" in weak.err
    good = pc("record", "interview", case(pc), "--on", "2025-02-20", *QUALIFYING)
    assert good.code == 0 and good.err == ""


def test_context_commands(tmp_path: Path) -> None:
    pc = Powcase(tmp_path).init().accounts()
    assert "no context" in pc.refused("context", "show")
    assert "--detaining-power" in pc.refused("context", "set-hostilities", "ongoing", "--since", "2022-02-24")
    assert "may not set_context" in pc.refused("context", "set-hostilities", "ongoing", "--since", "2022-02-24",
                                              "--detaining-power", "UKR", role="registrar")
    pc.ok("context", "set-hostilities", "ongoing", "--since", "2022-02-24", "--detaining-power", "UKR", role="legal")
    pc.ok("context", "add-agreement", "EX-1", "--kind", "exchange", "--party", "UKR", "--party", "RUS",
          "--signed-on", "2025-05-20", "--receiving-state", "RUS", role="legal")
    assert "after the last period" in pc.refused("context", "set-hostilities", "ceased", "--since", "2021-01-01", role="legal")
    assert "exists already" in pc.refused("context", "add-agreement", "EX-1", "--kind", "exchange", "--party", "UKR",
                                          "--signed-on", "2025-05-20", role="legal")
    pc.ok("context", "set-hostilities", "ceased", "--since", "2025-09-01", role="legal")
    shown = json.loads(pc.ok("context", "show", "--format", "json"))
    assert [p["state"] for p in shown["hostilities"]] == ["ongoing", "ceased"]
    assert shown["agreements"][0]["id"] == "EX-1"
    assert not list(tmp_path.glob(".context.yaml.*")), "a staged file was left behind"


# --- passwords only after the permission check -----------------------------------------------------

def test_user_add_by_an_interviewer_is_refused_before_any_prompt(pc: Powcase) -> None:
    # With no line on standard input, a prompt would fail with "no more lines": it must not come.
    line = pc.refused("--password-stdin", "user", "add", "eve", "--role", "administrator", role="interviewer")
    assert "may not user_admin" in line


def test_erase_by_a_registrar_is_refused_before_the_legal_officer_types(pc: Powcase) -> None:
    for _ in range(3):
        line = pc.refused("--password-stdin", "erase", case(pc), "--reason", "x", "--second", "legal-1",
                          role="registrar", stdin="wrong password\n")
        assert "may not erase" in line
    # snapshot() includes every account's failed-login count: the legal officer's stayed at 0.
    line = pc.refused("--password-stdin", "erase", "PW-NOSUCH", "--reason", "x", "--second", "legal-1",
                      role="admin", stdin="wrong password\n")
    assert line == "error: no case PW-NOSUCH"
    line = pc.refused("--password-stdin", "erase", case(pc), "--reason", "x", "--second", "admin-1", role="admin")
    assert "two different people" in line


def test_a_token_for_longer_than_a_calendar_holds_is_refused_in_one_line(pc: Powcase) -> None:
    # Found by the walk over every command (test_malformed.py): a duration past timedelta's range.
    line = pc.refused("token", "create", "--days", "1" + "0" * 40)
    assert "--days" in line
    line = pc.refused("token", "create", "--days", "100000")
    assert "at most" in line


# --- output for people -------------------------------------------------------------------------------

def test_output_for_people(pc: Powcase) -> None:
    users = pc.ok("user", "list", role="admin")
    assert users.splitlines()[0].split() == ["account", "roles", "state"]
    assert "legal officer" in users and "active" in users and "roles=" not in users and "False" not in users
    listed = pc.ok("list").splitlines()
    assert listed[0].split()[:2] == ["case", "id"]
    history = pc.ok("history", case(pc))
    assert " at " in history and not any("." in line.split(" at ")[-1] for line in history.splitlines() if " by " in line)
    found = pc.ok("trace", "search", "Han Byol Chan", "--born", "1999-07-23")
    assert "likely" in found and "+" not in found.split("\n")[0]


def test_determine_all_lists_case_ids_per_verdict_and_json_has_as_of_and_totals(pc: Powcase) -> None:
    summary = json.loads(pc.ok("determine", "--all", "--as-of", "2025-03-01", "--format", "json"))
    assert summary["as_of"] == "2025-03-01" and summary["cases"] == 1
    d7 = next(counts for name, counts in summary["dispositions"].items() if name.startswith("D7 "))
    verdict = next(v for v, n in d7.items() if n == 1)
    data = json.loads(pc.ok("determine", "--all", "--as-of", "2025-03-01", "--list", f"D7={verdict}", "--format", "json"))
    assert data["listed"] == {f"D7={verdict}": [case(pc)]}
    text = pc.ok("determine", "--all", "--as-of", "2025-03-01", "--list", f"d7={verdict}")
    assert f"D7={verdict}: 1 case(s)\n  {case(pc)}" in text
    assert "expected DISPOSITION=VERDICT" in pc.refused("determine", "--all", "--list", "D9=maybe")


def test_an_auditor_cannot_filter_by_place(pc: Powcase) -> None:
    assert "may not list_by_place" in pc.refused("list", "--place", "Sector 9", role="auditor")
    assert pc("list", role="auditor").code == 0
    assert pc("list", "--place", "Sector 9", role="registrar").code == 0


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_serve_refuses_a_port_it_cannot_listen_on(pc: Powcase, port: str) -> None:
    ran = pc("serve", "--port", port)
    assert ran.code == 2 and len(ran.err.strip().splitlines()) == 1 and "--port" in ran.err
