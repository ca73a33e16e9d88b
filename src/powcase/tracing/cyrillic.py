"""Russian and Ukrainian Cyrillic: Latin transliteration systems and given-name forms."""

from __future__ import annotations

from collections.abc import Callable

_VOWELS = frozenset("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")
_APOSTROPHES = "'ʼ’`"

# ICAO Doc 9303 (7th ed., 2015) part 3, Cyrillic table; Russian passports
# since 2013 use it with ъ -> ie.  Ukrainian г -> h is the table's own note.
ICAO_RU: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}
ICAO_UK: dict[str, str] = {
    **ICAO_RU, "г": "h", "ґ": "g", "є": "ie", "и": "y", "і": "i", "ї": "i", "ъ": "",
}
# Russian MVD passport practice 1997-2010 ("GOST 1997"): y-forms, ё -> e.
GOST1997_RU: dict[str, str] = {
    **ICAO_RU, "й": "y", "ъ": "", "ю": "yu", "я": "ya",
}
# BGN/PCGN 1947 romanization of Russian; е/ё get y- at word start and after a
# vowel, й, ъ or ь (handled in transliterate()).
BGN_RU: dict[str, str] = {
    **GOST1997_RU, "ё": "ë", "ъ": "ʺ", "ь": "ʹ",
}
# BGN/PCGN 1965 romanization of Ukrainian.
BGN_UK: dict[str, str] = {
    **BGN_RU, "г": "h", "ґ": "g", "є": "ye", "и": "y", "і": "i", "ї": "yi", "ь": "'",
    "ʼ": '"', "е": "e",
}
# ISO 9:1995 (= GOST 7.79-2000 system A), one Latin letter per Cyrillic letter.
ISO9: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g̀", "д": "d", "е": "e", "ё": "ë",
    "є": "ê", "ж": "ž", "з": "z", "и": "i", "і": "ì", "ї": "ï", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ",
    "ы": "y", "ь": "ʹ", "э": "è", "ю": "û", "я": "â", "ʼ": "ʼ",
}
# Ukraine's national system, Cabinet of Ministers resolution No. 55 of
# 27 January 2010 (passports since 2010); word-initial forms of є ї й ю я
# differ (handled in transliterate()), зг -> zgh.
UKR2010: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
    "ю": "iu", "я": "ia", "ʼ": "",
}
_UKR2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Its predecessor, the Ukrainian Legal Terminology Commission system of 1996:
# identical letters but the soft sign written ' and the apostrophe ".
UKR1996: dict[str, str] = {**UKR2010, "ь": "'", "ʼ": '"'}

SYSTEMS: dict[str, tuple[str, dict[str, str]]] = {
    "icao-ru": ("rus", ICAO_RU),
    "gost1997-ru": ("rus", GOST1997_RU),
    "bgn-ru": ("rus", BGN_RU),
    "iso9-ru": ("rus", ISO9),
    "icao-uk": ("ukr", ICAO_UK),
    "ukr2010": ("ukr", UKR2010),
    "ukr1996": ("ukr", UKR1996),
    "bgn-uk": ("ukr", BGN_UK),
    "iso9-uk": ("ukr", ISO9),
}


def transliterate(text: str, system: str) -> str:
    """Cyrillic to Latin by one of SYSTEMS, keeping case of the first letter of words."""
    _, table = SYSTEMS[system]
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(text):
        low = ch.lower()
        if low in _APOSTROPHES:
            low = "ʼ"
        word_start = i == 0 or (not text[i - 1].isalpha() and text[i - 1] not in _APOSTROPHES)
        latin = table.get(low)
        if latin is None:
            out.append(ch)
            prev = low
            continue
        if system in {"ukr2010", "ukr1996"}:
            if word_start and low in _UKR2010_INITIAL:
                latin = _UKR2010_INITIAL[low]
            if low == "г" and prev == "з":
                latin = "gh"
        if system == "bgn-ru" and low in {"е", "ё"} and (
            word_start or prev in _VOWELS or prev in {"й", "ъ", "ь"}
        ):
            latin = "y" + latin
        if ch.isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        prev = low
    return "".join(out)


def transliterator(system: str) -> Callable[[str], str]:
    return lambda text: transliterate(text, system)


