"""Korean names: Hangul to the romanisation and Cyrillic systems, and surname spellings.

Implemented systems (each table below names its source):

* Revised Romanization of Korean (RR), Ministry of Culture and Tourism notice
  2000-8: names are transcribed letter by letter, no assimilation between the
  syllables of a given name (rule 3.4).
* McCune-Reischauer (MR), 1939, in the Library of Congress (ALA-LC 2009)
  practice for personal names: given-name syllables hyphenated, the consonant
  after the hyphen written as at the start of a word ("Ch'ŏl-kuk").  The same
  system with breves and apostrophes dropped is what most databases hold.
* The DPRK national system (Kukŏ Sajŏn rules published 1992, used on DPRK
  passports and KCNA): MR without breves or apostrophes, aspirates written
  kh/th/ph, ㅈ always j; names written syllable by syllable ("Kim Jong Un").
* Kontsevich's system (L. R. Kontsevich, 1990s, the standard for Korean in
  Russian): voiceless at the start of a word, voiced between voiced sounds,
  aspirates with х (чх, кх, тх, пх).  Its Ukrainian adaptation swaps ы→и,
  и→і, э→е, ё→ьо/йо, as in Ukrainian press usage ("Кім Чен Ин").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from powcase.tracing.hangul import Syllable, is_syllable, syllables

# Sounds after which ㄱ ㄷ ㅂ ㅈ are voiced (MR rule 7, Kontsevich rule 2).
_VOICED_FINALS = frozenset({"", "ㄴ", "ㄹ", "ㅁ", "ㅇ"})

# RR 2000 notice, tables 1 and 2 (vowels are the same for all Latin systems but MR/DPRK).
RR_VOWELS: dict[str, str] = {
    "ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "eo", "ㅔ": "e", "ㅕ": "yeo",
    "ㅖ": "ye", "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u",
    "ㅝ": "wo", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "eu", "ㅢ": "ui", "ㅣ": "i",
}
RR_INITIALS: dict[str, str] = {
    "ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
    "ㅂ": "b", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj",
    "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h",
}
# Final consonants as pronounced before a pause (RR table 2, MR, DPRK agree).
LATIN_FINALS: dict[str, str] = {
    "": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄴ": "n", "ㄵ": "n", "ㄶ": "n", "ㄷ": "t",
    "ㄹ": "l", "ㄺ": "k", "ㄻ": "m", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㄿ": "p", "ㅀ": "l",
    "ㅁ": "m", "ㅂ": "p", "ㅄ": "p", "ㅅ": "t", "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t",
    "ㅊ": "t", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "t",
}
# McCune-Reischauer 1939, vowel table.
MR_VOWELS: dict[str, str] = {
    **RR_VOWELS, "ㅓ": "ŏ", "ㅕ": "yŏ", "ㅝ": "wŏ", "ㅡ": "ŭ", "ㅢ": "ŭi",
}
# McCune-Reischauer 1939, consonants at the start of a word / after a voiceless sound.
MR_INITIALS: dict[str, str] = {
    "ㄱ": "k", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "t", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
    "ㅂ": "p", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "ch", "ㅉ": "tch",
    "ㅊ": "ch'", "ㅋ": "k'", "ㅌ": "t'", "ㅍ": "p'", "ㅎ": "h",
}
_MR_VOICED = {"ㄱ": "g", "ㄷ": "d", "ㅂ": "b", "ㅈ": "j"}
# DPRK 1992 national system: MR letters without diacritics, kh/th/ph aspirates, ㅈ = j.
DPRK_VOWELS: dict[str, str] = {**RR_VOWELS, "ㅓ": "o", "ㅕ": "yo", "ㅝ": "wo", "ㅡ": "u"}
DPRK_INITIALS: dict[str, str] = {
    **MR_INITIALS, "ㅈ": "j", "ㅉ": "jj", "ㅊ": "ch", "ㅋ": "kh", "ㅌ": "th", "ㅍ": "ph",
}
# Kontsevich (Russian), vowels; the first form after a consonant, the second alone.
KONTSEVICH_VOWELS: dict[str, tuple[str, str]] = {
    "ㅏ": ("а", "а"), "ㅐ": ("э", "э"), "ㅑ": ("я", "я"), "ㅒ": ("е", "йя"),
    "ㅓ": ("о", "о"), "ㅔ": ("е", "е"), "ㅕ": ("ё", "ё"), "ㅖ": ("е", "йе"),
    "ㅗ": ("о", "о"), "ㅘ": ("ва", "ва"), "ㅙ": ("вэ", "вэ"), "ㅚ": ("ве", "ве"),
    "ㅛ": ("ё", "ё"), "ㅜ": ("у", "у"), "ㅝ": ("во", "во"), "ㅞ": ("ве", "ве"),
    "ㅟ": ("ви", "ви"), "ㅠ": ("ю", "ю"), "ㅡ": ("ы", "ы"), "ㅢ": ("ый", "ый"),
    "ㅣ": ("и", "и"),
}
# Kontsevich consonants: word-initial (voiceless) forms.
KONTSEVICH_INITIALS: dict[str, str] = {
    "ㄱ": "к", "ㄲ": "кк", "ㄴ": "н", "ㄷ": "т", "ㄸ": "тт", "ㄹ": "р", "ㅁ": "м",
    "ㅂ": "п", "ㅃ": "пп", "ㅅ": "с", "ㅆ": "сс", "ㅇ": "", "ㅈ": "ч", "ㅉ": "чч",
    "ㅊ": "чх", "ㅋ": "кх", "ㅌ": "тх", "ㅍ": "пх", "ㅎ": "х",
}
_KONTSEVICH_VOICED = {"ㄱ": "г", "ㄷ": "д", "ㅂ": "б", "ㅈ": "дж"}
KONTSEVICH_FINALS: dict[str, str] = {
    "": "", "ㄱ": "к", "ㄲ": "к", "ㄳ": "к", "ㄴ": "н", "ㄵ": "н", "ㄶ": "н", "ㄷ": "т",
    "ㄹ": "ль", "ㄺ": "к", "ㄻ": "м", "ㄼ": "ль", "ㄽ": "ль", "ㄾ": "ль", "ㄿ": "п",
    "ㅀ": "ль", "ㅁ": "м", "ㅂ": "п", "ㅄ": "п", "ㅅ": "т", "ㅆ": "т", "ㅇ": "н",
    "ㅈ": "т", "ㅊ": "т", "ㅋ": "к", "ㅌ": "т", "ㅍ": "п", "ㅎ": "т",
}
# Ukrainian adaptation of Kontsevich: letter swaps applied to the Russian output.
_UKRAINIAN_SWAP: dict[str, str] = {"ы": "и", "и": "і", "э": "е"}

# Compound (two-syllable) family names; everything else is one syllable.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절"}
)


def _voiced_context(prev: Syllable | None) -> bool:
    return prev is not None and prev.final in _VOICED_FINALS


def _latin_word(
    sylls: list[Syllable],
    initials: dict[str, str],
    vowels: dict[str, str],
    *,
    voicing: bool,
    prev: Syllable | None = None,
) -> str:
    out: list[str] = []
    for syl in sylls:
        ini = initials[syl.initial]
        if voicing and syl.initial in _MR_VOICED and _voiced_context(prev):
            ini = _MR_VOICED[syl.initial]
        if syl.initial == "ㄹ" and prev is not None and prev.final == "ㄹ":
            ini = "l"
        if syl.initial == "ㅅ" and initials is MR_INITIALS and syl.vowel in {"ㅣ", "ㅟ"}:
            ini = "sh"  # MR writes ㅅ before ㅣ/ㅟ as sh.
        out.append(ini + vowels[syl.vowel] + LATIN_FINALS[syl.final])
        prev = syl
    return "".join(out)


def split_korean(name: str) -> tuple[str, str]:
    """Split an unspaced Hangul full name into (family, given)."""
    hangul = "".join(ch for ch in name if is_syllable(ch))
    cut = 2 if hangul[:2] in COMPOUND_SURNAMES and len(hangul) > 3 else 1
    return hangul[:cut], hangul[cut:]


def romanize_rr(hangul: str, *, hyphen: bool = False) -> str:
    """Revised Romanization of one name part, capitalised ("Cheolguk")."""
    sylls = syllables(hangul)
    if hyphen and len(sylls) > 1:
        parts = [_latin_word([s], RR_INITIALS, RR_VOWELS, voicing=False) for s in sylls]
        return "-".join(parts).capitalize()
    return _latin_word(sylls, RR_INITIALS, RR_VOWELS, voicing=False).capitalize()


def romanize_mr(hangul: str, *, diacritics: bool = True, lc_hyphen: bool = True) -> str:
    """McCune-Reischauer of one name part.

    With lc_hyphen (Library of Congress name practice) syllables are hyphenated
    and each is written as at the start of a word; without it the part is one
    word with medial voicing ("Ch'ŏlguk").
    """
    sylls = syllables(hangul)
    if lc_hyphen and len(sylls) > 1:
        text = "-".join(
            _latin_word([s], MR_INITIALS, MR_VOWELS, voicing=False) for s in sylls
        )
    else:
        text = _latin_word(sylls, MR_INITIALS, MR_VOWELS, voicing=True)
    if not diacritics:
        text = strip_marks(text)
    return text[:1].upper() + text[1:]


def romanize_dprk(hangul: str) -> str:
    """DPRK 1992 system, syllables written apart and each capitalised ("Chol Guk")."""
    sylls = syllables(hangul)
    words: list[str] = []
    prev: Syllable | None = None
    for syl in sylls:
        words.append(
            _latin_word([syl], DPRK_INITIALS, DPRK_VOWELS, voicing=True, prev=prev).capitalize()
        )
        prev = syl
    return " ".join(words)


def romanize_kontsevich(hangul: str, *, ukrainian: bool = False, spaced: bool = True) -> str:
    """Kontsevich Cyrillic of one name part ("Чхоль Гук"); Ukrainian adaptation on request."""
    sylls = syllables(hangul)
    words: list[str] = []
    prev: Syllable | None = None
    for syl in sylls:
        ini = KONTSEVICH_INITIALS[syl.initial]
        if syl.initial in _KONTSEVICH_VOICED and _voiced_context(prev):
            ini = _KONTSEVICH_VOICED[syl.initial]
        if syl.initial == "ㄹ" and prev is not None and prev.final == "ㄹ":
            ini = "л"
        after, alone = KONTSEVICH_VOWELS[syl.vowel]
        vowel = alone if not ini else after
        final = KONTSEVICH_FINALS[syl.final]
        if ukrainian:
            vowel = _ukrainian_vowel(vowel, has_consonant=bool(ini))
        words.append(ini + vowel + final)
        prev = syl
    return " ".join(w.capitalize() for w in words) if spaced else "".join(words).capitalize()


def _ukrainian_vowel(vowel: str, *, has_consonant: bool) -> str:
    if "ё" in vowel:
        return vowel.replace("ё", "ьо" if has_consonant else "йо")
    return "".join(_UKRAINIAN_SWAP.get(ch, ch) for ch in vowel)


def strip_marks(text: str) -> str:
    """Drop breves, apostrophes and other marks ("Ch'ŏl" -> "Chol")."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.replace("'", "").replace("’", "").replace("ʼ", "")


