"""Where the store meets the law: determinations for stored cases and case files. The execution
guard that re-checks the law over every history before it is written is `powcase.app.guard`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from powcase.domain.case import Case, fold
from powcase.domain.casefile import casefile_history, read_casefiles
from powcase.domain.context import Context
from powcase.domain.reading import load_document
from powcase.errors import InvalidInput
from powcase.law import Determination, Rulebook, determine
from powcase.store.eventstore import EventStore


def load_context(path: Path | None) -> Context | None:
    """The deployment's context file (hostilities, agreements), if there is one."""
    if path is None or not path.exists():
        return None
    data = load_document(path)
    try:
        return Context.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(f"{path}: not a valid context: {str(exc).splitlines()[0]}") from None


@dataclass(frozen=True)
class Determined:
    case: Case
    determination: Determination


def determine_stored(
    store: EventStore, case_id: str, rulebook: Rulebook, as_of: date, context: Context | None
) -> Determined:
    with store.begin() as tx:
        history = tx.history(case_id)
    case = fold(history, as_of)
    return Determined(case, determine(case, rulebook, as_of, context))


def determine_file(path: Path, rulebook: Rulebook, as_of: date, context: Context | None) -> list[Determined]:
    """A case file is decided in its own context when it carries one (the law scenarios do)."""
    out = []
    for cf in read_casefiles(path):
        case = fold(casefile_history(cf), as_of)
        out.append(Determined(case, determine(case, rulebook, as_of, cf.context or context)))
    return out


def determine_all(
    store: EventStore, rulebook: Rulebook, as_of: date, context: Context | None
) -> Iterator[Determination]:
    with store.begin() as tx:
        for history in tx.histories():
            if history[0].occurred_on > as_of or any(r.type == "erased" for r in history):
                continue
            case = fold(history, as_of)
            if case.in_custody:  # the law decides what may happen to those we still hold
                yield determine(case, rulebook, as_of, context)


def summarise(determinations: Sequence[Determination]) -> dict[str, Counter[str]]:
    """How many cases each disposition is permitted, barred or needs facts for."""
    table: dict[str, Counter[str]] = {}
    for d in determinations:
        for v in d.dispositions:
            table.setdefault(f"{v.disposition} {v.title}", Counter())[v.status.value] += 1
    return table
