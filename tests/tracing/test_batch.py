"""Batch files: the format the lead wires into `powcase trace match`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from powcase.tracing import TracingInputError, match_file, read_queries, read_register

REGISTER_CSV = """id,family_name,given_name,patronymic,birth_date,language
k1,김,철국,,1995-03-04,kor
r1,Ермаков,Игорь,Эдуардович,1990-07-01,rus
u1,Коваленко,Олександр,,1988,ukr
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_register_and_jsonl_queries(tmp_path: Path) -> None:
    register = _write(tmp_path / "reg.csv", REGISTER_CSV)
    queries = _write(tmp_path / "q.jsonl", "\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "q1", "name": "Kim Chol Guk", "birth_date": "1995-03-04"},
        {"id": "q2", "name": "Yermakov Ihor", "birth_date": ""},
        {"id": "q3", "name": "", "birth_date": "1990"},
        {"id": "q4", "name": "Ermakov Igor", "birth_date": "1990-02-31"},
    ]) + "\n")
    out = list(match_file(register, queries, top=2))
    assert [o["query_id"] for o in out] == ["q1", "q2", "q3", "q4"]
    assert out[0]["candidates"][0]["record_id"] == "k1"
    assert out[0]["accept"] is True
    assert set(out[0]["candidates"][0]) == {"record_id", "score", "label"}
    assert out[1]["candidates"][0]["record_id"] == "r1"
    assert out[1]["accept"] is False
    assert out[2] == {"query_id": "q3", "candidates": [], "accept": False, "reason": "empty name"}
    assert out[3]["candidates"] == []
    assert "invalid birth date" in out[3]["reason"]


def test_jsonl_register_and_csv_queries(tmp_path: Path) -> None:
    register = _write(tmp_path / "reg.jsonl", "\n".join([
        json.dumps({"id": "k1", "family_name": "김", "given_name": "철국"}, ensure_ascii=False),
        "",
        json.dumps({"id": 7, "family_name": "Тен", "given_name": "Ир Сен"}, ensure_ascii=False),
    ]))
    queries = _write(tmp_path / "q.csv", "id,name\nq1,Чон Ир Сон\n")
    assert [e.id for e in read_register(register)] == ["k1", "7"]
    assert read_queries(queries)[0].birth_date is None
    out = list(match_file(register, queries))
    assert out[0]["candidates"][0]["record_id"] == "7"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,family_name\nk1,김\n", r"row 1: missing column\(s\): given_name"),
        (REGISTER_CSV + "k1,박,영수,,,\n", r"row 5: duplicate id \(first used in row 2\)"),
        (REGISTER_CSV + "k9,,영수,,,\n", "row 5: missing family_name"),
        (REGISTER_CSV + "k9,박,영수,,1990-02-30,\n", "row 5: birth_date"),
        (REGISTER_CSV + "k9,박,영수,,30.02.1990,\n", "row 5: birth_date"),
        (REGISTER_CSV + "k9,محمد,영수,,,\n", "row 5: family_name: unsupported script: Arabic"),
    ],
)
def test_bad_register_rows_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TracingInputError, match=message) as err:
        read_register(_write(tmp_path / "reg.csv", text))
    assert "박" not in str(err.value)
    assert "영수" not in str(err.value)


def test_bad_jsonl_line_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "reg.jsonl", '{"id": "a", "family_name": "Kim", "given_name": "Su"}\n{oops\n')
    with pytest.raises(TracingInputError, match="row 2: not valid JSON"):
        read_register(path)


def test_command_line_prints_json_lines(tmp_path: Path) -> None:
    register = _write(tmp_path / "reg.csv", REGISTER_CSV)
    queries = _write(tmp_path / "q.csv", "id,name,birth_date\nq1,Кім Чхоль Гук,1995-03-04\n")
    done = subprocess.run(
        [sys.executable, "-m", "powcase.tracing.batch", "--register", str(register),
         "--queries", str(queries), "--top", "1"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines == [{"query_id": "q1", "accept": True, "candidates": [
        {"record_id": "k1", "score": lines[0]["candidates"][0]["score"], "label": "likely"}]}]


def test_command_line_reports_a_bad_register_without_a_traceback(tmp_path: Path) -> None:
    register = _write(tmp_path / "reg.csv", "id,family_name\nk1,김\n")
    queries = _write(tmp_path / "q.csv", "id,name\nq1,Kim\n")
    done = subprocess.run(
        [sys.executable, "-m", "powcase.tracing.batch", "--register", str(register),
         "--queries", str(queries)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 2
    assert "row 1: missing column(s): given_name" in done.stderr
    assert "Traceback" not in done.stderr
