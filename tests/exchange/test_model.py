"""The exchange model: terms that make sense, rows that never print a name."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from powcase.exchange import Exchange, ListRow, Quota, Ratio, Terms, category_code


def test_terms_need_a_size() -> None:
    with pytest.raises(ValidationError, match="total size, a ratio"):
        Terms()


def test_one_quota_per_category_after_normalising_the_words() -> None:
    with pytest.raises(ValidationError, match="two quotas for one category"):
        Terms(total=3, quotas=(Quota(category="Seriously wounded", max=1),
                               Quota(category="seriously-wounded", max=2)))
    assert category_code(" Seriously  wounded ") == "seriously_wounded"


def test_exchange_size_from_ratio_and_offer_list() -> None:
    offer = tuple(ListRow(row=i, name=f"Offered Person {i}") for i in range(2, 12))
    exchange = Exchange(id="X-1", counterpart="rus", date=dt.date(2025, 5, 23),
                        terms=Terms(total=100, ratio=Ratio(ours=3, theirs=2)), offer_list=offer)
    assert exchange.counterpart == "RUS"
    assert exchange.size_limit == 15


def test_counterpart_must_be_a_real_country_code() -> None:
    with pytest.raises(ValidationError, match="unknown country code"):
        Exchange(id="X-1", counterpart="PKR", date=dt.date(2025, 5, 23), terms=Terms(total=1))


def test_a_row_printed_in_a_log_names_no_one() -> None:
    row = ListRow(row=7, name="Ермаков Игорь", service_number="АВ-123456", birth_date="1990-07-01",
                  categories=("officers",))
    text = repr(row) + str(row)
    assert "Ермаков" not in text
    assert "АВ-123456" not in text
    assert "1990" not in text
    assert "row=7" in text


def test_a_validation_error_does_not_echo_the_row() -> None:
    with pytest.raises(ValidationError) as err:
        ListRow(row=0, name="Ермаков Игорь", birth_date="1990-07-01")
    assert "Ермаков" not in str(err.value)


def test_row_numbers_unique_within_a_list() -> None:
    rows = (ListRow(row=2, name="A B"), ListRow(row=2, name="C D"))
    with pytest.raises(ValidationError, match="request list: row 2 appears twice"):
        Exchange(id="X", counterpart="RUS", date=dt.date(2025, 1, 1), terms=Terms(total=1),
                 request_list=rows)
