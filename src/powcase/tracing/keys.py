"""Phonetic keys that survive every transliteration system this package knows.

Any name part (Hangul, Cyrillic, Latin in any system) is first turned into a
*pivot*: lowercase ASCII letters.  Hangul goes letter by letter (RR letters,
no sound changes), Cyrillic by one fixed table, Latin by dropping marks after
spelling out the letters that carry meaning in ISO 9 and McCune-Reischauer.

The pivot is then *folded* into classes that no system keeps apart:

* consonants: voiced = voiceless = aspirated = tense (Korean g/k/kk/k', and
  Ukrainian г = h against Russian г = g), r = l, ng = n, w = v, ч = ц = j (ㅈ);
  a doubled letter inside one word (kk, ss, тт) is one consonant, but two
  syllables' consonants stay two (Nam Myong is not Nam Yong);
* vowels: eo = o (ŏ), eu = u (ŭ), ae = oe = e, ee = y = i; a glide i/y/j in
  front of a vowel (я ya ia ja â) and after one (ай ей ий ой) is dropped.

Some spellings have two readings, and a part then gets *alternative keys*
(``fine_keys``): a joined Latin "ng" before a vowel may be n + g ("Sungil" is
성일 or 선길, "Ryeongi" is 련기); Kontsevich ы (and Ukrainian-Kontsevich и) is
Korean ㅡ (eu) as well as Russian ы; in a Slavic name written in Latin, "ch"
may be х (German/Czech style "Chomenko").  Which reading a Latin "j" gets
depends on the name: ㅈ in a Korean name ("Jong"), й in a Slavic one
("Jurij", "Jermakov"); a name is Slavic when any of its words has a letter or
ending no Korean romanisation uses (v f z x q, č š ž, a final -ij/-ey, -s, a
patronymic) or the register says its language is Russian or Ukrainian.

The *fine key* keeps the vowel classes; the *skeleton* is the fine key without
vowels.  Matching compares both with RapidFuzz; blocking uses the skeleton.
*Strict keys* (``strict_keys``) are fine keys that keep Korean ㅇ/ㄴ (ng/n) and
ㅎ/ㄱ (h/g) apart, for Hangul and Latin Korean names only (Kontsevich н and х
cannot tell them apart); the matcher uses them to grade 성/선 or 희/기 as close,
not exact.
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
    "chzh": "C", "shch": "S", "tsch": "C", "sch": "S", "shh": "S", "tch": "C", "dzh": "C",
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
# A doubled consonant letter inside one word is one sound (ㄲ kk, ㅆ ss, тт).
# l, n, m, r are left alone: "ll" is ㄹㄹ in Korean (Cheollyong), "nn" two sounds.
_GEMINATE = re.compile(r"([bcdfgkpstjzvhxq])\1")
# A joined Latin "ng" before a vowel may be n + g (Sungil = Sun-gil / Sung-il).
_NG_VOWEL = re.compile(r"ng(?=[aeiouwy])")
# "ch" as х in German/Czech-style Slavic spellings (not the tsch/sch of ч/ш).
_CH_AS_KH = re.compile(r"(?<![ts])ch")
# Letters and endings no Korean romanisation produces: the name is Slavic.
_SLAVIC_LETTERS = frozenset("vfzxqčšžěřćńśźżłìïûâêë")
_SLAVIC_LATIN = re.compile(
    r"j(?![aeiouy])|..(?:ij|yj|iy|yy|ii|yi|ey|ej|aj|oj|sk|ts|s|d|b|enko|yk|ych|ich)$"
)
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_MAX_KEYS = 4


def hangul_pivot(text: str) -> str:
    """RR letters syllable by syllable, without sound changes."""
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            syl = decompose(ch)
            out.append(RR_INITIALS[syl.initial] + RR_VOWELS[syl.vowel] + LATIN_FINALS[syl.final])
    return "".join(out)


def cyrillic_pivot(text: str, *, korean_eu: str = "") -> str:
    """Cyrillic to the pivot; letters in korean_eu are read as Korean ㅡ (Kontsevich ы)."""
    low = text.lower()
    out: list[str] = []
    prev = ""
    for ch in low:
        if ch == "х" and prev in _ASPIRATED:
            prev = ch
            continue
        out.append("eu" if ch in korean_eu else _CYRILLIC_PIVOT.get(ch, ""))
        prev = ch
    return "".join(out)


def latin_pivot(text: str, *, slavic: bool = False) -> str:
    low = text.lower()
    if slavic and any(ch in "čšžř" for ch in low):
        # Háček spellings (ISO 9 style, Czech, scholarly) write х as ch or h.
        low = _CH_AS_KH.sub("kh", low)
    low = "".join(_LATIN_PREMAP.get(ch, ch) for ch in low)
    decomposed = unicodedata.normalize("NFKD", low)
    piv = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    if slavic:
        piv = piv.replace("j", "y")  # Jurij, Jermakov, Andrej: й
    return piv


def looks_slavic(text: str) -> bool:
    """A Latin name part no Korean romanisation could produce (Jermakov, Jurij, Denis)."""
    low = text.lower()
    if any(ch in _SLAVIC_LETTERS for ch in low):
        return True
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", low) if "a" <= ch <= "z" or ch in " ,.-"
    )
    return any(_SLAVIC_LATIN.search(word) for word in re.split(r"[\s,.\-]+", plain) if word)


def looks_ukrainian(text: str) -> bool:
    return any(ch in _UKRAINIAN_LETTERS for ch in text.lower())


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
    # Only a run of i's is one vowel (ii, iy, ий); pyo-yeong (표영) keeps two o's
    # so it does not become pyeong (평).
    return kept[:1] if set(kept) == {"i"} else kept


def _symbols(piv: str, strict: bool = False) -> list[str]:
    """Fold one pivot; strict keeps Korean ㅇ (ng -> G) and ㅎ (h -> H) apart from n and k."""
    if piv[:2] in {"rh", "wh"}:  # Rhee, Whang: a silent h only at the start
        piv = piv[0] + piv[2:]
    symbols: list[str] = []
    i = 0
    n = len(piv)
    while i < n:
        if piv.startswith("oung", i):  # Young, Joung, Hyoung: ㅕㅇ/ㅓㅇ, not u
            symbols.extend(("o", "G" if strict else "N"))
            i += 4
            continue
        if strict and piv.startswith("ng", i):
            symbols.append("G")
            i += 2
            continue
        if strict and piv[i] == "h":
            # ㅎ before a vowel; a silent h after one (Ahn, Sohn) is nothing.
            if i + 1 < n and piv[i + 1] in "aeiouwy":
                symbols.append("H")
            i += 1
            continue
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
    return "".join(out)


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


def _script(piece: str) -> str:
    if any(is_syllable(ch) for ch in piece):
        return "hangul"
    if any("\u0400" <= ch <= "\u04ff" for ch in piece):
        return "cyrillic"
    return "latin"


def _piece_pivots(piece: str, *, slavic: bool, ukrainian: bool) -> list[str]:
    """The pivot of one piece and its alternative readings, main reading first."""
    script = _script(piece)
    if script == "hangul":
        return [hangul_pivot(piece)]
    if script == "cyrillic" and _is_pure(piece, "cyrillic"):
        main = cyrillic_pivot(piece)
        korean_eu = "ы" + ("и" if ukrainian or looks_ukrainian(piece) else "")
        alt = cyrillic_pivot(piece, korean_eu=korean_eu)
        return [main, alt] if alt != main else [main]
    if script == "cyrillic":
        return [pivot(piece)]
    main = latin_pivot(piece, slavic=slavic)
    out = [main]
    if slavic and "ch" in main and not any(ch in "čšžř" for ch in piece.lower()):
        out.append(_CH_AS_KH.sub("kh", main))
    if not slavic and _NG_VOWEL.search(main):
        out.append(_NG_VOWEL.sub("n|g", main))
    return out


def _is_pure(piece: str, script: str) -> bool:
    return all(("\u0400" <= ch <= "\u04ff") == (script == "cyrillic") for ch in piece if ch.isalpha())


def _keys(text: str, *, slavic: bool, ukrainian: bool, strict: bool = False) -> tuple[str, ...]:
    readings: list[list[str]] = [[]]
    for piece in _pieces(text):
        options = _piece_pivots(piece, slavic=slavic, ukrainian=ukrainian)
        readings = [[*r, _GEMINATE.sub(r"\1", o)] for r in readings for o in options][:_MAX_KEYS]
    keys: list[str] = []
    for reading in readings:
        symbols: list[str] = []
        for piv in reading:
            symbols.extend(_symbols(piv, strict))
        key = _finish(symbols)
        if key not in keys:
            keys.append(key)
    return tuple(keys)


@lru_cache(maxsize=500_000)
def fine_keys(text: str, slavic: bool | None = None, ukrainian: bool = False) -> tuple[str, ...]:
    """Fine keys of a name part: the main reading first, then alternative readings.

    slavic: the name is Russian/Ukrainian (Latin j = й); None decides from this text alone.
    ukrainian: the name is Ukrainian (Kontsevich и may be ㅡ).
    """
    if slavic is None:
        slavic = looks_slavic(text)
    keys = _keys(text, slavic=slavic, ukrainian=ukrainian)
    return keys or ("",)


@lru_cache(maxsize=500_000)
def strict_keys(text: str, slavic: bool = False) -> tuple[str, ...]:
    """Keys that keep Korean ㅇ/ㄴ and ㅎ/ㄱ apart, for Hangul and Latin Korean names.

    Empty when the part is Cyrillic (Kontsevich н is both ㄴ and ㅇ, х both ㅎ and
    Russian х) or the name is Slavic: then nothing can be told apart this way.
    """
    if slavic or any("\u0400" <= ch <= "\u04ff" for ch in text):
        return ()
    return _keys(text, slavic=False, ukrainian=False, strict=True)


def spelling_key(text: str) -> str:
    """The letters of a spelling, lower case, marks and apostrophes dropped (Ch'ŏe -> choe)."""
    out: list[str] = []
    for ch in text.lower():
        if is_syllable(ch):
            out.append(ch)
            continue
        if ch == "ё":
            out.append("е")
            continue
        if "\u0400" <= ch <= "\u04ff":
            out.append(ch if ch.isalpha() else "")
            continue
        for part in unicodedata.normalize("NFKD", ch):
            if "a" <= part <= "z":
                out.append(part)
    return "".join(out)


def fine_key(text: str) -> str:
    """Fine key (main reading) of a name part in any supported script."""
    return fine_keys(text)[0]


def skeleton(fine: str) -> str:
    """Consonant classes of a fine key, in order."""
    return "".join(ch for ch in fine if ch.isupper())
