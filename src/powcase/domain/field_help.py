"""What each field of an event is: its type, whether it is required, and one line about it.

`powcase schema event NAME` and `powcase record NAME --help` print this, so that a person can
discover the fields without reading code. The lines are in ``field_help.yaml``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple

import yaml

from powcase.domain.events import Event

# Set by the store or by `record` itself, not by the person recording.
_NOT_SET_BY_HAND = frozenset({"type"})


class FieldHelp(NamedTuple):
    name: str
    type: str
    required: bool
    description: str


@cache
def _lines() -> dict[str, str]:
    text = files("powcase.domain").joinpath("field_help.yaml").read_text(encoding="utf-8")
    data: dict[str, str] = yaml.safe_load(text)
    return data


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
        return _type_of(target, defs) if "enum" in target else "mapping"
    if "anyOf" in prop:
        kinds = [_type_of(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds) or "any"
    if "enum" in prop:
        return "one of " + ", ".join(str(v) for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}), defs)}"
    if kind == "string" and prop.get("format") == "date":
        return "date"
    return {"string": "text", "integer": "whole number", "boolean": "true/false", "object": "mapping"}.get(
        str(kind), str(kind or "any")
    )


def event_fields(cls: type[Event]) -> list[FieldHelp]:
    schema = cls.model_json_schema()
    defs = schema.get("$defs", {})
    command = cls.command or ""
    lines = _lines()
    out = []
    for name, prop in schema.get("properties", {}).items():
        if name in _NOT_SET_BY_HAND:
            continue
        required = cls.model_fields[name].is_required()
        line = lines.get(f"{command}.{name}") or lines.get(name, "")
        out.append(FieldHelp(name, _type_of(prop, defs), required, line))
    return out


def fields_text(cls: type[Event]) -> str:
    """The fields as lines for a terminal: `name  type  required|optional  description`."""
    rows = event_fields(cls)
    width = max(len(r.name) for r in rows)
    return "\n".join(
        f"{r.name:<{width}}  {'required' if r.required else 'optional'}  {r.type}: {r.description}" for r in rows
    )
