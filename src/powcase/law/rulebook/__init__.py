"""The rulebook as data: dated parameters, rules R1-R30, dispositions D1-D7, open questions.

The YAML files beside this module are the law engine's configuration, in the OpenFisca manner:
one concept per key, each value dated (`valid_from`), with its force and its sources:

    HARD    treaty or customary law binding the detaining power: no deployment may change it
    INTERP  an authoritative interpretation (ICRC, treaty body): not changed by a deployment
    POLICY  a choice the law leaves open: a deployment file may set a new dated value

`load_rulebook(overrides)` loads it all, checks every citation against `sources.yaml`, applies a
deployment's dated POLICY overrides, and refuses at load time an override of a HARD or INTERP
value, or one naming an unknown parameter, rule or source id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from powcase.law.countries import CountryProfile, load_country_profiles
from powcase.law.errors import (
    NoValueInForceError,
    OverrideRefusedError,
    RulebookError,
    UnknownParameterError,
    UnknownRuleError,
)
from powcase.law.packaged import load_packaged
from powcase.law.sources import SourceRegistry, load_sources

SEMANTIC_VERSION = "1.0.0"

ParameterScalar = bool | int | str | tuple[str, ...]


class Force(StrEnum):
    HARD = "HARD"
    INTERP = "INTERP"
    POLICY = "POLICY"


class ParameterValue(BaseModel):
    """One dated value of a parameter, with its force and sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    valid_from: date
    value: ParameterScalar
    force: Force
    sources: tuple[str, ...]
    note: str | None = None
    origin: str = "rulebook"  # or "deployment: <name>" for an override

    def describe(self, name: str) -> str:
        shown = ", ".join(self.value) if isinstance(self.value, tuple) else str(self.value)
        shown = shown.lower() if isinstance(self.value, bool) else shown
        return f"{name} = {shown} ({self.force.value}, from {self.valid_from.isoformat()}, {self.origin})"


class Parameter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str
    unit: str | None = None
    rules: tuple[str, ...] = ()
    values: tuple[ParameterValue, ...]

    def at(self, on: date) -> ParameterValue:
        """The value in force on a date: the latest whose `valid_from` is on or before it."""
        in_force = [value for value in self.values if value.valid_from <= on]
        if not in_force:
            raise NoValueInForceError(f"parameter {self.name!r} has no value in force on {on}")
        return max(in_force, key=lambda value: value.valid_from)


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    statement: str
    force: Force
    force_note: str | None = None
    sources: tuple[str, ...]
    parameters: tuple[str, ...] = ()
    implemented_by: tuple[str, ...] = ()


class DispositionSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    sources: tuple[str, ...]
    rules: tuple[str, ...]


class OpenQuestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    title: str
    summary: str
    sources: tuple[str, ...]


class Override(BaseModel):
    """One dated POLICY value set by a deployment file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: str
    valid_from: date
    value: ParameterScalar
    sources: tuple[str, ...]
    rules: tuple[str, ...] = ()
    reason: str


class OverrideFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    deployment: str
    overrides: tuple[Override, ...]


@dataclass(frozen=True)
class Rulebook:
    """Everything the engine may rely on, loaded and checked; `version` names it exactly."""

    sources: SourceRegistry
    parameters: Mapping[str, Parameter]
    rules: Mapping[str, Rule]
    dispositions: Mapping[str, DispositionSpec]
    open_questions: Mapping[int, OpenQuestion]
    countries: Mapping[str, CountryProfile]
    deployment: str | None
    content_hash: str
    semantic_version: str = SEMANTIC_VERSION

    @property
    def version(self) -> str:
        """Semantic version plus the first 12 hex digits of the content hash."""
        return f"{self.semantic_version}+{self.content_hash[:12]}"

    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise UnknownParameterError(f"unknown parameter {name!r}") from None

    def value(self, name: str, on: date) -> ParameterValue:
        return self.parameter(name).at(on)

    def integer(self, name: str, on: date) -> int:
        value = self.value(name, on).value
        if isinstance(value, bool) or not isinstance(value, int):
            raise RulebookError(f"parameter {name!r} is not a number")
        return value

    def flag(self, name: str, on: date) -> bool:
        value = self.value(name, on).value
        if not isinstance(value, bool):
            raise RulebookError(f"parameter {name!r} is not true/false")
        return value

    def presumption(self, country: str, category: str, on: date) -> ParameterValue | None:
        """The dated presumption of real risk for a category in a country, if one is defined."""
        parameter = self.parameters.get(f"presumption_real_risk.{country}.{category}")
        if parameter is None:
            return None
        try:
            return parameter.at(on)
        except NoValueInForceError:
            return None

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise UnknownRuleError(f"unknown rule id {rule_id!r}") from None


# --- loading --------------------------------------------------------------------------------

_DATA_FILES = ("rules.yaml", "dispositions.yaml", "open_questions.yaml")


def _flatten(prefix: str, node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (dotted name, definition): a node with `values` is a parameter, others nest."""
    if not isinstance(node, dict):
        raise RulebookError(f"parameter {prefix!r} must be a mapping")
    if "values" in node:
        yield prefix, node
        return
    for key, child in node.items():
        yield from _flatten(f"{prefix}.{key}" if prefix else str(key), child)


def _read_yaml(name: str) -> Any:
    folder = resources.files("powcase.law.rulebook")
    return load_packaged(folder.joinpath(name).read_text(encoding="utf-8"))


def _load_parameters() -> dict[str, Parameter]:
    parameters: dict[str, Parameter] = {}
    folder = resources.files("powcase.law.rulebook")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml") or entry.name in _DATA_FILES:
            continue
        for name, definition in _flatten("", load_packaged(entry.read_text(encoding="utf-8"))):
            if name in parameters:
                raise RulebookError(f"parameter {name!r} is defined twice")
            parameters[name] = _validate(Parameter, {"name": name, **definition}, entry.name)
    return parameters


