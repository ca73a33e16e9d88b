"""`determine --all` from the store: the register decided as of a new day, beside reading and
folding the same cases. Prints figures; asserts nothing.

    .venv/bin/python bench/law/register.py [--cases 22600] [--changed 0.01] [--backend sqlite|postgresql|both]

Synthetic cases of about ten events (capture, custody moves, interviews with one of several
wishes, a risk assessment for some, a medical finding, a notification), imported once. Then:

- baseline: read, check, decrypt and fold every case (what any pass over the register pays);
- the register decided from scratch (an empty projection: every case decided, verdicts only);
- the next day, nothing recorded but the date: served from the projection (aim < 5 s);
- a day on which 1% of the cases had an event recorded (aim < 1 s).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from powcase.app.determinations import decide_register
from powcase.app.service import Powcase
from powcase.demo import CONTEXT
from powcase.domain.case import fold
from powcase.domain.casefile import parse_casefiles
from powcase.domain.context import Context
from powcase.domain.events import Notified
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import database_url, make_engine
from powcase.store.eventstore import EventStore

BATCH = 1000
DAY = date(2025, 9, 1)
_WISHES = ["repatriation", "repatriation", "no_repatriation", "third_state", "undecided"]


def _letters(i: int) -> str:
    """A name of letters only, different for each case."""
    out = ""
    while True:
        out += "abcdefghijklmnopqrstuvwxyz"[i % 26]
        i //= 26
        if not i:
            return out.capitalize()


def synthetic(n: int, start: int, rng: random.Random) -> dict[str, Any]:
    cases = []
    for i in range(start, start + n):
        captured = date(2023, 1, 1) + timedelta(days=i % 800)
        wish = rng.choice(_WISHES)
        events: list[dict[str, Any]] = [
            {"type": "captured", "occurred_on": captured.isoformat(), "place": "Sector 9", "circumstances": "captured"},
            {"type": "notified", "occurred_on": (captured + timedelta(days=3)).isoformat(),
             "recipient": "central_agency", "action": "sent"},
        ]
        for k in range(1, 4):
            events.append({"type": "custody_moved", "occurred_on": (captured + timedelta(days=k * 10)).isoformat(),
                           "place": f"Camp {k}", "kind": "camp"})
        for k in range(1, rng.randint(1, 3) + 1):
            event = {"type": "interviewed", "occurred_on": (captured + timedelta(days=40 + k * 10)).isoformat(),
                     "interviewer": "Delegate", "language": "rus", "stated_wish": wish,
                     "present": [{"role": "neutral_observer", "organisation": "ICRC"}],
                     "informed_of_options": True, "informed_of_right_to_change": True}
            if wish == "third_state":
                event["wish_state"] = "KOR"
            events.append(event)
        if rng.random() < 0.5:
            events.append({"type": "risk_assessed", "occurred_on": (captured + timedelta(days=80)).isoformat(),
                           "destination": "RUS", "conclusion": rng.choice(["no_real_risk", "real_risk"]),
                           "test": ["CAT-3"], "evidence": [], "reasoning": "Fictional.", "assessor": "A", "reviewer": "B"})
        events.append({"type": "medically_assessed", "occurred_on": (captured + timedelta(days=90)).isoformat(),
                       "assessed_by": "physician", "fit_to_travel": True})
        events.sort(key=lambda e: str(e["occurred_on"]))
        cases.append({
            "case_id": f"PW-R{i:08d}",
            "person": {"registered_on": (captured + timedelta(days=1)).isoformat(),
                       "family_name": {"latin": "Synthetic"}, "given_names": {"latin": _letters(i)},
                       "birth_date": "1990-01-01", "service_number": f"SN-{i:08d}", "nationality": "RUS",
                       "armed_force": "RUS", "languages": ["rus"]},
            "events": events,
        })
    return {"cases": cases}


def _timed(pw: Powcase, day: date) -> tuple[float, int, int]:
    started = time.perf_counter()
    decided = again = 0
    for item in decide_register(pw.store, pw.rulebook, day, pw.context):
        decided += 1
        again += item.recomputed
    return time.perf_counter() - started, decided, again


def run(backend: str, url: str, count: int, changed: float) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    clock = datetime(2026, 1, 1, tzinfo=UTC)
    pw = Powcase(EventStore(engine, MasterKey.generate()), lambda: clock, context=Context.model_validate(CONTEXT))
    rng = random.Random(14)
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        pw.import_casefiles(parse_casefiles(synthetic(min(BATCH, count - start), start, rng)), "bench")
    print(f"[{backend}] {count:,} cases imported in {time.perf_counter() - started:.1f} s")
    pw.rulebook  # noqa: B018 - loaded before the clocks start, as a running office has it

    pw.store.forget_all_keys()
    started = time.perf_counter()
    with pw.store.begin() as tx:
        for history in tx.histories():
            fold(history)
    baseline = time.perf_counter() - started
    print(f"[{backend}] baseline, read + check + decrypt + fold every case: {baseline:.2f} s")

    pw.store.forget_all_keys()
    scratch, decided, again = _timed(pw, DAY)
    print(f"[{backend}] from scratch as of {DAY}: {scratch:.2f} s ({decided:,} in custody, {again:,} decided) "
          f"= {scratch / baseline:.1f}x the baseline")
    next_day = DAY + timedelta(days=1)
    seconds, decided, again = _timed(pw, next_day)
    print(f"[{backend}] the next day, nothing recorded: {seconds:.2f} s ({again:,} of {decided:,} decided again) "
          f"= {seconds / baseline:.2f}x the baseline (aim < 5 s)")
    touched = rng.sample(range(count), max(1, int(count * changed)))
    for i in touched:
        pw.record(f"PW-R{i:08d}", Notified(occurred_on=next_day + timedelta(days=1), recipient="central_agency", action="sent"), "bench")
    day = next_day + timedelta(days=1)
    seconds, decided, again = _timed(pw, day)
    print(f"[{backend}] a day on which {len(touched):,} cases ({changed:.0%}) changed: {seconds:.2f} s "
          f"({again:,} of {decided:,} decided again) = {seconds / baseline:.2f}x the baseline (aim < 1 s)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=22_600)
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.cases, args.changed)
    if args.backend in ("postgresql", "both"):
        base = database_url(os.environ.get("POWCASE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
        name = f"powcase_bench_{secrets.token_hex(3)}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("postgresql", make_url(base).set(database=name).render_as_string(hide_password=False), args.cases, args.changed)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
