"""Phonetic keys that survive every transliteration system this package knows.

Any name part (Hangul, Cyrillic, Latin in any system) is first turned into a
*pivot*: lowercase ASCII letters.  Hangul goes letter by letter (RR letters,
no sound changes), Cyrillic by one fixed table, Latin by dropping marks after
spelling out the letters that carry meaning in ISO 9 and McCune-Reischauer.

The pivot is then *folded* into classes that no system keeps apart:

* consonants: voiced = voiceless = aspirated = tense (Korean g/k/kk/k', and
  Ukrainian г = h against Russian г = g), r = l, ng = n, w = v, ч = ц = j (ㅈ);
* vowels: eo = o (ŏ), eu = u (ŭ), ae = oe = e, ee = y = i; a glide i/y/j in
  front of a vowel (я ya ia ja â) and after one (ай ей ий ой) is dropped.

The *fine key* keeps the vowel classes; the *skeleton* is the fine key without
vowels.  Matching compares both with RapidFuzz; blocking uses the skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from powcase.tracing.hangul import decompose, is_syllable
from powcase.tracing.korean import LATIN_FINALS, RR_INITIALS, RR_VOWELS

# One pivot spelling per Cyrillic letter, Russian and Ukrainian together (close
# to BGN/PCGN, but ы spelt as the Korean ㅡ it usually renders in Kontsevich).
_CYRILLIC_PIVOT: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# Kontsevich writes Korean aspirates as consonant + х (чх, кх, тх, пх).
_ASPIRATED = frozenset("чктп")
# Latin letters whose marks carry a sound in ISO 9 / ISO 9 Ukrainian / MR.
_LATIN_PREMAP: dict[str, str] = {
    "ŏ": "o", "ŭ": "eu", "ë": "yo", "ê": "ye", "â": "ya", "û": "yu", "ì": "i",
    "ï": "yi", "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ĭ": "i", "ß": "ss",
    "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ĉ": "ch", "ǧ": "g",
}

# Fold table: longest match wins.  Upper case = consonant class, lower = vowel.
_FOLD: dict[str, str] = {
    "shch": "S", "tsch": "C", "sch": "S", "shh": "S", "tch": "C", "dzh": "C",
    "zh": "Z", "kh": "K", "ch": "C", "sh": "S", "ts": "C", "tz": "C", "cz": "C",
    "dz": "C", "ph": "P", "th": "T", "gh": "K", "ng": "N",
    "ck": "K", "x": "KS", "q": "K",
    "b": "P", "p": "P", "f": "F", "d": "T", "t": "T", "g": "K", "k": "K", "h": "K",
    "c": "C", "l": "L", "r": "L", "m": "M", "n": "N", "s": "S", "z": "Z", "v": "V",
    "w": "V",
    "eo": "o", "eu": "u", "ae": "e", "oe": "e", "oo": "u", "ee": "i", "ou": "u",
    "ui": "i", "a": "a", "e": "e", "i": "i", "o": "o", "u": "u", "y": "i",
}
_FOLD_LENGTHS = (4, 3, 2, 1)
_PIVOT_VOWELS = frozenset("aeiouy")
_SPLIT = re.compile(r"[\s\-‐‑–]+")


def hangul_pivot(text: str) -> str:
    """RR letters syllable by syllable, without sound changes."""
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            syl = decompose(ch)
            out.append(RR_INITIALS[syl.initial] + RR_VOWELS[syl.vowel] + LATIN_FINALS[syl.final])
    return "".join(out)


def cyrillic_pivot(text: str) -> str:
    low = text.lower()
    out: list[str] = []
    prev = ""
    for ch in low:
        if ch == "х" and prev in _ASPIRATED:
            prev = ch
            continue
        out.append(_CYRILLIC_PIVOT.get(ch, ""))
        prev = ch
    return "".join(out)


def latin_pivot(text: str) -> str:
    low = "".join(_LATIN_PREMAP.get(ch, ch) for ch in text.lower())
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


@lru_cache(maxsize=200_000)
def pivot(text: str) -> str:
    """Lowercase ASCII pivot of a name part in any supported script."""
    out: list[str] = []
    run: list[str] = []
    kind = ""

    def flush() -> None:
        if not run:
            return
        chunk = "".join(run)
        if kind == "hangul":
            out.append(hangul_pivot(chunk))
        elif kind == "cyrillic":
            out.append(cyrillic_pivot(chunk))
        else:
            out.append(latin_pivot(chunk))
        run.clear()

    for ch in text:
        if is_syllable(ch):
            this = "hangul"
        elif "\u0400" <= ch <= "\u04ff":
            this = "cyrillic"
        else:
            this = "latin"
        if this != kind:
            flush()
            kind = this
        run.append(ch)
    flush()
    return "".join(out)


def _fold_vowel_run(run: list[str]) -> list[str]:
    # A glide i before another vowel (ya, ia, ja, yu, ie) carries no vowel of its own.
    kept = [v for k, v in enumerate(run) if not (v == "i" and any(w != "i" for w in run[k + 1 :]))]
    # A glide after a full vowel (ай, ей, ой, Choi) is absorbed by it.
    if len(kept) > 1 and kept[0] != "i":
        kept = [v for v in kept if v != "i"]
    return kept[:1] if len(set(kept)) == 1 else kept


def _symbols(piv: str) -> list[str]:
    if piv[:2] in {"rh", "wh"}:  # Rhee, Whang: a silent h only at the start
        piv = piv[0] + piv[2:]
    symbols: list[str] = []
    i = 0
    n = len(piv)
    while i < n:
        if piv[i] == "j":
            # j is ㅈ before a vowel (Korean), й elsewhere (ISO 9: Sergej, Andrìj).
            nxt = piv[i + 1] if i + 1 < n else ""
            symbols.append("C" if nxt in _PIVOT_VOWELS else "i")
            i += 1
            continue
        if (piv[i] == "w" and piv[i + 1 : i + 2] == "u") or piv[i : i + 3] == "woo":
            i += 1  # ad hoc "woo"/"wu" for 우 is the vowel u alone
            continue
        for length in _FOLD_LENGTHS:
            sym = _FOLD.get(piv[i : i + length])
            if sym is not None:
                symbols.extend(sym)
                i += length
                break
        else:
            i += 1
    return symbols


def _finish(symbols: list[str]) -> str:
    out: list[str] = []
    run: list[str] = []
    for sym in symbols:
        if sym.islower():
            run.append(sym)
            continue
        if run:
            out.extend(_fold_vowel_run(run))
            run = []
        out.append(sym)
    if run:
        out.extend(_fold_vowel_run(run))
    collapsed: list[str] = []
    for sym in out:
        if not collapsed or collapsed[-1] != sym:
            collapsed.append(sym)
    return "".join(collapsed)


def fold(piv: str) -> str:
    """Fine key of one pivot string."""
    return _finish(_symbols(piv))


def _pieces(text: str) -> list[str]:
    # Syllables and hyphen/space-separated parts are folded apart, so "Ryon Gi"
    # and 련기 do not grow a spurious "ng"; Latin joined spellings stay one piece.
    pieces: list[str] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        if any(is_syllable(ch) for ch in chunk):
            pieces.extend(ch for ch in chunk if is_syllable(ch))
        else:
            pieces.append(chunk)
    return pieces


@lru_cache(maxsize=500_000)
def fine_key(text: str) -> str:
    """Fine key of a name part in any supported script."""
    symbols: list[str] = []
    for piece in _pieces(text):
        symbols.extend(_symbols(pivot(piece)))
    return _finish(symbols)


def skeleton(fine: str) -> str:
    """Consonant classes of a fine key, in order."""
    return "".join(ch for ch in fine if ch.isupper())
