"""Names and dates are cleaned at the door, and one bad record never stops the register.

Each bad value below used to be accepted on `register` and `import`; from then on every
registration crashed in its duplicate check, `trace search` failed for everyone and `exchange
plan` failed, and no role could correct the registration. Every name here is invented.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from tests.access.helpers import FAST_HASHER, PASSWORD

from powcase.access.accounts import Accounts
from powcase.access.permissions import AccessRefused, User
from powcase.access.tables import access_log
from powcase.app.exchanges import plan_exchange
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.app.tracing import possible_duplicates, search
from powcase.domain.case import first_error
from powcase.domain.casefile import Person, parse_casefiles
from powcase.domain.events import Captured, Corrected, Interviewed, Registered
from powcase.domain.values import PersonName
from powcase.errors import InvalidInput, InvariantViolation
from powcase.exchange import Exchange, ListRow, Terms

HAN = {"native": "한", "latin": "Han"}
BYOL_CHAN = {"native": "별찬", "latin": "Byol Chan"}


def _person(**overrides: Any) -> dict[str, Any]:
    """A person block as `register --file` and a case file write it."""
    data: dict[str, Any] = {
        "registered_on": "2025-01-12", "family_name": HAN, "given_names": BYOL_CHAN,
        "birth_date": "1999-07-23", "nationality": "PRK", "armed_force": "RUS", "languages": ["kor"],
    }
    data.update(overrides)
    return data


# Each bad value of the finding, and the line the clerk reads. None of them echoes the value.
BAD_VALUES = [
    pytest.param({"family_name": {"native": "한\u200b", "latin": "Han"}},
                 "family_name.native: contains an invisible character (U+200B zero width space)", id="zero-width-space"),
    pytest.param({"given_names": {"native": "별찬", "latin": "Byol\u200fChan"}},
                 "given_names.latin: contains an invisible character (U+200F right-to-left mark)", id="rtl-mark"),
    pytest.param({"given_names": {"native": "별찬😀"}},
                 "given_names.native: contains a symbol or emoji (U+1F600 grinning face)", id="emoji"),
    pytest.param({"family_name": {"latin": "Han\x07"}}, "family_name.latin: contains a control character (U+0007)", id="control"),
    pytest.param({"birth_date": "2999-01-01"}, "birth_date: after the date of registration", id="born-2999"),
    pytest.param({"birth_date": "1850-03-01"}, "birth_date: before 1900-01-01", id="born-1850"),
    pytest.param({"family_name": {"latin": "H" * 10_000_000}}, "family_name.latin: longer than 100 characters", id="10MB-name"),
    pytest.param({"rank": "Private\x00"}, "rank: contains a control character (U+0000)", id="nul-in-rank"),
    pytest.param({"family_name": {"latin": "Кim"}}, "family_name.latin: mixes scripts in one word", id="homoglyph"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_VALUES)
def test_register_refuses_each_bad_value_and_the_store_is_unchanged(pw: Powcase, bad: dict[str, Any], message: str) -> None:
    pw.register(Person.model_validate(_person()).to_event(), "registrar-1")
    with pytest.raises(ValidationError) as exc:
        # What `powcase register` does with its options and --set/--file fields.
        pw.register(Person.model_validate(_person(**bad)).to_event(), "registrar-1")
    line = first_error(exc.value)
    assert line.startswith(message) and "\n" not in line
    assert pw.count_cases() == 1 and not pw.verify()


@pytest.mark.parametrize(("bad", "message"), BAD_VALUES)
def test_import_refuses_each_bad_value_and_the_store_is_unchanged(pw: Powcase, bad: dict[str, Any], message: str) -> None:
    bundle = {"cases": [{"person": _person(service_number="T-1")}, {"person": _person(service_number="T-2", **bad)}]}
    with pytest.raises(InvalidInput) as exc:
        pw.import_casefiles(parse_casefiles(bundle, "bundle.yaml"), "registrar-1")
    assert str(exc.value).startswith(f"bundle.yaml: cases.1.person.{message}")
    assert pw.count_cases() == 0


def test_decomposed_hangul_is_stored_composed_and_found(pw: Powcase) -> None:
    """macOS copy-paste writes Hangul as loose jamo (NFD); the register holds it composed (NFC),
    on every path, and a pasted query finds it."""
    nfd_family, nfd_given = unicodedata.normalize("NFD", "한"), unicodedata.normalize("NFD", "별찬")
    assert len(nfd_given) == 6  # six loose letters for two syllables
    registered = pw.register(Person.model_validate(_person(family_name={"native": nfd_family})).to_event(), "r")
    [imported] = pw.import_casefiles(
        parse_casefiles({"person": _person(family_name={"native": "박"}, given_names={"native": nfd_given})}), "r"
    )
    first, second = pw.case(registered).identity, pw.case(imported).identity
    assert first is not None and first.family_name.native == "한"
    assert second is not None and second.given_names.native == "별찬"
    found = search(pw.store, nfd_family + " " + nfd_given, "1999-07-23", top=5)
    assert {c.record_id for c in found.candidates} >= {registered} and not found.skipped


def test_a_capture_before_his_birth_date_is_refused(pw: Powcase) -> None:
    case_id = pw.register(Person.model_validate(_person(birth_date="2025-01-10")).to_event(), "registrar-1")
    with pytest.raises(InvariantViolation, match=f"case {case_id} event 2: captured before his date of birth"):
        pw.record(case_id, Captured(occurred_on=date(2025, 1, 9), place="Sector 9", circumstances="captured"), "registrar-1")
    assert len(pw.history(case_id)) == 1


def test_free_text_and_numbers_are_bounded() -> None:
    base: dict[str, Any] = {"occurred_on": date(2025, 3, 1), "interviewer": "Delegate T", "language": "kor",
                            "stated_wish": "undecided"}
    with pytest.raises(ValidationError) as exc:
        Interviewed.model_validate({**base, "reasons": "x" * 1_000_000})
    assert first_error(exc.value) == "reasons: longer than 20000 characters"
    with pytest.raises(ValidationError) as exc:
        Interviewed.model_validate({**base, "duration_minutes": 10**30})
    assert first_error(exc.value).startswith("duration_minutes: Input should be less than or equal to 1440")
    with pytest.raises(ValidationError) as exc:
        Interviewed.model_validate({**base, "words_original": "생각\x00해"})
    assert first_error(exc.value) == "words_original: contains a control character (U+0000)"
    kept = Interviewed.model_validate({**base, "words_original": "첫째 줄\r\n\t둘째 줄"})
    assert kept.words_original == "첫째 줄\n\t둘째 줄"  # newlines and tabs are his words' own


# --- a registration is corrected like any other event ------------------------------------------


@pytest.fixture
def office_for(pw: Powcase) -> Callable[..., Office]:
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    made: dict[str, User] = {}

    def make(name: str, role: str) -> Office:
        if name not in made:
            made[name] = accounts.add_user(name, PASSWORD, [role], by=admin)
        return Office(pw, accounts, made[name])

    return make


def test_a_registrar_corrects_a_registration_with_a_reason(office_for: Callable[..., Office]) -> None:
    registrar = office_for("registrar-1", "registrar")
    case_id = registrar.register(Person.model_validate(_person()).to_event())
    fix = Corrected(occurred_on=date(2025, 2, 1), corrects_seq=1, reason="birth date misread from the card",
                    changes={"birth_date": "1999-07-24", "given_names": {"native": unicodedata.normalize("NFD", "별찬")}})
    registrar.record(case_id, fix)
    case, _ = registrar.case(case_id)
    assert case.identity is not None
    assert case.identity.birth_date == date(1999, 7, 24) and case.identity.given_names.native == "별찬"
    history, _ = registrar.history(case_id)
    assert [r.type for r in history] == ["registered", "corrected"] and history[1].actor == "registrar-1"
    with registrar.pw.store.engine.begin() as conn:
        logged = conn.execute(
            select(access_log.c.actor, access_log.c.action, access_log.c.outcome).where(access_log.c.case_id == case_id)
        ).all()
    assert ("registrar-1", "correct_registration", "allowed") in logged  # audited like any other record
    # The correction passes the same door as the registration.
    bad = Corrected(occurred_on=date(2025, 2, 2), corrects_seq=1, reason="typo", changes={"family_name": {"native": "한\u200b"}})
    with pytest.raises(InvalidInput, match=r"event 1: corrected event is invalid: family_name.native: contains an invisible character"):
        registrar.record(case_id, bad)
    later = Corrected(occurred_on=date(2025, 2, 2), corrects_seq=1, reason="typo", changes={"birth_date": "2999-01-01"})
    with pytest.raises(InvalidInput, match="birth_date: after the date of registration"):
        registrar.record(case_id, later)
    assert len(registrar.history(case_id)[0]) == 2


def test_only_a_registrar_corrects_a_registration(office_for: Callable[..., Office]) -> None:
    case_id = office_for("registrar-1", "registrar").register(Person.model_validate(_person()).to_event())
    fix = Corrected(occurred_on=date(2025, 2, 1), corrects_seq=1, reason="misread", changes={"rank": "Sergeant"})
    for name, role in (("interviewer-1", "interviewer"), ("legal-1", "legal_officer")):
        with pytest.raises(AccessRefused, match="may not correct_registration"):
            office_for(name, role).record(case_id, fix)


# --- records stored before these checks: skipped and reported, never fatal ----------------------


def _plant(pw: Powcase, case_id: str, person: Registered, *more: Any) -> None:
    """Write a record straight into the store, past every check at the door (as a store from
    before these checks may hold)."""
    with pw.store.begin() as tx:
        tx.create_cases([(case_id, [person, *more])], "old-version", datetime(2025, 1, 20, tzinfo=UTC))


def _unchecked(**fields: Any) -> Registered:
    data: dict[str, Any] = {"occurred_on": date(2025, 1, 12), "nationality": "PRK", "armed_force": "RUS",
                            "family_name": PersonName.model_construct(native="한", latin=None),
                            "given_names": PersonName.model_construct(native="별찬", latin=None),
                            "languages": ["kor"], "aliases": [], "documents": []}
    data.update(fields)
    return Registered.model_construct(**data)


def test_planted_bad_records_are_skipped_and_reported_by_case_id(pw: Powcase) -> None:
    planted = {
        "PW-OLD00001": _unchecked(family_name=PersonName.model_construct(native="한\u200b", latin=None)),
        "PW-OLD00002": _unchecked(given_names=PersonName.model_construct(native="별찬😀", latin=None)),
        "PW-OLD00003": _unchecked(birth_date=date(2999, 1, 1)),
        "PW-OLD00004": _unchecked(family_name=PersonName.model_construct(native="한\x07", latin=None)),
    }
    for case_id, person in planted.items():
        _plant(pw, case_id, person)
    # A history that no longer folds: captured before the birth date it records.
    _plant(pw, "PW-OLD00005", _unchecked(birth_date=date(2025, 1, 10)),
           Captured(occurred_on=date(2025, 1, 9), place="Sector 9", circumstances="captured"))
    # Decomposed Hangul from before: read back composed, so it is indexed, not skipped.
    _plant(pw, "PW-OLD00006", _unchecked(family_name=PersonName.model_construct(native=unicodedata.normalize("NFD", "박"), latin=None)))
    skipped = sorted([*planted, "PW-OLD00005"])

    # The register keeps working: a new registration is written and its duplicate check answers.
    person = Person.model_validate(_person(birth_date="1999-07-23")).to_event()
    new_id = pw.register(person, "registrar-1")
    duplicates = possible_duplicates(pw.store, person)
    assert new_id in {c.record_id for c in duplicates.candidates}
    assert duplicates.skipped == skipped

    found = search(pw.store, "박 별찬", None, top=10)
    assert "PW-OLD00006" in {c.record_id for c in found.candidates}
    assert found.skipped == skipped
    # By case id only: the report carries nothing of the names.
    assert all(s.startswith("PW-OLD") for s in found.skipped)

    exchange = Exchange(id="EX-TEST", counterpart="RUS", date=date(2025, 6, 10), terms=Terms(total=5),
                        request_list=(ListRow(row=2, name="Han Byol Chan", birth_date="1999-07-23"),))
    plan = plan_exchange(pw, exchange)
    assert list(plan.skipped) == skipped
    assert [e.row for e in plan.report] == [2]  # the row is still explained, not lost
