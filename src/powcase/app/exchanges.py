"""Exchange lists over the store: the counterpart's request list is matched to the
register, each matched prisoner is put to the law engine as of the exchange date, and only those
for whom "inclusion in an exchange" (D2) is permitted can be chosen (R16).

The plan that leaves this module names case ids only; names stay inside the process.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from powcase.app.service import Powcase, duplicate_of
from powcase.app.tracing import register_entry
from powcase.domain.case import Case, fold
from powcase.domain.events import Reconfirmation, RecordedEvent, Transferred
from powcase.domain.reading import parse_json
from powcase.domain.values import Art110Category, Disposition, TransferKind
from powcase.errors import InvalidInput, InvariantViolation, NotPermitted, PowcaseError
from powcase.exchange import (
    Candidate,
    Exchange,
    Exclusion,
    ExclusionCode,
    Ineligibility,
    LawReason,
    ListEntry,
    Matched,
    Plan,
    PriorityPolicy,
    exchange_list,
    exclusions,
    match_rows,
    plan_milp,
)
from powcase.exchange.matching import InMemoryRegister
from powcase.exchange.model import ENLISTED, OFFICERS, SERIOUSLY_SICK, SERIOUSLY_WOUNDED
from powcase.law import Determination, FreeWillStatus, Rulebook, Status, Wish, determine
from powcase.sync.state import withdrawn_here

# Ranks from which a prisoner counts as an officer for an agreement's officer quota.
_OFFICER_RANKS = ("lieutenant", "captain", "major", "colonel", "general", "officer")


@dataclass(frozen=True)
class ExchangePlan:
    exchange: Exchange
    plan: Plan
    entries: tuple[ListEntry, ...]
    report: tuple[Exclusion, ...]
    rulebook_version: str
    # Cases the plan could not read (history does not fold, name not indexable): left out of the
    # matching and reported by case id, so that one bad record does not stop every exchange.
    skipped: tuple[str, ...] = ()

    def to_file(self) -> dict[str, Any]:
        """What `powcase exchange execute` needs: case ids, never names."""
        return {
            "exchange_id": self.exchange.id,
            "counterpart": self.exchange.counterpart,
            "date": self.exchange.date.isoformat(),
            "rulebook_version": self.rulebook_version,
            "chosen": list(self.plan.chosen),
        }


def _categories(case: Case, on: date) -> frozenset[str]:
    found: set[str] = set()
    ident = case.identity
    if ident is not None:
        rank = (ident.rank or "").casefold()
        found.add(OFFICERS if any(word in rank for word in _OFFICER_RANKS) else ENLISTED)
        if ident.birth_date is not None:
            age = on.year - ident.birth_date.year - ((on.month, on.day) < (ident.birth_date.month, ident.birth_date.day))
            if 18 <= age <= 25:
                found.add("aged_18_25")
    for fact in case.medical:
        if any(c.value.startswith("110-1") for c in fact.event.art110):
            found.add(SERIOUSLY_WOUNDED if case.capture and case.capture.event.wounded else SERIOUSLY_SICK)
    if any(Art110Category.INCURABLE in f.event.art110 for f in case.medical):
        found.add(SERIOUSLY_SICK)
    return frozenset(found)


def _ineligibility(d: Determination, counterpart: str) -> Ineligibility:
    verdict = d.verdict(Disposition.EXCHANGE)
    reasons = tuple(LawReason(text=r.text, sources=r.sources) for r in verdict.reasons)
    reasons += tuple(LawReason(text=f"missing: {m.text}") for m in verdict.missing)
    if verdict.status is Status.PERMITTED:
        # Permitted, but not to this counterpart.
        text = f"an exchange is permitted only to {', '.join(verdict.destinations)}, not to {counterpart}"
        return Ineligibility(code=ExclusionCode.NOT_ELIGIBLE_OTHER, reasons=(LawReason(text=text), *reasons))
    fw = d.free_will
    if fw.status is FreeWillStatus.ESTABLISHED and fw.wish is Wish.REFUSES:
        code = ExclusionCode.REFUSES_REPATRIATION
    elif any(r.rule == "R25" for r in verdict.reasons):
        code = ExclusionCode.REAL_RISK
    elif fw.status is not FreeWillStatus.ESTABLISHED:
        code = ExclusionCode.WISH_NOT_ESTABLISHED
    else:
        code = ExclusionCode.NOT_ELIGIBLE_OTHER
    return Ineligibility(code=code, reasons=reasons)


def priority_policy(rulebook: Rulebook, on: date) -> PriorityPolicy:
    """The rulebook's priority weights in force on the exchange date (a deployment may change them)."""

    def number(name: str) -> float:
        return float(rulebook.value(f"exchange_priority.{name}", on).value)  # type: ignore[arg-type]

    return PriorityPolicy(
        art109_weight=number("art109_weight"), agreement_order_step=number("agreement_order_step"),
        per_captivity_year=number("per_captivity_year"), captivity_cap_years=number("captivity_cap_years"),
    )


