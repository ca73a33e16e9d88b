"""Hangul syllables split into their letters (jamo).

The arithmetic is the one in the Unicode Standard, chapter 3.12 ("Conjoining
Jamo Behavior"): every precomposed syllable U+AC00..U+D7A3 is
0xAC00 + (initial * 21 + medial) * 28 + final.
"""

from __future__ import annotations

from typing import NamedTuple

_SBASE = 0xAC00
_SCOUNT = 11172
_VCOUNT = 21
_TCOUNT = 28

# Unicode 3.12 order of the 19 initial consonants (choseong).
INITIALS: tuple[str, ...] = (
    "ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ",
    "ㅆ", "ㅇ", "ㅈ", "ㅉ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
)
# Unicode 3.12 order of the 21 vowels (jungseong).
MEDIALS: tuple[str, ...] = (
    "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅘ", "ㅙ",
    "ㅚ", "ㅛ", "ㅜ", "ㅝ", "ㅞ", "ㅟ", "ㅠ", "ㅡ", "ㅢ", "ㅣ",
)
# Unicode 3.12 order of the 27 final consonants (jongseong); "" = none.
FINALS: tuple[str, ...] = (
    "", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ",
    "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ",
    "ㅋ", "ㅌ", "ㅍ", "ㅎ",
)


class Syllable(NamedTuple):
    """One Hangul syllable as (initial, vowel, final); final is "" when absent."""

    initial: str
    vowel: str
    final: str


def is_syllable(char: str) -> bool:
    return len(char) == 1 and _SBASE <= ord(char) < _SBASE + _SCOUNT


def is_hangul(char: str) -> bool:
    """True for precomposed syllables and for compatibility / conjoining jamo."""
    code = ord(char)
    return (
        _SBASE <= code < _SBASE + _SCOUNT
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
    )


def decompose(char: str) -> Syllable:
    """Split one precomposed syllable; raises ValueError for anything else."""
    if not is_syllable(char):
        raise ValueError("not a precomposed Hangul syllable")
    index = ord(char) - _SBASE
    initial, rest = divmod(index, _VCOUNT * _TCOUNT)
    medial, final = divmod(rest, _TCOUNT)
    return Syllable(INITIALS[initial], MEDIALS[medial], FINALS[final])


def compose(initial: str, vowel: str, final: str = "") -> str:
    return chr(
        _SBASE
        + (INITIALS.index(initial) * _VCOUNT + MEDIALS.index(vowel)) * _TCOUNT
        + FINALS.index(final)
    )


def syllables(text: str) -> list[Syllable]:
    """Decompose every precomposed syllable of text, skipping other characters."""
    return [decompose(ch) for ch in text if is_syllable(ch)]
