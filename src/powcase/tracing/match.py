"""Blocking, per-part scoring and the accept rule.

Scoring follows Fellegi and Sunter (1969): each field contributes
log2(m / u), where m is the chance the field agrees at that level for the
same person and u the chance it does for two different people.  The u of an
exact family or given name is its frequency in this register (a Kim agreeing
says less than a rare name agreeing); the other m and u values are priors
chosen by hand and written in the tables below, not fitted to any data.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from powcase.tracing.cyrillic import GIVEN_NAME_EQUIVALENTS
from powcase.tracing.dates import (
    COMPATIBLE,
    BirthDate,
    DateAgreement,
    agreement,
    parse_birth_date,
)
from powcase.tracing.keys import fine_key
from powcase.tracing.korean import surname_forms
from powcase.tracing.models import Candidate, MatchResult, RegisterEntry, TracingInputError
from powcase.tracing.parse import NamePart, Reading, UnusableName, check_text, name_part, readings

# Name agreement levels by similarity (0-100) of the phonetic keys.
_EXACT, _CLOSE, _PARTIAL, _NONE_BELOW = 95.0, 85.0, 72.0, 50.0
# m-probabilities of a name part at each level, and u for the non-exact levels.
_M_EXACT, _M_CLOSE, _M_PARTIAL, _M_NONE = 0.90, 0.07, 0.02, 0.01
_U_PARTIAL, _U_NONE = 0.05, 0.90
# Frequency prior: a name never seen is taken to have this frequency, smoothed
# over this many pseudo-entries, so a register of five rows does not make Kim rare.
_PRIOR_FREQ, _PRIOR_WEIGHT = 1e-3, 1000.0
# Birth-date agreement weights log2(m/u): u is the chance two different people
# born in a 60-year span agree that way; m the chance a clerk writes it so.
_DATE_WEIGHT: dict[DateAgreement, float] = {
    DateAgreement.EXACT: math.log2(0.85 / (1 / 21900)),
    DateAgreement.ONE_DAY: math.log2(0.03 / (2 / 21900)),
    DateAgreement.SWAPPED: math.log2(0.02 / (1 / 21900)),
    DateAgreement.YEAR: math.log2(0.90 / (1 / 60)),
    DateAgreement.NEAR_YEAR: math.log2(0.02 / (2 / 21900)),
    DateAgreement.SAME_YEAR_ONLY: math.log2(0.02 / (1 / 60)),
    DateAgreement.MISSING: 0.0,
    DateAgreement.DISAGREE: math.log2(0.01 / 0.98),
}
# Patronymic and initials, fixed priors.
_PATRONYMIC_WEIGHT = {"exact": 4.0, "close": 2.0, "partial": -1.0, "none": -5.0}
_INITIAL_AGREE, _INITIAL_DISAGREE = 1.5, -6.0
# Total weight -> 0-100 score: logistic centred at _W0 bits.
_W0, _W_SCALE = 12.0, 3.5
_LIKELY = 70.0
# Accept rule.
_ACCEPT_SCORE = 85.0
# The best must beat the next candidate by this many bits (a likelihood ratio of 64).
_ACCEPT_MARGIN_BITS = 6.0
_LOOKALIKE_BITS = 4.0
# With a birth year only, the names themselves must be rare enough to vouch.
_YEAR_ONLY_NAME_BITS = 18.0
# Blocks bigger than this are pre-ranked with a vectorised RapidFuzz pass.
_BIG_BLOCK = 400
_PREFILTER_KEEP = 150


def _surname_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for hangul, form in surname_forms():
        key = fine_key(form)
        if key:
            table[key].add(hangul)
    return {k: frozenset(v) for k, v in table.items()}


def _given_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for number, group in enumerate(GIVEN_NAME_EQUIVALENTS):
        for form in group:
            table[fine_key(form)].add(f"g{number}")
    return {k: frozenset(v) for k, v in table.items()}


SURNAMES = _surname_table()
GIVEN_GROUPS = _given_table()
_NO_GROUP: frozenset[str] = frozenset()


def family_codes(part: NamePart) -> tuple[str, ...]:
    canon = sorted(SURNAMES.get(part.fine, _NO_GROUP))
    return (*(f"K:{c}" for c in canon), part.skel or f"v:{part.fine}")


def given_codes(part: NamePart) -> tuple[str, ...]:
    groups = sorted(GIVEN_GROUPS.get(part.fine, _NO_GROUP))
    return (*groups, part.skel or f"v:{part.fine}")


def name_similarity(a: NamePart, b: NamePart) -> float:
    fine = fuzz.ratio(a.fine, b.fine)
    if a.skel and b.skel:
        return float(0.4 * fine + 0.6 * fuzz.ratio(a.skel, b.skel))
    return float(fine)


def _level(sim: float) -> str:
    if sim >= _EXACT:
        return "exact"
    if sim >= _CLOSE:
        return "close"
    if sim >= _PARTIAL:
        return "partial"
    return "none"


def _part_weight(sim: float, freq: float) -> float:
    """Graded agreement: weights at the level thresholds, linear in between."""
    w_exact = math.log2(_M_EXACT / freq)
    w_close = math.log2(_M_CLOSE / min(1.0, 4 * freq + 0.01))
    w_partial = math.log2(_M_PARTIAL / _U_PARTIAL)
    w_none = math.log2(_M_NONE / _U_NONE)
    points = ((_NONE_BELOW, w_none), (_PARTIAL, w_partial), (_CLOSE, w_close), (_EXACT, w_exact))
    if sim >= _EXACT:
        return w_exact
    if sim <= _NONE_BELOW:
        return w_none
    for (s0, w0), (s1, w1) in itertools.pairwise(points):
        if s0 <= sim <= s1:
            return w0 + (w1 - w0) * (sim - s0) / (s1 - s0)
    return w_none


@dataclass(slots=True)
class _Entry:
    id: str
    family: NamePart
    given: NamePart
    patronymic: NamePart | None
    birth: BirthDate | None
    fam_canon: frozenset[str]
    given_canon: frozenset[str]
    fam_code: str
    given_code: str


@dataclass(slots=True)
class _Scored:
    index: int
    weight: float
    name_weight: float
    date: DateAgreement
    fam_level: str
    given_level: str
    reasons: list[str]


def _field_error(row: int, message: str) -> TracingInputError:
    return TracingInputError(f"row {row}: {message}")


def _checked_part(text: str | None, row: int, field: str, *, required: bool) -> NamePart | None:
    if text is None or not text.strip():
        if required:
            raise _field_error(row, f"missing {field}")
        return None
    try:
        check_text(text)
    except UnusableName as exc:
        raise _field_error(row, f"{field}: {exc}") from None
    part = name_part(text)
    if part.empty:
        raise _field_error(row, f"{field}: no letters")
    return part


class NameIndex:
    """In-memory search index over a register; build once, search many times."""

    def __init__(self, entries: Iterable[RegisterEntry]) -> None:
        self._entries: list[_Entry] = []
        self._blocks: dict[str, list[int]] = defaultdict(list)
        seen: dict[str, int] = {}
        for row, entry in enumerate(entries, start=1):
            if entry.id in seen:
                raise _field_error(row, f"duplicate id (first used in row {seen[entry.id]})")
            seen[entry.id] = row
            family = _checked_part(entry.family_name, row, "family_name", required=True)
            given = _checked_part(entry.given_name, row, "given_name", required=True)
            patr = _checked_part(entry.patronymic, row, "patronymic", required=False)
            if family is None or given is None:  # unreachable: both are required
                raise _field_error(row, "missing name")
            try:
                birth = parse_birth_date(entry.birth_date)
            except ValueError as exc:
                raise _field_error(row, f"birth_date: {exc}") from None
            fcodes = family_codes(family)
            gcodes = given_codes(given)
            index = len(self._entries)
            self._entries.append(
                _Entry(
                    entry.id, family, given, patr, birth,
                    SURNAMES.get(family.fine, _NO_GROUP), GIVEN_GROUPS.get(given.fine, _NO_GROUP),
                    fcodes[0], gcodes[-1],
                )
            )
            for key in self._entry_keys(fcodes, gcodes, family, given):
                self._blocks[key].append(index)
        self._fam_counts = Counter(e.fam_code for e in self._entries)
        self._given_counts = Counter(e.given_code for e in self._entries)
        self._total = len(self._entries)
        self._combined: list[str] | None = None
        self._blocks = dict(self._blocks)

    def __len__(self) -> int:
        return self._total

    @staticmethod
    def _entry_keys(
        fcodes: tuple[str, ...], gcodes: tuple[str, ...], family: NamePart, given: NamePart
    ) -> set[str]:
        keys = {f"{f}|{g}" for f in fcodes for g in gcodes}
        keys.update(f"{f}|^{given.fine[:1]}" for f in fcodes)
        keys.update(f"~{g}|{family.fine[:1]}" for g in gcodes)
        return keys

    def _freq(self, counts: Counter[str], code: str) -> float:
        return (counts.get(code, 0) + _PRIOR_FREQ * _PRIOR_WEIGHT) / (self._total + _PRIOR_WEIGHT)

    # -- candidate generation -------------------------------------------------

    def _exact_keys(self, reading: Reading) -> set[str]:
        fcodes = family_codes(reading.family)
        if reading.given is None:
            if reading.given_initial:
                return {f"{f}|^{reading.given_initial}" for f in fcodes}
            return set()
        gcodes = given_codes(reading.given)
        return {f"{f}|{g}" for f in fcodes for g in gcodes}

    def _loose_keys(self, reading: Reading) -> set[str]:
        fcodes = family_codes(reading.family)
        keys: set[str] = set()
        if reading.given is not None and reading.given.fine:
            keys.update(f"{f}|^{reading.given.fine[:1]}" for f in fcodes)
            keys.update(f"~{g}|{reading.family.fine[:1]}" for g in given_codes(reading.given))
        return keys

    def _combined_text(self, index: int) -> str:
        entry = self._entries[index]
        return f"{entry.family.fine} {entry.given.fine}"

    def _gather(self, keys: Iterable[str], found: set[int], probes: list[str]) -> None:
        for key in keys:
            block = self._blocks.get(key)
            if not block:
                continue
            if len(block) <= _BIG_BLOCK:
                found.update(block)
                continue
            texts = [self._combined_text(i) for i in block]
            for probe in probes:
                hits = process.extract(
                    probe, texts, scorer=fuzz.ratio, limit=_PREFILTER_KEEP
                )
                found.update(block[pos] for _, _, pos in hits)

    # -- scoring ---------------------------------------------------------------

    def _score(self, index: int, reading: Reading, birth: BirthDate | None) -> _Scored:
        entry = self._entries[index]
        reasons: list[str] = []
        if reading.family.fine and entry.fam_canon & SURNAMES.get(reading.family.fine, _NO_GROUP):
            fam_sim = 100.0
            reasons.append("family name: spellings of one Korean surname")
        else:
            fam_sim = name_similarity(reading.family, entry.family)
        fam_level = _level(fam_sim)
        fam_w = _part_weight(fam_sim, self._freq(self._fam_counts, entry.fam_code))
        reasons.append(f"family name {fam_level} ({fam_sim:.0f}%, {fam_w:+.1f})")

        weight = fam_w
        given_level = "missing"
        if reading.given is not None:
            if entry.given_canon & GIVEN_GROUPS.get(reading.given.fine, _NO_GROUP):
                given_sim = 100.0
                reasons.append("given name: Russian/Ukrainian forms of one name")
            else:
                given_sim = name_similarity(reading.given, entry.given)
            given_level = _level(given_sim)
            given_w = _part_weight(given_sim, self._freq(self._given_counts, entry.given_code))
            reasons.append(f"given name {given_level} ({given_sim:.0f}%, {given_w:+.1f})")
            weight += given_w
        elif reading.given_initial:
            agree = entry.given.fine[:1] == reading.given_initial
            given_level = "initial" if agree else "none"
            w = _INITIAL_AGREE if agree else _INITIAL_DISAGREE
            reasons.append(f"given-name initial {'agrees' if agree else 'differs'} ({w:+.1f})")
            weight += w

        if entry.patronymic is not None:
            if reading.patronymic is not None:
                patr_level = _level(name_similarity(reading.patronymic, entry.patronymic))
                w = _PATRONYMIC_WEIGHT[patr_level]
                reasons.append(f"patronymic {patr_level} ({w:+.1f})")
                weight += w
            elif reading.patronymic_initial:
                agree = entry.patronymic.fine[:1] == reading.patronymic_initial
                w = _INITIAL_AGREE if agree else _INITIAL_DISAGREE
                reasons.append(f"patronymic initial {'agrees' if agree else 'differs'} ({w:+.1f})")
                weight += w

        name_weight = weight
        date = agreement(birth, entry.birth)
        date_w = _DATE_WEIGHT[date]
        reasons.append(f"birth date {date.value} ({date_w:+.1f})")
        weight += date_w
        return _Scored(index, weight, name_weight, date, fam_level, given_level, reasons)

    def _best(self, indices: Iterable[int], reads: list[Reading], birth: BirthDate | None) -> list[_Scored]:
        best: list[_Scored] = []
        for index in indices:
            top: _Scored | None = None
            for reading in reads:
                scored = self._score(index, reading, birth)
                if top is None or scored.weight > top.weight:
                    top = scored
            if top is not None:
                best.append(top)
        best.sort(key=lambda s: (-s.weight, self._entries[s.index].id))
        return best

    # -- public ---------------------------------------------------------------

    def search(
        self, name: str, birth_date: str | None = None, *, top: int = 10, query_id: str = ""
    ) -> MatchResult:
        try:
            reads = readings(name)
        except UnusableName as exc:
            return MatchResult(query_id=query_id, candidates=[], accept=False, reason=str(exc))
        try:
            birth = parse_birth_date(birth_date)
        except ValueError as exc:
            return MatchResult(query_id=query_id, candidates=[], accept=False,
                               reason=f"invalid birth date: {exc}")
        probes = [f"{r.family.fine} {r.given.fine if r.given else ''}".strip() for r in reads]
        found: set[int] = set()
        exact_keys: set[str] = set()
        for reading in reads:
            exact_keys |= self._exact_keys(reading)
        self._gather(exact_keys, found, probes)
        scored = self._best(found, reads, birth)
        if not scored or _to_score(scored[0].weight) < _LIKELY or len(scored) < top:
            loose: set[str] = set()
            for reading in reads:
                loose |= self._loose_keys(reading)
            more: set[int] = set()
            self._gather(loose - exact_keys, more, probes)
            more -= found
            if more:
                scored = sorted(
                    [*scored, *self._best(more, reads, birth)],
                    key=lambda s: (-s.weight, self._entries[s.index].id),
                )
        if not scored:
            return MatchResult(query_id=query_id, candidates=[], accept=False,
                               reason="no candidate shares a phonetic key")
        shown = scored[: max(top, 0)]
        candidates = [
            Candidate(
                record_id=self._entries[s.index].id,
                score=round(_to_score(s.weight), 1),
                label="likely" if _to_score(s.weight) >= _LIKELY else "possible",
                reasons=s.reasons,
            )
            for s in shown
        ]
        return MatchResult(query_id=query_id, candidates=candidates, accept=_accept(scored))


def _to_score(weight: float) -> float:
    return 100.0 / (1.0 + math.exp(-(weight - _W0) / _W_SCALE))


def _accept(scored: list[_Scored]) -> bool:
    """Claim a match only when nothing else could be the same person."""
    best = scored[0]
    if best.date not in COMPATIBLE or _to_score(best.weight) < _ACCEPT_SCORE:
        return False
    # Both name parts must agree in full: a close spelling with the same birth
    # date is exactly what a near-miss looks like.
    if best.fam_level != "exact" or best.given_level != "exact":
        return False
    if best.date is DateAgreement.YEAR and best.name_weight < _YEAR_ONLY_NAME_BITS:
        return False
    for other in scored[1:]:
        if best.weight - other.weight < _ACCEPT_MARGIN_BITS:
            return False
        # A look-alike: a name about as good whose birth date does not rule it out.
        if (
            other.name_weight >= best.name_weight - _LOOKALIKE_BITS
            and other.date is not DateAgreement.DISAGREE
        ):
            return False
    return True
