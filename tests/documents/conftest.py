"""Where the document tests keep their renderings (PDF and PNG), for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts" / "documents"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if ARTEFACTS.exists() and any(ARTEFACTS.iterdir()):
        terminalreporter.write_line(f"document renderings (PDF and PNG) kept in {ARTEFACTS}")