def plan_exchange(pw: Powcase, exchange: Exchange, policy: PriorityPolicy | None = None) -> ExchangePlan:
    """Match, decide and plan. Nobody is a candidate unless D2 is permitted for him that day."""
    on = exchange.date
    policy = policy or priority_policy(pw.rulebook, on)
    histories: dict[str, list[RecordedEvent]] = {}
    unreadable: list[str] = []
    with pw.store.begin() as tx:
        # At a field office, a case headquarters took back is not a candidate here (nothing of him
        # is readable): left out of the register, not reported as a record it could not read.
        taken = withdrawn_here(tx.conn)
        for history in tx.histories(unreadable.append):
            # A case closed as registered twice is not the man twice: only the case that holds him.
            if history[0].occurred_on <= on and not any(r.type == "erased" for r in history) \
                    and duplicate_of(history) is None and history[0].case_id not in taken:
                histories[history[0].case_id] = history
    cases: dict[str, Case] = {}
    for case_id, history in histories.items():
        try:
            cases[case_id] = fold(history, on)
        except PowcaseError:
            unreadable.append(case_id)
    with_identity = {cid: c for cid, c in cases.items() if c.identity is not None}
    register = InMemoryRegister(
        [register_entry(cid, c.identity) for cid, c in with_identity.items() if c.identity],
        {cid: c.identity.service_number for cid, c in with_identity.items() if c.identity and c.identity.service_number},
        skip_unusable=True,
    )
    skipped = tuple(sorted({*unreadable, *register.skipped} - taken.keys()))
    matches = match_rows(exchange.request_list, register)
    candidates: list[Candidate] = []
    barred: dict[str, Ineligibility] = {}
    nationalities: dict[str, str] = {}
    for match in matches:
        if not isinstance(match, Matched) or match.case_id in nationalities:
            continue
        case = cases[match.case_id]
        nationalities[match.case_id] = case.identity.nationality if case.identity else ""
        if not case.in_custody:
            barred[match.case_id] = Ineligibility(
                code=ExclusionCode.NOT_IN_CUSTODY,
                reasons=(LawReason(text=f"not in our custody on {on}: {case.status.value} since {case.status_since}"),),
            )
            continue
        d = determine(case, pw.rulebook, on, pw.context)
        verdict = d.verdict(Disposition.EXCHANGE)
        eligible = verdict.status is Status.PERMITTED and (
            not verdict.destinations or exchange.counterpart in verdict.destinations
        )
        if not eligible:
            barred[match.case_id] = _ineligibility(d, exchange.counterpart)
        captured = case.captured_on or on
        candidates.append(
            Candidate(case_id=match.case_id, eligible=eligible, categories=_categories(case, on),
                      captivity_days=max(0, (on - captured).days))
        )
    plan = plan_milp(candidates, exchange.terms, offer_count=len(exchange.offer_list) or None, policy=policy)
    report = exclusions(exchange.request_list, matches, plan, barred, nationalities)
    entries = exchange_list(plan, candidates, matches, exchange.request_list, nationalities)
    return ExchangePlan(exchange, plan, entries, report, pw.rulebook.version, skipped)


