"""What a caseworker checks: the right person first, namesakes never accepted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcase.tracing import NameIndex, RegisterEntry, TracingInputError


def _register() -> list[RegisterEntry]:
    return [
        RegisterEntry(id="k1", family_name="김", given_name="철국", birth_date="1995-03-04",
                      language="kor"),
        RegisterEntry(id="k2", family_name="김", given_name="철수", birth_date="1995-03-04",
                      language="kor"),
        RegisterEntry(id="k3", family_name="이", given_name="영호", birth_date="1990-11-02"),
        RegisterEntry(id="k4", family_name="최", given_name="명진", birth_date="1979-06-12"),
        RegisterEntry(id="r1", family_name="Ермаков", given_name="Игорь",
                      patronymic="Эдуардович", birth_date="1990-07-01", language="rus"),
        RegisterEntry(id="r2", family_name="Ермолов", given_name="Игорь",
                      birth_date="1990-07-01", language="rus"),
        RegisterEntry(id="u1", family_name="Коваленко", given_name="Олександр",
                      patronymic="Петрович", birth_date="1988", language="ukr"),
    ]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(_register())


SAME_SOLDIER = ["김철국", "Kim Chol Guk", "Kim Ch'ŏl-kuk", "Kim Cheol-guk", "Ким Чхоль Гук",
                "Кім Чхоль Гук", "Cheol-guk Kim", "KIM CHOLGUK"]


@pytest.mark.parametrize("name", SAME_SOLDIER)
def test_every_spelling_of_the_korean_soldier_finds_him_and_accepts(
    index: NameIndex, name: str
) -> None:
    result = index.search(name, "1995-03-04")
    assert result.candidates[0].record_id == "k1"
    assert result.candidates[0].label == "likely"
    assert result.accept


@pytest.mark.parametrize(
    "name", ["Ермаков Игорь Эдуардович", "ERMAKOV IGOR", "Yermakov Ihor", "Єрмаков Ігор",
             "Ihor Eduardovych Yermakov", "Ermakov I.E."]
)
def test_every_spelling_of_the_russian_soldier_ranks_him_first(
    index: NameIndex, name: str
) -> None:
    result = index.search(name, "1990-07-01")
    assert result.candidates[0].record_id == "r1"


def test_initials_alone_are_never_enough_to_accept(index: NameIndex) -> None:
    assert not index.search("Ermakov I.E.", "1990-07-01").accept


@pytest.mark.parametrize(
    ("date", "accepted"),
    [("1995-03-04", True), ("1995-03-05", True), ("1995-04-03", True), ("1995", False)],
)
def test_birth_date_variants_still_accept(index: NameIndex, date: str, accepted: bool) -> None:
    # A year alone vouches only for names far rarer than Kim Chol Guk.
    result = index.search("Kim Chol Guk", date)
    assert result.candidates[0].record_id == "k1"
    assert result.accept is accepted


def test_ukrainian_and_russian_given_name_forms_match(index: NameIndex) -> None:
    result = index.search("Коваленко Александр Петрович", "1988")
    assert result.candidates[0].record_id == "u1"
    assert "Russian/Ukrainian forms" in " ".join(result.candidates[0].reasons)


@pytest.mark.parametrize("years", [-10, -3, 2, 10])
def test_a_namesake_born_years_apart_is_never_accepted(index: NameIndex, years: int) -> None:
    for name in SAME_SOLDIER:
        result = index.search(name, f"{1995 + years}-03-04")
        assert not result.accept
        assert result.candidates[0].label == "possible"


def test_missing_birth_date_lists_but_never_accepts(index: NameIndex) -> None:
    result = index.search("Kim Chol Guk")
    assert result.candidates[0].record_id == "k1"
    assert not result.accept


def test_look_alike_with_compatible_date_blocks_accept() -> None:
    twins = NameIndex([
        RegisterEntry(id="a", family_name="박", given_name="성민", birth_date="1991-05-05"),
        RegisterEntry(id="b", family_name="박", given_name="성민", birth_date="1991"),
    ])
    result = twins.search("Park Sung-min", "1991-05-05")
    assert {c.record_id for c in result.candidates} == {"a", "b"}
    assert not result.accept


def test_near_miss_with_the_same_birth_date_is_not_accepted(index: NameIndex) -> None:
    result = index.search("Kim Chol Ho", "1995-03-04")
    assert not result.accept


def test_old_russian_korean_surnames(index: NameIndex) -> None:
    assert index.search("Цой Мен Чжин", "1979-06-12").candidates[0].record_id == "k4"
    assert index.search("Ли Ён Хо", "1990-11-02").candidates[0].record_id == "k3"
    assert index.search("Rhee Young-ho", "1990-11-02").candidates[0].record_id == "k3"


def test_scores_and_reasons_are_reported(index: NameIndex) -> None:
    result = index.search("Kim Chol Guk", "1995-03-04")
    top = result.candidates[0]
    assert 0 <= top.score <= 100
    assert any("birth date exact" in r for r in top.reasons)
    assert [c.score for c in result.candidates] == sorted(
        (c.score for c in result.candidates), reverse=True
    )


@pytest.mark.parametrize(
    ("name", "date", "reason"),
    [
        ("", None, "empty name"),
        ("محمد", None, "unsupported script: Arabic"),
        ("Kim철국", None, "mixed scripts"),
        ("Kim Chol Guk", "1995-02-30", "invalid birth date"),
        ("Kim Chol Guk", "04.03.1995", "invalid birth date"),
    ],
)
def test_bad_queries_get_a_reason_not_a_crash(
    index: NameIndex, name: str, date: str | None, reason: str
) -> None:
    result = index.search(name, date, query_id="q9")
    assert result.query_id == "q9"
    assert result.candidates == []
    assert not result.accept
    assert result.reason is not None
    assert reason in result.reason


def test_duplicate_ids_are_refused_naming_the_row() -> None:
    rows = [*_register(), RegisterEntry(id="k1", family_name="Тен", given_name="Ир")]
    with pytest.raises(TracingInputError, match=r"row 8: duplicate id \(first used in row 1\)"):
        NameIndex(rows)


def test_register_errors_never_contain_the_name_or_date() -> None:
    secret = RegisterEntry(id="x", family_name="Ermakovالعربية", given_name="Igor",
                           birth_date="1990-13-45")
    with pytest.raises(TracingInputError) as err:
        NameIndex([secret])
    assert "Ermakov" not in str(err.value)
    bad_date = RegisterEntry(id="y", family_name="Ermakov", given_name="Igor",
                             birth_date="1990-13-45")
    with pytest.raises(TracingInputError) as err2:
        NameIndex([bad_date])
    assert "row 1: birth_date" in str(err2.value)
    assert "1990" not in str(err2.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=12)))
def test_search_never_crashes(name: str, date: str | None) -> None:
    result = _INDEX.search(name, date, top=3)
    assert result.accept in {True, False}
    assert result.candidates or result.reason is not None
    assert len(result.candidates) <= 3


_INDEX = NameIndex(_register())


# Any text at all: letters of every script, marks, symbols, controls, surrogates excluded.
_ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ANY_TEXT, _ANY_TEXT, st.none() | _ANY_TEXT), min_size=1, max_size=5), _ANY_TEXT)
def test_a_live_register_index_never_fails_for_everyone(
    names: list[tuple[str, str, str | None]], query: str
) -> None:
    """Whatever a record holds, the index over a live register leaves out what it cannot read,
    names it, and still answers; a good entry beside the bad ones is still found."""
    entries = [RegisterEntry(id="good", family_name="Ермаков", given_name="Игорь", birth_date="1990-07-01")]
    entries += [
        RegisterEntry(id=f"r{i}", family_name=f, given_name=g, birth_date=b)
        for i, (f, g, b) in enumerate(names)
    ]
    index = NameIndex(entries, skip_unusable=True)
    assert set(index.skipped) <= {e.id for e in entries[1:]}
    assert len(index) + len(index.skipped) == len(entries)
    index.search(query)
    found = index.search("Ermakov Igor", "1990-07-01")
    assert "good" in {c.record_id for c in found.candidates}
    assert found.skipped == index.skipped
