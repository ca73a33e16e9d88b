"""Text at the door: one normalisation for every name and every free text, on every path.

Register, import, correction and exchange all validate through the event models, so the rules
live here once:

- Every text is put in Unicode NFC: the decomposed Hangul that macOS copy-paste produces
  (conjoining jamo) becomes the composed syllables a Korean keyboard types, and é typed as
  e + accent becomes one letter. NFC changes no letter a reader sees, so it is done silently.
- A **name** (each form of a family name, given names, patronymic or alias) holds letters,
  combining marks and the separators names use (space, hyphen, apostrophe, the period of an
  initial); runs of spaces become one space. Refused, naming the field and the character's code
  point: invisible characters (zero-width space and joiners, bidi marks and embeddings, the byte
  order mark), control characters, emoji and other symbols, digits, Hangul letters that do not
  form a syllable, and one word written in two scripts (a Cyrillic "К" inside a Latin "Kim").
  At most ``NAME_MAX`` characters per form.
- A **line** (rank, service number, a place, a staff member's name, a reference) is one line of at
  most ``LINE_MAX`` characters without control characters.
- A **text** (reasons, notes, his words) may hold newlines and tabs, at most ``TEXT_MAX``
  characters, no other control character (NUL included); Windows line ends become newlines.
  Bidi marks and joiners are kept in texts: words written in Arabic or Persian need them.

Stored data is read back with :data:`STORED` as the validation context: a record written before
these rules must stay readable (it is put in NFC, never refused), so that one old value cannot
stop the register. Tracing and exchange planning then skip, and report, what they cannot index.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo

# 100 characters per form of one name: a Korean name is two to five syllables, a Russian or
# Ukrainian family name or patronymic rarely passes 25 letters, and a passport's machine-readable
# zone holds a whole name in 39; a hundred leaves room for compound family names and several given
# names, and stops a pasted paragraph or document from passing as a name.
NAME_MAX = 100
# Ranks, service numbers, places, references and staff names: one line, never a paragraph.
LINE_MAX = 200
# Reasons, notes and his words: long enough for pages of an interview, bounded all the same.
TEXT_MAX = 20_000
# The most entries a list field of an event (aliases, signs of pressure, evidence ids) may hold.
LIST_MAX = 100
# Birth dates before this are not of a living prisoner of war (the oldest are born in the 1940s).
BIRTH_FLOOR = date(1900, 1, 1)

STORED: dict[str, Any] = {"stored": True}

# Separators that names use in the scripts we register: spaces, hyphens, apostrophes, the period
# of an initial. Letters (L*) and combining marks (M*) are the rest of a name.
_NAME_SEPARATORS = frozenset(" -\u2010\u2011'\u2019\u02bc.")
# Variation selectors are combining marks, but they only ever turn a character into an emoji.
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
# Hangul jamo (conjoining and compatibility): letters of a syllable written apart.
_JAMO = (range(0x1100, 0x1200), range(0x3130, 0x3190), range(0xA960, 0xA980), range(0xD7B0, 0xD800))
_TEXT_CONTROLS_ALLOWED = frozenset("\n\t")


def _from_store(info: ValidationInfo | None) -> bool:
    return info is not None and isinstance(info.context, dict) and bool(info.context.get("stored"))


def nfc(value: str) -> str:
    return value if value.isascii() or unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def describe(ch: str) -> str:
    """A character as a message may show it: code point and Unicode name, never the text around it."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name.lower()}" if name else f"U+{ord(ch):04X}"


def _in(ch: str, ranges: tuple[range, ...]) -> bool:
    code = ord(ch)
    return any(code in r for r in ranges)


def _script(ch: str) -> str:
    """The script of a letter, as the first word of its Unicode name (LATIN, CYRILLIC, HANGUL, CJK, ...)."""
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "HAN"  # Japanese writes one word in kanji and kana together
    if name.startswith("MODIFIER LETTER"):
        return ""  # the apostrophe ʼ and its kin belong to every script
    return name.split(" ", 1)[0]