@dataclass(frozen=True)
class Execution:
    transferred: tuple[str, ...]
    removed: dict[str, str]  # case id -> why he was taken off the list at the handover


def execute_exchange(
    pw: Powcase, plan_file: Mapping[str, Any], on: date, reconfirmations: Mapping[str, Mapping[str, str]], actor: str
) -> Execution:
    """Re-check every listed prisoner as of the handover and record a transfer for those still
    permitted; the others are removed and reported. One transaction: all of it or none of it."""
    try:
        chosen = [str(c) for c in plan_file["chosen"]]
        counterpart = str(plan_file["counterpart"])
        agreement = str(plan_file["exchange_id"])
    except (KeyError, TypeError):
        raise InvalidInput("plan: expected exchange_id, counterpart and chosen (a plan written by `powcase exchange plan`)") from None
    done: list[str] = []
    removed: dict[str, str] = {}
    with pw.store.begin() as tx:
        for case_id in chosen:
            history = tx.history(case_id)
            reconfirmation = reconfirmations.get(case_id)
            transfer = Transferred(
                occurred_on=on, kind=TransferKind.EXCHANGE, to_state=counterpart, agreement=agreement,
                reconfirmation=Reconfirmation.model_validate(dict(reconfirmation)) if reconfirmation else None,
            )
            try:
                # The guard runs inside the append and refuses before writing anything; a man
                # whose record contradicts the handover (no longer in custody, dated before a
                # fact that shows him held) is taken off the list the same way.
                pw.append_within(tx, case_id, history, [transfer], actor)
            except (NotPermitted, InvariantViolation) as exc:
                removed[case_id] = str(exc)
                if reconfirmation is None and "R23" in str(exc):
                    # `record transfer` takes it as a field; an exchange takes it from the CSV.
                    removed[case_id] = (f"case {case_id}: needs his private reconfirmation at the point of "
                                        "departure (R23): add a row to the --reconfirmations CSV (case_id,result,by)")
                continue
            done.append(case_id)
    return Execution(tuple(done), removed)


def read_reconfirmations(path: Path | None) -> dict[str, dict[str, str]]:
    """CSV `case_id,result,by` (result confirmed or refused): R23 at the point of departure.

    A file without those columns, or one the CSV reader cannot read, is refused: read as empty,
    it would silently send no one (or, worse, leave the officer thinking everyone confirmed).
    """
    if path is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            missing = {"case_id", "result", "by"} - set(reader.fieldnames or ())
            if missing:
                raise InvalidInput(f"{path.name} row 1: expected the columns case_id, result, by (missing: {', '.join(sorted(missing))})")
            for n, row in enumerate(reader, start=2):
                if None in row or not row.get("case_id") or row.get("result") not in ("confirmed", "refused") or not row.get("by"):
                    raise InvalidInput(f"{path.name} row {n}: expected case_id, result (confirmed/refused) and by")
                if row["case_id"] in out:
                    raise InvalidInput(f"{path.name} row {n}: case {row['case_id']} appears twice")
                out[row["case_id"]] = {"result": row["result"], "by": row["by"]}
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name}: not a readable CSV ({exc})") from None
    return out


def load_plan(path: Path) -> dict[str, Any]:
    """A plan written by `powcase exchange plan`; anything else is refused before any work."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not a plan file ({exc.__class__.__name__})") from None
    data = parse_json(text, str(path))
    chosen = data.get("chosen") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or not isinstance(chosen, list)
        or not all(isinstance(c, str) and c for c in chosen)
        or not isinstance(data.get("counterpart"), str)
        or not isinstance(data.get("exchange_id"), str)
    ):
        raise InvalidInput(
            f"{path}: not a plan file: expected exchange_id, counterpart and chosen (a list of case ids), "
            "as written by `powcase exchange plan`"
        )
    return data
