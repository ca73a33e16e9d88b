"""Every message of the pages is in every catalog, translated; the catalogs match the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from powcase.domain.events import COMMANDS
from powcase.web.forms import form_fields
from powcase.web.i18n import LOCALE_DIR, negotiate, translator
from powcase.web.labels import FIELDS
from powcase.web.pages import GENERIC_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "ko", "uk", "ru")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What `make i18n` would extract from the pages' code and templates today."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "src/powcase/web/babel.cfg", "-k", "N_", "--no-location",
                    "-o", str(out), "."], cwd=ROOT, check=True)
    with out.open("rb") as fh:
        return {str(m.id) for m in read_po(fh) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_in_every_catalog(language: str, extracted: set[str]) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    translated = {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    untranslated = sorted(extracted - translated)
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]} (run `make i18n`, then translate)"


def test_every_field_of_the_record_forms_has_a_label_to_translate() -> None:
    fields = {f.name for c in GENERIC_COMMANDS for f in form_fields(COMMANDS[c])}
    assert fields <= set(FIELDS), sorted(fields - set(FIELDS))


def test_korean_dates_and_strings() -> None:
    ko = translator("ko")
    assert ko.gettext("Log in") == "로그인"
    from datetime import date

    assert "2025" in ko.date(date(2025, 4, 2)) and "4" in ko.date(date(2025, 4, 2))
    assert translator("xx").language == "en"


def test_the_browser_language_is_a_fallback() -> None:
    assert negotiate("ko-KR,ko;q=0.9,en;q=0.8") == "ko"
    assert negotiate("de-DE,uk;q=0.5,ru;q=0.7") == "ru"
    assert negotiate("fr") == "en"
    assert negotiate(None) == "en"