# Spellings of family names outside the systems above: passport and ad hoc
# Latin forms (Korean Ministry of Foreign Affairs passport usage, National
# Institute of Korean Language 2009 survey of surname spellings) and the older
# Russian renderings used by Koryo-saram and Soviet documents (Цой, Тен, Тян, Ни).
SURNAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "김": ("Kim", "Gim", "Ким", "Кім"),
    "이": ("Lee", "Yi", "Rhee", "Ri", "Li", "Rhie", "Yee", "Leigh", "I", "Ли", "Лі", "Ни", "Ні", "И", "Рі", "Ри"),
    "리": ("Ri", "Rhee", "Lee", "Li", "Ри", "Рі", "Ли"),
    "박": ("Park", "Pak", "Bak", "Bahk", "Paik", "Пак", "Бак"),
    "최": ("Choi", "Choe", "Chwe", "Ch'oe", "Цой", "Чхве", "Чой", "Чве"),
    "정": ("Jung", "Jeong", "Chung", "Chong", "Ch'ŏng", "Chŏng", "Jong", "Joung", "Jeung", "Чон", "Чен", "Тен", "Цон"),
    "강": ("Kang", "Gang", "Kan", "Кан", "Канг"),
    "조": ("Cho", "Jo", "Joe", "Чо", "Тё", "Дё", "Тьо"),
    "윤": ("Yoon", "Yun", "Youn", "Yune", "Юн"),
    "장": ("Jang", "Chang", "Jhang", "Чан", "Тян", "Чанг"),
    "임": ("Lim", "Im", "Yim", "Rim", "Leem", "Лим", "Рим", "Им", "Лім", "Рім", "Ім"),
    "림": ("Rim", "Lim", "Рим", "Лим", "Рім", "Лім"),
    "한": ("Han", "Hahn", "Хан"),
    "오": ("Oh", "O", "Oe", "О", "Огай"),
    "신": ("Shin", "Sin", "Shinn", "Син", "Шин", "Сін", "Шін"),
    "서": ("Seo", "Suh", "So", "Sŏ", "Soh", "Со", "Сё"),
    "권": ("Kwon", "Gwon", "Kwŏn", "Квон"),
    "황": ("Hwang", "Whang", "Хван"),
    "안": ("Ahn", "An", "Ан"),
    "송": ("Song", "Sung", "Сон", "Сонг"),
    "류": ("Ryu", "Yoo", "Yu", "Ryoo", "Rhyu", "Lyu", "Рю", "Ю", "Лю"),
    "유": ("Yoo", "Yu", "You", "Ryu", "Ю", "Югай"),
    "홍": ("Hong", "Хон", "Хонг"),
    "전": ("Jeon", "Jun", "Chun", "Chon", "Chŏn", "Чон", "Тён", "Тен"),
    "고": ("Ko", "Koh", "Go", "Ко", "Когай"),
    "문": ("Moon", "Mun", "Мун"),
    "양": ("Yang", "Ryang", "Ян", "Рян", "Лян"),
    "량": ("Ryang", "Yang", "Рян", "Ян"),
    "손": ("Son", "Sohn", "Сон"),
    "배": ("Bae", "Pae", "Bai", "Пэ", "Пе"),
    "백": ("Baek", "Paek", "Paik", "Baik", "Пэк", "Пек", "Пяк"),
    "허": ("Heo", "Huh", "Ho", "Hur", "Hŏ", "Хо", "Хегай"),
    "노": ("Noh", "No", "Roh", "Ro", "Но", "Ро"),
    "로": ("Ro", "Roh", "No", "Ро"),
    "남": ("Nam", "Нам"),
    "심": ("Shim", "Sim", "Сим", "Шим"),
    "하": ("Ha", "Hah", "Ха"),
    "주": ("Joo", "Ju", "Chu", "Choo", "Чу", "Тю", "Дю"),
    "구": ("Koo", "Ku", "Gu", "Goo", "Ку"),
    "곽": ("Kwak", "Gwak", "Квак"),
    "성": ("Sung", "Seong", "Song", "Sŏng", "Сон", "Сен"),
    "차": ("Cha", "Ch'a", "Ча", "Чха"),
    "우": ("Woo", "U", "Wu", "У"),
    "민": ("Min", "Мин", "Мін"),
    "진": ("Jin", "Chin", "Чин", "Тин"),
    "지": ("Ji", "Chi", "Jee", "Чи", "Ти"),
    "엄": ("Um", "Eom", "Uhm", "Ŏm", "Ом"),
    "채": ("Chae", "Ch'ae", "Chai", "Чхэ", "Че", "Чэ"),
    "원": ("Won", "Weon", "Вон"),
    "천": ("Chun", "Cheon", "Ch'ŏn", "Chon", "Чхон", "Чон"),
    "방": ("Bang", "Pang", "Пан", "Бан"),
    "공": ("Kong", "Gong", "Кон"),
    "현": ("Hyun", "Hyeon", "Hyŏn", "Hyon", "Хён", "Хен"),
    "함": ("Ham", "Hahm", "Хам"),
    "변": ("Byun", "Byeon", "Pyŏn", "Pyon", "Пён", "Бён"),
    "염": ("Yeom", "Yum", "Yŏm", "Yom", "Ём"),
    "여": ("Yeo", "Yuh", "Yŏ", "Yo", "Ё"),
    "추": ("Choo", "Chu", "Ch'u", "Чху", "Чу"),
    "도": ("Do", "Doh", "To", "То", "До"),
    "석": ("Seok", "Suk", "Sŏk", "Sok", "Сок"),
    "설": ("Seol", "Sul", "Sŏl", "Sol", "Соль"),
    "마": ("Ma", "Ма"),
    "길": ("Gil", "Kil", "Киль", "Кіль"),
    "연": ("Yeon", "Youn", "Yŏn", "Yon", "Ён"),
    "위": ("Wi", "Wee", "Ви", "Ві"),
    "표": ("Pyo", "P'yo", "Phyo", "Пхё", "Пё"),
    "명": ("Myung", "Myeong", "Myŏng", "Myong", "Мён"),
    "기": ("Ki", "Gi", "Kee", "Ки", "Кі"),
    "왕": ("Wang", "Ван"),
    "금": ("Geum", "Keum", "Kum", "Kŭm", "Кым", "Кім"),
    "인": ("In", "Ин", "Ін"),
    "탁": ("Tak", "T'ak", "Тхак", "Так"),
    "국": ("Kook", "Guk", "Kuk", "Кук"),
    "편": ("Pyun", "Pyeon", "P'yŏn", "Pyon", "Пхён"),
    "용": ("Yong", "Ryong", "Ён", "Рён"),
    "남궁": ("Namgung", "Namkoong", "Namkung", "Намгун", "Намгунг"),
    "황보": ("Hwangbo", "Хванбо"),
    "제갈": ("Jegal", "Chegal", "Чегаль"),
    "선우": ("Sunwoo", "Seonu", "Sŏnu", "Сону", "Сонву"),
    "독고": ("Dokgo", "Tokko", "Токко"),
}


def system_spellings(hangul: str) -> list[str]:
    """Every system spelling of one Hangul name part (for tables and the bench)."""
    forms = [
        romanize_rr(hangul),
        romanize_rr(hangul, hyphen=True),
        romanize_mr(hangul),
        romanize_mr(hangul, diacritics=False),
        romanize_mr(hangul, lc_hyphen=False),
        romanize_mr(hangul, diacritics=False, lc_hyphen=False),
        romanize_dprk(hangul),
        romanize_kontsevich(hangul),
        romanize_kontsevich(hangul, spaced=False),
        romanize_kontsevich(hangul, ukrainian=True),
    ]
    return list(dict.fromkeys(forms))


def surname_forms() -> Iterable[tuple[str, str]]:
    """(canonical Hangul surname, one spelling) for every known spelling."""
    for hangul, extra in SURNAME_SPELLINGS.items():
        yield hangul, hangul
        for form in (*system_spellings(hangul), *extra):
            yield hangul, form
