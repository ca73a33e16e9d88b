"""Independent held-out style evaluation of powcase.tracing.

Everything that *produces* spellings here is written afresh from the published
rules and imports nothing from powcase.tracing; the package is used only
through its public API (NameIndex, RegisterEntry) to answer the queries.

Systems written out below (each function names its rule source):

* Hangul jamo arithmetic (Unicode Standard ch. 3.12), own implementation.
* Revised Romanization (Ministry of Culture notice 2000-8): letter by letter
  without sound changes (the rule for personal names), the same with the
  general sound-change rules applied (linking, nasalisation, liquidisation:
  what many clerks write), and hyphenated given names (rule 3.4, allowed).
* McCune-Reischauer (1939) with breves and apostrophes, hyphenated given
  names as in ALA-LC practice and joined; the same with diacritics dropped.
* DPRK 1992 national system, syllables written apart (``Kim Jong Un``), in
  practice without breves; also with breves as officially published.
* Kontsevich Cyrillic (voicing between voiced sounds, aspirates with х,
  final ㄹ as ль), syllables apart and joined; its Ukrainian adaptation.
* Old Russian / Koryo-saram surnames (Цой, Тен, Тян, Ни, Огай, ...).
* Passport and ad hoc Korean spellings built per syllable (Lee/Park/Choi,
  -chul, -soo, young, hyun, ...).
* Russian: ICAO Doc 9303 (2015), MVD passport 1997-2010, BGN/PCGN 1947,
  ISO 9:1995, and the scholarly/German-Polish j-style (Jurij, Jermakov).
* Ukrainian: ICAO 9303, KMU No. 55 (2010) national system, its 1996
  predecessor, BGN/PCGN 1965, ISO 9.
* Clerical variation: all caps, dropped hyphens, joined given names, name
  order swapped, initials, missing patronymic, one-letter typos.

Usage:
    python bench/tracing/independent.py [--people 6000] [--queries 5000] [--seed 2024]
        [--out DIR]   (also writes register.jsonl, queries.jsonl, truth.jsonl)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------
# Hangul arithmetic (Unicode 3.12)

CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONG = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
        "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def jamo(syl: str) -> tuple[str, str, str]:
    n = ord(syl) - 0xAC00
    if not 0 <= n < 11172:
        raise ValueError("not a syllable")
    return CHO[n // 588], JUNG[(n % 588) // 28], JONG[n % 28]


def make_syl(c: str, v: str, f: str = "") -> str:
    return chr(0xAC00 + CHO.index(c) * 588 + JUNG.index(v) * 28 + JONG.index(f))


# Sounds: onsets as symbolic RR letters, codas as the 7 representative finals.
ONSET = {"ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
         "ㅂ": "b", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj",
         "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h"}
CODA = {"": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄴ": "n", "ㄵ": "n", "ㄶ": "n", "ㄷ": "t",
        "ㄹ": "l", "ㄺ": "k", "ㄻ": "m", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㄿ": "p", "ㅀ": "l",
        "ㅁ": "m", "ㅂ": "p", "ㅄ": "p", "ㅅ": "t", "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t", "ㅊ": "t",
        "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "t"}
# A final consonant carried over to a following vowel.
LINK = {"ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b",
        "ㅅ": "s", "ㅆ": "ss", "ㅈ": "j", "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": ""}


@dataclass
class Sound:
    onset: str
    vowel: str  # the jamo
    coda: str


def sounds(hangul: str, *, changes: bool) -> list[Sound]:
    """Syllables of one word as sounds; with changes, the standard pronunciation rules."""
    syls = [jamo(ch) for ch in hangul]
    out = [Sound(ONSET[c], v, CODA[f]) for c, v, f in syls]
    if not changes:
        return out
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        final = syls[i - 1][2]
        if cur.onset == "" and final not in ("", "ㅇ"):
            cur.onset = LINK.get(final, prev.coda)
            prev.coda = ""
            continue
        if cur.onset == "r":
            if prev.coda == "l":
                cur.onset = "l"
            elif prev.coda == "n":
                prev.coda, cur.onset = "l", "l"
            elif prev.coda:
                cur.onset = "n"
        if cur.onset == "n" and prev.coda == "l":
            cur.onset = "l"
        if cur.onset in ("n", "m") and prev.coda in ("k", "t", "p"):
            prev.coda = {"k": "ng", "t": "n", "p": "m"}[prev.coda]
    return out


VOICED_CODA = {"", "n", "l", "m", "ng"}

# ---------------------------------------------------------------------------
# Revised Romanization 2000

RR_V = {"ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "eo", "ㅔ": "e", "ㅕ": "yeo",
        "ㅖ": "ye", "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u",
        "ㅝ": "wo", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "eu", "ㅢ": "ui", "ㅣ": "i"}
RR_CODA = {"": "", "k": "k", "n": "n", "t": "t", "l": "l", "m": "m", "p": "p", "ng": "ng"}


def rr_word(hangul: str, *, changes: bool = False) -> str:
    parts = []
    for s in sounds(hangul, changes=changes):
        onset = s.onset
        if onset == "r" and parts and parts[-1].endswith("l"):
            onset = "l"
        parts.append(onset + RR_V[s.vowel] + RR_CODA[s.coda])
    return "".join(parts)


def rr_given(hangul: str, style: str) -> str:
    if style == "hyphen":
        return "-".join(rr_word(ch) for ch in hangul).capitalize()
    if style == "spaced":
        return " ".join(rr_word(ch).capitalize() for ch in hangul)
    if style == "changes":
        return rr_word(hangul, changes=True).capitalize()
    return rr_word(hangul).capitalize()


# ---------------------------------------------------------------------------
# McCune-Reischauer 1939

MR_V = {**RR_V, "ㅓ": "ŏ", "ㅕ": "yŏ", "ㅝ": "wŏ", "ㅡ": "ŭ", "ㅢ": "ŭi"}
MR_PLAIN_ONSET = {"g": "k", "kk": "kk", "n": "n", "d": "t", "tt": "tt", "r": "r", "l": "l",
                  "m": "m", "b": "p", "pp": "pp", "s": "s", "ss": "ss", "": "", "j": "ch",
                  "jj": "tch", "ch": "ch'", "k": "k'", "t": "t'", "p": "p'", "h": "h"}
MR_VOICE = {"g": "g", "d": "d", "b": "b", "j": "j"}


def mr_word(hangul: str, *, hyphen: bool, first_voiced: bool = False) -> str:
    """MR of one word; hyphen = ALA-LC given-name style (voicing kept, no linking)."""
    ss = sounds(hangul, changes=not hyphen)
    out = []
    prev_voiced = first_voiced
    prev_coda: str | None = None
    for s in ss:
        onset = s.onset
        text = MR_VOICE[onset] if onset in MR_VOICE and prev_voiced else MR_PLAIN_ONSET[onset]
        if onset == "r" and prev_coda in ("l", "n"):
            text = "l"
        if onset == "s" and s.vowel in ("ㅣ", "ㅟ"):
            text = "sh"
        syl = text + MR_V[s.vowel] + RR_CODA[s.coda]
        if out and not hyphen and prev_coda == "n" and onset in ("g", "") and text in ("g", ""):
            syl = "'" + syl if text == "g" else syl
        out.append(syl)
        prev_voiced = s.coda in VOICED_CODA
        prev_coda = s.coda
    return ("-" if hyphen else "").join(out)


def mr_name_part(hangul: str, *, hyphen: bool, marks: bool) -> str:
    if hangul == "이":  # ALA-LC writes the one-vowel surname Yi
        return "Yi"
    text = mr_word(hangul, hyphen=hyphen)
    if not marks:
        text = text.replace("ŏ", "o").replace("ŭ", "u").replace("'", "")
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# DPRK 1992 national system

DPRK_V = {**RR_V, "ㅓ": "ŏ", "ㅕ": "yŏ", "ㅝ": "wŏ", "ㅡ": "ŭ", "ㅢ": "ŭi"}
DPRK_ONSET = {"g": "k", "kk": "kk", "n": "n", "d": "t", "tt": "tt", "r": "r", "l": "l",
              "m": "m", "b": "p", "pp": "pp", "s": "s", "ss": "ss", "": "", "j": "j",
              "jj": "jj", "ch": "ch", "k": "kh", "t": "th", "p": "ph", "h": "h"}


def dprk_syllable(syl: str, *, marks: bool) -> str:
    s = sounds(syl, changes=False)[0]
    text = DPRK_ONSET[s.onset] + DPRK_V[s.vowel] + RR_CODA[s.coda]
    if not marks:
        text = text.replace("ŏ", "o").replace("ŭ", "u")
    return text.capitalize()


def dprk_part(hangul: str, *, marks: bool = False, join: bool = False) -> str:
    sylls = [dprk_syllable(ch, marks=marks) for ch in hangul]
    if join:
        return (sylls[0] + "".join(s.lower() for s in sylls[1:])).capitalize()
    return " ".join(sylls)


# ---------------------------------------------------------------------------
# Kontsevich (Russian Cyrillic for Korean) and its Ukrainian adaptation

KC_ONSET = {"g": "к", "kk": "кк", "n": "н", "d": "т", "tt": "тт", "r": "р", "l": "л",
            "m": "м", "b": "п", "pp": "пп", "s": "с", "ss": "сс", "": "", "j": "ч",
            "jj": "чч", "ch": "чх", "k": "кх", "t": "тх", "p": "пх", "h": "х"}
KC_VOICED = {"g": "г", "d": "д", "b": "б", "j": "дж"}
KC_V = {"ㅏ": "а", "ㅐ": "э", "ㅑ": "я", "ㅒ": "йя", "ㅓ": "о", "ㅔ": "е", "ㅕ": "ё",
        "ㅖ": "йе", "ㅗ": "о", "ㅘ": "ва", "ㅙ": "вэ", "ㅚ": "ве", "ㅛ": "ё", "ㅜ": "у",
        "ㅝ": "во", "ㅞ": "ве", "ㅟ": "ви", "ㅠ": "ю", "ㅡ": "ы", "ㅢ": "ый", "ㅣ": "и"}
KC_V_AFTER_C = {**KC_V, "ㅒ": "е", "ㅖ": "е"}
KC_CODA = {"": "", "k": "к", "n": "н", "t": "т", "l": "ль", "m": "м", "p": "п", "ng": "н"}


def kontsevich_word(hangul: str, *, joined: bool) -> str:
    ss = sounds(hangul, changes=joined)
    out = []
    prev: Sound | None = None
    for s in ss:
        onset = KC_ONSET[s.onset]
        if joined and prev is not None and s.onset in KC_VOICED and prev.coda in VOICED_CODA:
            onset = KC_VOICED[s.onset]
        vowel = (KC_V_AFTER_C if onset else KC_V)[s.vowel]
        if not onset and s.vowel == "ㅔ" and prev is None:
            vowel = "э"
        coda = KC_CODA[s.coda]
        out.append([onset, vowel, coda])
        prev = s
    for i in range(len(out) - 1):  # ㄹㄹ is лл, not льл
        if out[i][2] == "ль" and out[i + 1][0] in ("л", "р"):
            out[i][2] = "л"
            out[i + 1][0] = "л"
    words = ["".join(x) for x in out]
    return "".join(words).capitalize() if joined else " ".join(w.capitalize() for w in words)


def kontsevich_to_ukrainian(text: str) -> str:
    """The Ukrainian adaptation: ы→и, и→і, э→е, ё→ьо (after consonant) / йо, йе→є."""
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        prev = text[i - 1].lower() if i else " "
        if low == "ё":
            rep = "йо" if prev in " аеиоуыэюяё" else "ьо"
        elif low == "и":
            rep = "і"
        elif low == "ы":
            rep = "и"
        elif low == "э":
            rep = "е"
        else:
            rep = low
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out).replace("йе", "є").replace("Йе", "Є")


# ---------------------------------------------------------------------------
# Passport / ad hoc spellings, built per syllable

ADHOC_ONSET = {"g": ["g", "k"], "kk": ["kk", "k", "gg"], "n": ["n"], "d": ["d", "t"],
               "tt": ["tt", "dd"], "r": ["r", "l"], "m": ["m"], "b": ["b", "p"],
               "pp": ["pp", "bb"], "s": ["s"], "ss": ["ss", "s"], "": [""], "j": ["j", "ch"],
               "jj": ["jj"], "ch": ["ch"], "k": ["k"], "t": ["t"], "p": ["p"], "h": ["h"]}
ADHOC_VOWEL = {"ㅏ": ["a"], "ㅐ": ["ae", "ai"], "ㅑ": ["ya"], "ㅒ": ["yae"],
               "ㅓ": ["u", "eo", "o"], "ㅔ": ["e"], "ㅕ": ["yu", "yeo", "yo"], "ㅖ": ["ye", "hye"],
               "ㅗ": ["o", "oh"], "ㅘ": ["wa"], "ㅙ": ["wae"], "ㅚ": ["oe", "oi"], "ㅛ": ["yo"],
               "ㅜ": ["oo", "u"], "ㅝ": ["won", "wo"], "ㅞ": ["we"], "ㅟ": ["wi", "wee"],
               "ㅠ": ["yu", "yoo"], "ㅡ": ["eu", "u"], "ㅢ": ["ui", "ee", "eui"],
               "ㅣ": ["i", "ee"]}


def adhoc_syllable(rng: random.Random, syl: str) -> str:
    s = sounds(syl, changes=False)[0]
    onset = rng.choice(ADHOC_ONSET[s.onset])
    vowels = ADHOC_VOWEL[s.vowel]
    vowel = vowels[0] if rng.random() < 0.55 else rng.choice(vowels)
    if vowel == "hye":
        vowel = "ye"
    if vowel == "won":
        vowel = "wo"
    if s.onset == "s" and s.vowel in ("ㅣ", "ㅟ") and rng.random() < 0.7:
        onset = "sh"
    if s.vowel == "ㅕ" and s.coda == "ng" and rng.random() < 0.6:
        vowel = "you"  # Young, Hyoung
    if s.onset == "" and s.vowel == "ㅜ" and rng.random() < 0.4:
        vowel = "woo"
    coda = s.coda
    if coda == "k" and vowel in ("u", "oo") and rng.random() < 0.3:
        coda = "k"
    return onset + vowel + coda


def adhoc_given(rng: random.Random, hangul: str) -> str:
    parts = [adhoc_syllable(rng, ch) for ch in hangul]
    style = rng.choice(["join", "join", "hyphen", "space", "hyphen-cap"])
    if style == "join":
        return "".join(parts).capitalize()
    if style == "hyphen":
        return "-".join(parts).capitalize()
    if style == "hyphen-cap":
        return "-".join(p.capitalize() for p in parts)
    return " ".join(p.capitalize() for p in parts)


# Surname spellings seen in passports and publications (South Korean MOFA usage,
# NIKL 2009 survey), DPRK forms, and old Russian / Koryo-saram renderings.
PASSPORT_SURNAME = {
    "김": ["Kim", "Gim"], "이": ["Lee", "Yi", "Rhee", "Ri", "Li", "I"], "박": ["Park", "Pak", "Bak", "Bahk"],
    "최": ["Choi", "Choe", "Chwe"], "정": ["Jung", "Jeong", "Chung", "Chong", "Joung"],
    "강": ["Kang", "Gang"], "조": ["Cho", "Jo", "Joe"], "윤": ["Yoon", "Yun", "Youn"],
    "장": ["Jang", "Chang"], "임": ["Lim", "Im", "Yim", "Rim"], "한": ["Han", "Hahn"],
    "오": ["Oh", "O"], "서": ["Seo", "Suh", "So"], "신": ["Shin", "Sin"], "권": ["Kwon", "Gwon"],
    "황": ["Hwang", "Whang"], "안": ["Ahn", "An"], "송": ["Song", "Sung"],
    "류": ["Ryu", "Yoo", "Yu", "Ryoo"], "홍": ["Hong"], "전": ["Jeon", "Jun", "Chun", "Chon"],
    "고": ["Ko", "Koh", "Go"], "문": ["Moon", "Mun"], "양": ["Yang", "Ryang"],
    "손": ["Son", "Sohn"], "배": ["Bae", "Pae"], "백": ["Baek", "Paek", "Paik", "Baik"],
    "허": ["Heo", "Huh", "Ho"], "남": ["Nam"], "심": ["Shim", "Sim"], "노": ["Noh", "Roh", "No"],
    "하": ["Ha"], "주": ["Joo", "Ju", "Chu"], "구": ["Koo", "Ku", "Gu"], "곽": ["Kwak", "Gwak"],
    "성": ["Sung", "Seong", "Song"], "차": ["Cha"], "우": ["Woo", "U"], "민": ["Min"],
    "진": ["Jin", "Chin"], "지": ["Ji", "Chi"], "엄": ["Um", "Eom"], "채": ["Chae"],
    "원": ["Won"], "천": ["Cheon", "Chun"], "방": ["Bang", "Pang"], "현": ["Hyun", "Hyeon"],
    "함": ["Ham"], "변": ["Byun", "Byeon"], "염": ["Yeom", "Yum"], "여": ["Yeo", "Yuh"],
    "추": ["Choo", "Chu"], "도": ["Do", "Doh"], "석": ["Seok", "Suk"], "옥": ["Ok", "Oak"],
    "육": ["Yook", "Yuk"], "맹": ["Maeng"], "제": ["Je", "Jeh"], "모": ["Mo", "Moh"],
    "태": ["Tae"], "봉": ["Bong"], "유": ["Yoo", "Yu"], "리": ["Ri", "Lee", "Rhee"], "탁": ["Tak"],
    "남궁": ["Namgoong", "Namkung"], "황보": ["Hwangbo"], "선우": ["Sunwoo", "Sunoo"],
}
OLD_RUSSIAN = {"최": ["Цой"], "정": ["Тен", "Чен"], "전": ["Тен", "Чон"], "장": ["Тян", "Дян"],
               "이": ["Ли", "Ни"], "리": ["Ли"], "조": ["Тё", "Чо"], "주": ["Тю"],
               "오": ["Огай"], "유": ["Югай"], "고": ["Когай"], "허": ["Хегай"],
               "신": ["Шин"], "김": ["Ким"], "박": ["Пак"], "한": ["Хан"], "황": ["Хван"],
               "임": ["Им", "Лим"], "송": ["Сон"], "남": ["Нам"], "문": ["Мун"], "강": ["Кан"],
               "윤": ["Юн"], "안": ["Ан"], "채": ["Тхай", "Цхай"], "태": ["Тхай"]}

KOREAN_SURNAMES: list[tuple[str, float]] = [
    ("김", 21.5), ("이", 14.7), ("박", 8.4), ("최", 4.7), ("정", 4.3), ("강", 2.4), ("조", 2.1),
    ("윤", 2.1), ("장", 2.0), ("임", 1.7), ("한", 1.5), ("오", 1.5), ("서", 1.5), ("신", 1.5),
    ("권", 1.4), ("황", 1.4), ("안", 1.4), ("송", 1.3), ("류", 1.2), ("홍", 1.1), ("전", 1.1),
    ("고", 0.9), ("문", 0.9), ("양", 0.9), ("손", 0.9), ("배", 0.8), ("백", 0.7), ("허", 0.6),
    ("남", 0.5), ("심", 0.5), ("노", 0.5), ("하", 0.4), ("주", 0.4), ("구", 0.4), ("곽", 0.4),
    ("성", 0.4), ("차", 0.4), ("우", 0.4), ("민", 0.3), ("진", 0.3), ("지", 0.3), ("엄", 0.3),
    ("채", 0.3), ("원", 0.3), ("천", 0.2), ("방", 0.2), ("현", 0.2), ("함", 0.2), ("변", 0.2),
    ("염", 0.2), ("여", 0.2), ("추", 0.2), ("도", 0.2), ("석", 0.1), ("옥", 0.1), ("육", 0.1),
    ("맹", 0.05), ("제", 0.05), ("모", 0.05), ("태", 0.05), ("봉", 0.05), ("탁", 0.05),
    ("리", 0.8), ("남궁", 0.04), ("황보", 0.03), ("선우", 0.02), ("유", 0.6),
]
# Given-name syllables, weighted (common ones first).
def _words(text: str) -> list[str]:
    return text.split()


GIVEN_SYLS = _words("영 철 성 정 민 수 호 진 현 준 광 명 일 남 혁 학 경 순 옥 희 미 선 동 길 복 춘 "
              "만 재 원 태 용 상 기 혜 향 금 룡 련 주 우 훈 규 식 범 근 덕 봉 택 윤 승 석 건 "
              "창 평 문 무 충 효 애 란 설 림 국 은 혜 지 연 서 하 예 나 유 빈 별 솔 한 결 강 "
              "찬 웅 청 혼 송 엽 익 형 환 섭 필 세 종 인 표 랑 률 녀")

RU_SURNAMES = _words("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров "
               "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев "
               "Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев "
               "Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев "
               "Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов "
               "Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов "
               "Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников "
               "Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин "
               "Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв "
               "Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв "
               "Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов "
               "Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин "
               "Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов "
               "Кондратьев Бирюков Горбунов Анисимов Еремеев Тихомиров Галкин Лукьянов Михеев "
               "Юдин Якушев Щукин Шестаков Хохлов Цветков Чистяков Шубин Ершов Жданов Зуев "
               "Елисеев Ястребов Южаков Эльдаров Ежов Щеглов Чижов Шилов")
UK_SURNAMES = _words("Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Шевчук Коваль Поліщук "
               "Бондар Ткачук Марченко Руденко Савченко Мельник Кравчук Клименко Мороз Павленко "
               "Петренко Левченко Гончаренко Харченко Лисенко Литвиненко Кузьменко Гнатюк "
               "Дяченко Романюк Онищенко Іваненко Тимошенко Євтушенко Яковенко Гуменюк Федоренко "
               "Головко Зінченко Юрченко Костенко Остапенко Пилипенко Гриценко Приходько "
               "Вакуленко Гаврилюк Захарченко Чорновол Гордієнко Кириленко Степаненко Білоус "
               "Семенюк Мазур Гребенюк Дорошенко Ярошенко Кучер Сидоренко Ющенко Яремчук "
               "Їжакевич Єременко Ігнатенко Швець Соловйов Гайовий Заїка Зорич Згурський "
               "Щербина Черненко Цибуленко Хоменко Фещенко Юхименко Ляшенко")
# Russian given name -> Ukrainian form (male), from civil-registration correspondences.
MALE = [("Александр", "Олександр"), ("Сергей", "Сергій"), ("Дмитрий", "Дмитро"),
        ("Андрей", "Андрій"), ("Алексей", "Олексій"), ("Максим", "Максим"),
        ("Евгений", "Євген"), ("Иван", "Іван"), ("Михаил", "Михайло"), ("Артём", "Артем"),
        ("Николай", "Микола"), ("Владимир", "Володимир"), ("Юрий", "Юрій"),
        ("Игорь", "Ігор"), ("Виктор", "Віктор"), ("Павел", "Павло"), ("Олег", "Олег"),
        ("Роман", "Роман"), ("Денис", "Денис"), ("Василий", "Василь"), ("Пётр", "Петро"),
        ("Кирилл", "Кирило"), ("Никита", "Микита"), ("Константин", "Костянтин"),
        ("Вячеслав", "Вʼячеслав"), ("Анатолий", "Анатолій"), ("Виталий", "Віталій"),
        ("Григорий", "Григорій"), ("Степан", "Степан"), ("Фёдор", "Федір"),
        ("Богдан", "Богдан"), ("Тарас", "Тарас"), ("Ярослав", "Ярослав"),
        ("Георгий", "Георгій"), ("Илья", "Ілля"), ("Яков", "Яків"), ("Матвей", "Матвій"),
        ("Тимофей", "Тимофій"), ("Эдуард", "Едуард"), ("Леонид", "Леонід"),
        ("Валерий", "Валерій"), ("Геннадий", "Геннадій"), ("Борис", "Борис"),
        ("Станислав", "Станіслав"), ("Вадим", "Вадим"), ("Руслан", "Руслан"),
        ("Евгений", "Євген"), ("Ефим", "Юхим"), ("Даниил", "Данило"), ("Антон", "Антон")]
FEMALE = [("Елена", "Олена"), ("Наталья", "Наталія"), ("Ольга", "Ольга"),
          ("Татьяна", "Тетяна"), ("Анна", "Ганна"), ("Мария", "Марія"), ("Юлия", "Юлія"),
          ("Ирина", "Ірина"), ("Светлана", "Світлана"), ("Екатерина", "Катерина"),
          ("Надежда", "Надія"), ("Людмила", "Людмила"), ("Валентина", "Валентина")]
# Father's name -> (Russian patronymic stem, Ukrainian patronymic stem); +ич / +на.
PATRONYMIC = {
    "Александр": ("Александров", "Олександров"), "Сергей": ("Сергеев", "Сергійов"),
    "Дмитрий": ("Дмитриев", "Дмитров"), "Андрей": ("Андреев", "Андрійов"),
    "Алексей": ("Алексеев", "Олексійов"), "Иван": ("Иванов", "Іванов"),
    "Михаил": ("Михайлов", "Михайлов"), "Николай": ("Николаев", "Миколайов"),
    "Владимир": ("Владимиров", "Володимиров"), "Юрий": ("Юрьев", "Юрійов"),
    "Игорь": ("Игорев", "Ігорев"), "Виктор": ("Викторов", "Вікторов"),
    "Павел": ("Павлов", "Павлов"), "Олег": ("Олегов", "Олегов"),
    "Василий": ("Васильев", "Васильов"), "Пётр": ("Петров", "Петров"),
    "Анатолий": ("Анатольев", "Анатолійов"), "Григорий": ("Григорьев", "Григорійов"),
    "Степан": ("Степанов", "Степанов"), "Фёдор": ("Фёдоров", "Федоров"),
    "Борис": ("Борисов", "Борисов"), "Геннадий": ("Геннадьев", "Геннадійов"),
    "Валерий": ("Валерьев", "Валерійов"), "Леонид": ("Леонидов", "Леонідов"),
    "Евгений": ("Евгеньев", "Євгенов"), "Роман": ("Романов", "Романов"),
}


def patronymic_of(father: str, *, ukr: bool, female: bool) -> str:
    stem = PATRONYMIC[father][1 if ukr else 0]
    if female:
        if not ukr:
            return stem + "на"
        base = stem[:-2]
        return base[:-1] + "ївна" if base.endswith("й") else base + "івна"
    # Russian -ев/-ов + ич; Ukrainian -ович.
    if ukr:
        return stem[:-2] + "ович" if stem.endswith(("ов", "ев")) else stem + "ич"
    return stem + "ич"


# ---------------------------------------------------------------------------
# Cyrillic -> Latin systems for Russian and Ukrainian

_BASE = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
         "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
         "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
         "щ": "shch", "ы": "y", "э": "e"}
RU_TABLES: dict[str, dict[str, str]] = {
    # ICAO Doc 9303 (2015), Russian passports since 2013.
    "icao": {**_BASE, "ё": "e", "й": "i", "ъ": "ie", "ь": "", "ю": "iu", "я": "ia"},
    # MVD passport practice 1997-2010.
    "gost1997": {**_BASE, "ё": "e", "й": "y", "ъ": "", "ь": "", "ю": "yu", "я": "ya"},
    # BGN/PCGN 1947 (ye- rule applied in the function).
    "bgn": {**_BASE, "ё": "ë", "й": "y", "ъ": "ʺ", "ь": "ʹ", "ю": "yu", "я": "ya"},
    # ISO 9:1995.
    "iso9": {**_BASE, "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š",
             "щ": "ŝ", "ъ": "ʺ", "ь": "ʹ", "э": "è", "ю": "û", "я": "â"},
    # Scholarly / German-Polish j-style (Jurij Jermakov, Sergej).
    "scholarly": {**_BASE, "е": "e", "ё": "jo", "ж": "ž", "й": "j", "х": "ch", "ц": "c",
                  "ч": "č", "ш": "š", "щ": "šč", "ъ": "", "ь": "", "ю": "ju", "я": "ja"},
}
UK_TABLES: dict[str, dict[str, str]] = {
    "icao": {**_BASE, "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i",
             "й": "i", "ь": "", "ю": "iu", "я": "ia", "ʼ": ""},
    # KMU No. 55 of 2010: word-initial є ї й ю я as ye yi y yu ya; зг = zgh.
    "ukr2010": {**_BASE, "г": "h", "ґ": "g", "є": "ie", "и": "y", "і": "i", "ї": "i",
                "й": "i", "ь": "", "ю": "iu", "я": "ia", "ʼ": ""},
    # 1996 Legal Terminology Commission: as 2010 but ь = ' and apostrophe = ".
    "ukr1996": {**_BASE, "г": "h", "ґ": "g", "є": "ie", "и": "y", "і": "i", "ї": "i",
                "й": "i", "ь": "'", "ю": "iu", "я": "ia", "ʼ": '"'},
    # BGN/PCGN 1965.
    "bgn": {**_BASE, "г": "h", "ґ": "g", "є": "ye", "и": "y", "і": "i", "ї": "yi", "й": "y",
            "ь": "ʹ", "ю": "yu", "я": "ya", "ʼ": "ʺ"},
    "iso9": {**_BASE, "г": "g", "ґ": "g̀", "є": "ê", "ж": "ž", "и": "i", "і": "ì", "ї": "ï",
             "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ", "ь": "ʹ", "ю": "û",
             "я": "â", "ʼ": "ʼ"},
    "scholarly": {**_BASE, "г": "h", "ґ": "g", "є": "je", "ж": "ž", "и": "y", "і": "i",
                  "ї": "ji", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
                  "ь": "ʹ", "ю": "ju", "я": "ja", "ʼ": ""},
}
_CYR_VOWELS = set("аеёиоуыэюяієї")


def translit(text: str, lang: str, system: str) -> str:
    table = (RU_TABLES if lang == "rus" else UK_TABLES)[system]
    out: list[str] = []
    src = text.replace("'", "ʼ").replace("’", "ʼ")
    for i, ch in enumerate(src):
        low = ch.lower()
        prev = src[i - 1].lower() if i else " "
        start = i == 0 or (not prev.isalpha() and prev != "ʼ")
        lat = table.get(low, ch)
        if lang == "rus" and system == "bgn" and low in "её" and (
                start or prev in _CYR_VOWELS or prev in "йъь"):
            lat = "y" + lat
        if lang == "rus" and system == "scholarly" and low == "е" and (
                start or prev in _CYR_VOWELS):
            lat = "je"
        if lang == "ukr" and system in ("ukr2010", "ukr1996") and start and low in "єїйюя":
            lat = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}[low]
        if lang == "ukr" and system in ("ukr2010", "ukr1996") and low == "г" and prev == "з":
            lat = "gh"
        if ch.isupper() and lat:
            lat = lat[0].upper() + lat[1:]
        out.append(lat)
    return "".join(out)


def ru_to_uk(word: str) -> str:
    """A Russian name as a Ukrainian document spells it (Ермаков -> Єрмаков)."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        prev = word[i - 1].lower() if i else " "
        if low == "е" and (i == 0 or prev in _CYR_VOWELS):
            rep = "є"
        elif low == "ь" and word[i + 1 : i + 2].lower() == "ё":
            rep = ""
        elif low == "ё":
            rep = "йо" if i == 0 or prev in _CYR_VOWELS or prev == "ь" else "ьо"
        elif low == "и" and (i == 0 or prev not in "цжшчщ"):
            rep = "і" if i == 0 else "и"
        elif low == "ы":
            rep = "и"
        elif low == "э":
            rep = "е"
        elif low == "ъ":
            rep = "ʼ"
        else:
            rep = low
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out)


