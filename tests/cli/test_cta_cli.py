"""`powcase cta-list`: CSV and XLSX for the Agency, the withheld report apart, all 0600, and
nothing recorded or written when a file is in the way."""

from __future__ import annotations

import json
import stat

from tests.cli.conftest import Shell

from powcase.demo import the_two_soldiers


def test_cta_list_files(sh: Shell) -> None:
    (sh.folder / "two.json").write_text(json.dumps({"cases": the_two_soldiers()}, ensure_ascii=False), encoding="utf-8")
    sh.ok("import", "two.json")
    said = sh.ok("cta-list", "--since", "2025-01-01", "--out", "cta")
    assert "0 notice(s)" in said
    for name in ("cta.csv", "cta.xlsx", "cta-withheld-INTERNAL.csv"):
        assert stat.S_IMODE((sh.folder / name).stat().st_mode) == 0o600
    withheld = (sh.folder / "cta-withheld-INTERNAL.csv").read_text(encoding="utf-8-sig")
    assert "PW-DEMO-KOR1" in withheld and "PW-DEMO-KOR2" in withheld
    again = sh("cta-list", "--since", "2025-01-01", "--out", "cta.csv")
    assert again.code == 2 and "cta.csv exists; use --force" in again.err
