"""The README's tour, run as written on a fresh demo store: every command works (the one it says
is refused is refused), its interview qualifies, and scripts/demo-tour.sh runs the same commands."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from tests.cli.inprocess import Powcase

from powcase.app import Settings, open_powcase
from powcase.app.interviews import interview_assessment

ROOT = Path(__file__).resolve().parents[2]
_AS = re.compile(r"^POWCASE_TOKEN=\$\(cat demo/tokens/(?P<role>[\w-]+)\.token\) (?P<rest>.*)$")


def readme_tour() -> list[tuple[str, list[str], str]]:
    """(account, argv after `powcase`, its comment) for each command of the README's tour."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A five-minute tour", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    commands: list[tuple[str, list[str], str]] = []
    for line in joined.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "export ", "alias ")):
            if commands and stripped.startswith("#"):  # a comment on its own line belongs to the command above
                role, argv, comment = commands[-1]
                commands[-1] = (role, argv, comment + " " + stripped)
            continue
        role = "demo-legal"
        match = _AS.match(stripped)
        if match:
            role, stripped = match["role"], match["rest"]
        words = shlex.split(stripped, comments=True)
        comment = stripped.split("#", 1)[1] if " #" in stripped else ""
        assert words[0] == "powcase", line
        commands.append((role, words[1:], comment))
    return commands


def script_tour() -> set[tuple[str, tuple[str, ...]]]:
    """(account, argv) for each command scripts/demo-tour.sh runs (`run ...` or `as ROLE ...`)."""
    found = set()
    for line in (ROOT / "scripts" / "demo-tour.sh").read_text(encoding="utf-8").splitlines():
        if line.startswith("run "):
            words = shlex.split(line.removesuffix(" || true"))
            found.add(("demo-legal", tuple(words[1:])))
        elif line.startswith("as "):
            words = shlex.split(line.removesuffix(" || true"))
            found.add((words[1], tuple(words[2:])))
    return found


def test_demo_script_runs_the_readme_tour() -> None:
    tour = readme_tour()
    assert len(tour) >= 15
    missing = [argv for role, argv, _ in tour if (role, tuple(argv)) not in script_tour()]
    assert not missing, f"in the README's tour but not in scripts/demo-tour.sh: {missing}"


def test_readme_tour_on_a_fresh_demo_store(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    pc = Powcase(tmp_path)
    pc.url = "sqlite:///demo/powcase.db"
    pc.env = {"POWCASE_DATABASE_URL": pc.url, "XDG_CONFIG_HOME": str(tmp_path / ".config"),
              "XDG_STATE_HOME": str(tmp_path / ".state")}
    pc.ok("demo", "--count", "30", role="")
    for role, argv, comment in readme_tour():
        token = (tmp_path / "demo" / "tokens" / f"{role}.token").read_text(encoding="ascii").strip()
        ran = pc(*argv, role="", env={"POWCASE_TOKEN": token})
        assert "Traceback" not in ran.err
        if "refused" in comment:
            assert ran.code == 2 and ran.err.startswith("error: "), (argv, ran.err)
            continue
        assert ran.code == 0, (argv, ran.err)
        if argv[:2] == ["record", "interview"]:
            assert "will not count" not in ran.err, ran.err
            case_id, seq = argv[2], int(ran.out.split(" event ")[1].split(":")[0])
            store = open_powcase(Settings.resolve(f"sqlite:///{tmp_path / 'demo' / 'powcase.db'}"))
            try:
                assessment = interview_assessment(store, case_id, seq)
            finally:
                store.store.engine.dispose()
            assert assessment is not None and assessment.qualifies, assessment
    for written in ("demo/out.json", "demo/kor1.yaml", "demo/all.json", "demo/exchange/plan.json"):
        assert (tmp_path / written).exists(), written
    assert not [p.name for p in tmp_path.iterdir() if p.is_file()], "the tour wrote files outside demo/"
