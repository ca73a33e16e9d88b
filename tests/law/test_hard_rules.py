"""No POLICY value switches off a HARD rule: flip every POLICY flag, and no HARD bar disappears.

A bar is HARD when its rule is HARD in the rulebook, it rests on binding law (it cites a treaty or
customary source other than the ROK's reservation, GC3-ROK, on which the refusal policies rest),
and it cites no open question (rulebook section 5: those are answered by a deployment's dated
policy, e.g. Open question 1 by `honour_refusal_without_risk`). Two kinds of flag are walked but
allowed to lift a bar, each because the rulebook makes it so:
- `presumption_real_risk.*` and `presumption_rebuttal_requires_review` (R27) decide a *fact* -
  whether a real risk is presumed for a class of prisoner and what rebuts it - not the law applied
  to it; R25 still bars wherever a real risk is found;
- `voluntary_return_despite_risk` is the rulebook's Open question 5 ("Default: barred pending
  legal review (POLICY)"): a reviewed, signed-off exception for a volunteer, nothing else.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from tests.law.law_scenarios import load, scenario_files
from tests.law.test_properties import AS_OF, cases

from powcase.domain import Case, CaseFile, Context, casefile_history, fold
from powcase.law import Rulebook, determine, load_rulebook
from powcase.law.dispositions import Situation, decide_dispositions
from powcase.law.free_will import assess_free_will
from powcase.law.rulebook import Force
from powcase.law.sources import split_citation
from powcase.law.verdicts import DispositionVerdict, Status

BASE = load_rulebook()
FACT_FLAGS = ("presumption_real_risk.", "presumption_rebuttal_requires_review")
SANCTIONED = ("voluntary_return_despite_risk",)


def policy_flags() -> list[str]:
    """Every parameter with a boolean POLICY value in force on some date."""
    return sorted(
        name
        for name, parameter in BASE.parameters.items()
        if any(value.force is Force.POLICY and isinstance(value.value, bool) for value in parameter.values)
    )


def _flipped(name: str, folder: Path) -> Rulebook:
    """The rulebook with one POLICY flag turned the other way, in force from the day after the
    rulebook's own latest value (so that it is the value read on every scenario's date)."""
    latest = BASE.parameters[name].values[-1]
    assert latest.valid_from < date(2025, 1, 1), name
    override = {"parameter": name, "valid_from": (latest.valid_from + timedelta(days=1)).isoformat(), "value": not latest.value,
                "sources": list(latest.sources) or ["GC3-118"], "reason": "Walk every POLICY flag."}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"deployment": f"flip {name} (test)", "overrides": [override]}), encoding="utf-8")
    return load_rulebook(path)


def _verdicts(case: Case, rulebook: Rulebook, as_of: date, context: Context | None) -> tuple[DispositionVerdict, ...]:
    """The verdicts alone: whether a bar stands does not depend on what would change it."""
    situation = Situation(case=case, rulebook=rulebook, as_of=as_of, context=context, free_will=assess_free_will(case, rulebook, as_of))
    return decide_dispositions(situation)


def _hard_bars(verdicts: tuple[DispositionVerdict, ...]) -> set[tuple[str, str, str]]:
    bars: set[tuple[str, str, str]] = set()
    for verdict in verdicts:
        if verdict.status is not Status.BARRED:
            continue
        for reason in verdict.reasons:
            rule = BASE.rules.get(reason.rule)
            binding = [source for source in reason.sources if source != "GC3-ROK" and _binding(source)]
            if rule is not None and rule.force is Force.HARD and binding and not reason.open_questions:
                bars.add((verdict.disposition, reason.rule, reason.text))
    return bars


def _binding(citation: str) -> bool:
    source = BASE.sources.get(split_citation(citation)[0])
    return source.kind in ("treaty", "custom")


def _lost(before: tuple[DispositionVerdict, ...], after: tuple[DispositionVerdict, ...]) -> set[tuple[str, str, str]]:
    return _hard_bars(before) - _hard_bars(after)


@pytest.fixture(scope="module")
def flipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rulebook]:
    folder = tmp_path_factory.mktemp("policies")
    return {name: _flipped(name, folder) for name in policy_flags() if not (name.startswith(FACT_FLAGS) or name in SANCTIONED)}


def test_the_walk_covers_the_refusal_and_interview_policies() -> None:
    flags = policy_flags()
    for name in ("honour_refusal_during_hostilities", "honour_refusal_without_risk", "require_neutral_observer",
                 "require_independent_interpreter", "reconfirm_at_handover", "voluntary_return_despite_risk"):
        assert name in flags


def test_no_policy_flag_lifts_a_hard_bar_in_any_scenario(flipped: dict[str, Rulebook]) -> None:
    lost: list[str] = []
    for path in scenario_files():
        casefile = load(path)
        for expect in casefile.expect:
            if expect.get("policy"):
                continue
            as_of = expect["as_of"]
            case = _case(casefile, as_of)
            before = _verdicts(case, BASE, as_of, casefile.context)
            for flag, rulebook in flipped.items():
                after = _verdicts(case, rulebook, as_of, casefile.context)
                lost += [f"{path.stem} {flag}: {bar}" for bar in _lost(before, after)]
    assert lost == []


def _case(casefile: CaseFile, as_of: date) -> Case:
    return fold(casefile_history(casefile), as_of)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=cases())
def test_no_policy_flag_lifts_a_hard_bar_in_generated_cases(flipped: dict[str, Rulebook], generated: tuple[Case, Context]) -> None:
    case, context = generated
    before = _verdicts(case, BASE, AS_OF, context)
    for flag, rulebook in flipped.items():
        assert _lost(before, _verdicts(case, rulebook, AS_OF, context)) == set(), flag


def test_art_109_3_bars_whatever_the_refusal_policy(flipped: dict[str, Rulebook]) -> None:
    """The issue's case: a seriously wounded prisoner who refuses, under a deployment that does
    not honour refusals during hostilities, stays barred from D1 and D2 by Art 109(3)."""
    path = next(p for p in scenario_files() if p.stem == "seriously-wounded-refuses-policy-does-not-honour-refusals")
    casefile = load(path)
    as_of = casefile.expect[0]["as_of"]
    after = determine(_case(casefile, as_of), flipped["honour_refusal_during_hostilities"], as_of, casefile.context)
    for key in ("D1", "D2", "D3"):
        verdict = after.verdict(key)
        assert verdict.status is Status.BARRED
        assert any("GC3-109(3)" in reason.sources for reason in verdict.reasons)
