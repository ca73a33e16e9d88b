"""Case files: the published schema, round trips, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powcase.demo import demo_bundle
from powcase.domain.casefile import casefile_schema, parse_casefiles, read_casefiles
from powcase.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]


def test_published_schema_is_current() -> None:
    published = json.loads((ROOT / "schema" / "casefile.schema.json").read_text(encoding="utf-8"))
    assert published == casefile_schema(), "run `powcase schema casefile -o schema/casefile.schema.json`"


def test_demo_bundle_is_valid_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = casefile_schema()
    for case in demo_bundle(count=50)["cases"]:
        jsonschema.validate(case, schema)


def test_demo_bundle_parses() -> None:
    files = parse_casefiles(demo_bundle(count=20))
    assert [f.case_id for f in files[:2]] == ["PW-DEMO-KOR1", "PW-DEMO-KOR2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("person: [unclosed", "not valid YAML at line 1"),
        ("- just a list", "expected a mapping"),
        ("person: {registered_on: 2025-01-01}", "person.family_name: Field required"),
        (
            "person: {registered_on: 2025-01-01, family_name: {latin: A}, given_names: {latin: B}, nationality: PRK, armed_force: RUS}\n"
            "events: [{type: interviewed, occurred_on: 2025-02-01, interviewer: X, language: kor, stated_wish: third_state}]",
            "events.0: wish_state: a wish to go to a third state must name the state",
        ),
        (
            "person: {registered_on: 2025-01-01, family_name: {latin: A}, given_names: {latin: B}, nationality: PRK, armed_force: RUS}\n"
            "events: [{type: teleported, occurred_on: 2025-02-01}]",
            "events.0: Input tag 'teleported' found using 'type' does not match any of the expected tags",
        ),
    ],
)
def test_malformed_case_file_gets_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        read_casefiles(path)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message
