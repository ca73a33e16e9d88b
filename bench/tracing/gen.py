"""Synthetic evaluation set for tracing, written from the published transliteration rules.

Register people are invented: Korean names drawn from common surname and
given-name syllables, Russian and Ukrainian names from common name lists.
Each query re-writes a person's name the way another document would (a
romanisation system, a Cyrillic system, a passport or ad hoc spelling, the
other name order, initials, a typo) and its birth date the way a clerk might
(exact, one day off, day/month swapped, year only, missing).  No-match queries
are unseen people, namesakes born years apart, and near-misses.

Usage: python bench/tracing/gen.py --out DIR [--people 5000] [--queries 4000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from powcase.tracing.cyrillic import transliterate
from powcase.tracing.korean import (
    SURNAME_SPELLINGS,
    romanize_dprk,
    romanize_kontsevich,
    romanize_mr,
    romanize_rr,
)

# Surname shares roughly as in the 2015 South Korean census (top names).
KOREAN_SURNAMES = [
    ("김", 21), ("이", 14), ("박", 8), ("최", 4.7), ("정", 4.3), ("강", 2.3), ("조", 2.1),
    ("윤", 2.0), ("장", 2.0), ("임", 1.6), ("한", 1.5), ("오", 1.5), ("서", 1.5),
    ("신", 1.4), ("권", 1.4), ("황", 1.4), ("안", 1.3), ("송", 1.3), ("류", 1.2),
    ("홍", 1.1), ("전", 1.1), ("고", 0.9), ("문", 0.9), ("양", 0.9), ("손", 0.9),
    ("배", 0.8), ("백", 0.7), ("허", 0.6), ("남", 0.5), ("심", 0.5), ("하", 0.5),
    ("주", 0.4), ("구", 0.4), ("곽", 0.4), ("성", 0.4), ("차", 0.4), ("우", 0.4),
    ("민", 0.3), ("진", 0.3), ("지", 0.3), ("엄", 0.3), ("채", 0.3), ("원", 0.3),
    ("천", 0.2), ("방", 0.2), ("현", 0.2), ("함", 0.2), ("변", 0.2), ("염", 0.2),
    ("리", 0.6), ("남궁", 0.05), ("황보", 0.05),
]
GIVEN_SYLLABLES = list(
    "철국정은영수민호성진현준광명일남혁학경순옥희미선동길복춘만재원태용상기송혜향금룡련주우훈규식범근덕봉택윤"
    "승석혁건창평문무충효애란설향림"
)
# Passport / ad hoc spellings of given-name syllables (South Korean passport usage).
ADHOC_SYLLABLE = {
    "철": ["chul", "chol", "cheol"], "수": ["soo", "su"], "영": ["young", "yeong", "yong"],
    "현": ["hyun", "hyeon"], "준": ["jun", "joon"], "석": ["seok", "suk"],
    "성": ["sung", "seong"], "정": ["jung", "jeong", "chung"], "은": ["eun", "un"],
    "희": ["hee", "hui"], "국": ["kook", "guk"], "혁": ["hyuk", "hyeok"],
    "경": ["kyung", "kyeong"], "순": ["soon", "sun"], "선": ["sun", "seon"],
    "길": ["gil", "kil"], "룡": ["ryong", "yong"], "련": ["ryon", "ryun"],
    "주": ["joo", "ju"], "우": ["woo", "u"], "훈": ["hoon", "hun"], "규": ["kyu", "gyu"],
    "식": ["sik", "shik"], "범": ["bum", "beom"], "근": ["keun", "geun"],
    "덕": ["duk", "deok"], "윤": ["yoon", "yun"], "기": ["ki", "gi"], "금": ["keum", "kum"],
}
# Koryo-saram and Soviet-era renderings (the matcher must know them from its own table).
OLD_RUSSIAN_SURNAME = {"최": "Цой", "정": "Тен", "장": "Тян", "이": "Ни", "조": "Тё", "주": "Тю"}

RU_MALE = ["Игорь", "Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Николай",
           "Михаил", "Владимир", "Павел", "Евгений", "Иван", "Юрий", "Олег", "Виктор",
           "Максим", "Артём", "Роман", "Денис", "Василий", "Пётр", "Кирилл", "Никита",
           "Константин", "Вячеслав", "Анатолий", "Виталий", "Григорий", "Степан", "Фёдор"]
UK_FORM = {"Игорь": "Ігор", "Александр": "Олександр", "Сергей": "Сергій", "Андрей": "Андрій",
           "Дмитрий": "Дмитро", "Алексей": "Олексій", "Николай": "Микола", "Михаил": "Михайло",
           "Владимир": "Володимир", "Павел": "Павло", "Евгений": "Євген", "Иван": "Іван",
           "Юрий": "Юрій", "Олег": "Олег", "Виктор": "Віктор", "Максим": "Максим",
           "Артём": "Артем", "Роман": "Роман", "Денис": "Денис", "Василий": "Василь",
           "Пётр": "Петро", "Кирилл": "Кирило", "Никита": "Микита",
           "Константин": "Костянтин", "Вячеслав": "Вʼячеслав", "Анатолий": "Анатолій",
           "Виталий": "Віталій", "Григорий": "Григорій", "Степан": "Степан", "Фёдор": "Федір"}
FATHER = ["Эдуард", "Иван", "Пётр", "Сергей", "Николай", "Александр", "Владимир", "Юрий",
          "Виктор", "Михаил", "Андрей", "Геннадий", "Борис", "Олег", "Анатолий"]
PATRONYMIC_RU = {"Эдуард": "Эдуардович", "Иван": "Иванович", "Пётр": "Петрович",
                 "Сергей": "Сергеевич", "Николай": "Николаевич", "Александр": "Александрович",
                 "Владимир": "Владимирович", "Юрий": "Юрьевич", "Виктор": "Викторович",
                 "Михаил": "Михайлович", "Андрей": "Андреевич", "Геннадий": "Геннадьевич",
                 "Борис": "Борисович", "Олег": "Олегович", "Анатолий": "Анатольевич"}
PATRONYMIC_UK = {"Эдуард": "Едуардович", "Иван": "Іванович", "Пётр": "Петрович",
                 "Сергей": "Сергійович", "Николай": "Миколайович", "Александр": "Олександрович",
                 "Владимир": "Володимирович", "Юрий": "Юрійович", "Виктор": "Вікторович",
                 "Михаил": "Михайлович", "Андрей": "Андрійович", "Геннадий": "Геннадійович",
                 "Борис": "Борисович", "Олег": "Олегович", "Анатолий": "Анатолійович"}
RU_SURNAME_STEMS = ["Ермаков", "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
                    "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев",
                    "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
                    "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
                    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев",
                    "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев",
                    "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов",
                    "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов",
                    "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов",
                    "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов",
                    "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов",
                    "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев",
                    "Фомин", "Чернов", "Абрамов", "Мартынов", "Ефимов", "Федотов", "Щербаков",
                    "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов", "Родионов",
                    "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв",
                    "Голубев", "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв",
                    "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермолов", "Колесников",
                    "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин",
                    "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов",
                    "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов",
                    "Анисимов", "Еремин", "Тихомиров", "Галкин", "Лукьянов", "Михеев"]
UK_SURNAMES = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник",
               "Шевчук", "Коваль", "Поліщук", "Бондар", "Ткачук", "Марченко", "Руденко",
               "Савченко", "Мельник", "Кравчук", "Клименко", "Мороз", "Павленко", "Петренко",
               "Левченко", "Гончаренко", "Харченко", "Лисенко", "Литвиненко", "Кузьменко",
               "Гнатюк", "Дяченко", "Романюк", "Онищенко", "Іваненко", "Тимошенко",
               "Євтушенко", "Яковенко", "Гуменюк", "Федоренко", "Головко", "Зінченко",
               "Юрченко", "Костенко", "Остапенко", "Пилипенко", "Гриценко", "Приходько",
               "Вакуленко", "Гаврилюк", "Захарченко", "Чорновол", "Гордієнко", "Кириленко",
               "Степаненко", "Білоус", "Семенюк", "Мазур", "Гребенюк", "Дорошенко",
               "Гайдамака", "Ярошенко", "Кучер", "Сидоренко"]

RU_SYSTEMS = ["icao-ru", "gost1997-ru", "bgn-ru", "iso9-ru"]
UK_SYSTEMS = ["icao-uk", "ukr2010", "ukr1996", "bgn-uk", "iso9-uk"]


@dataclass
class Person:
    id: str
    kind: str  # "kor", "rus", "ukr"
    family: str
    given: str
    patronymic: str | None
    birth: dt.date
    given_key: str = ""  # Russian-form given name for Slavs


def korean_person(rng: random.Random, pid: str) -> Person:
    names, weights = zip(*KOREAN_SURNAMES, strict=True)
    fam = rng.choices(names, weights)[0]
    n = 2 if rng.random() < 0.9 else 1
    given = "".join(rng.choice(GIVEN_SYLLABLES) for _ in range(n))
    return Person(pid, "kor", fam, given, None, _birth(rng))


def slavic_person(rng: random.Random, pid: str) -> Person:
    ukr = rng.random() < 0.5
    father = rng.choice(FATHER)
    ru_given = rng.choice(RU_MALE)
    if ukr:
        return Person(pid, "ukr", rng.choice(UK_SURNAMES), UK_FORM[ru_given],
                      PATRONYMIC_UK[father], _birth(rng), ru_given)
    return Person(pid, "rus", rng.choice(RU_SURNAME_STEMS), ru_given, PATRONYMIC_RU[father],
                  _birth(rng), ru_given)


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))


def _adhoc_given(rng: random.Random, given: str) -> str:
    parts = [rng.choice(ADHOC_SYLLABLE.get(s, [romanize_rr(s).lower()])) for s in given]
    sep = rng.choice(["", "-", " "])
    text = sep.join(parts)
    return text.title() if sep == " " else text.capitalize()


def _surname_adhoc(rng: random.Random, fam: str) -> str:
    latin = [f for f in SURNAME_SPELLINGS.get(fam, ()) if f.isascii()]
    return rng.choice(latin) if latin else romanize_rr(fam)


def korean_variant(rng: random.Random, p: Person) -> tuple[str, str]:
    kind = rng.choice(["hangul", "rr", "adhoc", "mr", "mr-plain", "dprk", "kontsevich-ru",
                       "kontsevich-uk", "old-russian", "western-order", "typo"])
    fam, given = p.family, p.given
    if kind == "hangul":
        name = fam + given if rng.random() < 0.7 else f"{fam} {given}"
    elif kind == "rr":
        name = f"{romanize_rr(fam)} {romanize_rr(given, hyphen=rng.random() < 0.5)}"
    elif kind == "adhoc":
        name = f"{_surname_adhoc(rng, fam)} {_adhoc_given(rng, given)}"
    elif kind == "mr":
        name = f"{romanize_mr(fam)} {romanize_mr(given)}"
    elif kind == "mr-plain":
        name = f"{romanize_mr(fam, diacritics=False)} {romanize_mr(given, diacritics=False, lc_hyphen=rng.random() < 0.5)}"
    elif kind == "dprk":
        name = f"{romanize_dprk(fam).replace(' ', '')} {romanize_dprk(given)}"
    elif kind == "kontsevich-ru":
        name = f"{romanize_kontsevich(fam, spaced=False)} {romanize_kontsevich(given, spaced=rng.random() < 0.6)}"
    elif kind == "kontsevich-uk":
        name = f"{romanize_kontsevich(fam, ukrainian=True, spaced=False)} {romanize_kontsevich(given, ukrainian=True)}"
    elif kind == "old-russian":
        old = OLD_RUSSIAN_SURNAME.get(fam) or romanize_kontsevich(fam, spaced=False)
        name = f"{old} {romanize_kontsevich(given)}"
    elif kind == "western-order":
        name = f"{_adhoc_given(rng, given)} {_surname_adhoc(rng, fam)}"
    else:
        name = _typo(rng, f"{_surname_adhoc(rng, fam)} {_adhoc_given(rng, given)}")
    if rng.random() < 0.2:
        name = name.upper()
    return kind, name


def slavic_variant(rng: random.Random, p: Person) -> tuple[str, str]:
    kind = rng.choice(["cyrillic", "other-language", "passport-ru", "bgn", "iso9",
                       "ukr-national", "initials", "given-first", "typo"])
    fam, given, patr = p.family, p.given, p.patronymic or ""
    systems = RU_SYSTEMS if p.kind == "rus" else UK_SYSTEMS
    if kind == "cyrillic":
        name = f"{fam} {given} {patr}" if rng.random() < 0.5 else f"{fam} {given}"
    elif kind == "other-language":
        if p.kind == "rus":  # a Ukrainian document writes the Russian soldier
            name = f"{ru_to_uk(fam)} {UK_FORM[p.given_key]}"
        else:  # a Russian document writes the Ukrainian soldier
            f2 = fam.replace("і", "и").replace("ї", "и").replace("є", "е").replace("Є", "Е")
            name = f"{f2} {p.given_key}"
        if rng.random() < 0.5:
            name = transliterate(name, rng.choice(RU_SYSTEMS if p.kind == "ukr" else UK_SYSTEMS))
    elif kind == "passport-ru":
        sys_ = rng.choice(["icao-ru", "gost1997-ru"]) if p.kind == "rus" else "icao-uk"
        name = transliterate(f"{fam} {given}", sys_).upper()
    elif kind == "bgn":
        name = transliterate(f"{fam} {given} {patr}", "bgn-ru" if p.kind == "rus" else "bgn-uk")
    elif kind == "iso9":
        name = transliterate(f"{fam} {given}", "iso9-ru" if p.kind == "rus" else "iso9-uk")
    elif kind == "ukr-national":
        src = f"{fam} {given}" if p.kind == "ukr" else f"{ru_to_uk(fam)} {UK_FORM[p.given_key]}"
        name = transliterate(src, rng.choice(["ukr2010", "ukr1996"]))
    elif kind == "initials":
        ini = transliterate(f"{given[0]}.{patr[:1]}.", rng.choice(systems))
        fam_l = transliterate(fam, rng.choice(systems))
        name = f"{fam_l} {ini}" if rng.random() < 0.5 else f"{ini} {fam_l}"
    elif kind == "given-first":
        name = transliterate(f"{given} {patr} {fam}", rng.choice(systems))
    else:
        name = _typo(rng, transliterate(f"{fam} {given}", rng.choice(systems)))
    return kind, name


def ru_to_uk(word: str) -> str:
    """A Russian surname as a Ukrainian clerk spells it (Ермаков -> Єрмаков, Быков -> Биков)."""
    if word.startswith("Е"):
        word = "Є" + word[1:]
    out = []
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        if ch == "ё":
            out.append("йо" if prev in "аеиоуяюєії" else "ьо")
        else:
            out.append({"ы": "и", "и": "і", "э": "е", "ъ": "ʼ"}.get(ch, ch))
    return "".join(out)


def _typo(rng: random.Random, name: str) -> str:
    words = name.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return name
    i = rng.choice(long)
    w = list(words[i])
    pos = rng.randrange(1, len(w) - 1)
    op = rng.choice(["sub", "del", "swap"])
    if op == "sub":
        w[pos] = rng.choice("aeioulnrstk")
    elif op == "del":
        del w[pos]
    else:
        w[pos], w[pos + 1] = w[pos + 1], w[pos]
    words[i] = "".join(w)
    return " ".join(words)


def date_variant(rng: random.Random, d: dt.date) -> tuple[str, str | None]:
    r = rng.random()
    if r < 0.5:
        return "exact", d.isoformat()
    if r < 0.65:
        return "missing", None
    if r < 0.8:
        return "year", str(d.year)
    if r < 0.9:
        return "one-day", (d + dt.timedelta(days=rng.choice([-1, 1]))).isoformat()
    if d.day <= 12 and d.day != d.month:
        return "swapped", dt.date(d.year, d.day, d.month).isoformat()
    return "exact", d.isoformat()


def entry_row(p: Person, rng: random.Random) -> dict[str, object]:
    fam, given = p.family, p.given
    lang = p.kind
    # Some registers are kept in Latin script: the exchange list's own romanisation.
    if rng.random() < 0.15:
        if p.kind == "kor":
            fam, given = romanize_dprk(fam).replace(" ", ""), romanize_dprk(given)
        else:
            fam = transliterate(fam, "icao-ru" if p.kind == "rus" else "ukr2010")
            given = transliterate(given, "icao-ru" if p.kind == "rus" else "ukr2010")
    row: dict[str, object] = {"id": p.id, "family_name": fam, "given_name": given,
                              "birth_date": p.birth.isoformat(), "language": lang}
    if p.patronymic and rng.random() < 0.7:
        row["patronymic"] = p.patronymic
    return row


def make_person(rng: random.Random, pid: str) -> Person:
    return korean_person(rng, pid) if rng.random() < 0.5 else slavic_person(rng, pid)


def variant(rng: random.Random, p: Person) -> tuple[str, str]:
    return korean_variant(rng, p) if p.kind == "kor" else slavic_variant(rng, p)


def generate(people: int, queries: int, seed: int, out: Path) -> None:
    rng = random.Random(seed)
    register = [make_person(rng, f"R{i:07d}") for i in range(people)]
    out.mkdir(parents=True, exist_ok=True)
    with (out / "register.jsonl").open("w", encoding="utf-8") as fh:
        for p in register:
            fh.write(json.dumps(entry_row(p, rng), ensure_ascii=False) + "\n")
    years: dict[tuple[str, str], set[int]] = {}
    for p in register:
        years.setdefault((p.family, p.given), set()).add(p.birth.year)

    def clash(p: Person, year: int) -> bool:
        """A register person with this name born within a year: not a no-match query."""
        return any(abs(y - year) <= 1 for y in years.get((p.family, p.given), ()))

    qrows: list[dict[str, object]] = []
    truth: list[dict[str, object]] = []
    for q in range(queries):
        qid = f"Q{q:06d}"
        r = rng.random()
        if r < 0.75:
            p = rng.choice(register)
            kind, name = variant(rng, p)
            dkind, date = date_variant(rng, p.birth)
            truth.append({"query_id": qid, "record_id": p.id, "kind": f"{p.kind}:{kind}",
                          "date": dkind})
        elif r < 0.85:
            p = make_person(rng, "unseen")
            while clash(p, p.birth.year):
                p = make_person(rng, "unseen")
            kind, name = variant(rng, p)
            date = p.birth.isoformat() if rng.random() < 0.7 else str(p.birth.year)
            truth.append({"query_id": qid, "record_id": None, "kind": f"nomatch:unseen-{p.kind}",
                          "date": "-"})
        elif r < 0.95:
            p = rng.choice(register)
            kind, name = variant(rng, p)
            shifted = p.birth.replace(year=p.birth.year + rng.choice([-1, 1]) * rng.randint(3, 15),
                                      day=min(p.birth.day, 28))
            if clash(p, shifted.year):
                shifted = shifted.replace(year=1940)
            date = shifted.isoformat() if rng.random() < 0.7 else str(shifted.year)
            truth.append({"query_id": qid, "record_id": None, "kind": f"nomatch:namesake-{p.kind}",
                          "date": "-"})
        else:
            p = rng.choice(register)
            twin = make_person(rng, "near")
            if p.kind == "kor" and twin.kind == "kor" and len(p.given) == 2:
                twin.family = p.family
                twin.given = p.given[0] + rng.choice([s for s in GIVEN_SYLLABLES if s != p.given[1]])
            elif p.kind != "kor" and twin.kind == p.kind:
                twin.family = p.family
            kind, name = variant(rng, twin)
            date = p.birth.isoformat()
            truth.append({"query_id": qid, "record_id": None, "kind": f"nomatch:near-miss-{p.kind}",
                          "date": "-"})
        qrows.append({"id": qid, "name": name, "birth_date": date or ""})
    with (out / "queries.jsonl").open("w", encoding="utf-8") as fh:
        for row in qrows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for row in truth:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    generate(a.people, a.queries, a.seed, a.out)


if __name__ == "__main__":
    main()
