"""Field offices over 60 simulated days: one headquarters and three field offices, each field
office enrolled with its share of the cases, going offline at random, recording interviews and
moves while headquarters records assessments on the same cases; bundles are lost, duplicated and
delivered out of order. On some days a legal officer at headquarters resolves the conflicts open
there (a field office may write again on its old line before it hears of it: the conflict opens
again and is resolved again). On some days headquarters takes a few cases back from a field office
(`field withdraw`: sometimes cases the office wrote on in the last days, sometimes cases in
conflict with it), and on later days gives some of them back (`field extend`); the field office
goes on trying to write on its share, and a write on a case it gave up is refused. At the end every
office is online, headquarters resolves what is still open, and after the last rounds it checks:

- every office agrees on every chain: headquarters and each field office hold the same rows for
  every case they share, and no conflict is open anywhere;
- every conflict was surfaced (at headquarters, and at the field office while it lasted) and
  resolved by a resolution event;
- no event was lost or doubled: each case's chain holds every event written to it at any office
  exactly once (besides the resolutions), and every row a field office wrote is still held,
  at headquarters (chain or branch) and at the field office (chain or superseded line);
- every order to take a case back was carried out and reported (none waiting at either office);
  no event a field office wrote on a case taken back from it is missing at headquarters; the
  field office holds no key of a case taken back and not given again; a case given back has the
  same chain at both offices (counted with the others).

Prints counts and the bytes carried per synchronised event; asserts nothing about time. Stores
are SQLite files (PostgreSQL at headquarters gives the same counts; see tests/sync for both).
Usage:
    .venv/bin/python bench/sync_simulation.py [--cases 1000] [--days 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.app.withdrawal import withdraw
from powcase.domain.casefile import parse_casefiles
from powcase.domain.events import CustodyMoved, Interviewed, Registered, RiskAssessed, parse_event
from powcase.errors import NotPermitted
from powcase.store import schema
from powcase.store.crypto import MasterKey
from powcase.store.engine import make_engine
from powcase.store.eventstore import EventStore
from powcase.store.tables import case_keys, events
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import FIELD
from powcase.sync.state import open_conflicts, withdrawals, withdrawn_here
from powcase.sync.tables import sync_branches, sync_superseded

START = date(2025, 3, 1)
FIELDS = ("CAMP-NORTH", "CAMP-EAST", "HOSPITAL-2")


class Clock:
    def __init__(self) -> None:
        self.day = START

    def __call__(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 12, tzinfo=UTC)


@dataclass
class Wire:
    """Bundles in transit to one office: lost, duplicated and reordered on the way."""

    queue: list[bytes] = field(default_factory=list)


def _store(folder: Path, name: str, clock: Clock) -> Powcase:
    engine = make_engine(f"sqlite:///{folder / (name + '.db')}")
    schema.upgrade(engine)
    return Powcase(EventStore(engine, MasterKey.generate()), clock)


def _cases(n: int) -> dict[str, object]:
    cases = []
    for i in range(n):
        cases.append({
            "case_id": f"PW-SIM-{i:05d}",
            "person": {"registered_on": "2025-02-01", "family_name": {"latin": "Testov"}, "given_names": {"latin": "Ivan"},
                       "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"], "service_number": f"SIM-{i:05d}"},
            "events": [{"type": "captured", "occurred_on": "2025-01-20", "place": "Sector 2", "circumstances": "captured"}],
        })
    return {"cases": cases}


def _rows(pw: Powcase, table: object = events) -> set[tuple[str, str]]:
    with pw.store.engine.connect() as conn:
        return set(conn.execute(select(table.c.case_id, table.c.hash)))  # type: ignore[attr-defined]


def _chain(pw: Powcase, case_id: str) -> list[str]:
    with pw.store.begin() as tx:
        return [r.hash for r in tx.rows(case_id)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clock = Clock()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hq = _store(folder, "hq", clock)
        hq.import_casefiles(parse_casefiles(_cases(args.cases)), "hq-registrar")
        ids = [f"PW-SIM-{i:05d}" for i in range(args.cases)]
        offices: dict[str, Powcase] = {}
        office_name_of: dict[int, str] = {}
        share: dict[str, list[str]] = {}
        for k, name in enumerate(FIELDS):
            offices[name] = _store(folder, name, clock)
            office_name_of[id(offices[name])] = name
            share[name] = ids[k :: len(FIELDS)]  # need-to-know: each office its own third
            request = sync.enrolment_request(sync.make_identity(offices[name], name, FIELD))
            package, _, hq_print = sync.enrol(hq, request, share[name])
            counts["bytes"] += len(package)
            counts["synced events"] += sync.join(offices[name], package, hq_print, "field-admin")[0].events
        to_hq, to_field = Wire(), {name: Wire() for name in FIELDS}
        written: Counter[str] = Counter()
        initial = {case_id: len(hq.history(case_id)) for case_id in ids}
        surfaced: set[tuple[str, str]] = set()
        # Taking cases back: what headquarters ordered back and has not given again, per office;
        # what it gave again; every case ever ordered back; the rows each field office wrote.
        taken: dict[str, set[str]] = {name: set() for name in FIELDS}
        given_back: dict[str, set[str]] = {name: set() for name in FIELDS}
        ever_taken: dict[str, set[str]] = {name: set() for name in FIELDS}
        field_rows: dict[str, set[tuple[str, str]]] = {name: set() for name in FIELDS}
        recent: dict[str, list[tuple[int, str]]] = {name: [] for name in FIELDS}

        def take_back(day: int) -> None:
            # A case in conflict (open at headquarters, or at the field office before headquarters
            # heard of it), a case written on lately, or any case the office holds.
            conflicted: dict[str, set[str]] = {name: set() for name in FIELDS}
            with hq.store.begin() as tx:
                for c, p, _ in open_conflicts(tx.conn):
                    conflicted[p].add(c)
            for name, office in offices.items():
                with office.store.begin() as tx:
                    conflicted[name].update(c for c, _, _ in open_conflicts(tx.conn))
            name = rng.choice([n for n in FIELDS if conflicted[n] - taken[n]] or list(FIELDS))
            held = set(sync.shared_cases(hq, name)) - taken[name]
            in_conflict = sorted(conflicted[name] & held)
            written_lately = sorted({c for d, c in recent[name] if d >= day - 3} & held)
            chosen: set[str] = set()
            for _ in range(rng.randint(1, 3)):
                pool = rng.choice([in_conflict, written_lately, sorted(held)])
                pool = [c for c in pool if c in held and c not in chosen]
                if pool:
                    chosen.add(rng.choice(pool))
            if not chosen:
                return
            new = withdraw(hq, name, sorted(chosen))
            taken[name].update(new)
            given_back[name].difference_update(new)
            ever_taken[name].update(new)
            counts["cases ordered back from a field office"] += len(new)
            counts["cases ordered back: written on in the field in the 3 days before"] += len(set(new) & set(written_lately))
            counts["cases ordered back: in conflict at either office"] += len(set(new) & set(in_conflict))

        def give_back() -> None:
            name = rng.choice(FIELDS)
            if not taken[name]:
                return
            again = rng.sample(sorted(taken[name]), rng.randint(1, min(2, len(taken[name]))))
            sync.extend(hq, name, again)
            taken[name].difference_update(again)
            given_back[name].update(again)
            counts["cases given back (field extend)"] += len(again)

        def resolve_all() -> None:
            with hq.store.begin() as tx:
                open_now = [(c, p) for c, p, _ in open_conflicts(tx.conn)]
            for case_id, office_name in open_now:
                sync.resolve(hq, case_id, office_name, "Both lines hold.", "hq-legal")
                counts["resolutions recorded at HQ"] += 1

        def deliver(wire: Wire, office: Powcase, lossy: bool) -> None:
            if lossy:
                rng.shuffle(wire.queue)
            for data in wire.queue:
                if lossy and rng.random() < 0.15:
                    counts["bundles lost"] += 1
                    continue
                for _ in range(2 if lossy and rng.random() < 0.1 else 1):
                    try:
                        applied = sync.import_bundle(office, data)
                    except BundleRefused:
                        counts["bundles refused (replayed or out of order)"] += 1
                        continue
                    counts["bundles imported"] += 1
                    counts["imports that surfaced a conflict (either office)"] += len(applied.conflicts)
                    counts["resolved lines adopted in the field"] += len(applied.adopted)
                    surfaced.update((c, applied.sender if office is hq else office_name_of[id(office)]) for c in applied.conflicts)
                    counts["imported twice, nothing changed"] += applied.already
                    counts["bytes"] += len(data)
                    counts["synced events"] += applied.events
                    counts["new cases at HQ"] += applied.new_cases * (office is hq)
            wire.queue.clear()

        for day in range(args.days):
            clock.day = START + timedelta(days=day)
            on = clock.day
            for name, office in offices.items():
                for _ in range(rng.randint(0, max(1, args.cases // 60))):
                    case_id = rng.choice(share[name])
                    event = (Interviewed.model_validate({"type": "interviewed", "occurred_on": on, "interviewer": "Delegate 3",
                                                         "language": "rus", "stated_wish": "undecided"})
                             if rng.random() < 0.5 else CustodyMoved(occurred_on=on, place=f"Camp {rng.randint(1, 5)}"))
                    try:
                        office.record(case_id, event, f"{name.lower()}-clerk")
                    except NotPermitted:  # taken back by headquarters, its key destroyed here
                        counts["field writes refused: case taken back there"] += 1
                        continue
                    written[case_id] += 1
                    field_rows[name].add((case_id, _chain(office, case_id)[-1]))
                    recent[name].append((day, case_id))
                    counts["events written in the field"] += 1
                if rng.random() < 0.05:
                    office.register(_new_person(rng, name, day), f"{name.lower()}-registrar")
                    counts["cases registered in the field"] += 1
            for _ in range(rng.randint(0, max(1, args.cases // 300))):
                case_id = rng.choice(ids)
                hq.record(case_id, RiskAssessed(occurred_on=on, destination="RUS", conclusion="no_real_risk",
                                                reasoning="Invented.", assessor="Legal officer 1"), "hq-legal")
                written[case_id] += 1
                counts["events written at HQ"] += 1
            if rng.random() < 0.2:
                take_back(day)
            if rng.random() < 0.3:
                resolve_all()
            if rng.random() < 0.15:
                give_back()
            for name, office in offices.items():
                if rng.random() < 0.4:  # online today
                    to_hq.queue.append(sync.export(office, "HQ")[0])
                    to_field[name].queue.append(sync.export(hq, name)[0])
                    deliver(to_field[name], office, lossy=True)
            if rng.random() < 0.5:
                deliver(to_hq, hq, lossy=True)
        # Everyone online, nothing lost: headquarters resolves what is open, and rounds follow
        # until each side holds what the other does (two rounds after the last resolution).
        for _ in range(3):
            for office in offices.values():
                to_hq.queue.append(sync.export(office, "HQ")[0])
            deliver(to_hq, hq, lossy=False)
            resolve_all()
            for name, office in offices.items():
                to_field[name].queue.append(sync.export(hq, name)[0])
                deliver(to_field[name], office, lossy=False)
        with hq.store.begin() as tx:
            still_open = len(open_conflicts(tx.conn))
            resolutions = {(c, json.loads(clear)["office"]) for c, clear in tx.conn.execute(
                select(events.c.case_id, events.c.clear).where(events.c.type == "conflict_resolved"))}
        held_at_hq = _rows(hq) | _rows(hq, sync_branches) | _rows(hq, sync_superseded)
        agreed = diverged = lost = doubled = 0
        for office in offices.values():
            lost += len((_rows(office) | _rows(office, sync_superseded)) - held_at_hq)
            with office.store.begin() as tx:
                still_open += len(open_conflicts(tx.conn))
            for case_id in sorted({c for c, _ in _rows(office)} - taken[office_name_of[id(office)]]):
                if _chain(hq, case_id) == _chain(office, case_id):
                    agreed += 1
                else:
                    diverged += 1
        for case_id in ids:
            kept = [r for r in hq.history(case_id) if r.type != "conflict_resolved"]
            doubled += len(kept) != initial[case_id] + written[case_id]
        unresolved = len(surfaced - resolutions)
        with hq.store.begin() as tx:
            waiting_at_hq = sum(w.done_at is None for w in withdrawals(tx.conn))
        waiting_in_field = keys_kept = taken_missing = taken_written = given_differ = given_held = 0
        for name, office in offices.items():
            with office.store.begin() as tx:
                waiting_in_field += sum(w.done_at is None for w in withdrawals(tx.conn))
                gone = set(withdrawn_here(tx.conn))
                keyed = set(tx.conn.execute(select(case_keys.c.case_id)).scalars())
            keys_kept += len(taken[name] & keyed) + len(taken[name] - gone)
            on_taken = {(c, h) for c, h in field_rows[name] if c in ever_taken[name]}
            taken_written += len(on_taken)
            taken_missing += len(on_taken - held_at_hq)
            for case_id in sorted(given_back[name]):
                given_held += 1
                given_differ += _chain(hq, case_id) != _chain(office, case_id) or case_id not in keyed
    seconds = time.perf_counter() - started
    print(f"offices: 1 HQ + {len(FIELDS)} field; cases at start: {args.cases}; days: {args.days}; seed {args.seed}")
    for key in sorted(counts):
        if key != "bytes":
            print(f"{key}: {counts[key]}")
    print(f"chains identical at HQ and the field office holding them: {agreed}; different: {diverged}")
    print(f"distinct conflicts (case, field office) surfaced: {len(surfaced)}; resolved by a resolution event: "
          f"{len(surfaced) - unresolved}")
    print(f"conflicts still open at any office: {still_open}; surfaced but never resolved: {unresolved}")
    print(f"rows written in the field missing at HQ: {lost}; cases whose chain lost or doubled an event: {doubled}")
    print(f"cases taken back and not given again: {sum(map(len, taken.values()))}; orders still waiting at HQ: {waiting_at_hq}, "
          f"at a field office: {waiting_in_field}; field offices still holding a key of one: {keys_kept}")
    print(f"events written in the field on a case ever taken back: {taken_written}; missing at HQ: {taken_missing}")
    print(f"cases given back and held again: {given_held}; with a different chain or no key at the field office: {given_differ}")
    per = counts["bytes"] / max(1, counts["synced events"])
    print(f"bytes carried: {counts['bytes']}; bytes per synced event: {per:.0f}; {seconds:.0f} s")


def _new_person(rng: random.Random, office: str, day: int) -> Registered:
    person = parse_event({"type": "registered", "occurred_on": (START + timedelta(days=day)).isoformat(),
                        "family_name": {"latin": "Fieldov"}, "given_names": {"latin": "Petr"},
                        "nationality": "RUS", "armed_force": "RUS", "languages": ["rus"],
                        "service_number": f"F-{office}-{day}-{rng.randint(0, 10**6)}"})
    assert isinstance(person, Registered)
    return person


if __name__ == "__main__":
    main()