def looks_ukrainian(text: str) -> bool:
    """Letters only Ukrainian uses among Russian/Ukrainian (і ї є ґ and the apostrophe)."""
    return any(ch in "іїєґІЇЄҐʼ" for ch in text)


# The same given name in its Russian and Ukrainian forms (and common diminutive
# passport forms), from the official Ukrainian-Russian name correspondences in
# Ukrainian civil-registration practice (e.g. Олександр = Александр).  Only the
# pairs whose spellings differ in consonants need listing: the phonetic key
# already merges vowel-only differences (Ігор/Игорь, Сергій/Сергей).
GIVEN_NAME_EQUIVALENTS: tuple[tuple[str, ...], ...] = (
    ("Александр", "Олександр", "Алесандр"),
    ("Алексей", "Олексій"),
    ("Николай", "Микола"),
    ("Никита", "Микита"),
    ("Михаил", "Михайло"),
    ("Владимир", "Володимир"),
    ("Всеволод", "Всеволод"),
    ("Василий", "Василь"),
    ("Павел", "Павло"),
    ("Пётр", "Петро", "Петр"),
    ("Евгений", "Євген"),
    ("Евгения", "Євгенія"),
    ("Кирилл", "Кирило"),
    ("Даниил", "Данило", "Данила"),
    ("Гавриил", "Гаврило"),
    ("Фёдор", "Федір", "Федор"),
    ("Тимофей", "Тимофій"),
    ("Иосиф", "Йосип", "Осип"),
    ("Илья", "Ілля"),
    ("Лев", "Лев"),
    ("Яков", "Яків"),
    ("Матвей", "Матвій"),
    ("Григорий", "Григорій"),
    ("Георгий", "Георгій"),
    ("Юрий", "Юрій"),
    ("Степан", "Степан"),
    ("Семён", "Семен"),
    ("Елена", "Олена", "Алёна"),
    ("Ольга", "Ольга"),
    ("Екатерина", "Катерина"),
    ("Елизавета", "Єлизавета"),
    ("Анна", "Ганна"),
    ("Наталья", "Наталія", "Наталия"),
    ("Мария", "Марія"),
    ("Дарья", "Дарія", "Дар'я"),
    ("Юлия", "Юлія"),
    ("Татьяна", "Тетяна"),
    ("Надежда", "Надія"),
    ("Любовь", "Любов"),
    ("Вера", "Віра"),
    ("Людмила", "Людмила"),
    ("Нина", "Ніна"),
    ("Софья", "Софія"),
    ("Анастасия", "Анастасія"),
    ("Галина", "Галина"),
    ("Игнат", "Гнат"),
    ("Онуфрий", "Онуфрій"),
    ("Иван", "Іван"),
    ("Игорь", "Ігор"),
    ("Олег", "Олег"),
    ("Ефим", "Юхим"),
    ("Евдокия", "Явдоха", "Євдокія"),
    ("Андрей", "Андрій"),
    ("Дмитрий", "Дмитро"),
    ("Сергей", "Сергій"),
    ("Виталий", "Віталій"),
    ("Анатолий", "Анатолій"),
    ("Валерий", "Валерій"),
    ("Аркадий", "Аркадій"),
    ("Максим", "Максим"),
    ("Богдан", "Богдан"),
    ("Тарас", "Тарас"),
    ("Остап", "Остап"),
    ("Назар", "Назар"),
    ("Артём", "Артем"),
    ("Константин", "Костянтин"),
    ("Вячеслав", "В'ячеслав"),
    ("Святослав", "Святослав"),
    ("Ярослав", "Ярослав"),
    ("Роман", "Роман"),
    ("Эдуард", "Едуард"),
    ("Эдуардович", "Едуардович"),
)

# Patronymic endings in Cyrillic and in every Latin system above.
PATRONYMIC_SUFFIXES: tuple[str, ...] = (
    "ович", "евич", "ёвич", "йович", "ьович", "ич", "овна", "евна", "ёвна", "івна",
    "ївна", "ична", "инична",
    "ovich", "evich", "ovych", "evych", "ievich", "yevich", "iovych", "yovych", "ovitch",
    "ovič", "evič", "ovyč", "evyč", "ovna", "evna", "ivna", "yivna", "ichna", "ična",
    "ïvna", "ìvna",
)
