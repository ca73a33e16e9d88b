"""Importing a counterpart's list: what a clerk checks before anything reaches a case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from powcase.exchange import ColumnMapping, ListError, read_csv, read_list, read_xlsx

# Fictional people; the headers are the ones a Russian-language list uses.
RU_MAPPING = {"service_number": "Личный номер", "name": "ФИО", "birth_date": "Дата рождения",
              "category": "Категория"}
NAMES = ["Ермаков Игорь Эдуардович", "김철국", "Kovalenko Oleksandr", "Ли Мен Чхоль", "Pak Yong Ho"]


def _csv(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "list.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_csv_with_mixed_date_formats_and_scripts(tmp_path: Path) -> None:
    path = _csv(tmp_path, (
        "Личный номер,ФИО,Дата рождения,Категория\n"
        "АВ-123456,Ермаков Игорь Эдуардович,1990-07-01,офицер\n"
        "ZX 778,김철국,04.03.1995,рядовой\n"
        ",Kovalenko Oleksandr,1988,\n"
        "K-9,Ли Мен Чхоль,2/11/1990,тяжелораненый; рядовой\n"
    ))
    rows = read_csv(path, RU_MAPPING)
    assert [r.row for r in rows] == [2, 3, 4, 5]  # spreadsheet rows, header = 1
    assert [r.name for r in rows] == ["Ермаков Игорь Эдуардович", "김철국", "Kovalenko Oleksandr",
                                      "Ли Мен Чхоль"]
    assert [r.birth_date for r in rows] == ["1990-07-01", "1995-03-04", "1988", "1990-11-02"]
    assert rows[0].service_number == "АВ-123456"  # kept as given; matching normalises
    assert rows[2].service_number is None
    assert rows[3].categories == ("тяжелораненый", "рядовой")


def test_category_words_translated_to_the_agreements_codes(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ФИО;Категория\nЕрмаков Игорь;Офицер\n김철국;тяжелораненый, рядовой\n")
    words = {"офицер": "officers", "рядовой": "enlisted", "тяжелораненый": "seriously_wounded"}
    rows = read_csv(path, {"name": "ФИО", "category": "Категория"}, category_values=words)
    assert [r.categories for r in rows] == [("officers",), ("seriously_wounded", "enlisted")]


def test_unknown_category_word_is_a_problem_when_a_vocabulary_is_given(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ФИО,Категория\nЕрмаков Игорь,генерал\n")
    with pytest.raises(ListError) as err:
        read_csv(path, {"name": "ФИО", "category": "Категория"}, category_values={"офицер": "officers"})
    assert err.value.problems == ["row 2: category 'генерал' is not one of the agreement's"]


def test_xlsx_with_date_cells_year_numbers_and_blank_rows(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["Личный номер", "ФИО", "Дата рождения"],
        [123456, "Ермаков Игорь Эдуардович", dt.datetime(1990, 7, 1)],
        [None, None, None],
        ["B-2", "김철국", 1995],
        ["B-3", "Pak Yong Ho", "31/12/1999"],
    ])
    rows = read_xlsx(path, RU_MAPPING | {"category": None})
    assert [(r.row, r.service_number, r.birth_date) for r in rows] == [
        (2, "123456", "1990-07-01"), (4, "B-2", "1995"), (5, "B-3", "1999-12-31"),
    ]
    assert rows[1].name == "김철국"


def test_split_name_columns_are_joined_in_order(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Фамилия,Имя,Отчество\nЕрмаков,Игорь,Эдуардович\nКоваленко,Олександр,\n")
    rows = read_list(path, {"name": ("Фамилия", "Имя", "Отчество")})
    assert [r.name for r in rows] == ["Ермаков Игорь Эдуардович", "Коваленко Олександр"]


def test_every_problem_is_reported_with_its_row_and_no_name(tmp_path: Path) -> None:
    path = _csv(tmp_path, (
        "Личный номер,ФИО,Дата рождения,Категория\n"
        "A1,Ермаков Игорь Эдуардович,31.02.1990,\n"  # 2: no such day
        "A2,,1990-01-01,\n"  # 3: empty name
        "A3,김철국,1995-13-01,\n"  # 4: no month 13
        "a-1,Kovalenko Oleksandr,1988,\n"  # 5: same number as row 2 once normalised
        "A5,Pak Yong Ho,March 1990,\n"  # 6: unknown format
        "A6,Ли Мен Чхоль,1990,x,extra\n"  # 7: shifted row
        ",Pak Yong Ho,1989,\n"  # 8: fine
        ",PAK  YONG HO,1989,\n"  # 9: same name and birth date as row 8, no numbers
        "A9,Chon Il Nam,1700,\n"  # 10: year out of range
    ))
    with pytest.raises(ListError) as err:
        read_csv(path, RU_MAPPING)
    assert err.value.problems == [
        "row 2: birth_date is not a date (day 31 of month 2)",
        "row 3: name is empty",
        "row 4: birth_date is not a date (no month 13)",
        "row 5: same service number as row 2",
        "row 6: birth_date is not a date (not in a known format (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or YYYY))",
        "row 7: more cells than the header has columns",
        "row 9: same name and birth date as row 8",
        "row 10: birth_date is not a date (year outside 1850-2100)",
    ]
    message = str(err.value)
    for name in [*NAMES, "Ермаков", "Pak", "Ли Мен", "Chon", "March", "31.02.1990"]:
        assert name not in message


def test_namesakes_with_different_service_numbers_are_not_duplicates(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Личный номер,ФИО,Дата рождения\nA1,Pak Yong Ho,1989\nA2,Pak Yong Ho,1989\n")
    assert len(read_csv(path, RU_MAPPING | {"category": None})) == 2


def test_missing_columns_are_named_and_nothing_is_read(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ФИО,Дата\nЕрмаков Игорь,1990\n")
    with pytest.raises(ListError) as err:
        read_csv(path, RU_MAPPING)
    assert err.value.problems == [
        "row 1: no column 'Личный номер' (for service_number)",
        "row 1: no column 'Дата рождения' (for birth_date)",
        "row 1: no column 'Категория' (for category)",
    ]


def test_headers_match_regardless_of_case_and_spacing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\ufeff ФИО , ДАТА РОЖДЕНИЯ\nЕрмаков Игорь,01.07.1990\n")
    rows = read_csv(path, {"name": "фио", "birth_date": "Дата  рождения"})
    assert rows[0].birth_date == "1990-07-01"


def test_xlsx_problems_use_sheet_rows(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["ФИО", "Дата рождения"], ["Ермаков Игорь", "1990"], [None, None],
                            [12345, "1991"], ["김철국", True]])
    with pytest.raises(ListError) as err:
        read_xlsx(path, {"name": "ФИО", "birth_date": "Дата рождения"})
    assert err.value.problems == ["row 4: name is not text",
                                  "row 5: birth_date is not a date (a true/false cell)"]


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ListError, match=r"not a readable \.xlsx workbook"):
        read_list(bad, {"name": "ФИО"})
    latin1 = tmp_path / "y.csv"
    latin1.write_bytes("ФИО\n".encode("cp1251"))
    with pytest.raises(ListError, match="not UTF-8"):
        read_list(latin1, {"name": "ФИО"})
    with pytest.raises(ListError, match=r"expected a \.csv or \.xlsx"):
        read_list(tmp_path / "z.pdf", {"name": "ФИО"})


def test_mapping_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        ColumnMapping.model_validate({"name": "ФИО", "passport": "Паспорт"})


def test_error_lists_many_problems_briefly_but_keeps_them_all(tmp_path: Path) -> None:
    body = "".join(f"A{i},,1990\n" for i in range(50))
    path = _csv(tmp_path, "Личный номер,ФИО,Дата рождения\n" + body)
    with pytest.raises(ListError) as err:
        read_csv(path, RU_MAPPING | {"category": None})
    assert len(err.value.problems) == 50
    assert "and 30 more" in str(err.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1990-07-01", "1990-07-01"), ("1.7.1990", "1990-07-01"), ("01/07/1990", "1990-07-01"),
     ("1990-07-01 00:00:00", "1990-07-01"), (dt.date(1990, 7, 1), "1990-07-01"),
     (1990.0, "1990"), (" 1990 ", "1990"), ("", None), (None, None)],
)
def test_birth_date_forms(value: object, expected: str | None) -> None:
    from powcase.exchange.dates import normalise_birth_date

    assert normalise_birth_date(value) == expected


def test_a_huge_name_cell_is_a_row_problem_not_a_long_wait(tmp_path: Path) -> None:
    """The list comes from the other government: one cell of 100,000 characters is refused by its
    row, before any matching."""
    path = _csv(tmp_path, "Личный номер,ФИО,Дата рождения\nA1," + "Ы" * 100_000 + ",1989\nA2,Pak Yong Ho,1989\n")
    with pytest.raises(ListError) as err:
        read_csv(path, RU_MAPPING | {"category": None})
    assert err.value.problems == ["row 2: a cell is longer than 300 characters"]
