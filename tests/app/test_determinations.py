"""The projection of determinations: what `determine --all` serves equals deciding every case
again, on both backends, whatever was recorded, whichever day, rulebook or context is asked; a row
that does not match (altered in the database, or made at another head of the chain) is never
served and `audit verify` names it; `rebuild` makes it again."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from tests.conftest import Backend, FixedClock
from tests.law.law_scenarios import rulebook_for

from powcase.app.determinations import CaseVerdicts, _Seal, decide_case, decide_register
from powcase.app.service import Powcase
from powcase.demo import CONTEXT, FIRST_SOLDIER, SECOND_SOLDIER, demo_bundle
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Interviewed, Notified, Presence
from powcase.domain.values import PresentRole, StatedWish
from powcase.errors import IntegrityFailure
from powcase.law import Rulebook, Status
from powcase.store.crypto import MasterKey
from powcase.store.eventstore import EventStore
from powcase.store.tables import chain_heads, determinations, events
from powcase.store.witness import Witness

DAY = date(2025, 6, 10)


@pytest.fixture
def app(backend: Backend, master_key: MasterKey, clock: FixedClock, tmp_path: Path) -> Powcase:
    witness = Witness.create(tmp_path / "powcase.witness", master_key)
    pw = Powcase(EventStore(backend.engine, master_key, witness), clock, context=Context.model_validate(CONTEXT))
    pw.import_casefiles(parse_casefiles(demo_bundle(count=60)), "importer")
    return pw


def _recomputed(pw: Powcase, book: Rulebook, day: date, context: Context | None) -> dict[str, tuple[tuple[str, Status], ...]]:
    """Every case decided again from its history, the projection ignored."""
    out = {}
    with pw.store.begin() as tx:
        for history in tx.histories():
            verdicts, _ = decide_case(history, book, day, context)
            if verdicts:
                out[history[0].case_id] = verdicts
    return out


def _served(pw: Powcase, book: Rulebook, day: date, context: Context | None) -> tuple[dict[str, tuple[tuple[str, Status], ...]], set[str]]:
    items: list[CaseVerdicts] = list(decide_register(pw.store, book, day, context))
    return {i.case_id: i.verdicts for i in items}, {i.case_id for i in items if i.recomputed}


def test_the_projection_equals_deciding_every_case_again(app: Powcase) -> None:
    book, ctx = app.rulebook, app.context
    first, again = _served(app, book, DAY, ctx)
    assert first == _recomputed(app, book, DAY, ctx) and len(first) > 30
    assert again == set(first)  # an empty projection: every case decided
    # The next day, nothing recorded: served from the projection but for what expired.
    nxt = DAY + timedelta(days=1)
    served, again = _served(app, book, nxt, ctx)
    assert served == _recomputed(app, book, nxt, ctx)
    assert len(again) < len(served) // 2
    # Recording an event makes that case stale, and that case only needs deciding again.
    _served(app, book, nxt, ctx)
    app.record(FIRST_SOLDIER, Interviewed(
        occurred_on=nxt, interviewer="Delegate", language="kor", present=[Presence(role=PresentRole.NEUTRAL_OBSERVER)],
        informed_of_options=True, informed_of_right_to_change=True, stated_wish=StatedWish.UNDECIDED,
    ), "delegate")
    served, again = _served(app, book, nxt, ctx)
    assert again == {FIRST_SOLDIER} and served == _recomputed(app, book, nxt, ctx)
    # Another context, another rulebook, an earlier day: decided again, and equal to the full recomputation.
    other_ctx = Context.model_validate({**CONTEXT, "hostilities": [*CONTEXT["hostilities"], {"state": "ceased", "since": "2025-06-01"}]})
    served, again = _served(app, book, nxt, other_ctx)
    assert again == set(served) and served == _recomputed(app, book, nxt, other_ctx)
    policy = rulebook_for("refusal-without-risk-not-honoured.yaml")
    served, again = _served(app, policy, nxt, other_ctx)
    assert again == set(served) and served == _recomputed(app, policy, nxt, other_ctx)
    earlier = DAY - timedelta(days=30)
    served, again = _served(app, policy, earlier, other_ctx)
    assert again == set(served) and served == _recomputed(app, policy, earlier, other_ctx)
    assert app.verify() == []


def test_the_verdicts_are_not_in_clear(app: Powcase, backend: Backend) -> None:
    _served(app, app.rulebook, DAY, app.context)
    with backend.engine.begin() as conn:
        rows = conn.execute(select(determinations)).all()
    assert rows and not any(b"barred" in bytes(r.sealed_verdicts) or "barred" in str(r) for r in rows)


def test_a_row_altered_in_the_database_is_not_served_and_verify_names_it(app: Powcase, backend: Backend) -> None:
    book, ctx = app.rulebook, app.context
    truth, _ = _served(app, book, DAY, ctx)
    assert truth[SECOND_SOLDIER][0] == ("D1", Status.BARRED)  # a real risk on return
    # The verdicts are sealed: a row cannot be written without the key, only moved or changed.
    # Here the second soldier's row is given the first's sealed verdicts, and the first another day.
    with backend.engine.begin() as conn:
        sealed = conn.execute(select(determinations.c.sealed_verdicts).where(determinations.c.case_id == FIRST_SOLDIER)).scalar_one()
        conn.execute(update(determinations).where(determinations.c.case_id == SECOND_SOLDIER).values(sealed_verdicts=sealed))
        conn.execute(update(determinations).where(determinations.c.case_id == FIRST_SOLDIER).values(as_of=DAY - timedelta(days=1)))
    assert [(b.case_id, "altered" in b.problem) for b in app.verify()] == [(FIRST_SOLDIER, True), (SECOND_SOLDIER, True)]
    served, again = _served(app, book, DAY, ctx)
    assert again == {FIRST_SOLDIER, SECOND_SOLDIER} and served == truth
    assert app.verify() == []


def test_a_row_made_at_another_head_is_not_served(app: Powcase, backend: Backend) -> None:
    """An event appended behind the application's back (the row is not removed with it): the row
    speaks for an older head, so verify names it and the case is decided again."""
    book, ctx = app.rulebook, app.context
    _served(app, book, DAY, ctx)
    event = Interviewed(
        occurred_on=DAY, interviewer="Delegate", language="kor", present=[Presence(role=PresentRole.NEUTRAL_OBSERVER)],
        informed_of_options=True, informed_of_right_to_change=True, stated_wish=StatedWish.UNDECIDED,
    )
    with app.store.begin() as tx:
        tx.append(FIRST_SOLDIER, tx.last_seq(FIRST_SOLDIER), [event], "delegate", app.clock())
    assert [b.case_id for b in app.verify()] == [FIRST_SOLDIER]
    served, again = _served(app, book, DAY, ctx)
    assert again == {FIRST_SOLDIER} and served == _recomputed(app, book, DAY, ctx)


def test_a_store_rolled_back_with_its_projection_is_not_served(app: Powcase, backend: Backend) -> None:
    """The database put back as it was before an event (events, head and projection row, all as
    powcase wrote them then): the witness outside it records the later head, so the old row is
    not served and the case, read again, is refused."""
    book, ctx = app.rulebook, app.context
    _served(app, book, DAY, ctx)
    with backend.engine.begin() as conn:
        head = conn.execute(select(chain_heads).where(chain_heads.c.case_id == FIRST_SOLDIER)).mappings().one()
    app.record(FIRST_SOLDIER, Notified(occurred_on=DAY, recipient="central_agency", action="sent"), "clerk")
    _served(app, book, DAY, ctx)
    with backend.engine.begin() as conn:
        row = conn.execute(select(determinations).where(determinations.c.case_id == FIRST_SOLDIER)).mappings().one()
    assert row["last_seq"] == head["last_seq"] + 1
    old_row = {**row, "last_seq": head["last_seq"], "head_hash": head["last_hash"]}
    # The attacker cannot seal; he puts back the row as powcase sealed it for the old head.
    sealed_old = _Seal(app.store.master_key).seal(old_row, "D1=permitted")
    with backend.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.case_id == FIRST_SOLDIER, events.c.seq > head["last_seq"]))
        conn.execute(update(chain_heads).where(chain_heads.c.case_id == FIRST_SOLDIER).values(**head))
        conn.execute(update(determinations).where(determinations.c.case_id == FIRST_SOLDIER)
                     .values(last_seq=head["last_seq"], head_hash=head["last_hash"], sealed_verdicts=sealed_old))
    with pytest.raises(IntegrityFailure, match=FIRST_SOLDIER):
        _served(app, book, DAY, ctx)


def test_rebuild_makes_the_projection_again(app: Powcase, backend: Backend, clock: FixedClock) -> None:
    with backend.engine.begin() as conn:
        conn.execute(text("DELETE FROM determinations"))
    count = app.rebuild()
    with backend.engine.begin() as conn:
        rows = conn.execute(select(func.count()).select_from(determinations)).scalar_one()
    assert rows == count
    served, again = _served(app, app.rulebook, app.today(), app.context)
    assert not again and served == _recomputed(app, app.rulebook, app.today(), app.context)
