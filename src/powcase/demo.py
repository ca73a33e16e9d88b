"""Invented demo prisoners: two North Korean soldiers captured in January 2025 and about a
thousand others of several nationalities with plausible histories.

Every person here is invented: names are drawn at random from lists of common names, and no
combination is meant to be anyone. The generator is seeded, so the demo is the same every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

DETAINING_POWER = "UKR"
DEMO_TODAY = date(2025, 11, 30)  # the demo's histories stop here; determinations use --as-of

CONTEXT: dict[str, Any] = {
    "detaining_power": DETAINING_POWER,
    "hostilities": [{"state": "ongoing", "since": "2022-02-24"}],
    "agreements": [
        {
            "id": "EX-2025-05-1000",
            "kind": "exchange",
            "parties": ["UKR", "RUS"],
            "signed_on": "2025-05-20",
            "receiving_state": "RUS",
            "categories": ["1000 for 1000"],
            "ends_on": "2025-05-25",
        },
        {
            "id": "EX-2025-06-CAT",
            "kind": "exchange",
            "parties": ["UKR", "RUS"],
            "signed_on": "2025-06-02",
            "receiving_state": "RUS",
            "categories": ["seriously wounded and seriously ill", "aged 18-25"],
        },
    ],
}

# The two soldiers of the mission statement, invented. Case ids are fixed so the tour can name them.
FIRST_SOLDIER = "PW-DEMO-KOR1"
SECOND_SOLDIER = "PW-DEMO-KOR2"

_OBSERVER = {"role": "neutral_observer", "organisation": "ICRC"}
_INTERPRETER = {
    "name": "Interpreter 7",
    "language": "kor",
    "affiliation": "independent",
    "affiliation_note": "ICRC roster",
    "competence_checked": True,
    "security_services": False,
    "conflict_of_interest_declared": True,
}


def _interview(day: str, wish: str, words: str, translated: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "interviewed",
        "occurred_on": day,
        "place": "Camp West-1, private room",
        "interviewer": "Delegate 12",
        "interviewer_organisation": "ICRC",
        "language": "kor",
        "interpreter": _INTERPRETER,
        "present": [_OBSERVER],
        "informed_of_options": True,
        "informed_of_right_to_change": True,
        "options_notice_version": "notice-kor-2025-01",
        "understood": True,
        "fit_for_interview": True,
        "stated_wish": wish,
        "words_original": words,
        "words_translated": translated,
        "duration_minutes": 50,
        "reflection_offered": True,
        **extra,
    }


def the_two_soldiers() -> list[dict[str, Any]]:
    common_capture = {
        "type": "captured",
        "occurred_on": "2025-01-09",
        "place": "Kursk region",
        "circumstances": "wounded",
        "wounded": True,
        "capturing_unit": "Unit A-17",
    }
    first = {
        "case_id": FIRST_SOLDIER,
        "person": {
            "registered_on": "2025-01-11",
            "family_name": {"native": "박", "latin": "Pak"},
            "given_names": {"native": "은철", "latin": "Un Chol"},
            "birth_date": "2000-05-14",
            "rank": "Private",
            "service_number": "KPA-4471-0932",
            "nationality": "PRK",
            "armed_force": "RUS",
            "languages": ["kor"],
            "literate": True,
            "documents": [
                {"kind": "military identity card", "number": "RU-TY-557301", "issued_by": "RUS", "authenticity": "false"}
            ],
        },
        "events": [
            common_capture,
            {"type": "custody_moved", "occurred_on": "2025-01-10", "place": "Hospital North-2", "kind": "hospital"},
            {"type": "medically_assessed", "occurred_on": "2025-01-12", "assessed_by": "physician",
             "fit_to_travel": False, "fit_for_interview": True, "notes": "leg wound, recovering"},
            {"type": "custody_moved", "occurred_on": "2025-01-27", "place": "Camp West-1", "kind": "camp"},
            {"type": "capture_card_recorded", "occurred_on": "2025-01-28", "action": "sent", "copies": ["central_agency"],
             "reason": "declined the family copy: fears for his relatives"},
            {"type": "notified", "occurred_on": "2025-01-28", "recipient": "central_agency", "action": "sent"},
            {"type": "notified", "occurred_on": "2025-01-28", "recipient": "power_of_origin", "action": "withheld",
             "reason": "transmission would expose his relatives to reprisals"},
            _interview("2025-02-03", "third_state", "남조선으로 가고 싶습니다.", "I want to go to South Korea.",
                       wish_state="KOR", next_interview_on="2025-02-17"),
            {"type": "exposed", "occurred_on": "2025-02-12", "channel": "foreign television interview",
             "description": "face blurred; voice recognisable", "stated_wish_to_defect": True},
            _interview("2025-02-17", "third_state", "마음은 변하지 않았습니다. 한국으로 보내 주십시오.",
                       "My mind has not changed. Please send me to Korea.", wish_state="KOR"),
            {"type": "risk_assessed", "occurred_on": "2025-02-25", "destination": "PRK", "conclusion": "real_risk",
             "test": ["CAT-3", "HRC-GC31-12"], "evidence": ["COI-63", "COI-CRP1", "DPRK-POW-DOCTRINE"],
             "personal_factors": ["captured alive", "public exposure", "stated wish to defect", "family in the DPRK"],
             "family_risk": True, "reasoning": "Capture alive is treated as betrayal; his exposure and stated wish to go south add to it.",
             "assessor": "Legal officer 3", "reviewer": "Legal officer 1"},
            {"type": "risk_assessed", "occurred_on": "2025-02-25", "destination": "RUS", "onward": ["PRK"],
             "conclusion": "real_risk", "test": ["HRC-GC31-12"], "evidence": ["COI-63"],
             "reasoning": "Russia would hand him on to the DPRK.", "assessor": "Legal officer 3"},
            {"type": "risk_assessed", "occurred_on": "2025-03-03", "destination": "KOR", "conclusion": "no_real_risk",
             "test": ["CAT-3", "HRC-GC31-12"], "evidence": ["RC51-1A2", "ROK-2025"],
             "reasoning": "No evidence of returns from the ROK to the DPRK; the ROK treats him as its national.",
             "assessor": "Legal officer 3", "reviewer": "Legal officer 1"},
            {"type": "legal_basis_recorded", "occurred_on": "2025-03-05", "disposition": "D5",
             "basis": "Release from POW status and transfer under a special arrangement with the ROK",
             "signed_off_by": "Legal adviser 1"},
        ],
    }
    second = {
        "case_id": SECOND_SOLDIER,
        "person": {
            "registered_on": "2025-01-11",
            "family_name": {"native": "조", "latin": "Jo"},
            "given_names": {"native": "명수", "latin": "Myong Su"},
            "birth_date": "2004-08-02",
            "rank": "Private",
            "service_number": "KPA-5120-1178",
            "nationality": "PRK",
            "armed_force": "RUS",
            "languages": ["kor"],
        },
        "events": [
            {**common_capture, "place": "Kursk region, second position"},
            {"type": "custody_moved", "occurred_on": "2025-01-10", "place": "Hospital North-2", "kind": "hospital"},
            {"type": "custody_moved", "occurred_on": "2025-01-30", "place": "Camp West-1", "kind": "camp"},
            {"type": "notified", "occurred_on": "2025-01-31", "recipient": "central_agency", "action": "sent"},
            _interview("2025-02-05", "undecided", "아직 모르겠습니다. 시간이 더 필요합니다.",
                       "I do not know yet. I need more time.", next_interview_on="2025-03-05"),
            _interview("2025-03-05", "undecided", "조금 더 생각하겠습니다.", "I will think a little longer.",
                       next_interview_on="2025-04-02"),
        ],
    }
    return [first, second]


# Common names, combined at random. Lists of frequent names, not of people.
_RU_FAMILY = [
    "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasilyev", "Petrov", "Sokolov", "Mikhailov", "Novikov",
    "Fedorov", "Morozov", "Volkov", "Alekseyev", "Lebedev", "Semyonov", "Yegorov", "Pavlov", "Kozlov",
    "Stepanov", "Nikolayev", "Orlov", "Andreyev", "Makarov", "Nikitin", "Zakharov", "Zaitsev", "Solovyov",
    "Borisov", "Yakovlev", "Grigoryev", "Romanov", "Vorobyov", "Sergeyev", "Frolov", "Belov", "Tarasov",
]
_RU_FAMILY_CYR = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Фролов", "Белов", "Тарасов",
]
_RU_GIVEN = [
    ("Aleksandr", "Александр", "Aleksandrovich", "Александрович"), ("Sergei", "Сергей", "Sergeyevich", "Сергеевич"),
    ("Dmitry", "Дмитрий", "Dmitriyevich", "Дмитриевич"), ("Andrei", "Андрей", "Andreyevich", "Андреевич"),
    ("Aleksei", "Алексей", "Alekseyevich", "Алексеевич"), ("Maksim", "Максим", "Maksimovich", "Максимович"),
    ("Yevgeny", "Евгений", "Yevgenyevich", "Евгеньевич"), ("Ivan", "Иван", "Ivanovich", "Иванович"),
    ("Mikhail", "Михаил", "Mikhailovich", "Михайлович"), ("Artyom", "Артём", "Artyomovich", "Артёмович"),
    ("Igor", "Игорь", "Igorevich", "Игоревич"), ("Nikolai", "Николай", "Nikolayevich", "Николаевич"),
    ("Vladimir", "Владимир", "Vladimirovich", "Владимирович"), ("Pavel", "Павел", "Pavlovich", "Павлович"),
    ("Roman", "Роман", "Romanovich", "Романович"), ("Denis", "Денис", "Denisovich", "Денисович"),
    ("Oleg", "Олег", "Olegovich", "Олегович"), ("Viktor", "Виктор", "Viktorovich", "Викторович"),
]
_KO_FAMILY = [("김", "Kim"), ("리", "Ri"), ("박", "Pak"), ("최", "Choe"), ("정", "Jong"), ("강", "Kang"),
              ("조", "Jo"), ("윤", "Yun"), ("장", "Jang"), ("한", "Han"), ("오", "O"), ("서", "So")]
_KO_GIVEN = [("철민", "Chol Min"), ("영호", "Yong Ho"), ("성진", "Song Jin"), ("광혁", "Kwang Hyok"),
             ("명철", "Myong Chol"), ("혁", "Hyok"), ("일남", "Il Nam"), ("경수", "Kyong Su"),
             ("현우", "Hyon U"), ("금성", "Kum Song"), ("진혁", "Jin Hyok"), ("남철", "Nam Chol")]
_OTHER = {
    "NPL": (["Thapa", "Gurung", "Rai", "Magar", "Tamang", "Shrestha"], ["Bikash", "Suman", "Ramesh", "Dipak", "Santosh"], "nep"),
    "LKA": (["Perera", "Fernando", "Silva", "Jayasinghe", "Bandara"], ["Nuwan", "Kasun", "Chaminda", "Ruwan"], "sin"),
    "CUB": (["Pérez", "González", "Rodríguez", "Hernández", "Díaz"], ["Yoandri", "Yasiel", "Osniel", "Reinier"], "spa"),
    "KAZ": (["Akhmetov", "Seitkali", "Nurlanov", "Zhaksybekov"], ["Nurlan", "Yerlan", "Daniyar", "Askar"], "kaz"),
    "UZB": (["Karimov", "Yusupov", "Rakhimov", "Tursunov"], ["Jasur", "Bekzod", "Sardor", "Otabek"], "uzb"),
}
_CAMPS = ["Camp West-1", "Camp West-2", "Camp Centre-3", "Camp South-4", "Transit Point 5"]
_RANKS_RU = ["Private", "Private", "Private", "Lance Corporal", "Junior Sergeant", "Sergeant", "Lieutenant"]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _unique(used: set[tuple[str, str]], force: str, draw: Callable[[], str]) -> str:
    """A service number no other demo prisoner of the same armed force holds (the store refuses a
    second one): drawn again on a clash, so the demo stays a function of its seed at any size."""
    while True:
        number = draw()
        key = (force, "".join(number.split()).upper())
        if key not in used:
            used.add(key)
            return number


def _other_prisoner(rng: random.Random, n: int, used: set[tuple[str, str]]) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.85:
        nationality, force, language = "RUS", "RUS", "rus"
        i = rng.randrange(len(_RU_FAMILY))
        g = rng.choice(_RU_GIVEN)
        father = rng.choice(_RU_GIVEN)
        person: dict[str, Any] = {
            "family_name": {"native": _RU_FAMILY_CYR[i], "latin": _RU_FAMILY[i]},
            "given_names": {"native": g[1], "latin": g[0]},
            "patronymic": {"native": father[3], "latin": father[2]},
            "rank": rng.choice(_RANKS_RU),
            "service_number": _unique(used, force, lambda: f"{rng.choice('АБВГДЕЖИКЛМНО')}{rng.choice('АБВГДЕЖИКЛМНО')}-{rng.randrange(10**6):06d}"),
        }
    elif roll < 0.88:
        nationality, force, language = "PRK", "RUS", "kor"
        fam, given = rng.choice(_KO_FAMILY), rng.choice(_KO_GIVEN)
        person = {
            "family_name": {"native": fam[0], "latin": fam[1]},
            "given_names": {"native": given[0], "latin": given[1]},
            "rank": "Private",
            "service_number": _unique(used, force, lambda: f"KPA-{rng.randrange(10**4):04d}-{rng.randrange(10**4):04d}"),
        }
    else:
        nationality = rng.choice(sorted(_OTHER))
        families, givens, language = _OTHER[nationality]
        force = "RUS"
        person = {
            "family_name": {"latin": rng.choice(families)},
            "given_names": {"latin": rng.choice(givens)},
            "rank": "Private",
            "service_number": _unique(used, force, lambda: f"RC-{rng.randrange(10**7):07d}"),
        }
    # DPRK troops reached the front only in late 2024; the others from the start of the war.
    start = date(2024, 11, 1) if nationality == "PRK" else date(2022, 3, 1)
    captured = _day(rng, start, date(2025, 10, 1))
    person.update(
        {
            "registered_on": (captured + timedelta(days=rng.randrange(1, 6))).isoformat(),
            "birth_date": _day(rng, date(1968, 1, 1), date(2006, 12, 31)).isoformat(),
            "nationality": nationality,
            "armed_force": force,
            "languages": [language],
        }
    )
    circumstances = rng.choices(["captured", "surrendered", "wounded"], [6, 2, 2])[0]
    events: list[dict[str, Any]] = [
        {
            "type": "captured",
            "occurred_on": captured.isoformat(),
            "place": rng.choice(["Donetsk region", "Zaporizhzhia region", "Kharkiv region", "Kursk region", "Luhansk region"]),
            "circumstances": circumstances,
            "wounded": circumstances == "wounded",
            "via_surrender_programme": circumstances == "surrendered" and rng.random() < 0.5,
        }
    ]
    day = captured + timedelta(days=rng.randrange(1, 5))
    camp = rng.choice(_CAMPS)
    events.append({"type": "custody_moved", "occurred_on": day.isoformat(), "place": camp, "kind": "camp"})
    events.append({"type": "notified", "occurred_on": (day + timedelta(days=2)).isoformat(),
                   "recipient": "central_agency", "action": "sent"})
    if circumstances == "wounded" or rng.random() < 0.15:
        events.append(
            {
                "type": "medically_assessed",
                "occurred_on": (day + timedelta(days=rng.randrange(3, 30))).isoformat(),
                "assessed_by": rng.choice(["physician", "mixed_medical_commission"]),
                "art110": rng.choice([[], [], ["110-1-2"], ["110-2-1"]]),
                "fit_to_travel": rng.random() < 0.8,
            }
        )
    if rng.random() < 0.25:
        later = day + timedelta(days=rng.randrange(30, 300))
        if later < DEMO_TODAY:
            events.append({"type": "custody_moved", "occurred_on": later.isoformat(),
                           "place": rng.choice([c for c in _CAMPS if c != camp]), "kind": "camp"})
    interview_day = day + timedelta(days=rng.randrange(10, 60))
    wish = rng.choices(["repatriation", "no_repatriation", "undecided"], [85, 10, 5])[0]
    if nationality == "PRK":
        wish = rng.choice(["third_state", "undecided", "no_repatriation"])
    second_day = interview_day + timedelta(days=rng.randrange(8, 40))
    # Most repeat their wish; a few change it between the two interviews.
    second_wish = wish if rng.random() < 0.92 else rng.choice(["repatriation", "no_repatriation", "undecided"])
    for when, said in ((interview_day, wish), (second_day, second_wish)):
        if when < DEMO_TODAY:
            events.append(
                {
                    "type": "interviewed",
                    "occurred_on": when.isoformat(),
                    "interviewer": f"Delegate {rng.randrange(1, 40)}",
                    "interviewer_organisation": "ICRC",
                    "language": language,
                    "present": [_OBSERVER],
                    "informed_of_options": True,
                    "informed_of_right_to_change": True,
                    "stated_wish": said,
                    **({"wish_state": "KOR"} if said == "third_state" else {}),
                }
            )
    assessed = second_day + timedelta(days=rng.randrange(3, 20))
    danger = False
    if assessed < DEMO_TODAY:
        # Russia's Criminal Code Art 352.1 punishes voluntary surrender: those who came over
        # through the surrender programme face a real risk; DPRK nationals do in any case.
        danger = nationality == "PRK" or (circumstances == "surrendered" and rng.random() < 0.7)
        events.append(
            {
                "type": "risk_assessed",
                "occurred_on": assessed.isoformat(),
                "destination": "RUS",
                "onward": [nationality] if nationality != "RUS" else [],
                "conclusion": "real_risk" if danger else "no_real_risk",
                "test": ["CAT-3", "HRC-GC31-12"],
                "evidence": ["RUS-CC-352-1"] if danger and nationality == "RUS" else [],
                "reasoning": "Invented demo assessment.",
                "assessor": f"Legal officer {rng.randrange(1, 6)}",
            }
        )
        if nationality not in ("RUS", "PRK"):
            events.append(
                {
                    "type": "risk_assessed",
                    "occurred_on": assessed.isoformat(),
                    "destination": nationality,
                    "conclusion": "no_real_risk",
                    "reasoning": "Invented demo assessment.",
                    "assessor": f"Legal officer {rng.randrange(1, 6)}",
                }
            )
    interview_day = max(interview_day, second_day)
    exchange_day = interview_day + timedelta(days=rng.randrange(30, 500))
    leaves = wish == "repatriation" and nationality == "RUS" and exchange_day < DEMO_TODAY and rng.random() < 0.5
    if leaves:
        # Only an exchange the law permits is on record (the guard refuses any other, imports
        # included): his wish confirmed, no real risk assessed before it, an agreement in force.
        lawful = second_wish == wish and assessed < exchange_day and not danger and _exchange_in_force(exchange_day)
        if lawful:
            events.append(
                {
                    "type": "transferred",
                    "occurred_on": exchange_day.isoformat(),
                    "kind": "exchange",
                    "to_state": "RUS",
                    "reconfirmation": {"by": "ICRC delegate", "result": "confirmed"},
                }
            )
    elif rng.random() < 0.004:
        events.append({"type": "died", "occurred_on": (day + timedelta(days=rng.randrange(5, 90))).isoformat(),
                       "cause": "wounds"})
    events.sort(key=lambda e: e["occurred_on"])
    kept: list[dict[str, Any]] = []
    for event in events:
        if date.fromisoformat(event["occurred_on"]) > DEMO_TODAY:
            break
        kept.append(event)
        if event["type"] in ("transferred", "died"):
            break  # nothing happens in custody after he has left it
    kept.extend(_paperwork(kept, n))
    kept.sort(key=lambda e: e["occurred_on"])
    return {"case_id": f"PW-DEMO-{n:05d}", "person": person, "events": kept}


# The bureau's paperwork (Art 70, 120, 122), done on time for most, missed on purpose for a few
# so that `powcase deadlines --overdue --as-of 2025-11-30` has something to show: every
# MISSED_CARD-th prisoner never gets a capture card, every MISSED_NOTICE-th move is never notified.
# Derived from the events alone (no draw from the generator), so the demo stays the same.
MISSED_CARD = 97
MISSED_NOTICE = 89


def _paperwork(events: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    def notice(day: date, about: str) -> dict[str, Any]:
        return {"type": "notified", "occurred_on": day.isoformat(), "recipient": "information_bureau",
                "action": "sent", "about": about}

    added: list[dict[str, Any]] = []
    moves = [e for e in events if e["type"] == "custody_moved"]
    if moves and n % MISSED_CARD:
        for move in moves:
            added.append({"type": "capture_card_recorded", "occurred_on": move["occurred_on"], "action": "offered",
                          "copies": ["family", "central_agency"]})
    for move in moves[1:]:
        if n % MISSED_NOTICE:
            added.append(notice(date.fromisoformat(move["occurred_on"]) + timedelta(days=1), "transfer"))
    last = events[-1]
    left = date.fromisoformat(last["occurred_on"])
    if last["type"] == "transferred":
        added.append(notice(left + timedelta(days=1), "repatriation"))
    elif last["type"] == "died":
        added += [notice(left + timedelta(days=1), "death"), notice(left + timedelta(days=5), "death_certificate")]
    else:
        ill = [e for e in events if e["type"] == "medically_assessed" and e.get("art110")]
        if ill and date.fromisoformat(ill[-1]["occurred_on"]) < DEMO_TODAY - timedelta(days=3):
            added.append(notice(DEMO_TODAY - timedelta(days=3), "health"))  # the latest weekly report
    return [e for e in added if date.fromisoformat(e["occurred_on"]) <= DEMO_TODAY]


def _exchange_in_force(day: date) -> bool:
    """Whether one of the demo's exchange agreements is in force on that day."""
    for agreement in CONTEXT["agreements"]:
        ends = agreement.get("ends_on")
        if date.fromisoformat(agreement["signed_on"]) <= day and (ends is None or day <= date.fromisoformat(ends)):
            return True
    return False


def demo_bundle(count: int = 1000, seed: int = 2025) -> dict[str, Any]:
    """The demo as one bundle document: the two soldiers first, then ``count`` others."""
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not a secret
    two = the_two_soldiers()
    used = {(c["person"]["armed_force"], "".join(c["person"]["service_number"].split()).upper()) for c in two}
    return {"cases": [*two, *(_other_prisoner(rng, n, used) for n in range(1, count + 1))]}
