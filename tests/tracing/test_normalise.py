"""Spellings of one name in different systems share their phonetic keys."""

from __future__ import annotations

import pytest

from powcase.tracing.cyrillic import transliterate
from powcase.tracing.hangul import compose, decompose
from powcase.tracing.keys import fine_key, skeleton
from powcase.tracing.korean import (
    romanize_dprk,
    romanize_kontsevich,
    romanize_mr,
    romanize_rr,
    split_korean,
)


def test_hangul_decomposition_round_trips() -> None:
    syl = decompose("철")
    assert syl == ("ㅊ", "ㅓ", "ㄹ")
    assert compose(*syl) == "철"
    assert decompose("이").final == ""


def test_hangul_decomposition_rejects_other_characters() -> None:
    with pytest.raises(ValueError, match="not a precomposed"):
        decompose("K")


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        (romanize_rr, "Cheolguk"),
        (lambda h: romanize_rr(h, hyphen=True), "Cheol-guk"),
        (romanize_mr, "Ch'ŏl-kuk"),
        (lambda h: romanize_mr(h, diacritics=False), "Chol-kuk"),
        (romanize_dprk, "Chol Guk"),
        (romanize_kontsevich, "Чхоль Гук"),
    ],
)
def test_korean_systems_write_the_issue_example(system: object, expected: str) -> None:
    assert callable(system)
    assert system("철국") == expected


def test_dprk_and_kontsevich_write_the_leader_as_published() -> None:
    assert f"{romanize_dprk('김')} {romanize_dprk('정은')}" == "Kim Jong Un"
    assert romanize_kontsevich("정은") == "Чон Ын"
    assert romanize_kontsevich("김", ukrainian=True) == "Кім"


def test_unspaced_hangul_name_splits_off_the_family_name() -> None:
    assert split_korean("김철국") == ("김", "철국")
    assert split_korean("남궁민수") == ("남궁", "민수")


KOREAN_GIVEN = ["철국", "Chol Guk", "Ch'ŏl-kuk", "Chol-kuk", "Cheol-guk", "Cheolguk",
                "Чхоль Гук", "Чхольгук", "CHOL GUK"]


@pytest.mark.parametrize("spelling", KOREAN_GIVEN)
def test_korean_given_name_spellings_share_the_fine_key(spelling: str) -> None:
    assert fine_key(spelling) == fine_key("철국")


@pytest.mark.parametrize("spelling", ["Ермаков", "ERMAKOV", "Yermakov", "Єрмаков", "Iermakov"])
def test_russian_surname_spellings_share_the_skeleton(spelling: str) -> None:
    assert skeleton(fine_key(spelling)) == skeleton(fine_key("Ермаков"))


@pytest.mark.parametrize("spelling", ["Игорь", "IGOR", "Ihor", "Ігор", "Igorʹ", "Ìgor"])
def test_russian_and_ukrainian_given_name_forms_share_the_fine_key(spelling: str) -> None:
    assert fine_key(spelling) == fine_key("Игорь")


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("icao-ru", "Ermakov Igor Eduardovich"),
        ("bgn-ru", "Yermakov Igorʹ Eduardovich"),
        ("iso9-ru", "Ermakov Igorʹ Èduardovič"),
    ],
)
def test_russian_transliteration_systems(system: str, expected: str) -> None:
    assert transliterate("Ермаков Игорь Эдуардович", system) == expected


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("ukr2010", "Yermakov Ihor Zghurskyi"),
        ("icao-uk", "Iermakov Ihor Zhurskyi"),
        ("iso9-uk", "Êrmakov Ìgor Zgursʹkij"),
    ],
)
def test_ukrainian_transliteration_systems(system: str, expected: str) -> None:
    assert transliterate("Єрмаков Ігор Згурський", system) == expected


def test_every_ukrainian_and_russian_system_folds_to_one_key() -> None:
    keys = {
        fine_key(transliterate("Олександр", s)) for s in ("icao-uk", "ukr2010", "ukr1996", "bgn-uk")
    }
    assert keys == {fine_key("Олександр")}
