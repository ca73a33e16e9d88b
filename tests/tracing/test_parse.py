"""Full names in any order and script, and the names the matcher refuses."""

from __future__ import annotations

import pytest

from powcase.tracing.keys import fine_key
from powcase.tracing.parse import UnusableName, readings


def _families(name: str) -> set[str]:
    return {r.family.fine for r in readings(name)}


def test_patronymic_is_recognised_in_either_order() -> None:
    for name in ("Ермаков Игорь Эдуардович", "Ihor Eduardovych Yermakov"):
        rs = readings(name)
        assert all(r.patronymic is not None for r in rs)
        assert fine_key("Ермаков") in {r.family.fine for r in rs}


def test_initials_become_given_and_patronymic_initials() -> None:
    for name in ("Ermakov I.E.", "I. E. Ermakov", "Ермаков И.Э."):
        r = readings(name)[0]
        assert r.family.fine == fine_key("Ermakov")
        assert r.given is None
        assert r.given_initial == "i"
        assert r.patronymic_initial == "e"


def test_unspaced_hangul_is_split() -> None:
    assert fine_key("김") in _families("김철국")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty name"),
        ("   ", "empty name"),
        ("محمد علي", "unsupported script: Arabic"),
        ("金哲國", "unsupported script: Han"),
        ("Kim철국", "mixed scripts in one name part"),
        ("Ivanоv", "mixed scripts in one name part"),  # a Cyrillic о hidden in Latin
        ("Ivan 42", "invalid characters in name"),
    ],
)
def test_unusable_names_give_a_reason(name: str, reason: str) -> None:
    with pytest.raises(UnusableName, match=reason):
        readings(name)


def test_scripts_may_differ_between_name_parts() -> None:
    assert readings("Ким Chol")
