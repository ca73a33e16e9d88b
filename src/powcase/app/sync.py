"""Field offices: enrolment, and bundles of events exchanged both ways with headquarters.

Every case keeps one chain per store. Rows travel verbatim (the same ciphertext, hash and link),
so two offices that took turns hold the same chain. When both appended after a common head, the
other office's line is kept beside ours (``sync_branches``) and the case is in conflict until a
person resolves it: nothing is overwritten and nothing is dropped.

Every row appended to a case's chain from a bundle is recorded with the office that sent it
(``sync_received``, in the same transaction): its author is whatever name the writing store gave
it, so the record of who sent it is this store's own, and shown beside the author.

Every line that arrives is handed to the execution guard (:func:`powcase.app.guard.check_history`)
over the history it would make, as any other write is; a bundle is applied in one transaction.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update

from powcase.app import withdrawal
from powcase.app.determinations import forget_determination
from powcase.app.guard import check_history
from powcase.app.service import Powcase
from powcase.domain.case import fold
from powcase.domain.casefile import CASE_ID_PATTERN
from powcase.domain.events import ConflictResolved, RecordedEvent, Registered
from powcase.errors import InvalidInput, NotFound, PowcaseError
from powcase.store import codec
from powcase.store.eventstore import StoreTransaction
from powcase.store.projections import (
    owners_of_digests,
    service_number_digest,
    summary_row,
    upsert_summary,
)
from powcase.store.tables import case_keys, chain_heads, events
from powcase.sync import access_records, bundle, merge
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import FIELD, HQ, MADE_AT_HEADQUARTERS, OfficeIdentity, fingerprint
from powcase.sync.rows import row_from_json, row_to_json
from powcase.sync.state import (
    branch_rows,
    enrolled_field_office,
    index_stays_with_other,
    known_peer,
    mark_received,
    open_conflicts,
    own_identity,
    peer,
    save_identity,
    set_peer,
    withdrawn_here,
)
from powcase.sync.tables import (
    sync_branches,
    sync_conflicts,
    sync_duplicates,
    sync_peers,
    sync_shared,
    sync_superseded,
)

ENROLMENT = "enrolment"
SYNC = "sync"


@dataclass
class Applied:
    """What one bundle did to this store."""

    sender: str
    number: int
    events: int = 0
    new_cases: int = 0
    already: bool = False
    conflicts: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    log_records: int = 0
    withdrawn: list[str] = field(default_factory=list)  # at a field office: taken back, its key destroyed
    reported_withdrawn: list[str] = field(default_factory=list)  # at headquarters: the office reports them taken back
    waiting: list[str] = field(default_factory=list)  # to take back once headquarters holds their events
    given_again: list[str] = field(default_factory=list)


def make_identity(pw: Powcase, name: str, role: str) -> OfficeIdentity:
    """This store's office: made once; its public half goes into an enrolment request."""
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("office name: 1 to 64 letters, digits, dashes or underscores")
    with pw.store.begin() as tx:
        if own_identity(tx.conn, pw.store.master_key) is not None:
            raise InvalidInput("this store already has an office identity; an office is enrolled once")
        identity = OfficeIdentity.generate(name, role)
        save_identity(tx.conn, identity, pw.store.master_key)
    return identity


def enrolment_request(identity: OfficeIdentity) -> dict[str, str]:
    return {"office": identity.name, "role": identity.role, "signing_public": identity.signing_public,
            "agreement_public": identity.agreement_public, "fingerprint": identity.fingerprint}


def _me(tx: StoreTransaction) -> OfficeIdentity:
    me = own_identity(tx.conn, tx.store.master_key)
    if me is None:
        raise InvalidInput("this store has no office identity: `powcase field identity` first")
    return me


