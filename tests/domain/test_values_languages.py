"""The language table is pycountry's ISO 639-3 table, read without building pycountry's objects."""

from __future__ import annotations

import pycountry

from powcase.domain.values import _languages


def test_the_language_table_is_pycountrys() -> None:
    expected: dict[str, str] = {}
    for lang in pycountry.languages:
        expected[lang.alpha_3] = lang.alpha_3
        two = getattr(lang, "alpha_2", None)
        if two:
            expected[two] = lang.alpha_3
    assert _languages() == expected
