"""``--set key=value`` for the CLI: values are read as YAML, dotted keys build nested fields.

``--set stated_wish=third_state --set wish_state=KOR`` sets two fields; ``--set interpreter.language=kor``
sets a nested one; ``--set 'present+={role: neutral_observer, organisation: ICRC}'`` appends to a list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from powcase.domain.reading import load_document, parse_yaml
from powcase.errors import InvalidInput


def parse_assignments(assignments: list[str], base: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = dict(base or {})
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--set {item!r}: expected key=value")
        append = key.endswith("+")
        path = key.rstrip("+").strip().split(".")
        value = parse_yaml(raw, f"--set {path[-1]}") if raw.strip() else None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            value = raw.strip() if isinstance(value, int | float) and _looks_like_code(raw) else value
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise InvalidInput(f"--set {key}: {part} is not a group of fields")
        if append:
            target.setdefault(path[-1], []).append(value)
        else:
            target[path[-1]] = value
    return data


def _looks_like_code(raw: str) -> bool:
    # Service numbers like 0071 must stay strings, not become the number 71.
    text = raw.strip()
    return text.startswith("0") and len(text) > 1 and "." not in text


def read_fields(file: Path | None) -> dict[str, Any]:
    if file is None:
        return {}
    data = load_document(file)
    if not isinstance(data, dict):
        raise InvalidInput(f"{file}: expected a mapping of field: value")
    return data