def uk_to_ru(word: str) -> str:
    """A Ukrainian name as a Russian document spells it (Олійник -> Олейник)."""
    w = word.replace("ій", "ей").replace("Ій", "Ей")
    out = []
    for i, ch in enumerate(w):
        low = ch.lower()
        prev = w[i - 1].lower() if i else " "
        if low == "і":
            rep = "и"
        elif low == "ї":
            rep = "и" if i == 0 else "йи"
        elif low == "є":
            rep = "е"
        elif low == "ґ":
            rep = "г"
        elif low == "ʼ":
            rep = "ь"
        elif low == "е" and (i == 0 or prev in _CYR_VOWELS):
            rep = "э"
        else:
            rep = low
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out)


# ---------------------------------------------------------------------------
# People

@dataclass
class Person:
    id: str
    kind: str  # kor, rus, ukr, koryo (Koryo-saram: Korean surname, Russian given name)
    family: str  # Hangul for kor, Cyrillic otherwise
    given: str
    birth: dt.date
    female: bool = False
    father: str | None = None
    given_ru: str = ""  # Russian form of the given name (Slavic kinds)
    given_uk: str = ""
    family_hangul: str = ""  # koryo: the Hangul surname behind the Russian one
    extra: dict[str, str] = field(default_factory=dict)

    def patronymic(self, *, ukr: bool | None = None) -> str | None:
        if self.father is None:
            return None
        use_uk = (self.kind == "ukr") if ukr is None else ukr
        return patronymic_of(self.father, ukr=use_uk, female=self.female)


