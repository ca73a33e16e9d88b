"""The law engine is pure: no store, app, web or CLI, no clock, no randomness, no network."""

from __future__ import annotations

import ast
from pathlib import Path

import powcase.law

LAW = Path(powcase.law.__file__).resolve().parent
FORBIDDEN_PACKAGES = ("powcase.store", "powcase.app", "powcase.web", "powcase.cli")
FORBIDDEN_MODULES = ("random", "secrets", "socket", "urllib", "http", "requests", "httpx", "time", "uuid", "os")
FORBIDDEN_CALLS = {("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def forbidden_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{node.lineno}: {n}" for n in names if n.startswith(FORBIDDEN_PACKAGES) or n.split(".")[0] in FORBIDDEN_MODULES]
    return found


def clock_reads(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if (name, node.attr) in FORBIDDEN_CALLS:
            found.append(f"{node.lineno}: {name}.{node.attr}")
    return found


def test_the_detectors_detect() -> None:
    assert clock_reads("import datetime\nx = datetime.date.today()\ny = datetime.now()")
    assert forbidden_imports("from powcase.store import x\nimport random\nfrom time import time")
    assert not clock_reads("x = case.as_of")


def modules() -> list[Path]:
    return sorted(LAW.rglob("*.py"))


def test_there_are_modules_to_check() -> None:
    assert len(modules()) >= 10


def test_no_forbidden_imports() -> None:
    problems = [f"{p.name}:{hit}" for p in modules() for hit in forbidden_imports(p.read_text(encoding="utf-8"))]
    assert not problems, problems


def test_no_clock_reads() -> None:
    problems = [f"{p.name}:{hit}" for p in modules() for hit in clock_reads(p.read_text(encoding="utf-8"))]
    assert not problems, problems
