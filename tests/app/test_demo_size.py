"""The demo at a size beyond the default: it builds in the store, and it is a function of its seed."""

from __future__ import annotations

from powcase.app.service import Powcase
from powcase.demo import CONTEXT, demo_bundle
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context

COUNT = 3000


def _service_numbers(bundle: dict[str, list[dict[str, dict[str, str]]]]) -> list[tuple[str, str]]:
    return [(c["person"]["armed_force"], "".join(c["person"]["service_number"].split()).upper()) for c in bundle["cases"]]


def test_a_large_demo_imports_whole(pw: Powcase) -> None:
    """Beyond 2,000 prisoners two drawn service numbers once clashed and the import stopped."""
    pw.context = Context.model_validate(CONTEXT)
    ids = pw.import_casefiles(parse_casefiles(demo_bundle(COUNT), "demo"), "demo")
    assert len(ids) == COUNT + 2
    assert pw.count_cases() == COUNT + 2


def test_the_same_seed_gives_the_same_demo_and_numbers_never_repeat_within_a_force() -> None:
    first, again, other = demo_bundle(COUNT, seed=7), demo_bundle(COUNT, seed=7), demo_bundle(COUNT, seed=8)
    assert first == again
    assert first != other
    numbers = _service_numbers(first)
    assert len(set(numbers)) == len(numbers)
