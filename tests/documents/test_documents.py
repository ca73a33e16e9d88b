"""Every document, rendered for the demo's prisoners and read back as a person would: the text
with `pdftotext`, the fonts with `pdffonts` (every one embedded), a PNG with `pdftoppm`.

Each kind is rendered once (the notice once per language); the PDFs and PNGs are kept in
tests/artefacts/documents (git-ignored) for a person to look at.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.documents.conftest import ARTEFACTS

from powcase.app.documents import print_document
from powcase.demo import CONTEXT, FIRST_SOLDIER, demo_bundle, the_two_soldiers
from powcase.documents import DocumentKind, MissingFacts, prepare
from powcase.documents.render import missing_fonts
from powcase.documents.texts import review_of, text_digest
from powcase.domain.case import fold
from powcase.domain.casefile import casefile_history, parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import RecordedEvent
from powcase.law import load_rulebook

MADE_ON = date(2025, 11, 30)
CTX = Context.model_validate(CONTEXT)

# After the two soldiers, what happens in the first soldier's case for the papers of a departure.
_DECIDED = {"type": "decided", "occurred_on": "2025-03-10", "disposition": "D5", "destination": "KOR",
            "decision": "Transfer to the Republic of Korea under the special arrangement", "approved_by": "Legal officer 1"}
_HANDOVER = [
    {"type": "third_state_answered", "occurred_on": "2025-03-20", "state": "KOR", "answer": "accepts", "reference": "ROK-MOU-7"},
    {"type": "transferee_assessed", "occurred_on": "2025-03-21", "state": "KOR", "willing_and_able": True,
     "reasoning": "Party to GC III; receives him as its national."},
    {"type": "safety_plan_recorded", "occurred_on": "2025-03-22", "disposition": "D5", "measures": "Escort; no publicity."},
    {"type": "transferred", "occurred_on": "2025-04-01", "kind": "third_state", "to_state": "KOR",
     "reconfirmation": {"by": "ICRC delegate", "result": "confirmed"}},
]


def _history(case: dict[str, Any], extra: list[dict[str, Any]] = ()) -> list[RecordedEvent]:  # type: ignore[assignment]
    case = {**case, "events": [*case["events"], *extra]}
    return casefile_history(parse_casefiles({"cases": [case]})[0])


def _demo_with(kind: str) -> dict[str, Any]:
    """The first Russian demo prisoner (after the two soldiers) with an event of this type."""
    return next(c for c in demo_bundle(count=1000)["cases"][2:]
                if c["person"]["nationality"] == "RUS" and any(e["type"] == kind for e in c["events"]))


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _fonts(path: Path) -> list[list[str]]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [line.split() for line in lines]


@pytest.fixture(scope="module")
def rendered() -> dict[str, Path]:
    """Every document kind once, and the notice in each language: name -> PDF path."""
    first, _second = the_two_soldiers()
    book = load_rulebook()
    jobs: dict[str, tuple[DocumentKind, list[RecordedEvent], str | None]] = {
        "capture-card": (DocumentKind.CAPTURE_CARD, _history(first), None),
        "capture-card-ru": (DocumentKind.CAPTURE_CARD, _history(_demo_with("custody_moved")), None),
        **{f"notice-{lang}": (DocumentKind.NOTICE, _history(first), lang) for lang in ("ko", "ru", "uk", "en")},
        "interview-record": (DocumentKind.INTERVIEW_RECORD, _history(first), None),
        "decision-memo": (DocumentKind.DECISION_MEMO, _history(first, [_DECIDED]), None),
        "handover-certificate": (DocumentKind.HANDOVER_CERTIFICATE, _history(first, [_DECIDED, *_HANDOVER]), None),
        "repatriation-certificate": (DocumentKind.REPATRIATION_CERTIFICATE, _history(_demo_with("transferred")), None),
        "death-notification": (DocumentKind.DEATH_NOTIFICATION, _history(_demo_with("died")), None),
    }
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (kind, history, lang) in jobs.items():
        pdf = print_document(kind, history, lang=lang, as_of=MADE_ON, made_on=MADE_ON, rulebook=book, context=CTX)
        path = ARTEFACTS / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(path), str(path.with_suffix(""))], check=True)
        out[name] = path
    return out


def test_every_font_is_embedded_and_a_png_is_kept(rendered: dict[str, Path]) -> None:
    for name, path in rendered.items():
        fonts = _fonts(path)
        assert fonts, name
        # Columns: name, type..., encoding, emb, sub, uni, object, id: "emb" is the 5th from the end.
        assert all(row[-5] == "yes" for row in fonts), f"{name}: a font is not embedded: {fonts}"
        assert path.with_suffix(".png").stat().st_size > 1000


def test_capture_card_is_bilingual_with_his_facts(rendered: dict[str, Path]) -> None:
    text = _pdf_text(rendered["capture-card"])
    # The detaining power's language (Ukrainian) and his (Korean), with the Annex IV B facts.
    for expected in ("Картка військовополоненого", "전쟁포로 포로 카드", "박 / Pak", "은철 / Un Chol", "KPA-4471-0932",
                     "2000-05-14", "2025-01-09", "Camp West-1", "Hospital North-2", "поранений", "부상", "RUS"):
        assert expected in text, expected
    assert "Переклад очікує перевірки кваліфікованим перекладачем" in text
    assert "자격 있는 번역가의 검토 대기 중인 번역" in text
    russian = _pdf_text(rendered["capture-card-ru"])
    assert "Карточка военнопленного" in russian and "Картка військовополоненого" in russian


def test_notice_in_four_languages_each_pending_review(rendered: dict[str, Path]) -> None:
    expected = {
        "ko": ("당신의 권리와 선택", "마음을 바꿀 수 있습니다", "국제적십자위원회", "제17조", "검토 대기"),
        "ru": ("Ваши права и ваш выбор", "Вы можете передумать", "МККК", "статья 17", "ожидает проверки"),
        "uk": ("Ваші права та ваш вибір", "Ви можете змінити рішення", "МКЧХ", "стаття 17", "очікує перевірки"),
        "en": ("Your rights and your choices", "You may change your mind", "ICRC", "Refusing has no consequence", "text of reference"),
    }
    for lang, words in expected.items():
        text = " ".join(_pdf_text(rendered[f"notice-{lang}"]).split())
        for word in words:
            assert word in text, (lang, word)
        assert FIRST_SOLDIER in text


def test_interview_record_has_safeguards_words_and_signatures(rendered: dict[str, Path]) -> None:
    text = " ".join(_pdf_text(rendered["interview-record"]).split())
    for expected in ("남조선으로 가고 싶습니다.", "I want to go to South Korea.", "Neutral observer present", "Interpreter 7",
                     "Interviewer", "Interpreter", "Neutral observer", "third state: KOR", "2025-02-17"):
        assert expected in text, expected


def test_decision_memo_and_certificates(rendered: dict[str, Path]) -> None:
    memo = " ".join(_pdf_text(rendered["decision-memo"]).split())
    for expected in ("Legal officer 1", "D5", "Input hash sha256:", "Rulebook 1.0.0+", "2025-03-10", "GC3-118",
                     "Sources cited", "Geneva Convention (III), Art 118(1)-(3)"):
        assert expected in memo, expected
    assert "Pak" not in memo  # the memo names the case, not the man
    handover = " ".join(_pdf_text(rendered["handover-certificate"]).split())
    for expected in ("transfer to KOR", "confirmed, by ICRC delegate", "accepts on 2025-03-20", "박 은철 / Pak Un Chol"):
        assert expected in handover, expected
    assert "Annex IV E" in _pdf_text(rendered["repatriation-certificate"])
    death = " ".join(_pdf_text(rendered["death-notification"]).split())
    assert "Annex IV D" in death and "wounds" in death


def test_missing_facts_are_listed_and_nothing_is_rendered() -> None:
    _first, second = the_two_soldiers()
    case = fold(_history(second))
    for kind, words in ((DocumentKind.DECISION_MEMO, "a recorded decision"), (DocumentKind.DEATH_NOTIFICATION, "his death"),
                        (DocumentKind.HANDOVER_CERTIFICATE, "a handover to a third state"),
                        (DocumentKind.REPATRIATION_CERTIFICATE, "a repatriation or exchange")):
        with pytest.raises(MissingFacts, match=words):
            prepare(kind, case, lang=None, made_on=MADE_ON, context=CTX)
    unconfirmed = [*_HANDOVER[:-1], {**_HANDOVER[-1], "reconfirmation": None}]
    with pytest.raises(MissingFacts, match="reconfirmation at the point of departure"):
        prepare(DocumentKind.HANDOVER_CERTIFICATE, fold(_history(_first, unconfirmed)), lang=None, made_on=MADE_ON, context=CTX)


def test_a_translation_is_reviewed_only_for_the_exact_text_signed_off() -> None:
    assert not review_of("ko").reviewed
    signed = [{"lang": "ko", "sha256": text_digest("ko"), "reviewer": "Translator 4 (fictional)", "reviewed_on": MADE_ON}]
    assert review_of("ko", signed).reviewed
    assert not review_of("ko", [{**signed[0], "sha256": "0" * 64}]).reviewed
    assert not review_of("ru", signed).reviewed


def test_a_missing_font_is_named_with_its_package() -> None:
    assert missing_fonts() == []
    assert missing_fonts({"No Such Font Family Zq": "fonts-zq"}) == ["No Such Font Family Zq (apt-get install fonts-zq)"]