def _zipf_choice(rng: random.Random, items: list[str], s: float = 1.0) -> str:
    weights = [1.0 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 46 * 365))


def korean_person(rng: random.Random, pid: str) -> Person:
    fam = rng.choices([s for s, _ in KOREAN_SURNAMES], [w for _, w in KOREAN_SURNAMES])[0]
    n = 1 if rng.random() < 0.04 else 2
    given = "".join(_zipf_choice(rng, GIVEN_SYLS, 0.7) for _ in range(n))
    if len(set(given)) < len(given):
        given = given[0] + rng.choice(GIVEN_SYLS)
    return Person(pid, "kor", fam, given, _birth(rng), female=rng.random() < 0.1)


def slavic_person(rng: random.Random, pid: str, kind: str) -> Person:
    female = rng.random() < 0.1
    pool = FEMALE if female else MALE
    ru, uk = pool[min(int(rng.expovariate(1 / 9)), len(pool) - 1)]
    father = rng.choice(list(PATRONYMIC))
    if kind == "rus":
        fam = _zipf_choice(rng, RU_SURNAMES, 0.6)
        if female:
            fam = fam + "а"
        return Person(pid, "rus", fam, ru, _birth(rng), female, father, ru, uk)
    fam = _zipf_choice(rng, UK_SURNAMES, 0.5)
    return Person(pid, "ukr", fam, uk, _birth(rng), female, father, ru, uk)


