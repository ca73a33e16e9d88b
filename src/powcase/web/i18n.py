"""Every string a person reads goes through here: Babel catalogs in English, Korean, Ukrainian
and Russian (``src/powcase/locale/<lang>/LC_MESSAGES/messages.po``), dates and numbers in the
reader's locale.

The catalogs are read from their ``.po`` text at start-up (Babel's own reader): there is no
compiled ``.mo`` to fall out of step with its source. English message ids are the source text;
the English catalog is complete too, so that a test can demand every catalog be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from powcase.access.preferences import LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "en"
# What the language switch shows: each language in its own script.
LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "uk": "Українська", "ru": "Русский"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel's extractor looks for
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


@cache
def catalog(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh, locale=language)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@dataclass(frozen=True)
class Translator:
    language: str

    def gettext(self, message: str) -> str:
        return catalog(self.language).get(message) or message

    def date(self, value: date | None) -> str:
        return format_date(value, format="medium", locale=self.language) if value else ""

    def datetime(self, value: datetime | None) -> str:
        return format_datetime(value, format="medium", locale=self.language) if value else ""

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.language)

    def country(self, code: str | None) -> str:
        """A country by its ISO 3166 alpha-3 code, named in the reader's language where Babel can."""
        if not code:
            return ""
        alpha2 = _ALPHA2.get(code)
        name = Locale.parse(self.language).territories.get(alpha2) if alpha2 else None
        return f"{name} ({code})" if name else code


_ALPHA2 = {"PRK": "KP", "KOR": "KR", "RUS": "RU", "UKR": "UA", "NPL": "NP", "LKA": "LK", "CUB": "CU",
           "KAZ": "KZ", "UZB": "UZ", "CHN": "CN", "USA": "US", "CHE": "CH", "MNG": "MN", "SWE": "SE"}


def translator(language: str) -> Translator:
    return Translator(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def negotiate(accept_language: str | None, choices: Iterable[str] = LANGUAGES) -> str:
    """The first language the browser asks for that we have (``Accept-Language``), else English."""
    wanted: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((-quality, i, tag.strip().lower().split("-")[0]))
    known = set(choices)
    for _, _, tag in sorted(wanted):
        if tag in known:
            return tag
    return DEFAULT_LANGUAGE


Gettext = Callable[[str], str]
