"""The rules at the door for names and texts: real names pass, what breaks a register does not."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcase.domain.text import NAME_MAX, STORED, clean_line, clean_name
from powcase.domain.values import PersonName


@pytest.mark.parametrize(
    "name",
    [
        "리 별찬", "Ri Pyŏl-ch'an", "Пак Ын Чхоль", "Олексій", "Д'Артаньян", "Вʼячеслав",
        "O'Brien", "Jean-Luc", "Müller-Lüdenscheidt", "J. R.", "Nguyễn Văn An", "محمد", "山田 はなこ",
        "de la Cruz y Fernández", "Ö" * NAME_MAX,
    ],
)
def test_real_names_pass_unchanged(name: str) -> None:
    assert clean_name(name, None) == name


def test_spaces_are_collapsed_and_nfc_applied() -> None:
    """Harmless: any run of white space (no-break space, a line break of a pasted name) is one space."""
    assert clean_name("Han\u00a0\u00a0Byol  Chan", None) == "Han Byol Chan"
    assert clean_name("Han\nByol Chan", None) == "Han Byol Chan"
    assert clean_name(unicodedata.normalize("NFD", "Nguyễn"), None) == "Nguyễn"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Kim\u200dJong", "invisible character (U+200D zero width joiner)"),
        ("\ufeffKim", "invisible character (U+FEFF zero width no-break space)"),
        ("Kim\u202e", "invisible character (U+202E right-to-left override)"),
        ("Kim\u2764\ufe0f", "symbol or emoji (U+2764 heavy black heart)"),
        ("Kim\x1b[31m", "control character (U+001B)"),
        ("ㅎㅏㄴ", "Hangul letter that is not part of a syllable"),
        ("Kim #2", "contains U+0023 number sign"),
        ("...", "holds no letter"),
        ("Ö" * (NAME_MAX + 1), f"longer than {NAME_MAX} characters"),
    ],
)
def test_what_a_name_cannot_hold(name: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        clean_name(name, None)


def test_lines_hold_one_line() -> None:
    assert clean_line("Camp 7, Block B", None) == "Camp 7, Block B"
    with pytest.raises(ValueError, match="more than one line"):
        clean_line("Camp 7\nBlock B", None)
    with pytest.raises(ValueError, match="longer than 200"):
        clean_line("x" * 201, None)


def test_stored_values_are_read_as_written_in_nfc() -> None:
    """A record from before these rules is read, never refused: one old value must not stop a read."""
    old = PersonName.model_validate({"native": "한\u200b", "latin": "Han😀"}, context=STORED)
    assert old.native == "한\u200b" and old.latin == "Han😀"
    nfd = PersonName.model_validate({"native": unicodedata.normalize("NFD", "한")}, context=STORED)
    assert nfd.native == "한"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_the_door_is_idempotent(text: str) -> None:
    """A registration is validated again when read back and when a correction is folded in: what
    passed the door once passes it again unchanged."""
    for clean in (clean_name, clean_line):
        try:
            once = clean(text, None)
        except ValueError:
            continue
        assert clean(once, None) == once