def koryo_person(rng: random.Random, pid: str) -> Person:
    hangul = rng.choice(["김", "박", "최", "이", "정", "장", "신", "한", "황", "오", "유", "고",
                         "허", "남", "문", "강", "윤", "안", "임", "송", "조"])
    fam = rng.choice(OLD_RUSSIAN[hangul])
    ru, uk = MALE[min(int(rng.expovariate(1 / 9)), len(MALE) - 1)]
    return Person(pid, "koryo", fam, ru, _birth(rng), False, rng.choice(list(PATRONYMIC)), ru,
                  uk, family_hangul=hangul)


def make_person(rng: random.Random, pid: str) -> Person:
    r = rng.random()
    if r < 0.45:
        return korean_person(rng, pid)
    if r < 0.78:
        return slavic_person(rng, pid, "rus")
    if r < 0.96:
        return slavic_person(rng, pid, "ukr")
    return koryo_person(rng, pid)


# ---------------------------------------------------------------------------
# Variants

def _surname_latin(rng: random.Random, fam: str, system: str) -> str:
    if system == "rr":
        return rr_word(fam).capitalize()
    if system == "mr":
        return mr_name_part(fam, hyphen=False, marks=True)
    if system == "mr-plain":
        return mr_name_part(fam, hyphen=False, marks=False)
    if system == "dprk":
        return dprk_part(fam, join=True)
    return rng.choice(PASSPORT_SURNAME.get(fam) or [rr_word(fam).capitalize()])


