"""Run the real `powcase` command in a fresh folder, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


class Shell:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("POWCASE_")}
        self.env["POWCASE_ACTOR"] = "test-registrar"
        self.env["COLUMNS"] = "200"

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "powcase", *args], cwd=self.folder, env=self.env,
            capture_output=True, text=True, input=stdin, timeout=120, check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, result.err
        return result.out


@pytest.fixture
def sh(tmp_path: Path) -> Shell:
    shell = Shell(tmp_path)
    shell.ok("init")
    return shell
