"""`powcase determine FILE --sources none|ids|full`: the memo lists its sources as asked."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Shell

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-first-soldier-asks-for-south-korea.yaml"


def test_determine_lists_sources_by_id_unless_asked_for_their_wording(sh: Shell) -> None:
    ids = sh.ok("determine", str(SCENARIO), "--as-of", "2025-01-15")
    full = sh.ok("determine", str(SCENARIO), "--as-of", "2025-01-15", "--sources", "full")
    none = sh.ok("determine", str(SCENARIO), "--as-of", "2025-01-15", "--sources", "none")
    assert "CAT-3: Convention against Torture" in ids and "substantial grounds" not in ids
    assert "substantial grounds" in full
    assert "Sources cited" not in none
    refused = sh("determine", str(SCENARIO), "--sources", "some")
    assert refused.code != 0 and "--sources" in refused.err
    assert "Traceback" not in refused.err