def korean_variant(rng: random.Random, p: Person) -> tuple[str, str]:
    fam, given = p.family, p.given
    kind = rng.choice(["hangul", "rr", "rr-hyphen", "rr-spaced", "rr-sound-changes", "mr",
                       "mr-plain", "mr-joined", "dprk", "dprk-breves", "dprk-joined",
                       "passport", "passport", "kontsevich", "kontsevich-joined",
                       "kontsevich-uk", "old-russian", "western-order", "caps", "typo"])
    if kind == "hangul":
        name = fam + given if rng.random() < 0.6 else f"{fam} {given}"
    elif kind == "rr":
        name = f"{rr_word(fam).capitalize()} {rr_given(given, 'join')}"
    elif kind == "rr-hyphen":
        name = f"{rr_word(fam).capitalize()} {rr_given(given, 'hyphen')}"
    elif kind == "rr-spaced":
        name = f"{rr_word(fam).capitalize()} {rr_given(given, 'spaced')}"
    elif kind == "rr-sound-changes":
        name = f"{rr_word(fam).capitalize()} {rr_given(given, 'changes')}"
    elif kind == "mr":
        name = f"{mr_name_part(fam, hyphen=False, marks=True)} " \
               f"{mr_name_part(given, hyphen=True, marks=True)}"
    elif kind == "mr-plain":
        name = f"{mr_name_part(fam, hyphen=False, marks=False)} " \
               f"{mr_name_part(given, hyphen=True, marks=False)}"
    elif kind == "mr-joined":
        name = f"{mr_name_part(fam, hyphen=False, marks=rng.random() < 0.5)} " \
               f"{mr_name_part(given, hyphen=False, marks=rng.random() < 0.5)}"
    elif kind == "dprk":
        name = f"{dprk_part(fam, join=True)} {dprk_part(given)}"
    elif kind == "dprk-breves":
        name = f"{dprk_part(fam, join=True, marks=True)} {dprk_part(given, marks=True)}"
    elif kind == "dprk-joined":  # clerk joins the syllables: "Cholguk"
        name = f"{dprk_part(fam, join=True)} {dprk_part(given, join=True)}"
    elif kind == "passport":
        name = f"{_surname_latin(rng, fam, 'passport')} {adhoc_given(rng, given)}"
    elif kind == "kontsevich":
        name = f"{kontsevich_word(fam, joined=True)} {kontsevich_word(given, joined=False)}"
    elif kind == "kontsevich-joined":
        name = f"{kontsevich_word(fam, joined=True)} {kontsevich_word(given, joined=True)}"
    elif kind == "kontsevich-uk":
        joined = rng.random() < 0.4
        name = kontsevich_to_ukrainian(
            f"{kontsevich_word(fam, joined=True)} {kontsevich_word(given, joined=joined)}")
    elif kind == "old-russian":
        old = OLD_RUSSIAN.get(fam)
        if not old:
            kind = "kontsevich"
            name = f"{kontsevich_word(fam, joined=True)} {kontsevich_word(given, joined=False)}"
        else:
            name = f"{rng.choice(old)} {kontsevich_word(given, joined=rng.random() < 0.3)}"
    elif kind == "western-order":
        g = rng.choice([rr_given(given, "hyphen"), adhoc_given(rng, given),
                        dprk_part(given)])
        name = f"{g} {_surname_latin(rng, fam, rng.choice(['rr', 'passport']))}"
    elif kind == "caps":
        name = f"{_surname_latin(rng, fam, 'passport')} {adhoc_given(rng, given)}".upper()
        name = name.replace("-", "") if rng.random() < 0.5 else name
    else:  # typo on a romanised form
        base = rng.choice([f"{rr_word(fam).capitalize()} {rr_given(given, 'join')}",
                           f"{_surname_latin(rng, fam, 'passport')} {adhoc_given(rng, given)}",
                           f"{dprk_part(fam, join=True)} {dprk_part(given)}"])
        name = typo(rng, base)
    return kind, name


