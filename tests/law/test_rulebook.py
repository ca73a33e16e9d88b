"""Loading the rulebook and deployment override files; `explain`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

import powcase.law
from powcase.domain.reading import MAX_ALIASES, MAX_DEPTH, parse_yaml
from powcase.errors import InvalidInput
from powcase.law import (
    OverrideRefusedError,
    RulebookError,
    UnknownParameterError,
    UnknownRuleError,
    UnknownSourceError,
    explain,
    load_rulebook,
)
from powcase.law.packaged import PackagedLoader, load_packaged


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "deployment.yaml"
    path.write_text("deployment: Test office (fictional)\noverrides:\n" + body, encoding="utf-8")
    return path


def test_version_is_semantic_plus_content_hash() -> None:
    rulebook = load_rulebook()
    assert rulebook.version.startswith("1.0.0+")
    assert rulebook.version == load_rulebook().version


def test_the_packaged_yaml_reads_with_libyaml_to_the_same_data_and_input_from_outside_keeps_its_limits() -> None:
    if yaml.__with_libyaml__:
        assert PackagedLoader is yaml.CSafeLoader
    shipped = sorted(Path(powcase.law.__file__).parent.rglob("*.yaml"))
    assert len(shipped) > 10
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        assert load_packaged(text) == yaml.safe_load(text), path.name
    # A file from outside is read by the bounded pure-Python loader, never the C one.
    bomb = "a: &a [1]\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(InvalidInput, match="too many aliases"):
        parse_yaml(bomb, "bomb.yaml")
    with pytest.raises(InvalidInput, match="nested too deeply"):
        parse_yaml("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), "deep.yaml")


def test_policy_override_is_dated(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {parameter: reflection_days, valid_from: 2025-06-01, value: 10, sources: [ICRC-IRIQ-1999], reason: test}\n")
    rulebook = load_rulebook(path)
    assert rulebook.integer("reflection_days", date(2025, 5, 31)) == 7
    assert rulebook.integer("reflection_days", date(2025, 6, 1)) == 10
    assert rulebook.value("reflection_days", date(2025, 6, 1)).origin.startswith("deployment")
    assert rulebook.version != load_rulebook().version


def test_hard_value_cannot_be_overridden(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {parameter: capture_card_deadline_days, valid_from: 2025-06-01, value: 30, sources: [GC3-70], reason: test}\n")
    with pytest.raises(OverrideRefusedError, match="HARD"):
        load_rulebook(path)


@pytest.mark.parametrize(
    ("body", "error", "named"),
    [
        ("  - {parameter: no_such_thing, valid_from: 2025-06-01, value: 1, sources: [GC3-70], reason: t}\n", UnknownParameterError, "no_such_thing"),
        ("  - {parameter: min_interviews, valid_from: 2025-06-01, value: 3, sources: [GC3-999], reason: t}\n", UnknownSourceError, "GC3-999"),
        ("  - {parameter: min_interviews, valid_from: 2025-06-01, value: 3, sources: [GC3-126], rules: [R99], reason: t}\n", UnknownRuleError, "R99"),
        ("  - {parameter: min_interviews, valid_from: 2025-06-01, value: true, sources: [GC3-126], reason: t}\n", RulebookError, "wrong type"),
        ("  - {parameter: min_interviews, valid_from: 2025-06-01, value: 3, sources: [GC3-126], reason: t, extra: 1}\n", RulebookError, "extra"),
    ],
)
def test_bad_override_files_are_refused_at_load(tmp_path: Path, body: str, error: type[Exception], named: str) -> None:
    with pytest.raises(error, match=named):
        load_rulebook(write(tmp_path, body))


def test_explain_shows_rule_sources_and_parameters() -> None:
    text = explain("R16", load_rulebook())
    assert text.startswith("R16")
    assert "GC3-6" in text and "CAT-3" in text
    assert "honour_refusal_during_hostilities" in text
    assert "inclusion_in_exchange" in text


def test_explain_marks_unverified_wording() -> None:
    assert "do not quote as exact" in explain("R25", load_rulebook())  # HRC-GC31-12 is T


def test_explain_unknown_rule() -> None:
    with pytest.raises(UnknownRuleError):
        explain("R99", load_rulebook())


def test_explain_disposition() -> None:
    assert "D5" in explain("d5", load_rulebook())


def test_no_value_before_the_rulebook_starts() -> None:
    with pytest.raises(RulebookError):
        load_rulebook().integer("min_interviews", date(1990, 1, 1))
