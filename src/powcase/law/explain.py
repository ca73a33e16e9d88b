"""`powcase explain R16`: a rule, its sources and its parameters, as plain text."""

from __future__ import annotations

from datetime import date

from powcase.law.errors import NoValueInForceError, UnknownRuleError
from powcase.law.rulebook import Rulebook
from powcase.law.sources import render_source, split_citation


def explain(rule_id: str, rulebook: Rulebook, on: date | None = None) -> str:
    """Plain-text explanation of a rule (R1-R32) or a disposition (D1-D7).

    `on` selects which dated parameter values to show; without it every dated value is listed
    (the function reads no clock). Raises UnknownRuleError for an id the rulebook lacks.
    """
    key = rule_id.strip().upper()
    if key in rulebook.dispositions:
        return _explain_disposition(key, rulebook)
    if key not in rulebook.rules:
        raise UnknownRuleError(f"unknown rule id {rule_id!r}; known: R1-R32 and D1-D7")
    rule = rulebook.rules[key]
    lines = [f"{rule.id}  {rule.title}", "", rule.statement, "", f"Force: {rule.force.value}"]
    if rule.force_note:
        lines[-1] += f" ({rule.force_note})"
    lines += ["", "Sources:"]
    for citation in rule.sources:
        source_id, pinpoint = split_citation(citation)
        lines.append("  - " + render_source(rulebook.sources.get(source_id), pinpoint))
    if rule.parameters:
        lines += ["", "Parameters:"]
        for name in rule.parameters:
            parameter = rulebook.parameter(name)
            lines.append(f"  - {name}: {parameter.description}")
            values = parameter.values
            if on is not None:
                try:
                    values = (parameter.at(on),)
                except NoValueInForceError:
                    values = ()
            lines.extend(
                f"      {value.describe(name)}; sources {', '.join(value.sources)}"
                for value in values
            )
    lines += ["", "Implemented by:"]
    if rule.implemented_by:
        lines.extend(f"  - {target}" for target in rule.implemented_by)
    else:
        lines.append("  - not by the law engine (a case-workflow duty, recorded by the app)")
    lines += ["", f"Rulebook {rulebook.version}"]
    return "\n".join(lines)


def _explain_disposition(key: str, rulebook: Rulebook) -> str:
    spec = rulebook.dispositions[key]
    lines = [f"{spec.id}  {spec.title}", "", "Rules: " + ", ".join(spec.rules), "", "Sources:"]
    for citation in spec.sources:
        source_id, pinpoint = split_citation(citation)
        lines.append("  - " + render_source(rulebook.sources.get(source_id), pinpoint))
    lines += ["", f"Rulebook {rulebook.version}"]
    return "\n".join(lines)