def slavic_variant(rng: random.Random, p: Person) -> tuple[str, str]:
    lang = "ukr" if p.kind == "ukr" else "rus"
    fam, given = p.family, p.given
    patr = p.patronymic() if rng.random() < 0.5 else None
    kinds = ["cyrillic", "icao", "passport-1997" if lang == "rus" else "ukr2010",
             "bgn", "iso9", "scholarly", "other-language", "initials", "given-first",
             "caps", "typo", "ukr1996" if lang == "ukr" else "icao"]
    if p.kind == "koryo":
        kinds = ["cyrillic", "icao", "passport-1997", "bgn", "koryo-korean-surname",
                 "given-first", "initials", "ukr-form"]
    kind = rng.choice(kinds)

    def full(f: str, g: str, pt: str | None) -> str:
        return " ".join(x for x in (f, g, pt) if x)

    if kind == "cyrillic":
        name = full(fam, given, patr)
    elif kind in ("icao", "bgn", "iso9", "scholarly"):
        name = translit(full(fam, given, patr), lang, kind)
    elif kind == "passport-1997":
        name = translit(full(fam, given, patr), "rus", "gost1997")
    elif kind in ("ukr2010", "ukr1996"):
        name = translit(full(fam, given, patr), "ukr", kind)
    elif kind in {"other-language", "ukr-form"}:
        if lang == "rus":  # a Ukrainian document writes the Russian person
            f2, g2 = ru_to_uk(fam), p.given_uk
            p2 = p.patronymic(ukr=True) if patr else None
            name = full(f2, g2, p2)
            if rng.random() < 0.5:
                name = translit(name, "ukr", rng.choice(["ukr2010", "icao", "bgn"]))
        else:
            f2, g2 = uk_to_ru(fam), p.given_ru
            p2 = p.patronymic(ukr=False) if patr else None
            name = full(f2, g2, p2)
            if rng.random() < 0.5:
                name = translit(name, "rus", rng.choice(["icao", "gost1997", "bgn"]))
    elif kind == "initials":
        g0 = given[0]
        pt = p.patronymic()
        ini = f"{g0}." + (f"{pt[0]}." if pt and rng.random() < 0.7 else "")
        if rng.random() < 0.3:
            ini = ini.replace(".", ". ").strip()
        name = f"{fam} {ini}" if rng.random() < 0.7 else f"{ini} {fam}"
        if rng.random() < 0.5:
            name = translit(name, lang, "icao")
    elif kind == "given-first":
        name = full(given, patr, fam) if patr else f"{given} {fam}"
        if rng.random() < 0.6:
            name = translit(name, lang, rng.choice(["icao", "bgn"]))
    elif kind == "caps":
        name = translit(full(fam, given, patr), lang, "icao").upper()
    elif kind == "koryo-korean-surname":  # a Korean-language document: 최 -> Choi
        fam2 = rng.choice(PASSPORT_SURNAME[p.family_hangul])
        name = f"{fam2} {translit(given, 'rus', 'icao')}"
    else:  # typo
        base = full(fam, given, None) if rng.random() < 0.4 else translit(
            full(fam, given, None), lang, rng.choice(["icao", "bgn"]))
        name = typo(rng, base)
    return kind, name


