"""The witness and checkpoints from the command line, as an auditor and an administrator use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import Shell
from tests.cli.test_cli import _register


def _one_line_refusal(sh: Shell, *args: str) -> str:
    result = sh(*args)
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    assert result.out == ""
    return lines[0]


def test_checkpoint_rotation_and_a_cut_event(sh: Shell, tmp_path: Path) -> None:
    case_id = _register(sh)
    assert (tmp_path / "powcase.witness").stat().st_mode & 0o777 == 0o600
    out = sh.ok("audit", "checkpoint", "--out", "published.json", role="auditor")
    assert out.startswith("checkpoint of 1 case(s) at ")
    sh.ok("record", "custody", case_id, "--on", "2025-01-20", "--set", "place=Camp Test-1")
    verified = sh.ok("audit", "verify", "--against", "published.json", role="auditor")
    assert verified.splitlines() == ["all chains verify", verified.splitlines()[1]]
    assert verified.splitlines()[1].startswith("not behind the checkpoint of ")

    # A key rotation keeps the witness valid under the new key.
    sh.ok("keys", "rotate", role="admin")
    assert sh.ok("audit", "verify", "--against", "published.json", role="auditor").startswith("all chains verify")

    # The DBA cuts the last event: reads and decisions refuse, in one line.
    with sqlite3.connect(tmp_path / "powcase.db") as db:
        db.execute("DELETE FROM events WHERE case_id = ? AND seq = 3", (case_id,))
    for command in (("show", case_id), ("determine", case_id, "--as-of", "2025-02-01")):
        line = _one_line_refusal(sh, *command)
        assert f"case {case_id}: the chain ends at event 2 but 3 were recorded (removed)" in line
    failed = sh("audit", "verify", role="auditor")
    assert failed.code == 2 and f"case {case_id} event 3: the chain ends at event 2 but 3 were recorded (removed)" in failed.out


def test_a_lost_witness_is_said_and_rebuilt_by_the_administrator(sh: Shell, tmp_path: Path) -> None:
    case_id = _register(sh)
    sh.ok("audit", "checkpoint", "--out", "published.json", role="auditor")
    (tmp_path / "powcase.witness").unlink()
    line = _one_line_refusal(sh, "show", case_id)
    assert "powcase.witness is missing: restore it from its backup" in line
    out = sh.ok("audit", "witness-init", "--against", "published.json", role="admin")
    assert out.startswith("witness of 1 case(s) written to ")
    assert sh.ok("show", case_id, "--format", "json")
    assert sh.ok("audit", "verify", role="auditor").strip() == "all chains verify"
