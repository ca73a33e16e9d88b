"""Every command, fed generated malformed arguments and files: never a traceback, never exit 0
with an error printed, never a change to the store when the command is refused."""

from __future__ import annotations

import string

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.cli.inprocess import PASSWORD, Powcase

from powcase.cli import app


class Param:
    def __init__(self, opts: list[str], flag: bool, argument: bool) -> None:
        self.opts, self.flag, self.argument = opts, flag, argument


def _commands() -> dict[tuple[str, ...], list[Param]]:
    """Every leaf command by its path, with its parameters (arguments and options)."""
    found: dict[tuple[str, ...], list[Param]] = {}

    def walk(command: object, path: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, (*path, name))
            return
        params = []
        for p in getattr(command, "params", []):
            opts = [o for o in getattr(p, "opts", []) if o.startswith("-") and o != "--help"]
            argument = type(p).__name__.endswith("Argument")
            if opts or argument:
                params.append(Param(opts, bool(getattr(p, "is_flag", False)), argument))
        found[path] = params

    walk(typer.main.get_command(app), ())
    return found


# `serve` runs until it is stopped, so a generated call that happens to be valid would never
# return; its own bad input is tested with the web app (tests/web).
LONG_RUNNING = {("serve",)}
COMMANDS = {path: params for path, params in _commands().items() if path not in LONG_RUNNING}
BAD_FILES = {
    "deep.json": "[" * 20_000 + "]" * 20_000,
    "deep.yaml": "a:\n" + "".join(" " * i + "- b:\n" for i in range(0, 2000, 2)),
    "bomb.yaml": "a0: &a0 [x, x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 200)),
    "date.yaml": "person: {registered_on: 2025-02-30}\nid: 1\ndate: 2025-02-30\n",
    "binary.csv": "\x00\x01\x02 not text",
    "quote.csv": 'name,born\n"Ivanov,1990\nPetrov,1991\n',
    "huge.csv": "name,born\n" + "x" * 50_000 + ",1990\n",
    "plan.json": '{"exchange_id": 1, "counterpart": [], "chosen": 5}',
    "list.yaml": "- 1\n- 2\n",
    "empty.yaml": "",
}
VALUES = [
    "2025-02-30", "2025/01/01", "1.1.2025", "14.05.2000", "", " ", "-1", "0", "10" * 20, "1e309", "xml",
    "../../x", "PW-NOSUCH", "D9", "D2=maybe", "ongoing", "=", "a=b", "present+={", "a.b.c=1", "kind=exchange",
    "no/such/folder/out.json", "missing.yaml", ".", *BAD_FILES, "Ж" * 500, "'; DROP TABLE events; --",
    "admin-1", "clerk-1", "legal-1", "occurred_on=2025-02-30", "x=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Powcase:
    pc = Powcase(tmp_path_factory.mktemp("malformed")).init().accounts()
    case_id = pc.ok("register", "--family-name", "Han", "--given-names", "Byol", "--nationality", "PRK",
                    "--armed-force", "RUS", "--language", "kor", "--registered-on", "2025-01-12").strip()
    pc.ok("record", "capture", case_id, "--on", "2025-01-09", "--set", "place=Sector 9", "--set", "circumstances=captured")
    for name, text in BAD_FILES.items():
        (pc.folder / name).write_text(text, encoding="utf-8")
    VALUES.append(case_id)
    return pc


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[list[str], str]:
    """A command with a value for each argument and some of its options, most values malformed."""
    path = draw(st.sampled_from(sorted(COMMANDS)))
    value = st.one_of(
        st.sampled_from(VALUES),
        st.text(alphabet=string.printable.replace("\x0b", "").replace("\x0c", ""), max_size=12),
    )
    args: list[str] = []
    for param in COMMANDS[path]:
        if param.argument:
            args.append(draw(value))
        elif draw(st.booleans()):
            args.append(draw(st.sampled_from(param.opts)))
            if not param.flag:
                args.append(draw(value))
    if draw(st.booleans()):
        args.insert(draw(st.integers(0, len(args))), draw(value))  # a stray word
    role = draw(st.sampled_from(["clerk", "registrar", "interviewer", "auditor", "admin", "legal", "nobody"]))
    return ["--password-stdin", *path, *args], role


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(line=command_lines())
def test_no_traceback_no_silent_error_no_change_when_refused(store: Powcase, line: tuple[list[str], str]) -> None:
    argv, role = line
    before = store.snapshot()
    ran = store(*argv, role=role, stdin=f"{PASSWORD}\nwrong\n")
    said = ran.out + ran.err
    assert "Traceback" not in said, argv
    assert ran.code in (0, 2), (argv, ran.code, ran.err)  # 1 would be a bug (logged, one line)
    errors = [line for line in ran.err.splitlines() if line.startswith("error:")]
    if errors:
        assert ran.code != 0, (argv, ran.err)
    if ran.code != 0:
        assert store.snapshot() == before, f"{argv}: refused, yet the store changed"


def test_every_command_is_covered() -> None:
    assert len(COMMANDS) > 40 and ("schema", "event") in COMMANDS and ("context", "show") in COMMANDS
