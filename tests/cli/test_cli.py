"""The command line end to end: the tour a newcomer takes, and every bad input refused cleanly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.cli.conftest import Shell

PERSON = [
    "register", "--family-name", "Han", "--family-name-native", "한", "--given-names", "Byol Chan",
    "--born", "1999-07-23", "--nationality", "PRK", "--armed-force", "RUS", "--language", "kor",
    "--service-number", "0071-22", "--registered-on", "2025-01-12",
]


def _register(sh: Shell) -> str:
    case_id = sh.ok(*PERSON).strip()
    sh.ok("record", "capture", case_id, "--on", "2025-01-09", "--set", "place=Sector 9", "--set", "circumstances=wounded")
    return case_id


def test_register_record_show_history_export_import(sh: Shell, tmp_path: Path) -> None:
    case_id = _register(sh)
    assert case_id.startswith("PW-")
    out = sh.ok("record", "interview", case_id, "--on", "2025-02-03", "--set", "interviewer=Delegate 1",
                "--set", "language=kor", "--set", "stated_wish=third_state", "--set", "wish_state=KOR",
                "--set", "present+={role: neutral_observer, organisation: ICRC}")
    assert out.strip() == f"case {case_id} event 3: interviewed on 2025-02-03"
    shown = json.loads(sh.ok("show", case_id, "--format", "json"))
    assert shown["identity"]["service_number"] == "0071-22"  # stays a string, leading zero kept
    assert shown["interviews"][0]["wish_state"] == "KOR"
    assert [e["type"] for e in json.loads(sh.ok("history", case_id, "--format", "json"))] == ["registered", "captured", "interviewed"]
    listed = json.loads(sh.ok("list", "--nationality", "PRK", "--format", "json"))
    assert listed == [{"case_id": case_id, "nationality": "PRK", "status": "interned", "captured_on": "2025-01-09"}]
    assert "Han" not in json.dumps(listed)

    exported = tmp_path / "case.yaml"
    sh.ok("export", case_id, "-o", str(exported), "--purpose", "casework")
    other = Shell(tmp_path / "elsewhere")
    other.folder.mkdir()
    other.ok("init")
    other.accounts()
    assert other.ok("import", str(exported)).strip() == case_id
    assert json.loads(other.ok("show", case_id, "--format", "json")) == shown
    assert other.ok("audit", "verify", role="auditor").strip() == "all chains verify"


def test_erase_then_verify(sh: Shell) -> None:
    case_id = _register(sh)
    alone = sh("--password-stdin", "erase", case_id, "--reason", "retention period ended", "--second", "admin-1",
               stdin="correct horse battery\n", role="admin")
    assert alone.code == 2 and "two different people" in alone.err
    result = sh("--password-stdin", "erase", case_id, "--reason", "retention period ended", "--second", "clerk-1",
                stdin="correct horse battery\n", role="admin")
    assert result.code == 0, result.err
    shown = json.loads(sh.ok("show", case_id, "--format", "json"))
    assert shown["erased"] is True and "identity" not in shown
    assert sh.ok("audit", "verify", role="auditor").strip() == "all chains verify"


def _refused(sh: Shell, *args: str) -> str:
    before = sh("list", "--format", "json").out
    result = sh(*args)
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert sh("list", "--format", "json").out == before, "a refused command wrote something"
    return lines[0]


def test_unknown_country_code(sh: Shell) -> None:
    args = [a if a != "PRK" else "PKR" for a in PERSON]
    assert _refused(sh, *args) == "error: nationality: unknown country code 'PKR' (ISO 3166-1 alpha-3 expected, e.g. PRK, RUS, UKR, KOR)"


def test_unknown_language_code(sh: Shell) -> None:
    args = [a if a != "kor" else "korean" for a in PERSON]
    assert _refused(sh, *args).startswith("error: languages.0: unknown language code 'korean'")


def test_event_before_capture(sh: Shell) -> None:
    case_id = _register(sh)
    line = _refused(sh, "record", "custody", case_id, "--on", "2024-12-31", "--set", "place=Camp")
    assert line == f"error: case {case_id} event 3: custody_moved dated 2024-12-31, before the capture on 2025-01-09"


def test_event_in_the_future(sh: Shell) -> None:
    case_id = _register(sh)
    assert "is in the future" in _refused(sh, "record", "custody", case_id, "--on", "2999-01-01", "--set", "place=Camp")


def test_third_state_wish_without_a_state(sh: Shell) -> None:
    case_id = _register(sh)
    line = _refused(sh, "record", "interview", case_id, "--on", "2025-02-03", "--set", "interviewer=D",
                    "--set", "language=kor", "--set", "stated_wish=third_state")
    assert line == "error: wish_state: a wish to go to a third state must name the state"


def test_duplicate_service_number_for_the_same_armed_force(sh: Shell) -> None:
    case_id = _register(sh)
    line = _refused(sh, *PERSON)
    assert line == f"error: service_number: case {case_id} already has this service number in the armed force RUS"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("person: [unclosed", "not valid YAML at line 1"),
        ("person: {registered_on: 2025-01-01, family_name: {latin: A}, given_names: {latin: B}, nationality: XXX, armed_force: RUS}",
         "person.nationality: unknown country code 'XXX'"),
    ],
)
def test_malformed_case_file(sh: Shell, tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert expected in _refused(sh, "import", str(path))


def test_import_crashing_half_way_leaves_the_store_as_it_was(sh: Shell, tmp_path: Path) -> None:
    good = "\n".join(
        f"  - {{case_id: PW-OK-{n}, person: {{registered_on: 2025-01-01, family_name: {{latin: A}}, given_names: {{latin: B}}, "
        f"nationality: RUS, armed_force: RUS}}, events: [{{type: captured, occurred_on: 2024-12-30, place: X, circumstances: captured}}]}}"
        for n in range(1, 4)
    )
    bad = ("  - {case_id: PW-BAD-1, person: {registered_on: 2025-01-01, family_name: {latin: C}, given_names: {latin: D}, "
           "nationality: RUS, armed_force: RUS}, events: [{type: captured, occurred_on: 2024-12-30, place: X, circumstances: captured}, "
           "{type: custody_moved, occurred_on: 2024-01-01, place: Camp}]}")
    path = tmp_path / "bundle.yaml"
    path.write_text("cases:\n" + good + "\n" + bad + "\n", encoding="utf-8")
    assert "PW-BAD-1 event 3" in _refused(sh, "import", str(path))
    assert json.loads(sh.ok("list", "--format", "json")) == []


def test_no_store_yet_is_a_clear_error(tmp_path: Path) -> None:
    fresh = Shell(tmp_path)
    result = fresh("list")
    assert result.code == 2
    assert result.err.strip() == "error: no powcase store at powcase.db: run `powcase init` first"


def test_trace_search_finds_him_across_scripts_and_warns_of_a_duplicate(sh: Shell) -> None:
    case_id = _register(sh)
    for spelling in ("Han Pyol Chan", "Хан Бёль Чхан"):
        found = json.loads(sh.ok("trace", "search", spelling, "--born", "1999-07-23", "--format", "json"))
        assert found["candidates"][0]["record_id"] == case_id, spelling
    result = sh("register", "--family-name", "Han", "--given-names", "Byeol-chan", "--born", "1999-07-23",
                "--nationality", "PRK", "--armed-force", "RUS")
    assert result.code == 0
    assert f"warning: may already be registered as {case_id}" in result.err


def test_trace_match_files(sh: Shell, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("id,family_name,given_name,birth_date\nR1,김,철국,1999-02-03\nR2,Ермаков,Игорь,1990-05-06\n", encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": "Q1", "name": "Kim Chol Guk", "birth_date": "1999-02-03"}\n'
                       '{"id": "Q2", "name": "Yermakov Ihor", "birth_date": "1990"}\n'
                       '{"id": "Q3", "name": "", "birth_date": ""}\n', encoding="utf-8")
    lines = [json.loads(x) for x in sh.ok("trace", "match", "--register", str(register), "--queries", str(queries)).splitlines()]
    assert [x["query_id"] for x in lines] == ["Q1", "Q2", "Q3"]
    assert lines[0]["candidates"][0]["record_id"] == "R1"
    assert lines[1]["candidates"][0]["record_id"] == "R2"
    assert lines[2]["candidates"] == [] and lines[2]["accept"] is False
    bad = tmp_path / "bad.csv"
    bad.write_text("id,family_name\nR1,Kim\n", encoding="utf-8")
    result = sh("trace", "match", "--register", str(bad), "--queries", str(queries))
    assert result.code == 2 and result.err.strip() == "error: row 1: missing column(s): given_name"


def test_exchange_plan_on_the_demo_leaves_both_soldiers_off_and_says_why(tmp_path: Path) -> None:
    sh = Shell(tmp_path)
    sh.ok("demo", "--count", "60")
    sh.env["POWCASE_TOKEN"] = (tmp_path / "tokens" / "demo-legal.token").read_text(encoding="ascii").strip()
    example = Path(__file__).resolve().parents[2] / "examples" / "exchange" / "exchange.yaml"
    summary = json.loads(sh.ok("exchange", "plan", str(example), "--out", "out", "--format", "json"))
    assert summary["requested"] == 43
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert "PW-DEMO-KOR1" not in plan["chosen"] and "PW-DEMO-KOR2" not in plan["chosen"]
    report = (tmp_path / "out" / "exclusions.csv").read_text(encoding="utf-8-sig")
    lines = {line.split(",")[0]: line for line in report.splitlines()[1:]}
    assert lines["PW-DEMO-KOR1"].startswith("PW-DEMO-KOR1,PRK,refuses_repatriation,")
    assert lines["PW-DEMO-KOR2"].startswith("PW-DEMO-KOR2,PRK,real_risk,")
    assert "CAT-3" in lines["PW-DEMO-KOR1"]
    assert "Pak" not in report and "박" not in report  # pseudonymised
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "exchange.pdf").pages)
    assert "PW-DEMO-KOR1" in pdf_text and "refuses_repatriation" in pdf_text and "Pseudonymised" in pdf_text
    assert "Pak" not in pdf_text
    # Executing without the R23 reconfirmation of each man transfers nobody.
    done = json.loads(sh.ok("exchange", "execute", "out/plan.json", "--on", "2025-06-10", "--format", "json"))
    assert done["transferred"] == [] and sorted(done["removed"]) == sorted(plan["chosen"])
    # The advice names what `exchange execute` takes: the reconfirmations CSV, not a --set field.
    # (A man whose record contradicts the handover is taken off for that reason instead.)
    r23 = [why for why in done["removed"].values() if "R23" in why]
    assert r23 and all("--reconfirmations CSV" in why for why in r23)
    assert not any("--set" in why for why in done["removed"].values())


def test_exchange_list_with_bad_rows_is_refused_with_row_numbers(sh: Shell, tmp_path: Path) -> None:
    (tmp_path / "request.csv").write_text("ФИО,Дата рождения\nИванов Иван,31.02.1990\n,01.01.1990\n", encoding="utf-8")
    (tmp_path / "exchange.yaml").write_text(
        "id: EX-T\ncounterpart: RUS\ndate: 2025-06-10\nterms: {total: 5}\n"
        "request_list: {file: request.csv, columns: {name: ФИО, birth_date: Дата рождения}}\n", encoding="utf-8")
    result = sh("exchange", "plan", str(tmp_path / "exchange.yaml"))
    assert result.code == 2 and "Traceback" not in result.err
    assert "row 2: birth_date is not a date" in result.err and "row 3:" in result.err
    assert "Иванов" not in result.err


def test_disclose_through_the_gate_and_refusals_are_logged(sh: Shell, tmp_path: Path) -> None:
    case_id = _register(sh)
    base = ["disclose", case_id, "--recipient", "ICRC CTA", "--recipient-kind", "neutral_intermediary",
            "--legal-basis", "GC III Art 123", "--field", "family_name", "-o", str(tmp_path / "out.json")]
    bad = sh(*base, "--purpose", "curiosity")
    assert bad.code == 2 and bad.err.startswith("error: purpose:")
    assert not (tmp_path / "out.json").exists()
    ok = sh.ok(*base, "--purpose", "central_agency")
    assert ok.startswith("DS-")
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert written["records"] == [{"case_id": case_id, "family_name": {"native": "한", "latin": "Han"}}]
    log = json.loads(sh.ok("audit", "show", "--format", "json", role="auditor"))
    assert {"action": "disclose", "outcome": "refused", "reason": "invalid_request"}.items() <= next(
        r for r in log if r["action"] == "disclose").items()
    assert any(r["action"] == "disclose" and r["outcome"] == "allowed" and r["case_id"] == case_id for r in log)
    assert [e["type"] for e in json.loads(sh.ok("history", case_id, "--format", "json"))][-1] == "disclosed"


def test_login_session_and_logout(sh: Shell) -> None:
    env_without_token = {k: v for k, v in sh.env.items() if k != "POWCASE_TOKEN"}
    sh.env = env_without_token
    refused = sh("whoami")
    assert refused.code == 2 and "not logged in" in refused.err
    wrong = sh("--password-stdin", "login", "clerk-1", stdin="not the password\n")
    assert wrong.code == 2 and "Traceback" not in wrong.err
    assert sh.ok("--password-stdin", "login", "clerk-1", stdin="correct horse battery\n").startswith("logged in as clerk-1")
    assert sh.ok("whoami").startswith("clerk-1 (")
    sessions = list((sh.folder / ".config" / "powcase" / "sessions").iterdir())
    assert len(sessions) == 1 and oct(sessions[0].stat().st_mode & 0o777) == "0o600"
    sh.ok("logout")
    assert sh("whoami").code == 2
    log = json.loads(sh.ok("audit", "show", "--user", "clerk-1", "--format", "json", role="auditor"))
    assert any(r["action"] == "login" and r["outcome"] == "refused" for r in log)


def test_full_export_without_the_gate_contains_no_name(tmp_path: Path) -> None:
    sh = Shell(tmp_path)
    sh.ok("demo", "--count", "40")
    sh.env["POWCASE_TOKEN"] = (tmp_path / "tokens" / "demo-auditor.token").read_text(encoding="ascii").strip()
    exported = json.loads(sh.ok("export", "--all", "--format", "json"))
    assert exported["pseudonymised"] is True
    assert len(exported["cases"]) == 42 and {"PW-DEMO-KOR1", "PW-DEMO-KOR2"} <= {c["case_id"] for c in exported["cases"]}
    text = json.dumps(exported, ensure_ascii=False)
    from powcase.demo import demo_bundle

    for case in demo_bundle(count=40)["cases"]:
        person = case["person"]
        names = [form for key in ("family_name", "given_names", "patronymic") for form in (person.get(key) or {}).values()]
        # Names of one or two Latin letters ("O", "Jo") would match inside any word: skipped.
        for secret in [*(n for n in names if len(n) >= 3 or not n.isascii()), person["birth_date"], person["service_number"]]:
            assert secret not in text
    # The identified export of one case is refused to the auditor, and logged.
    refused = sh("export", "PW-DEMO-KOR1", "--purpose", "oversight")
    assert refused.code == 2 and "may not export_identified" in refused.err


def test_side_doors_are_shut(sh: Shell, tmp_path: Path) -> None:
    case_id = _register(sh)
    assert oct((sh.folder / "powcase.db").stat().st_mode & 0o777) == "0o600"
    # A refused key rotation leaves no staged key behind; the administrator's then works.
    refused = sh("keys", "rotate")
    assert refused.code == 2 and "may not keys_rotate" in refused.err
    assert sorted(p.name for p in sh.folder.glob("powcase.key*")) == ["powcase.key"]
    assert "re-wrapped 1 case key(s)" in sh.ok("keys", "rotate", role="admin")
    # An identified export is its owner's only; a disclosure to a missing folder records nothing.
    sh.ok("export", case_id, "-o", str(tmp_path / "kor1.yaml"), "--purpose", "casework")
    assert oct((tmp_path / "kor1.yaml").stat().st_mode & 0o777) == "0o600"
    before = sh.ok("history", case_id, "--format", "json")
    lost = sh("disclose", case_id, "--purpose", "central_agency", "--recipient", "ICRC CTA", "--recipient-kind",
              "neutral_intermediary", "--legal-basis", "GC III Art 123", "--field", "family_name",
              "-o", str(tmp_path / "missing" / "out.json"))
    assert lost.code == 2 and lost.err.strip().splitlines() == [
        f"error: --output: folder {tmp_path / 'missing'} does not exist"]
    assert sh.ok("history", case_id, "--format", "json") == before


def test_an_administrator_alone_cannot_act_through_accounts_he_adds_or_resets(sh: Shell) -> None:
    case_id = _register(sh)
    for name in ("puppet-legal", "puppet-legal2"):
        sh.ok("--password-stdin", "user", "add", name, "--role", "legal_officer", role="admin", stdin="puppet passphrase 1\n")
    env = {k: v for k, v in sh.env.items() if k != "POWCASE_TOKEN"}
    sh.env = env
    # An account added to a working office does not act at all before its owner's password and a
    # second person's confirmation: not alone, not in a two-person act.
    result = sh("--as", "puppet-legal", "--password-stdin", "override", case_id, "--disposition", "D2", "--reason", "x",
                "--second", "puppet-legal2", stdin="puppet passphrase 1\npuppet passphrase 1\n")
    assert result.code == 2
    assert re.fullmatch(r"error: account puppet-legal: admin-1 created it on \S+ \S+ UTC; its owner chooses his own "
                        r"password first \(`powcase user passwd puppet-legal --own`\), then a second person confirms "
                        r"it \(`powcase user confirm puppet-legal`\)", result.err.strip())
    # `user passwd` of another account: nothing acts for it until its owner chose a new password...
    sh.ok("--password-stdin", "user", "passwd", "clerk-1", role="admin", stdin="the admin knows it\n")
    taken = sh("--as", "clerk-1", "--password-stdin", "whoami", stdin="the admin knows it\n")
    assert taken.code == 2 and "admin-1 reset its password" in taken.err and "user passwd clerk-1 --own" in taken.err
    changed = sh("--password-stdin", "user", "passwd", "clerk-1", "--own", stdin="the admin knows it\nmy own passphrase\n")
    assert changed.code == 0 and "notice: admin-1 reset the password of clerk-1" in changed.err
    # ... and a second person confirmed it: whoever knew the temporary password could have chosen this one.
    waiting = sh("--as", "clerk-1", "--password-stdin", "whoami", stdin="my own passphrase\n")
    assert waiting.code == 2 and "it acts again once a second person confirms it" in waiting.err
    mine = sh("user", "confirm", "clerk-1", role="admin")
    assert mine.code == 2 and "a second person must confirm it" in mine.err
    log = json.loads(sh.ok("audit", "show", "--user", "clerk-1", "--format", "json", role="auditor"))
    assert any(r["action"] == "login" and r["reason"] == "awaiting_confirmation" for r in log)
