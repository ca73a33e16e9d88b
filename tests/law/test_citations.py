"""Every id cited anywhere - rules, parameters, country profiles, engine output - is a known source."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.law.law_scenarios import load, run, scenario_files

from powcase.law import load_rulebook
from powcase.law.sources import Mark, load_sources, render_source, split_citation


def test_every_rulebook_citation_exists() -> None:
    rulebook = load_rulebook()  # load_rulebook itself refuses unknown ids; check again, plainly
    sources = rulebook.sources
    cited = [c for rule in rulebook.rules.values() for c in rule.sources]
    cited += [c for p in rulebook.parameters.values() for v in p.values for c in v.sources]
    cited += [c for profile in rulebook.countries.values() for c in profile.citations()]
    cited += [c for spec in rulebook.dispositions.values() for c in spec.sources]
    cited += [c for q in rulebook.open_questions.values() for c in q.sources]
    assert [c for c in cited if c not in sources] == []


def test_rules_r1_to_r30_and_dispositions_d1_to_d7_exist() -> None:
    rulebook = load_rulebook()
    # R31 (death) and R32 (escape) are added from GC III Arts 91-94, 120-121 beyond section 2.
    assert set(rulebook.rules) == {f"R{n}" for n in range(1, 33)}
    assert set(rulebook.dispositions) == {f"D{n}" for n in range(1, 8)}


def test_rule_implementations_resolve() -> None:
    import importlib

    for rule in load_rulebook().rules.values():
        for target in rule.implemented_by:
            module, _, function = target.partition(":")
            assert callable(getattr(importlib.import_module(module), function)), target


def test_every_parameter_of_section_2_6_is_present() -> None:
    names = set(load_rulebook().parameters)
    for name in (
        "capture_card_deadline_days", "pretrial_confinement_max_days", "direct_repatriation_recovery_horizon",
        "neutral_accommodation_recovery_horizon", "mmc_start_deadline_days", "mmc_notice_days",
        "icrc_visit_restriction", "kaa_direct_repatriation_days", "nnrc_explanation_days",
        "political_conference_days", "civilian_status_day", "neutral_departure_days", "nnrc_explainers_per_1000",
        "min_interviews", "reflection_days", "require_neutral_observer", "reconfirm_at_handover",
        "honour_refusal_during_hostilities", "honour_refusal_without_risk", "post_hostilities_hold_alert_days",
        "exchange_category_rules", "nkra_application_deadline_after_entry_days", "voluntary_return_despite_risk",
        "presumption_real_risk.PRK.captured_soldier", "bureau_notice_target_days",
    ):
        assert name in names, name


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_engine_output_cites_only_known_ids(path: Path) -> None:
    sources = load_sources()
    rulebook = load_rulebook()
    casefile = load(path)
    for expect in casefile.expect:
        determination = run(casefile, expect)
        reasons = [*determination.free_will.reasons]
        reasons += [d for i in determination.free_will.interviews for d in i.defects]
        reasons += [r for risk in determination.risk for s in risk.states for r in (*s.reasons, *s.notes, *s.evidence)]
        for verdict in determination.dispositions:
            reasons += [*verdict.reasons, *verdict.notes, *verdict.conditions]
        for reason in reasons:
            assert reason.rule in rulebook.rules or reason.rule.removeprefix("OQ").isdigit(), reason.rule
            for number in reason.open_questions:
                assert number in rulebook.open_questions
            for citation in reason.sources:
                assert citation in sources, f"{path.name}: {citation}"


def test_unverified_wording_is_never_rendered_as_a_quotation() -> None:
    for source in load_sources():
        line = render_source(source)
        if source.mark in (Mark.TREATY_TEXT, Mark.UNCONFIRMED):
            assert not source.quotable
            assert '"' not in line.split(": ", 1)[1]
            assert "do not quote as exact" in line
        if source.mark is Mark.SECONDARY:
            assert "not law" in line


def test_citation_pinpoints() -> None:
    assert split_citation("GC3-109(3)") == ("GC3-109", "(3)")
    assert split_citation("KAA-51a") == ("KAA-51a", "")
    assert "GC3-119(5)" in load_sources()
    assert "GC3-999" not in load_sources()