def enrol(pw: Powcase, request: dict[str, Any], case_ids: list[str], hq_name: str = "HQ") -> tuple[bytes, str, str]:
    """At headquarters: register the field office of ``request`` and make its enrolment package
    (the chosen cases' rows and data keys, encrypted to the field office). Returns the package
    with the field office's and headquarters' fingerprints, read to each other by telephone."""
    try:
        name, signing_public, agreement_public = (str(request[k]) for k in ("office", "signing_public", "agreement_public"))
        bytes.fromhex(signing_public), bytes.fromhex(agreement_public)
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("enrolment request: it must name office, signing_public and agreement_public") from None
    if not case_ids:
        raise InvalidInput("--cases: no case matches; a field office is enrolled with the cases it needs")
    if own_identity_or_none(pw) is None:
        make_identity(pw, hq_name, HQ)
    with pw.store.begin() as tx:
        me = _me(tx)
        if me.role != HQ:
            raise InvalidInput("only headquarters enrols field offices")
        if name == me.name or peer(tx.conn, name) is not None:
            raise InvalidInput(f"office {name}: enrolled already (revoke it and enrol it under a new name)")
        missing = [c for c in case_ids if not tx.exists(c)]
        if missing:
            raise NotFound(f"no case {missing[0]}")
        now = codec.timestamp(pw.clock())
        tx.conn.execute(insert(sync_peers).values(
            name=name, role=FIELD, signing_public=signing_public, agreement_public=agreement_public,
            enrolled_at=now, revoked_at=None, sent_number=0, received_number=0, received_digest=None))
        data = _enrolment_package(tx, me, name, agreement_public, case_ids)
    return data, fingerprint(signing_public, agreement_public), me.fingerprint


def _enrolment_package(tx: StoreTransaction, me: OfficeIdentity, name: str, agreement_public: str,
                       case_ids: list[str]) -> bytes:
    payload = _payload(tx, me, name, dict.fromkeys(case_ids, 0))
    payload["sender"] = {"office": me.name, "signing_public": me.signing_public, "agreement_public": me.agreement_public}
    # Sent means known to the field once it joins; if it joins an older package instead, its
    # first bundle names the heads it holds and what it lacks is sent again (_acknowledge).
    for case_id, (seq, hash_) in payload["manifest"].items():
        tx.conn.execute(delete(sync_shared).where(sync_shared.c.peer == name, sync_shared.c.case_id == case_id))
        tx.conn.execute(insert(sync_shared).values(peer=name, case_id=case_id, acked_seq=seq, acked_hash=hash_))
    number = known_peer(tx.conn, name).sent_number + 1
    set_peer(tx.conn, name, sent_number=number)
    return bundle.seal(me, name, agreement_public, ENROLMENT, number, payload)


def shared_cases(pw: Powcase, name: str) -> list[str]:
    """The cases an office was given (need-to-know), in order."""
    with pw.store.begin() as tx:
        known_peer(tx.conn, name)
        query = select(sync_shared.c.case_id).where(sync_shared.c.peer == name).order_by(sync_shared.c.case_id)
        return list(tx.conn.execute(query).scalars())


def enrol_again(pw: Powcase, name: str) -> tuple[bytes, str, str]:
    """At headquarters: a new enrolment package for a field office whose package was lost before
    it joined: the same cases, as they stand now, to the keys registered at enrolment. The lost
    package is no use to anyone without the field office's private key; if it turns up and is
    joined first, this one is refused there, and the two offices still converge."""
    with pw.store.begin() as tx:
        me = _me(tx)
        if me.role != HQ:
            raise InvalidInput("only headquarters makes enrolment packages")
        other = known_peer(tx.conn, name)
        if other.role != FIELD:
            raise InvalidInput(f"office {name} is not a field office enrolled here")
        if other.revoked_at is not None:
            raise InvalidInput(f"office {name}: revoked; nothing is sent to it")
        if other.received_number > 0:
            raise InvalidInput(f"office {name} joined already and sent bundles: it needs `powcase sync export --to {name}`")
        cases = list(tx.conn.execute(select(sync_shared.c.case_id).where(sync_shared.c.peer == name)
                                     .order_by(sync_shared.c.case_id)).scalars())
        data = _enrolment_package(tx, me, name, other.agreement_public, cases)
    return data, fingerprint(other.signing_public, other.agreement_public), me.fingerprint


def extend(pw: Powcase, name: str, case_ids: list[str]) -> int:
    """At headquarters: give an enrolled field office more cases; the next bundle to it carries
    them, with their data keys. Returns how many were new to it."""
    if not case_ids:
        raise InvalidInput("--cases: no case matches")
    with pw.store.begin() as tx:
        if _me(tx).role != HQ:
            raise InvalidInput("only headquarters gives a field office cases")
        enrolled_field_office(tx.conn, name)
        missing = [c for c in case_ids if not tx.exists(c)]
        if missing:
            raise NotFound(f"no case {missing[0]}")
        # A case taken back (or being taken back) is given again afresh, its key with it.
        again = withdrawal.give_again(tx, name, case_ids)
        held = set(tx.conn.execute(select(sync_shared.c.case_id).where(sync_shared.c.peer == name)).scalars())
        added = sorted(set(case_ids) - held)
        for case_id in added:
            tx.conn.execute(insert(sync_shared).values(peer=name, case_id=case_id, acked_seq=0, acked_hash=codec.GENESIS))
        return len(added) + len(again)