def _validate(model: type[Any], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RulebookError(f"{where}: {error}") from None


def _same_type(old: ParameterScalar, new: ParameterScalar) -> bool:
    # bool is a subclass of int in Python; a flag must stay a flag and a number a number.
    return type(old) is type(new)


def _apply_overrides(
    parameters: dict[str, Parameter],
    rules: Mapping[str, Rule],
    sources: SourceRegistry,
    path: Path,
) -> str:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RulebookError(f"cannot read deployment file {path}: {error}") from None
    except (ValueError, RecursionError) as error:  # an impossible date; nesting beyond the stack
        raise RulebookError(f"cannot read deployment file {path}: {type(error).__name__}") from None
    document: OverrideFile = _validate(OverrideFile, raw, str(path))
    for override in document.overrides:
        where = f"deployment override of {override.parameter!r}"
        if override.parameter not in parameters:
            raise UnknownParameterError(f"{where}: unknown parameter {override.parameter!r}")
        for rule_id in override.rules:
            if rule_id not in rules:
                raise UnknownRuleError(f"{where}: unknown rule id {rule_id!r}")
        sources.check(override.sources, where)
        parameter = parameters[override.parameter]
        fixed = [value for value in parameter.values if value.force is not Force.POLICY]
        if fixed:
            raise OverrideRefusedError(
                f"{where}: the value is {fixed[0].force.value} ({', '.join(fixed[0].sources)}); "
                "only POLICY values may be overridden by a deployment"
            )
        if not _same_type(parameter.values[0].value, override.value):
            raise RulebookError(f"{where}: value has the wrong type")
        new_value = ParameterValue(
            valid_from=override.valid_from,
            value=override.value,
            force=Force.POLICY,
            sources=override.sources,
            note=override.reason,
            origin=f"deployment: {document.deployment}",
        )
        kept = tuple(v for v in parameter.values if v.valid_from != override.valid_from)
        values = tuple(sorted((*kept, new_value), key=lambda value: value.valid_from))
        parameters[override.parameter] = parameter.model_copy(update={"values": values})
    return document.deployment


def _check_citations(
    sources: SourceRegistry,
    parameters: Mapping[str, Parameter],
    rules: Mapping[str, Rule],
    dispositions: Mapping[str, DispositionSpec],
    questions: Mapping[int, OpenQuestion],
    countries: Mapping[str, CountryProfile],
) -> None:
    for name, parameter in parameters.items():
        for value in parameter.values:
            sources.check(value.sources, f"parameter {name!r}")
        for rule_id in parameter.rules:
            if rule_id not in rules:
                raise UnknownRuleError(f"parameter {name!r} names unknown rule {rule_id!r}")
    for rule in rules.values():
        sources.check(rule.sources, f"rule {rule.id}")
        for name in rule.parameters:
            if name not in parameters:
                raise UnknownParameterError(f"rule {rule.id} names unknown parameter {name!r}")
    for spec in dispositions.values():
        sources.check(spec.sources, f"disposition {spec.id}")
        for rule_id in spec.rules:
            if rule_id not in rules:
                raise UnknownRuleError(f"disposition {spec.id} names unknown rule {rule_id!r}")
    for question in questions.values():
        sources.check(question.sources, f"open question {question.number}")
    for profile in countries.values():
        sources.check(profile.citations(), f"country profile {profile.country}")


def _content_hash(*parts: Any) -> str:
    def encode(item: Any) -> Any:
        if isinstance(item, BaseModel):
            return item.model_dump(mode="json")
        if isinstance(item, dict):
            return {str(key): encode(value) for key, value in item.items()}
        if isinstance(item, list | tuple):
            return [encode(value) for value in item]
        return item

    canonical = json.dumps(encode(list(parts)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_rulebook(overrides: Path | None = None) -> Rulebook:
    """Load and check the rulebook, applying a deployment's dated POLICY overrides if given.

    Raises a RulebookError subclass, with a message naming the offending id, for: an unknown
    source id anywhere, an unknown parameter or rule, an override of a HARD or INTERP value.
    """
    sources = load_sources()
    parameters = _load_parameters()
    rules = {
        rule.id: rule
        for rule in (_validate(Rule, item, "rules.yaml") for item in _read_yaml("rules.yaml"))
    }
    dispositions = {
        spec.id: spec
        for spec in (
            _validate(DispositionSpec, item, "dispositions.yaml")
            for item in _read_yaml("dispositions.yaml")
        )
    }
    questions = {
        question.number: question
        for question in (
            _validate(OpenQuestion, item, "open_questions.yaml")
            for item in _read_yaml("open_questions.yaml")
        )
    }
    countries = load_country_profiles()
    deployment = None
    if overrides is not None:
        deployment = _apply_overrides(parameters, rules, sources, overrides)
    _check_citations(sources, parameters, rules, dispositions, questions, countries)
    content_hash = _content_hash(
        SEMANTIC_VERSION, list(sources), parameters, rules, dispositions, questions, countries
    )
    return Rulebook(
        sources=sources,
        parameters=parameters,
        rules=rules,
        dispositions=dispositions,
        open_questions=questions,
        countries=countries,
        deployment=deployment,
        content_hash=content_hash,
    )


__all__ = [
    "SEMANTIC_VERSION",
    "DispositionSpec",
    "Force",
    "OpenQuestion",
    "Parameter",
    "ParameterValue",
    "Rule",
    "Rulebook",
    "load_rulebook",
]
