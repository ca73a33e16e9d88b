"""Reading structured input (JSON and YAML) within bounds: a size limit, a depth limit, and every
failure an :class:`InvalidInput` naming the file and the line, never a traceback.

Files come from other offices, other governments and old exports. A document nested thousands
of levels deep would exhaust Python's stack, a huge one the memory, a YAML alias bomb both, and
an impossible date (``2025-02-30``) makes the YAML library raise a bare ``ValueError``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from powcase.errors import InvalidInput

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Case files nest about six levels; a context or exchange file fewer.
MAX_DEPTH = 32
# Documents we read never need many aliases; a few thousand is the start of an alias bomb.
MAX_ALIASES = 100


class _Loader(yaml.SafeLoader):
    """The safe loader, with dates that fail as YAML errors (with their line) and counted aliases."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.YAMLError("too many aliases")
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            raise yaml.YAMLError("nested too deeply")
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, "a date that does not exist", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def parse_yaml(text: str, source: str) -> Any:
    """A YAML text (or a JSON one: YAML reads it) within the limits."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or (str(exc) if type(exc) is yaml.YAMLError else None)
        raise InvalidInput(f"{source}: not valid YAML{where}{': ' + problem if problem else ''}") from None
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply") from None


def parse_json(text: str, source: str) -> Any:
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
    if _bracket_depth(text) > MAX_DEPTH:
        raise InvalidInput(f"{source}: nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply") from None


def _bracket_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings: checked before the parser recurses."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def load_document(path: Path) -> Any:
    """Read a JSON or YAML file within the limits; every problem names the file (and line)."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.__class__.__name__}") from None
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))