_LATIN_KEYS = "qwertyuiopasdfghjklzxcvbnm"
_CYR_KEYS = "йцукенгшщзхфывапролджэячсмитбю"


def typo(rng: random.Random, name: str) -> str:
    words = name.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 4]
    if not idx:
        return name
    i = rng.choice(idx)
    w = list(words[i])
    letters = _CYR_KEYS if any("\u0400" <= c <= "\u04ff" for c in w) else _LATIN_KEYS
    pos = rng.randrange(1, len(w))
    op = rng.choice(["sub", "del", "ins", "swap"])
    if op == "sub":
        w[pos] = rng.choice(letters)
    elif op == "del":
        del w[pos]
    elif op == "ins":
        w.insert(pos, rng.choice(letters))
    elif pos < len(w) - 1:
        w[pos], w[pos + 1] = w[pos + 1], w[pos]
    else:
        w[pos - 1], w[pos] = w[pos], w[pos - 1]
    words[i] = "".join(w)
    return " ".join(words)


def variant(rng: random.Random, p: Person) -> tuple[str, str]:
    if p.kind == "kor":
        return korean_variant(rng, p)
    return slavic_variant(rng, p)


def date_variant(rng: random.Random, d: dt.date) -> tuple[str, str | None]:
    r = rng.random()
    if r < 0.55:
        return "exact", d.isoformat()
    if r < 0.67:
        return "missing", None
    if r < 0.82:
        return "year", str(d.year)
    if r < 0.92:
        return "one-day", (d + dt.timedelta(days=rng.choice([-1, 1]))).isoformat()
    if d.day <= 12 and d.day != d.month:
        return "swapped", dt.date(d.year, d.day, d.month).isoformat()
    return "exact", d.isoformat()


def register_row(rng: random.Random, p: Person) -> dict[str, object]:
    fam, given = p.family, p.given
    lang = {"kor": "kor", "rus": "rus", "ukr": "ukr", "koryo": "rus"}[p.kind]
    r = rng.random()
    if p.kind == "kor" and r < 0.12:  # registers kept in a romanisation
        style = rng.choice(["rr", "dprk", "mr"])
        if style == "rr":
            fam, given = rr_word(fam).capitalize(), rr_given(given, "hyphen")
        elif style == "dprk":
            fam, given = dprk_part(fam, join=True), dprk_part(given)
        else:
            fam, given = (mr_name_part(fam, hyphen=False, marks=False),
                          mr_name_part(given, hyphen=True, marks=False))
    elif p.kind != "kor" and r < 0.12:
        system = "icao" if lang == "rus" else "ukr2010"
        fam, given = translit(fam, lang, system), translit(given, lang, system)
    row: dict[str, object] = {"id": p.id, "family_name": fam, "given_name": given,
                              "language": lang if rng.random() < 0.8 else None}
    rb = rng.random()
    row["birth_date"] = p.birth.isoformat() if rb < 0.9 else str(p.birth.year) if rb < 0.97 else None
    patr = p.patronymic()
    if patr and rng.random() < 0.75:
        row["patronymic"] = patr
    p.extra["reg_birth"] = str(row["birth_date"] or "")
    return row


# ---------------------------------------------------------------------------
# Building the set

def build(people: int, queries: int, seed: int) -> tuple[list[dict[str, object]],
                                                           list[dict[str, object]],
                                                           list[dict[str, object]]]:
    rng = random.Random(seed)
    reg: list[Person] = []
    for i in range(people):
        pid = f"P{i:06d}"
        r = rng.random()
        if reg and r < 0.06:  # namesake born years apart
            src = rng.choice(reg)
            shift = rng.choice([-1, 1]) * rng.randint(2, 25)
            b = src.birth.replace(year=src.birth.year + shift, day=min(src.birth.day, 28))
            reg.append(Person(pid, src.kind, src.family, src.given, b, src.female, rng.choice(
                list(PATRONYMIC)) if src.father else None, src.given_ru, src.given_uk,
                src.family_hangul))
        elif reg and r < 0.075:  # twin of name: same name, compatible birth date
            src = rng.choice(reg)
            b = src.birth + dt.timedelta(days=rng.choice([0, 1, 40, 200]))
            if b.year != src.birth.year:
                b = src.birth
            reg.append(Person(pid, src.kind, src.family, src.given, b, src.female, src.father,
                              src.given_ru, src.given_uk, src.family_hangul))
        else:
            reg.append(make_person(rng, pid))
    rows = [register_row(rng, p) for p in reg]
    for row, p in zip(rows, reg, strict=True):
        row["_name"] = f"{p.family}|{p.given}"
    by_name: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for p in reg:
        by_name[(p.family, p.given)].append(p)

    def compatible_exists(family: str, given: str, birth: dt.date) -> bool:
        return any(abs(o.birth.year - birth.year) <= 1 for o in by_name.get((family, given), []))

    qrows: list[dict[str, object]] = []
    truth: list[dict[str, object]] = []
    for q in range(queries):
        qid = f"Q{q:06d}"
        r = rng.random()
        if r < 0.72:
            p = rng.choice(reg)
            kind, name = variant(rng, p)
            dkind, date = date_variant(rng, p.birth)
            twins = [o.id for o in by_name[(p.family, p.given)]
                     if o is not p and abs(o.birth.year - p.birth.year) <= 1]
            truth.append({"query_id": qid, "record_id": p.id, "kind": f"{p.kind}:{kind}",
                          "date": dkind, "twin": bool(twins)})
        elif r < 0.82:
            p = make_person(rng, "unseen")
            while compatible_exists(p.family, p.given, p.birth) or (p.family, p.given) in by_name:
                p = make_person(rng, "unseen")
            kind, name = variant(rng, p)
            date = p.birth.isoformat() if rng.random() < 0.75 else str(p.birth.year)
            truth.append({"query_id": qid, "record_id": None, "kind": f"nomatch:unseen-{p.kind}"})
        elif r < 0.92:
            p = rng.choice(reg)
            shift = rng.choice([-1, 1]) * rng.randint(2, 20)
            b = p.birth.replace(year=p.birth.year + shift, day=min(p.birth.day, 28))
            if compatible_exists(p.family, p.given, b):
                b = b.replace(year=1935)
            kind, name = variant(rng, p)
            date = b.isoformat() if rng.random() < 0.75 else str(b.year)
            truth.append({"query_id": qid, "record_id": None,
                          "kind": f"nomatch:namesake-{p.kind}"})
        else:
            p = rng.choice(reg)
            twin = near_miss(rng, p)
            while compatible_exists(twin.family, twin.given, p.birth):
                twin = near_miss(rng, p)
            kind, name = variant(rng, twin)
            date = p.birth.isoformat()
            truth.append({"query_id": qid, "record_id": None,
                          "kind": f"nomatch:near-miss-{p.kind}"})
        qrows.append({"id": qid, "name": name, "birth_date": date})
    return rows, qrows, truth


