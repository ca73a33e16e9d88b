"""`powcase deadlines` on the demo: the deadlines it was built to miss, as text, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import Shell

from powcase.demo import MISSED_CARD


def test_deadlines_overdue_on_the_demo(tmp_path: Path) -> None:
    sh = Shell(tmp_path)
    sh.ok("demo", "--count", str(MISSED_CARD))
    token = (tmp_path / "tokens" / "demo-registrar.token").read_text(encoding="ascii").strip()
    sh.env["POWCASE_TOKEN"] = token
    text = sh.ok("deadlines", "--overdue", "--as-of", "2025-11-30")
    assert text.index("capture_card") < text.index("overdue duty row(s)")  # the summary comes first
    assert "PW-DEMO-KOR2 조 명수 / Jo Myong Su: Capture card [GC3-70] overdue, due 2025-01-17" in text
    assert f"PW-DEMO-{MISSED_CARD:05d}" in text
    data = json.loads(sh.ok("deadlines", "--overdue", "--as-of", "2025-11-30", "--format", "json"))
    assert {row["status"] for row in data["duties"]} == {"overdue"}
    assert data["summary"]["capture_card"]["overdue"] >= 3
    sh.env["POWCASE_TOKEN"] = (tmp_path / "tokens" / "demo-auditor.token").read_text(encoding="ascii").strip()
    rows = list(csv.DictReader(io.StringIO(sh.ok("deadlines", "--case", "PW-DEMO-KOR1", "--as-of", "2025-11-30", "--format", "csv"))))
    assert rows and "name" not in rows[0] and "Pak" not in json.dumps(rows)
    assert {row["duty"] for row in rows} >= {"capture_card", "particulars", "notice_hospital"}
