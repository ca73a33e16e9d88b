"""Side doors: a refused transfer is logged as refused, a disclosure that cannot be delivered
records nothing, and every file that holds personal data is private and whole."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.access.helpers import FAST_HASHER, PASSWORD
from tests.conftest import Backend, FixedClock

from powcase.access.accounts import Accounts
from powcase.access.audit import verify_audit
from powcase.access.sharing import Disclosure
from powcase.access.tables import access_log
from powcase.app import Settings, init_store
from powcase.app.office import Office
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, FIRST_SOLDIER, SECOND_SOLDIER, the_two_soldiers
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Transferred, parse_event
from powcase.errors import InvalidInput
from powcase.files import write_private, write_private_with
from powcase.law import ExecutionRefused
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore


@pytest.fixture
def legal(backend: Backend, master_key: MasterKey, clock: FixedClock) -> Office:
    pw = Powcase(EventStore(backend.engine, master_key), clock, context=Context.model_validate(CONTEXT))
    accounts = Accounts(pw.store.engine, pw.store.master_key, pw.clock, hasher=FAST_HASHER)
    admin = accounts.add_user("admin-1", PASSWORD, ["administrator"], by=None)
    registrar = accounts.add_user("registrar-1", PASSWORD, ["registrar"], by=admin)
    Office(pw, accounts, registrar).import_casefiles(parse_casefiles({"cases": the_two_soldiers()}))
    return Office(pw, accounts, accounts.add_user("legal-1", PASSWORD, ["legal_officer"], by=admin))


def _log(office: Office, action: str) -> list[tuple[str | None, str, str | None]]:
    with office.pw.store.engine.begin() as conn:
        rows = conn.execute(select(access_log).where(access_log.c.action == action).order_by(access_log.c.seq))
        return [(r.case_id, r.outcome, r.reason) for r in rows]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_transfer_the_guard_refuses_is_logged_as_refused_not_allowed(legal: Office) -> None:
    transfer = parse_event({"type": "transferred", "occurred_on": date(2025, 6, 10), "kind": "exchange", "to_state": "RUS"})
    assert isinstance(transfer, Transferred)
    before = legal.pw.history(FIRST_SOLDIER)
    with pytest.raises(ExecutionRefused, match=f"case {FIRST_SOLDIER}: D2 refused"):
        legal.record(FIRST_SOLDIER, transfer)
    assert legal.pw.history(FIRST_SOLDIER) == before
    assert _log(legal, "record_transfer") == [(FIRST_SOLDIER, "refused", "execution_guard")]
    with legal.pw.store.engine.begin() as conn:
        assert verify_audit(conn, legal.pw.store.master_key) == []  # the access log's chain stays sound


def test_an_exchange_execution_logs_each_removed_man_as_refused(legal: Office) -> None:
    plan = {"exchange_id": "EX-TEST-1", "counterpart": "RUS", "chosen": [FIRST_SOLDIER]}
    done = legal.execute_exchange(plan, date(2025, 6, 10), {})
    assert done.transferred == () and FIRST_SOLDIER in done.removed
    assert _log(legal, "record_transfer") == [(FIRST_SOLDIER, "refused", "execution_guard")]


def test_a_disclosure_that_cannot_be_delivered_records_nothing(legal: Office) -> None:
    request = Disclosure(case_ids=[FIRST_SOLDIER, SECOND_SOLDIER], purpose="central_agency", recipient="ICRC CTA",
                         recipient_kind="neutral_intermediary", legal_basis="GC III Art 123", fields=["family_name"])
    before = [legal.pw.history(c) for c in (FIRST_SOLDIER, SECOND_SOLDIER)]

    def fails(_id: str, _records: list[dict[str, object]]) -> None:
        raise InvalidInput("out/: no such folder; create it first (nothing was written)")

    with pytest.raises(InvalidInput, match="no such folder"):
        legal.disclose(request, fails)
    assert [legal.pw.history(c) for c in (FIRST_SOLDIER, SECOND_SOLDIER)] == before
    assert "allowed" not in {outcome for _, outcome, _ in _log(legal, "disclose")}
    delivered: list[str] = []
    disclosure_id, _ = legal.disclose(request, lambda i, _r: delivered.append(i))
    assert delivered == [disclosure_id]
    assert [d.event.disclosure_id for d in legal.pw.case(FIRST_SOLDIER).disclosures] == [disclosure_id]


def test_private_files_are_0600_whole_and_leave_nothing_behind(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        target = tmp_path / "kor1.yaml"
        target.write_text("older, world-readable\n")
        write_private(target, "family_name: 별찬\n")
        assert target.read_text(encoding="utf-8") == "family_name: 별찬\n" and _mode(target) == 0o600

        def breaks(path: Path) -> None:
            path.write_text("half of it")
            raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            write_private_with(target, breaks)
        assert target.read_text(encoding="utf-8") == "family_name: 별찬\n"  # the old file, whole
        with pytest.raises(InvalidInput, match="no such folder"):
            write_private(tmp_path / "missing" / "out.json", "{}")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kor1.yaml"]  # no temporary file left
    finally:
        os.umask(old_umask)


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POWCASE_MASTER_KEY", raising=False)
    old_umask = os.umask(0o022)
    try:
        settings = Settings.resolve(f"sqlite:///{tmp_path / 'demo' / 'powcase.db'}")
        init_store(settings)
        assert _mode(tmp_path / "demo" / "powcase.db") == 0o600
        assert _mode(settings.key_file) == 0o600
        # A store an older powcase left world-readable is closed by `powcase init`.
        os.chmod(tmp_path / "demo" / "powcase.db", 0o644)
        init_store(settings)
        assert _mode(tmp_path / "demo" / "powcase.db") == 0o600
    finally:
        os.umask(old_umask)