def own_identity_or_none(pw: Powcase) -> OfficeIdentity | None:
    with pw.store.begin() as tx:
        return own_identity(tx.conn, pw.store.master_key)


def join(pw: Powcase, data: bytes, expected_fingerprint: str, actor: str) -> tuple[Applied, str]:
    """At the field office: accept the enrolment package; headquarters becomes its one peer.

    The package names its sender's keys itself, so the fingerprint headquarters read out by
    telephone is required: a package made by anyone else would otherwise be trusted."""
    envelope = bundle.read_envelope(data)
    with pw.store.begin() as tx:
        me = _me(tx)
        if envelope.kind != ENROLMENT:
            raise BundleRefused(f"bundle from {envelope.sender}: not an enrolment package (use `powcase sync import`)")
        if envelope.recipient != me.name:
            raise BundleRefused(f"bundle: made for office {envelope.recipient}, not for this office ({me.name})")
        if tx.conn.execute(select(sync_peers.c.name)).first() is not None:
            raise BundleRefused("this field office is enrolled already; an enrolment package is accepted once")
        bundle.verify_signature(envelope, envelope.signer)
        payload = bundle.open_payload(envelope, me)
        sender = payload.get("sender") or {}
        if sender.get("signing_public") != envelope.signer or sender.get("office") != envelope.sender:
            raise BundleRefused("enrolment package: its sender's keys do not match its signature (altered)")
        hq_print = fingerprint(sender["signing_public"], sender["agreement_public"])
        if expected_fingerprint.strip().lower() != hq_print:
            raise BundleRefused(
                f"enrolment package: its sender's fingerprint is {hq_print}, not the one headquarters read out; not joined"
            )
        tx.conn.execute(insert(sync_peers).values(
            name=envelope.sender, role=HQ, signing_public=sender["signing_public"],
            agreement_public=sender["agreement_public"], enrolled_at=codec.timestamp(pw.clock()), revoked_at=None,
            sent_number=0, received_number=envelope.number, received_digest=_digest(data)))
        applied = Applied(envelope.sender, envelope.number)
        _apply(pw, tx, envelope.sender, payload, applied, me)
    return applied, hq_print


def revoke(pw: Powcase, name: str) -> None:
    """No bundle from or to this office is accepted or made again. Its laptop keeps what it has:
    see docs/field-offices.md on a lost laptop."""
    with pw.store.begin() as tx:
        found = known_peer(tx.conn, name)
        if found.revoked_at is not None:
            raise InvalidInput(f"office {name}: revoked already")
        set_peer(tx.conn, name, revoked_at=codec.timestamp(pw.clock()))


def export(pw: Powcase, to: str) -> tuple[bytes, int]:
    """Every event the office ``to`` has not acknowledged, in one bundle. Returns it and the count."""
    with pw.store.begin() as tx:
        me = _me(tx)
        other = known_peer(tx.conn, to)
        if other.revoked_at is not None:
            raise InvalidInput(f"office {to}: revoked; nothing is sent to it")
        acked = {c: int(s) for c, s in tx.conn.execute(
            select(sync_shared.c.case_id, sync_shared.c.acked_seq).where(sync_shared.c.peer == to))}
        taking_back: set[str] = set()
        if me.role == FIELD:
            # A field office reports everything it holds to headquarters, its cases and new ones,
            # except those headquarters took back (it holds every event of them).
            for case_id in tx.conn.execute(select(chain_heads.c.case_id)).scalars():
                acked.setdefault(case_id, 0)
            for case_id in withdrawn_here(tx.conn):
                acked.pop(case_id, None)
        else:
            taking_back = withdrawal.pending(tx, to)
        number = other.sent_number + 1
        payload = _payload(tx, me, to, acked, withheld=taking_back)
        if me.role == FIELD:
            payload["withdrawn"] = withdrawal.reports(tx)
        elif taking_back:
            payload["withdraw"] = withdrawal.orders(tx, to, taking_back)
        payload["access_log"] = access_records.records_after(tx.conn, _log_acked(tx, to))
        payload["access_log_held"] = access_records.held_from(tx.conn, to)
        set_peer(tx.conn, to, sent_number=number)
        count = sum(len(c["rows"]) for c in payload["cases"].values())
        return bundle.seal(me, to, other.agreement_public, SYNC, number, payload), count