def near_miss(rng: random.Random, p: Person) -> Person:
    """Another person with the same birth date and a name one piece away."""
    if p.kind == "kor":
        if len(p.given) == 2 and rng.random() < 0.7:
            k = rng.randrange(2)
            new = rng.choice([s for s in GIVEN_SYLS if s != p.given[k]])
            given = p.given[:k] + new + p.given[k + 1:]
            return Person("near", "kor", p.family, given, p.birth)
        fam = rng.choice([s for s, _ in KOREAN_SURNAMES if s != p.family])
        return Person("near", "kor", fam, p.given, p.birth)
    if p.kind == "koryo":
        ru, uk = rng.choice([m for m in MALE if m[0] != p.given_ru])
        return Person("near", "koryo", p.family, ru, p.birth, False, p.father, ru, uk,
                      family_hangul=p.family_hangul)
    other = slavic_person(rng, "near", p.kind)
    if rng.random() < 0.6 and other.given != p.given:
        other.family = p.family if other.female == p.female else other.family
    else:
        other.given, other.given_ru, other.given_uk = p.given, p.given_ru, p.given_uk
        other.female = p.female
        if other.family == p.family:
            other.family = rng.choice(RU_SURNAMES if p.kind == "rus" else UK_SURNAMES)
        if p.female and p.kind == "rus" and not other.family.endswith("а"):
            other.family += "а"
    return other


# ---------------------------------------------------------------------------
# Evaluation through the public API only

def evaluate(rows: list[dict[str, object]], qrows: list[dict[str, object]],
             truth: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    from powcase.tracing import NameIndex, RegisterEntry

    t0 = time.perf_counter()
    index = NameIndex(RegisterEntry(**{k: v for k, v in r.items() if not k.startswith("_")})  # type: ignore[arg-type]
                      for r in rows)
    name_of = {str(r["id"]): r["_name"] for r in rows}
    build_s = time.perf_counter() - t0
    table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    lat: list[float] = []
    misses: list[tuple[str, str, str, list[str]]] = []
    for q, t in zip(qrows, truth, strict=True):
        t1 = time.perf_counter()
        res = index.search(str(q["name"]), q["birth_date"] and str(q["birth_date"]),  # type: ignore[arg-type]
                           top=10, query_id=str(q["id"]))
        lat.append((time.perf_counter() - t1) * 1000)
        got = [c.record_id for c in res.candidates]
        want = t["record_id"]
        kind = str(t["kind"])
        keys = ["ALL", kind.split(":", maxsplit=1)[0] + ":*", kind]
        if want is not None:
            keys.append(f"date:{t['date']}")
        for key in keys:
            row = table[key]
            row["n"] += 1
            if want is None:
                row["nomatch"] += 1
                row["false_accept"] += int(res.accept)
            else:
                row["match"] += 1
                row["r1"] += int(bool(got) and got[0] == want)
                # A namesake (same name in the source script) ranked first: a tie the
                # query's data cannot always break.
                row["r1_name"] += int(bool(got) and name_of[got[0]] == name_of[str(want)])
                row["r10"] += int(want in got)
                row["acc_ok"] += int(res.accept and bool(got) and got[0] == want)
                row["acc_bad"] += int(res.accept and bool(got) and got[0] != want)
        if want is not None and (not got or name_of[got[0]] != name_of[str(want)]):
            misses.append((kind, str(q["name"]), str(want), got[:3]))
        if want is None and res.accept:
            misses.append((kind + " FALSE-ACCEPT", str(q["name"]), "-", got[:1]))
    lat.sort()
    table["_speed"]["build_s"] = build_s
    table["_speed"]["p50"] = statistics.median(lat)
    table["_speed"]["p95"] = lat[int(0.95 * len(lat))]
    _MISSES.extend(misses)
    return table


_MISSES: list[tuple[str, str, str, list[str]]] = []


def report(table: dict[str, dict[str, float]]) -> None:
    sp = table["_speed"]
    print(f"index build {sp['build_s']:.2f}s; query p50 {sp['p50']:.2f} ms, p95 {sp['p95']:.2f} ms")
    print(f"{'kind':34} {'n':>5} {'R@1':>6} {'R@1*':>6} {'R@10':>6} {'acc.ok':>7} {'acc.bad':>7} "
          f"{'FMR':>6}")
    keys = [k for k in table if not k.startswith("_")]
    for key in sorted(keys, key=lambda k: (k != "ALL", not k.endswith("*"), k.startswith("date"), k)):
        row = table[key]
        m, nm = row["match"], row["nomatch"]
        r1 = f"{row['r1'] / m:.3f}" if m else "-"
        r1n = f"{row['r1_name'] / m:.3f}" if m else "-"
        r10 = f"{row['r10'] / m:.3f}" if m else "-"
        ok = f"{row['acc_ok'] / m:.3f}" if m else "-"
        bad = f"{row['acc_bad'] / m:.3f}" if m else "-"
        fmr = f"{row['false_accept'] / nm:.3f}" if nm else "-"
        print(f"{key:34} {int(row['n']):>5} {r1:>6} {r1n:>6} {r10:>6} {ok:>7} {bad:>7} {fmr:>6}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=6000)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--misses", type=int, default=0, help="print this many misses (debugging)")
    a = ap.parse_args()
    rows, qrows, truth = build(a.people, a.queries, a.seed)
    if a.out:
        a.out.mkdir(parents=True, exist_ok=True)
        for fname, data in (("register.jsonl", rows), ("queries.jsonl", qrows),
                            ("truth.jsonl", truth)):
            with (a.out / fname).open("w", encoding="utf-8") as fh:
                for row in data:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"register {len(rows)} people, {len(qrows)} queries (seed {a.seed})")
    report(evaluate(rows, qrows, truth))
    if a.misses:
        rng = random.Random(0)
        sample = rng.sample(_MISSES, min(a.misses, len(_MISSES)))
        for kind, name, want, got in sorted(sample):
            print(f"MISS {kind:30} {name!r:40} want={want} got={got}")


if __name__ == "__main__":
    main()