def _name_problem(ch: str) -> str | None:
    """Why this character cannot be part of a name, or None if it can."""
    if ch in _NAME_SEPARATORS:
        return None
    category = unicodedata.category(ch)
    if _in(ch, _VARIATION_SELECTORS):
        return f"contains an emoji variation selector ({describe(ch)})"
    if _in(ch, _JAMO):
        return f"contains a Hangul letter that is not part of a syllable ({describe(ch)}); type the name as syllables"
    if category[0] in "LM":
        return None
    if category == "Cf":
        return f"contains an invisible character ({describe(ch)}); retype the name without it"
    if category[0] == "C":
        return f"contains a control character ({describe(ch)})"
    if category[0] == "S":
        return f"contains a symbol or emoji ({describe(ch)}); a name holds letters only"
    if category[0] == "N":
        return f"contains a digit ({describe(ch)}); a name holds letters only"
    return f"contains {describe(ch)}, which is not used in names (letters, spaces, hyphens, apostrophes)"


def clean_name(value: str, info: ValidationInfo | None) -> str:
    """One form of a person's name, checked and normalised (see the module's rules)."""
    value = nfc(value)
    if _from_store(info):
        return value
    # Any whitespace (tab, no-break space, ideographic space) between words becomes one space.
    value = " ".join(value.split())
    if len(value) > NAME_MAX:
        raise ValueError(f"longer than {NAME_MAX} characters; a name's form is at most {NAME_MAX}")
    for ch in value:
        problem = _name_problem(ch)
        if problem:
            raise ValueError(problem)
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        raise ValueError("holds no letter")
    for word in value.split(" "):
        scripts = {_script(ch) for ch in word if unicodedata.category(ch)[0] == "L"} - {""}
        if len(scripts) > 1:
            raise ValueError(f"mixes scripts in one word ({', '.join(sorted(s.lower() for s in scripts))}); type each word in one script")
    return value


def _no_controls(value: str, allowed: frozenset[str]) -> None:
    for ch in value:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            raise ValueError(f"contains a control character ({describe(ch)})")


def clean_line(value: str, info: ValidationInfo | None) -> str:
    """A short text on one line: a rank, a service number, a place, a reference, a staff name."""
    value = nfc(value)
    if _from_store(info):
        return value
    if len(value) > LINE_MAX:
        raise ValueError(f"longer than {LINE_MAX} characters; this field holds one line")
    if "\n" in value or "\r" in value:
        raise ValueError("holds more than one line")
    _no_controls(value, frozenset("\t"))
    return value


def clean_text(value: str, info: ValidationInfo | None) -> str:
    """A free text: reasons, notes, his words. Newlines and tabs are kept."""
    value = nfc(value)
    if _from_store(info):
        return value
    value = value.replace("\r\n", "\n")
    if len(value) > TEXT_MAX:
        raise ValueError(f"longer than {TEXT_MAX} characters")
    _no_controls(value, _TEXT_CONTROLS_ALLOWED)
    return value


def searchable(name: str) -> str:
    """A name used only to search (a query, a row of the other side's list): NFC, and invisible
    characters (zero-width, bidi marks, byte order mark) removed. Harmless there, because nothing
    is stored, and what copy-paste from web pages, PDFs and macOS adds."""
    return "".join(ch for ch in nfc(name) if unicodedata.category(ch) != "Cf")


def check_birth_date(born: date, registered_on: date, info: ValidationInfo | None) -> None:
    """A birth date lies between 1900 and the day he was registered (and so before today)."""
    if _from_store(info):
        return
    if born < BIRTH_FLOOR:
        raise ValueError(f"before {BIRTH_FLOOR.isoformat()}; check the year")
    if born > registered_on:
        raise ValueError("after the date of registration; check the year")


# The limits are published in the JSON Schema too, so that a form or a script can check them first.
NameText = Annotated[str, AfterValidator(clean_name), Field(json_schema_extra={"maxLength": NAME_MAX})]
Line = Annotated[str, AfterValidator(clean_line), Field(json_schema_extra={"maxLength": LINE_MAX})]
FreeText = Annotated[str, AfterValidator(clean_text), Field(json_schema_extra={"maxLength": TEXT_MAX})]
