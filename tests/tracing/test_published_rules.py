"""Spellings from the published systems that an independent test set exposed.

Each test is what a caseworker would check: the spelling finds the right
person, and a similar but different name is never claimed as a match.
"""

from __future__ import annotations

import pytest

from powcase.tracing import NameIndex, RegisterEntry
from powcase.tracing.keys import fine_key, fine_keys, looks_slavic


def _index(*rows: tuple[str, str, str, str | None, str | None]) -> NameIndex:
    return NameIndex(
        RegisterEntry(id=i, family_name=f, given_name=g, birth_date=d, language=lang)
        for i, f, g, d, lang in rows
    )


@pytest.mark.parametrize(
    "name", ["Jermakov Jurij", "Jurij Jermakov", "Jermakow Jurij", "Yermakov Yuriy", "Ermakov Iurii"]
)
def test_scholarly_j_spelling_finds_the_russian_soldier(name: str) -> None:
    index = _index(
        ("r1", "Ермаков", "Юрий", "1990-07-01", "rus"),
        ("r2", "Ермаков", "Игорь", "1990-07-01", "rus"),
        ("k1", "전", "유리", "1990-07-01", "kor"),
    )
    result = index.search(name, "1990-07-01")
    assert result.candidates[0].record_id == "r1"
    assert result.accept


def test_j_is_korean_in_a_korean_name_and_slavic_in_a_slavic_one() -> None:
    assert looks_slavic("Jurij") and looks_slavic("Jakovlev") and looks_slavic("Andrej")
    assert not looks_slavic("Jong") and not looks_slavic("Ji-hoon") and not looks_slavic("Jŏng")
    assert fine_key("Jong") == fine_key("정")
    assert fine_keys("Jurij", True)[0] == fine_key("Юрий")


def test_register_language_hint_decides_how_latin_j_reads() -> None:
    index = NameIndex([
        RegisterEntry(id="r1", family_name="Jakovlev", given_name="Jurij", language="rus",
                      birth_date="1985-01-02"),
        RegisterEntry(id="k1", family_name="Jo", given_name="Jun", language="kor",
                      birth_date="1985-01-02"),
    ])
    assert index.search("Яковлев Юрий", "1985-01-02").candidates[0].record_id == "r1"
    assert index.search("조준", "1985-01-02").candidates[0].record_id == "k1"


@pytest.mark.parametrize("name", ["Ким Чен Ын", "Кім Чен Ин", "Ким Чон Ын", "Кім Чон Ин"])
def test_kontsevich_y_and_its_ukrainian_i_are_korean_eu(name: str) -> None:
    index = _index(("k1", "김", "정은", "1984-01-08", "kor"), ("k2", "김", "정인", "1984-01-08", "kor"))
    result = index.search(name, "1984-01-08")
    assert result.candidates[0].record_id == "k1"


def test_german_czech_ch_for_kh_in_a_slavic_name() -> None:
    index = _index(("u1", "Хоменко", "Павло", "1979-03-03", "ukr"))
    for name in ("Chomenko Pavlo", "Choměnko Pavlo", "Khomenko Pavlo"):
        assert index.search(name, "1979-03-03").candidates[0].record_id == "u1"


@pytest.mark.parametrize(("query", "want"), [("Kim Seongil", {"a", "b"}), ("Ri Ryeongi", {"c"})])
def test_joined_given_name_with_ng_before_a_vowel_reads_both_ways(query: str, want: set[str]) -> None:
    # "Seongil" is 성일 (seong-il) or 선길 (seon-gil); "Ryeongi" is 련기.
    index = _index(
        ("a", "김", "성일", None, "kor"), ("b", "김", "선길", None, "kor"),
        ("c", "리", "련기", None, "kor"), ("d", "김", "순희", None, "kor"),
    )
    result = index.search(query)
    top = result.candidates[0].score
    assert {c.record_id for c in result.candidates if c.score == top} == want


def test_two_syllables_are_not_merged_into_one() -> None:
    assert fine_key("Nam Myong") != fine_key("Nam Yong")
    assert fine_key("남명") != fine_key("남영")
    assert fine_key("표영") != fine_key("평")
    assert fine_key("Nam Myong") == fine_key("남명") == fine_key("Nammyong")


def test_passport_young_is_yeong() -> None:
    index = _index(("k1", "박", "영호", "1970-05-05", "kor"), ("k2", "박", "용호", "1980-05-05", "kor"))
    result = index.search("Park Young-ho", "1970-05-05")
    assert result.candidates[0].record_id == "k1"
    assert result.accept


def test_h_and_g_and_ng_and_n_stay_apart_in_korean_latin() -> None:
    # 평희 (Pyeonghui) is not 평기 (Pyeonggi); 성영 (Seongyeong) ranks above 선영.
    index = _index(("k1", "서", "평희", "1998-05-14", "kor"), ("k2", "김", "선영", None, "kor"),
                   ("k3", "김", "성영", None, "kor"))
    near = index.search("Seo Pyeonggi", "1998-05-14")
    assert not near.accept
    assert index.search("Seo Pyeonghui", "1998-05-14").accept
    assert index.search("Gim Seongyeong").candidates[0].record_id == "k3"


def test_different_korean_surnames_with_alike_keys_do_not_agree() -> None:
    # Choi/Цой and Cho/조 fold alike; 도 and 조 share Тё-style spellings.
    index = _index(("c", "최", "진만", "1984-02-04", "kor"), ("d", "도", "진만", "1998-10-21", "kor"))
    reasons = [r for c in index.search("조진만", "1998-10-21").candidates for r in c.reasons]
    assert not any("spellings of one Korean surname" in r for r in reasons)
    result = index.search("Cho Jin-man", "1984-02-04")
    assert not result.accept
    assert index.search("도 진만").candidates[0].record_id == "d"


def test_initial_sound_law_links_north_and_south_hangul() -> None:
    index = _index(("k1", "이", "설주", "1989-09-28", "kor"), ("k2", "임", "철", "1970-01-01", "kor"))
    assert index.search("리설주", "1989-09-28").candidates[0].record_id == "k1"
    assert index.search("림 철", "1970-01-01").candidates[0].record_id == "k2"


def test_yuri_and_georgy_are_different_names() -> None:
    index = _index(("a", "Иванов", "Георгий", "2000-12-17", "rus"), ("b", "Иванов", "Юрий", "1982-07-30", "rus"))
    result = index.search("Yuriy Ivanov")
    assert result.candidates[0].record_id == "b"


def test_family_name_first_is_preferred_when_both_orders_fit() -> None:
    # 윤정철 would fit "Ын" as a family name read last; 정철은 fits family-first.
    index = _index(("a", "윤", "정철", "2005-06-02", "kor"), ("b", "정", "철은", "1982-02-20", "kor"))
    assert index.search("Чон Чхоль Ын").candidates[0].record_id == "b"
