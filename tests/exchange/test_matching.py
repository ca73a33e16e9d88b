"""Rows to cases: a match only when it is certain; otherwise the candidates, never a guess."""

from __future__ import annotations

import unicodedata

import pytest

from powcase.exchange import (
    AmbiguityReason,
    Ambiguous,
    InMemoryRegister,
    ListRow,
    Matched,
    MatchedBy,
    Unmatched,
    UnmatchedReason,
    match_rows,
    service_number_key,
)
from powcase.tracing import RegisterEntry


def _register() -> InMemoryRegister:
    entries = [
        RegisterEntry(id="case-k1", family_name="김", given_name="철국", birth_date="1995-03-04"),
        RegisterEntry(id="case-k2", family_name="김", given_name="철수", birth_date="1995-03-04"),
        RegisterEntry(id="case-r1", family_name="Ермаков", given_name="Игорь",
                      patronymic="Эдуардович", birth_date="1990-07-01"),
        RegisterEntry(id="case-r2", family_name="Ермолов", given_name="Игорь", birth_date="1990-07-01"),
        RegisterEntry(id="case-p1", family_name="박", given_name="영호", birth_date="1989-05-05"),
        RegisterEntry(id="case-p2", family_name="박", given_name="영호", birth_date="1989-05-05"),
    ]
    numbers = {"case-r1": "АВ-123456", "case-k1": "kp 778", "case-p1": "X1", "case-p2": "x-1"}
    return InMemoryRegister(entries, numbers)


@pytest.fixture(scope="module")
def register() -> InMemoryRegister:
    return _register()


def _row(row: int, name: str, birth: str | None = None, number: str | None = None) -> ListRow:
    return ListRow(row=row, name=name, birth_date=birth, service_number=number)


def test_service_number_matches_across_spacing_dashes_case_and_script(
    register: InMemoryRegister,
) -> None:
    # Latin 'AB' typed for Cyrillic 'АВ'; a name spelling that tracing alone would not accept.
    [result] = match_rows([_row(2, "Ermakov I.E.", None, "ab 123456")], register)
    assert result == Matched(row=2, case_id="case-r1", by=MatchedBy.SERVICE_NUMBER)


def test_name_and_birth_date_match_when_tracing_accepts(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(3, "Kim Chol Guk", "1995-03-04")], register)
    assert result == Matched(row=3, case_id="case-k1", by=MatchedBy.NAME_AND_BIRTH_DATE)


def test_name_without_birth_date_is_never_enough(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(4, "Kim Chol Guk")], register)
    assert isinstance(result, Ambiguous)
    assert result.reason is AmbiguityReason.NAME_NOT_DECISIVE
    assert "case-k1" in result.candidates


def test_birth_date_one_day_off_is_for_a_person_to_confirm(register: InMemoryRegister) -> None:
    # Tracing accepts it (a clerk's slip); a list needs the exact date.
    [result] = match_rows([_row(5, "Ермаков Игорь", "1990-07-02")], register)
    assert result == Ambiguous(row=5, candidates=("case-r1",),
                               reason=AmbiguityReason.BIRTH_DATE_NOT_EXACT)


def test_year_only_list_still_matches_a_rare_name(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(14, "Ермаков Игорь Эдуардович", "1990")], register)
    assert result == Matched(row=14, case_id="case-r1", by=MatchedBy.NAME_AND_BIRTH_DATE)


def test_unknown_person_is_unmatched(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(6, "Шевченко Тарас", "1971-01-01", "ZZ-1")], register)
    assert result == Unmatched(row=6, reason=UnmatchedReason.NOT_IN_REGISTER)


def test_unreadable_name_is_unmatched_with_that_reason(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(7, "محمد علي", "1971-01-01")], register)
    assert result == Unmatched(row=7, reason=UnmatchedReason.UNUSABLE_NAME)


def test_service_number_held_by_two_cases_is_ambiguous(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(8, "Pak Yong Ho", "1989-05-05", "X 1")], register)
    assert result == Ambiguous(row=8, candidates=("case-p1", "case-p2"),
                               reason=AmbiguityReason.SERVICE_NUMBER_SHARED)


def test_service_number_of_one_man_with_the_name_of_another_is_ambiguous(
    register: InMemoryRegister,
) -> None:
    # The number is case-r1's, the name and birth date are accepted for case-k1.
    [result] = match_rows([_row(9, "김철국", "1995-03-04", "AB123456")], register)
    assert result == Ambiguous(row=9, candidates=("case-r1", "case-k1"),
                               reason=AmbiguityReason.IDENTIFIERS_DISAGREE)


def test_two_rows_on_one_case_are_both_ambiguous(register: InMemoryRegister) -> None:
    results = match_rows([_row(10, "Kim Chol Guk", "1995-03-04"), _row(11, "x", None, "KP-778"),
                          _row(12, "Шевченко Тарас", "1971-01-01")], register)
    assert results[0] == Ambiguous(row=10, candidates=("case-k1",),
                                   reason=AmbiguityReason.SAME_CASE_AS_OTHER_ROW, other_rows=(11,))
    assert results[1] == Ambiguous(row=11, candidates=("case-k1",),
                                   reason=AmbiguityReason.SAME_CASE_AS_OTHER_ROW, other_rows=(10,))
    assert isinstance(results[2], Unmatched)


def test_same_name_same_birth_date_in_register_is_never_matched(register: InMemoryRegister) -> None:
    [result] = match_rows([_row(13, "박영호", "1989-05-05")], register)
    assert isinstance(result, Ambiguous)
    assert set(result.candidates) == {"case-p1", "case-p2"}


@pytest.mark.parametrize(("a", "b"), [("АВ-123456", "ab 123456"), ("kp 778", "KP–778"),
                                      ("12 34 56", "123456")])
def test_service_number_keys(a: str, b: str) -> None:
    assert service_number_key(a) == service_number_key(b)


def test_service_number_keys_keep_real_differences() -> None:
    assert service_number_key("AB123456") != service_number_key("AB123465")
    assert service_number_key("ЖБ1") != service_number_key("ZB1")  # Ж is no Latin letter


def test_invisible_characters_and_loose_jamo_in_the_other_sides_list_do_not_hide_a_match(
    register: InMemoryRegister,
) -> None:
    """A list pasted from a web page or a PDF carries zero-width spaces and bidi marks, a Mac
    writes Hangul as loose jamo: removed and composed for the search, the row still matches."""
    name = "\u200f" + unicodedata.normalize("NFD", "김") + "\u200b 철국"
    [result] = match_rows([_row(3, name, "1995-03-04")], register)
    assert result == Matched(row=3, case_id="case-k1", by=MatchedBy.NAME_AND_BIRTH_DATE)


def test_a_register_entry_tracing_cannot_read_is_skipped_and_named() -> None:
    entries = [
        RegisterEntry(id="case-k1", family_name="김", given_name="철국", birth_date="1995-03-04"),
        RegisterEntry(id="case-bad", family_name="김\u200b", given_name="철국", birth_date="2999-03-04"),
    ]
    register = InMemoryRegister(entries, skip_unusable=True)
    assert register.skipped == ("case-bad",)
    [result] = match_rows([_row(2, "Kim Chol Guk", "1995-03-04")], register)
    assert result == Matched(row=2, case_id="case-k1", by=MatchedBy.NAME_AND_BIRTH_DATE)