def _payload(tx: StoreTransaction, me: OfficeIdentity, to: str, acked: dict[str, int],
             withheld: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    manifest: dict[str, list[Any]] = {}
    cases: dict[str, Any] = {}
    for case_id in sorted(acked):
        rows = tx.rows(case_id)
        if not rows:
            continue
        manifest[case_id] = [rows[-1].seq, rows[-1].hash]
        after = acked[case_id]
        new = [r for r in rows if r.seq > after]
        if not new or case_id in withheld:  # being taken back: nothing new of it leaves
            continue
        entry: dict[str, Any] = {"rows": [row_to_json(r) for r in new]}
        if after == 0:
            wrapped = tx.conn.execute(select(case_keys.c.wrapped_key).where(case_keys.c.case_id == case_id)).scalar()
            entry["key"] = bundle.b64(tx.store.master_key.unwrap(wrapped, case_id)) if wrapped is not None else None
        cases[case_id] = entry
    return {"from": me.name, "to": to, "manifest": manifest, "cases": cases}


def import_bundle(pw: Powcase, data: bytes) -> Applied:
    """Verify the bundle, then apply it all or nothing; the same bundle twice changes nothing."""
    envelope = bundle.read_envelope(data)
    with pw.store.begin() as tx:
        me = _me(tx)
        if envelope.recipient != me.name:
            raise BundleRefused(f"bundle: made for office {envelope.recipient}, not for this office ({me.name})")
        if envelope.kind != SYNC:
            raise BundleRefused(f"bundle from {envelope.sender}: an enrolment package, not a sync bundle (use `powcase field join`)")
        sender = peer(tx.conn, envelope.sender)
        if sender is None:
            raise BundleRefused(f"bundle from {envelope.sender}: no such office is enrolled here")
        if sender.revoked_at is not None:
            raise BundleRefused(f"bundle from {envelope.sender}: that office's enrolment was revoked on {sender.revoked_at[:10]}")
        bundle.verify_signature(envelope, sender.signing_public)
        digest = _digest(data)
        applied = Applied(envelope.sender, envelope.number)
        if envelope.number == sender.received_number and digest == sender.received_digest:
            applied.already = True
            return applied
        if envelope.number <= sender.received_number:
            raise BundleRefused(
                f"bundle {envelope.number} from {envelope.sender}: replayed or out of order "
                f"(bundle {sender.received_number} from that office was imported already)"
            )
        payload = bundle.open_payload(envelope, me)
        if payload.get("from") != envelope.sender or payload.get("to") != me.name:
            raise BundleRefused(f"bundle from {envelope.sender}: its content names other offices (altered)")
        _apply(pw, tx, envelope.sender, payload, applied, me)
        if me.role == HQ:
            applied.reported_withdrawn = withdrawal.reported_at_headquarters(pw, tx, envelope.sender, payload.get("withdrawn"),
                                                                    sender.sent_number)
        applied.log_records = access_records.keep(tx.conn, envelope.sender, payload.get("access_log", []))
        held = payload.get("access_log_held", 0)
        if not isinstance(held, int):
            raise BundleRefused(f"bundle from {envelope.sender}: its access-log acknowledgement is not a number (altered)")
        set_peer(tx.conn, envelope.sender, received_number=envelope.number, received_digest=digest,
                 log_acked=max(held, _log_acked(tx, envelope.sender)))
    return applied


def _log_acked(tx: StoreTransaction, office: str) -> int:
    return int(tx.conn.execute(select(sync_peers.c.log_acked).where(sync_peers.c.name == office)).scalar() or 0)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- applying lines ------------------------------------------------------------------------------


def _apply(pw: Powcase, tx: StoreTransaction, sender: str, payload: dict[str, Any], applied: Applied, me: OfficeIdentity) -> None:
    role = me.role
    cases = payload.get("cases")
    manifest = payload.get("manifest")
    if not isinstance(cases, dict) or not isinstance(manifest, dict):
        raise BundleRefused(f"bundle from {sender}: it has no manifest of chain heads (altered)")
    shared = set(tx.conn.execute(select(sync_shared.c.case_id).where(sync_shared.c.peer == sender)).scalars())
    try:
        for case_id in sorted(cases):
            entry = cases[case_id]
            if not isinstance(entry, dict) or not isinstance(entry.get("rows", []), list) or not re.fullmatch(CASE_ID_PATTERN, case_id):
                raise BundleRefused(f"bundle from {sender}: an entry of its cases is not a case's rows (altered)")
            if role == HQ and case_id not in shared and tx.exists(case_id):
                # Need-to-know holds both ways: an office writes only to the cases it was given.
                taken = withdrawal.taken_back_from(tx, sender, case_id)
                if taken is not None:
                    raise BundleRefused(f"bundle from {sender}: case {case_id} was taken back from that office on {taken[:10]}")
                raise BundleRefused(f"bundle from {sender}: case {case_id} was not enrolled with that office")
            rows = [row_from_json(case_id, item) for item in entry.get("rows", [])]
            _check_line(sender, case_id, rows, manifest.get(case_id))
            if role == HQ:
                _refuse_acts_of_headquarters(tx, sender, case_id, rows)
            again = role == FIELD and withdrawal.given_back_here(tx, sender, case_id, entry.get("key"))
            if again and tx.sealer(case_id) is None and tx.exists(case_id):
                tx.adopt_case_key(case_id, bundle.unb64(entry.get("key")))
            _apply_case(pw, tx, sender, case_id, rows, entry.get("key"), applied, me.name)
            if again:
                withdrawal.summary_again(pw, tx, case_id)
                applied.given_again.append(case_id)
    except BundleRefused:
        raise
    except PowcaseError as exc:
        raise BundleRefused(f"bundle from {sender}: {exc}; nothing was imported") from None
    except ValueError:  # a stored value that does not validate: the store is input too
        raise BundleRefused(f"bundle from {sender}: an event does not validate; nothing was imported") from None
    # Headquarters never lets a manifest widen what an office is given: it names heads only of
    # cases already shared with it. A field office learns of every case headquarters sends.
    _acknowledge(tx, sender, manifest, may_add=role == FIELD)
    if role == FIELD:
        applied.withdrawn, applied.waiting = withdrawal.take_back_here(pw, tx, sender, applied.number, payload.get("withdraw"))


def _refuse_acts_of_headquarters(tx: StoreTransaction, sender: str, case_id: str, rows: list[codec.Row]) -> None:
    """An act only headquarters makes (an override, an erasure, a resolution, a duplicate decision)
    that this store does not hold already came from the field office, where one person holds
    every key: refused (sync.identity.MADE_AT_HEADQUARTERS)."""
    held = {r.hash for r in tx.rows(case_id)} if any(r.type in MADE_AT_HEADQUARTERS for r in rows) else set()
    for row in rows:
        if row.type in MADE_AT_HEADQUARTERS and row.hash not in held:
            raise BundleRefused(f"bundle from {sender}: case {case_id} event {row.seq} is {MADE_AT_HEADQUARTERS[row.type]}, "
                                "which only headquarters makes; nothing was imported")


def _check_line(sender: str, case_id: str, rows: list[codec.Row], head: Any) -> None:
    """The rows link to each other and end at the head the signed manifest names."""
    if not rows:
        return
    for before, row in itertools.pairwise(rows):
        if row.seq != before.seq + 1 or row.prev_hash != before.hash:
            raise BundleRefused(f"bundle from {sender}: case {case_id} event {row.seq} does not follow the event before it")
    for row in rows:
        if codec.hash_of(row) != row.hash:
            raise BundleRefused(f"bundle from {sender}: case {case_id} event {row.seq}: its content does not match its hash")
    if not isinstance(head, list) or [rows[-1].seq, rows[-1].hash] != head:
        raise BundleRefused(f"bundle from {sender}: case {case_id} does not end at the head its manifest names")


def _apply_case(pw: Powcase, tx: StoreTransaction, sender: str, case_id: str, rows: list[codec.Row],
                key: Any, applied: Applied, me: str) -> None:
    if not rows:
        return
    local = tx.rows(case_id)
    if not local:
        _adopt(pw, tx, sender, case_id, rows, key, applied)
        return
    by_seq = {r.seq: r for r in local}
    new = [r for r in rows if by_seq.get(r.seq) is None or by_seq[r.seq].hash != r.hash]
    if not new:
        return  # this store holds every one of them already
    first = new[0]
    if first.seq > local[-1].seq + 1:
        raise BundleRefused(
            f"bundle from {sender}: case {case_id} starts at event {first.seq} but this office holds {local[-1].seq} "
            "(an earlier bundle is missing: import it first, or ask for a new export)"
        )
    base = by_seq.get(first.seq - 1)
    if first.seq > 1 and (base is None or base.hash != first.prev_hash):
        raise BundleRefused(f"bundle from {sender}: case {case_id} event {first.seq} does not follow this office's chain")
    erased_here = any(r.type == "erased" for r in local)
    if first.seq == local[-1].seq + 1 and not erased_here:
        history = tx.history(case_id)
        resulting = [*history, *tx.decode([*local, *new])[len(local):]]
        _guard(pw, resulting, first.seq)
        tx.append_rows(case_id, new)
        mark_received(tx.conn, case_id, new, sender)
        applied.events += len(new)
        _after_append(pw, tx, case_id, new, applied)
        return
    if _resolves_our_line(new, local[-1].hash, me):
        _adopt_resolved_line(pw, tx, sender, case_id, local, new, applied, me)
        return
    # Both offices wrote after event first.seq - 1: keep theirs beside ours, and say so.
    _keep_branch(pw, tx, sender, case_id, local, new, applied)


def _guard(pw: Powcase, resulting: list[RecordedEvent], first_new: int) -> None:
    # The same check as every local write (Powcase._guard): only transfers and corrections decide.
    if any(rec.type in ("transferred", "corrected") for rec in resulting):
        check_history(resulting, first_new, pw.rulebook, pw.context)


def _after_append(pw: Powcase, tx: StoreTransaction, case_id: str, new: list[codec.Row], applied: Applied) -> None:
    history = tx.history(case_id)
    row = summary_row(fold(history), pw.store.master_key, max(r.occurred_on for r in history))
    upsert_summary(tx.conn, index_stays_with_other(tx.conn, row))  # a case registered twice keeps no digest
    forget_determination(tx.conn, case_id)  # decided again at its new head, as after any write
    if any(r.type == "erased" for r in new):
        # The erasure at the other office destroys this office's copy of the key too.
        tx.destroy_case_key(case_id)
        applied.erased.append(case_id)


def _adopt(pw: Powcase, tx: StoreTransaction, sender: str, case_id: str, rows: list[codec.Row], key: Any,
           applied: Applied) -> None:
    """A case new to this store: its key, its rows, its summary; a man already registered here
    under another case id is surfaced for a person to merge, never merged."""
    if rows[0].seq != 1:
        raise BundleRefused(f"bundle from {sender}: case {case_id} is new here but the bundle starts at event {rows[0].seq}")
    if key is not None:
        tx.adopt_case_key(case_id, bundle.unb64(key))
    history = tx.decode(rows)
    _guard(pw, history, 1)
    tx.append_rows(case_id, rows)
    mark_received(tx.conn, case_id, rows, sender)
    case = fold(history)
    row = summary_row(case, pw.store.master_key, max(r.occurred_on for r in history))
    first = history[0].event
    if isinstance(first, Registered) and first.service_number and row["service_number_digest"]:
        digest = service_number_digest(pw.store.master_key, first.armed_force, first.service_number)
        other = owners_of_digests(tx.conn, [(first.armed_force, digest)]).get((first.armed_force, digest))
        if other is not None and other != case_id:
            row["service_number_digest"] = None  # the index stays the other case's until a person merges them
            tx.conn.execute(insert(sync_duplicates).values(case_id=case_id, other_case_id=other, peer=sender,
                                                           detected_at=codec.timestamp(pw.clock())))
            applied.duplicates.append((case_id, other))
    upsert_summary(tx.conn, row)
    shared = select(sync_shared.c.case_id).where(sync_shared.c.peer == sender, sync_shared.c.case_id == case_id)
    if tx.conn.execute(shared).first() is None:
        tx.conn.execute(insert(sync_shared).values(peer=sender, case_id=case_id, acked_seq=0, acked_hash=codec.GENESIS))
    applied.events += len(rows)
    applied.new_cases += 1
    if any(r.type == "erased" for r in rows):
        tx.destroy_case_key(case_id)
        applied.erased.append(case_id)


def _resolutions(rows: list[codec.Row]) -> list[tuple[codec.Row, dict[str, Any]]]:
    """The resolutions among some rows, with their clear fields (the office and the heads they
    name stay in clear: an erased case's resolutions are still read)."""
    out = []
    for row in rows:
        if row.type == "conflict_resolved":
            clear = json.loads(row.clear)
            if isinstance(clear, dict):
                out.append((row, clear))
    return out


def _resolves_our_line(new: list[codec.Row], our_head: str, me: str) -> bool:
    return any(c.get("office") == me and c.get("their_head") == our_head for _, c in _resolutions(new))


def _adopt_resolved_line(pw: Powcase, tx: StoreTransaction, sender: str, case_id: str, local: list[codec.Row],
                         new: list[codec.Row], applied: Applied, me: str) -> None:
    """At a field office: headquarters' line names this office's head in a resolution, so it
    holds this office's line merged. It takes the place of this office's own line after the fork
    (the same chain at both offices from now on); the replaced rows are kept, exactly as they
    were, in ``sync_superseded``. Adopted only if every resolution naming this office carries
    exactly the events it names, and through the execution guard over the resulting history."""
    fork = new[0].seq - 1
    if tx.sealer(case_id) is not None:
        ours = tx.history(case_id)
        incoming = [*ours[:fork], *tx.decode([*local[:fork], *new])[fork:]]
        mine = [merge.TheirEvent(r, row.hash) for r, row in zip(ours[fork:], local[fork:], strict=True)]
        try:
            merge.merged(incoming, mine, fork, me)
        except merge.Unfaithful as exc:
            raise BundleRefused(f"bundle from {sender}: case {case_id}: {exc}; nothing was imported") from None
        _guard(pw, incoming, fork + 1)
    replaced = tx.replace_line(case_id, fork, new)
    mark_received(tx.conn, case_id, new, sender)
    resolution = next(row for row, c in _resolutions(new) if c.get("office") == me and c.get("their_head") == local[-1].hash)
    tx.conn.execute(insert(sync_superseded), [{**r._asdict(), "resolution_hash": resolution.hash} for r in replaced])
    adopted = {r.hash for r in new}
    # What of headquarters' line was kept beside ours is now our chain itself.
    tx.conn.execute(delete(sync_branches).where(sync_branches.c.case_id == case_id, sync_branches.c.peer == sender,
                                                sync_branches.c.hash.in_(adopted)))
    tx.conn.execute(update(sync_conflicts).where(sync_conflicts.c.case_id == case_id, sync_conflicts.c.peer == sender)
                    .values(resolved_seq=resolution.seq))
    applied.events += len(new)
    applied.adopted.append(case_id)
    if tx.sealer(case_id) is None:
        forget_determination(tx.conn, case_id)
        return
    _after_append(pw, tx, case_id, new, applied)


def _keep_branch(pw: Powcase, tx: StoreTransaction, sender: str, case_id: str, local: list[codec.Row],
                 new: list[codec.Row], applied: Applied) -> None:
    fork = new[0].seq - 1
    if not any(r.type == "erased" for r in local):
        common = tx.history(case_id)[:fork]
        _guard(pw, [*common, *tx.decode([*local[:fork], *new])[fork:]], fork + 1)
    held = {s for s in tx.conn.execute(select(sync_branches.c.seq).where(
        sync_branches.c.case_id == case_id, sync_branches.c.peer == sender)).scalars()}
    if held and min(held) != fork + 1:
        # Their line forks elsewhere than the branch kept: the newest line replaces it. A branch a
        # resolution merged (the office adopted the resolved line, then wrote again) is kept
        # row for row, as the office keeps its own (sync_superseded); any other is held by the
        # newer line.
        old = branch_rows(tx.conn, case_id, sender)
        merging = [row for row, c in _resolutions(local) if c.get("office") == sender and c.get("their_head") == old[-1].hash]
        if merging:
            kept = set(tx.conn.execute(select(sync_superseded.c.hash).where(sync_superseded.c.case_id == case_id)).scalars())
            rows = [{**r._asdict(), "resolution_hash": merging[-1].hash} for r in old if r.hash not in kept]
            if rows:
                tx.conn.execute(insert(sync_superseded), rows)
        tx.conn.execute(delete(sync_branches).where(sync_branches.c.case_id == case_id, sync_branches.c.peer == sender))
        held = set()
    fresh = [r for r in new if r.seq not in held]
    if fresh:
        tx.conn.execute(insert(sync_branches), [{**r._asdict(), "peer": sender} for r in fresh])
        applied.events += len(fresh)
    their_head = branch_rows(tx.conn, case_id, sender)[-1].hash
    # Open unless a resolution on our line merged their line up to its head: a bundle that only
    # repeats what was merged opens nothing; one line longer than what was merged reopens it.
    merged_heads = {c.get("their_head") for _, c in _resolutions(local[fork:]) if c.get("office") == sender}
    still_open = their_head not in merged_heads
    known = tx.conn.execute(select(sync_conflicts.c.fork_seq).where(
        sync_conflicts.c.case_id == case_id, sync_conflicts.c.peer == sender)).first()
    if known is None:
        tx.conn.execute(insert(sync_conflicts).values(case_id=case_id, peer=sender, fork_seq=fork,
                                                      detected_at=codec.timestamp(pw.clock()),
                                                      resolved_seq=None if still_open else local[-1].seq))
    elif still_open:
        tx.conn.execute(update(sync_conflicts).where(sync_conflicts.c.case_id == case_id, sync_conflicts.c.peer == sender)
                        .values(fork_seq=fork, resolved_seq=None))
    if still_open:
        applied.conflicts.append(case_id)
    if any(r.type == "erased" for r in new) and tx.sealer(case_id) is not None:
        tx.destroy_case_key(case_id)
        applied.erased.append(case_id)


def resolve(pw: Powcase, case_id: str, office: str, reason: str, actor: str) -> int:
    """At headquarters: merge the line ``office`` wrote into this store's chain. A resolution event
    names both heads and the other line's events not merged before are recorded after it (a
    correction pointing to where its event now stands), all through the execution guard in one
    transaction: a fact from the field that contradicts a transfer made here is refused, never
    slipped in. Returns the number of events carried."""
    with pw.store.begin() as tx:
        if _me(tx).role != HQ:
            raise InvalidInput("a conflict is resolved at headquarters, where the register of record is")
        found = [fork for _, peer_name, fork in open_conflicts(tx.conn, case_id) if peer_name == office]
        if not found:
            raise NotFound(f"case {case_id}: no open conflict with office {office}")
        fork = found[0]
        local = tx.rows(case_id)
        branch = branch_rows(tx.conn, case_id, office)
        history = tx.history(case_id)
        theirs = [merge.TheirEvent(r, row.hash)
                  for r, row in zip(tx.decode([*local[:fork], *branch])[fork:], branch, strict=True)]
        done = merge.merged(history, theirs, fork, office)
        carried = merge.carry(theirs[done.upto:], fork, dict(done.where), local[-1].seq + 2)
        resolution = ConflictResolved(occurred_on=pw.today(), office=office, fork_seq=fork, our_head=local[-1].hash,
                                      their_head=branch[-1].hash, carried=len(carried), reason=reason)
        # Resolved within this transaction, so that the append below is decided by the guard alone.
        tx.conn.execute(update(sync_conflicts).where(sync_conflicts.c.case_id == case_id, sync_conflicts.c.peer == office)
                        .values(resolved_seq=local[-1].seq + 1))
        history = [*history, *pw.append_within(tx, case_id, history, [resolution], actor)]
        # Each carried event keeps its author, named with his office; the guard checks the
        # resulting history at every step, the last step being the whole of it.
        authors = merge.carried_by(theirs[done.upto:], office)
        for author, group in itertools.groupby(zip(authors, carried, strict=True), key=lambda pair: pair[0]):
            history = [*history, *pw.append_within(tx, case_id, history, [event for _, event in group], author)]
        return len(carried)


def _acknowledge(tx: StoreTransaction, sender: str, manifest: dict[str, Any], may_add: bool) -> None:
    """The sender holds the heads it names: what of them is on our chain needs no sending again.
    The head it names is taken as it is, lower than what we thought included (an office that
    joined an older enrolment package holds less): sending again what it holds costs bytes only."""
    for case_id, head in manifest.items():
        if not isinstance(head, list) or len(head) != 2:
            raise BundleRefused(f"bundle from {sender}: its manifest is not a list of chain heads (altered)")
        seq, hash_ = int(head[0]), str(head[1])
        ours = tx.conn.execute(select(events.c.hash).where(events.c.case_id == case_id, events.c.seq == seq)).scalar()
        if ours != hash_:
            continue
        row = tx.conn.execute(select(sync_shared.c.acked_seq).where(
            sync_shared.c.peer == sender, sync_shared.c.case_id == case_id)).first()
        if row is None:
            if may_add:
                tx.conn.execute(insert(sync_shared).values(peer=sender, case_id=case_id, acked_seq=seq, acked_hash=hash_))
        elif int(row[0]) != seq:
            tx.conn.execute(update(sync_shared).where(sync_shared.c.peer == sender, sync_shared.c.case_id == case_id)
                            .values(acked_seq=seq, acked_hash=hash_))


def bundle_summary(data: bytes) -> dict[str, Any]:
    """The header of a bundle file, for people: who made it, for whom, its number."""
    envelope = bundle.read_envelope(data)
    return {"kind": envelope.kind, "from": envelope.sender, "to": envelope.recipient, "number": envelope.number}
