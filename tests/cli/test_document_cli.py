"""`powcase document`: a private PDF written whole, never over an existing file without --force,
and a refusal naming what is missing."""

from __future__ import annotations

import json
import stat

from tests.cli.conftest import Shell

from powcase.demo import the_two_soldiers


def test_document_written_private_and_never_over_a_file(sh: Shell) -> None:
    (sh.folder / "two.json").write_text(json.dumps({"cases": the_two_soldiers()}, ensure_ascii=False), encoding="utf-8")
    sh.ok("import", "two.json")
    said = sh.ok("document", "capture-card", "PW-DEMO-KOR1", "--out", "card.pdf", "--as-of", "2025-11-30")
    card = sh.folder / "card.pdf"
    assert "wrote card.pdf" in said and card.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(card.stat().st_mode) == 0o600
    again = sh("document", "notice", "PW-DEMO-KOR1", "--lang", "ru", "--out", "card.pdf")
    assert again.code == 2 and "card.pdf exists; use --force" in again.err
    missing = sh("document", "decision-memo", "PW-DEMO-KOR2", "--out", "memo.pdf")
    assert missing.code == 2 and "missing a recorded decision with its approver" in missing.err
    assert not (sh.folder / "memo.pdf").exists()
    assert not [p for p in sh.folder.iterdir() if p.name.endswith(".part")]
