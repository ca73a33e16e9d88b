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
from functools import lru_cache

from rapidfuzz import fuzz, process

from powcase.tracing.cyrillic import GIVEN_NAME_EQUIVALENTS
from powcase.tracing.dates import (
    COMPATIBLE,
    BirthDate,
    DateAgreement,
    agreement,
    parse_birth_date,
)
from powcase.tracing.hangul import compose, decompose, is_syllable
from powcase.tracing.keys import fine_key, spelling_key
from powcase.tracing.korean import surname_forms
from powcase.tracing.models import Candidate, MatchResult, RegisterEntry, TracingInputError
from powcase.tracing.parse import (
    NamePart,
    Reading,
    UnusableName,
    check_text,
    name_context,
    name_part,
    readings,
)

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


def _spelled_surname_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for hangul, form in surname_forms():
        key = spelling_key(form)
        if key:
            table[key].add(hangul)
    return {k: frozenset(v) for k, v in table.items()}


# Initial-sound law (두음법칙): South Korea writes word-initial ㄹ as ㄴ, and ㄹ/ㄴ
# before i/y as ㅇ; the North keeps ㄹ (리 = 이, 림 = 임, 류 = 유, 로 = 노).
_I_Y_VOWELS = frozenset("ㅣㅑㅕㅖㅛㅠ")


def _initial_law_variants(hangul: str) -> frozenset[str]:
    if not hangul or not is_syllable(hangul[0]):
        return frozenset({hangul})
    first = decompose(hangul[0])
    rest = hangul[1:]
    out = {hangul}
    if first.initial in {"ㄹ", "ㄴ", "ㅇ"}:
        if first.vowel in _I_Y_VOWELS:
            options = ["ㄹ", "ㄴ", "ㅇ"]
        else:
            options = ["ㄹ", "ㄴ"] if first.initial != "ㅇ" else []
        out.update(compose(o, first.vowel, first.final) + rest for o in options)
    return frozenset(out)


def _given_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for number, group in enumerate(GIVEN_NAME_EQUIVALENTS):
        for form in group:
            table[fine_key(form)].add(f"g{number}")
    return {k: frozenset(v) for k, v in table.items()}


SURNAMES = _surname_table()
SPELLED_SURNAMES = _spelled_surname_table()
GIVEN_GROUPS = _given_table()
_NO_GROUP: frozenset[str] = frozenset()


@lru_cache(maxsize=200_000)
def surname_info(part: NamePart) -> tuple[frozenset[str], bool]:
    """Korean surnames (Hangul) this part may spell, and whether that is certain.

    Hangul and a spelling listed in the surname table are certain (a listed
    spelling of one surname is not another surname); otherwise the phonetic
    keys are looked up, which may merge surnames (Choi and Cho fold alike).
    """
    if part.spelled and all(is_syllable(ch) for ch in part.spelled):
        return _initial_law_variants(part.spelled), True
    listed = SPELLED_SURNAMES.get(part.spelled)
    if listed:
        return listed, True
    if not part.alts:
        return SURNAMES.get(part.fine, _NO_GROUP), False
    return frozenset().union(*(SURNAMES.get(fine, _NO_GROUP) for fine, _ in part.keys)), False


def surname_groups(part: NamePart) -> frozenset[str]:
    """Korean surnames (Hangul) any reading of this part spells."""
    return surname_info(part)[0]


def given_groups(part: NamePart) -> frozenset[str]:
    """Russian/Ukrainian given-name groups any reading of this part belongs to."""
    if not part.alts:
        return GIVEN_GROUPS.get(part.fine, _NO_GROUP)
    return frozenset().union(*(GIVEN_GROUPS.get(fine, _NO_GROUP) for fine, _ in part.keys))


def _skeleton_codes(part: NamePart) -> list[str]:
    return list(dict.fromkeys(skel or f"v:{fine}" for fine, skel in part.keys))


def family_codes(part: NamePart) -> tuple[str, ...]:
    canon = sorted(surname_groups(part))
    return (*(f"K:{c}" for c in canon), *_skeleton_codes(part))


def given_codes(part: NamePart) -> tuple[str, ...]:
    groups = sorted(given_groups(part))
    return (*groups, *_skeleton_codes(part))


def _pair_similarity(fine_a: str, skel_a: str, fine_b: str, skel_b: str) -> float:
    fine = fuzz.ratio(fine_a, fine_b)
    if skel_a and skel_b:
        return float(0.4 * fine + 0.6 * fuzz.ratio(skel_a, skel_b))
    return float(fine)


def name_similarity(a: NamePart, b: NamePart) -> float:
    """Best similarity over the readings of both parts (0-100)."""
    if not a.alts and not b.alts:
        return _pair_similarity(a.fine, a.skel, b.fine, b.skel)
    return max(
        _pair_similarity(fa, sa, fb, sb) for fa, sa in a.keys for fb, sb in b.keys
    )


def _level(sim: float) -> str:
    if sim >= _EXACT:
        return "exact"
    if sim >= _CLOSE:
        return "close"
    if sim >= _PARTIAL:
        return "partial"
    return "none"


@lru_cache(maxsize=65_536)
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
    fam_sure: bool
    fam_code: str
    given_code: str
    fam_freq: float = 0.0
    given_freq: float = 0.0


@dataclass(slots=True)
class _Scored:
    index: int
    weight: float
    name_weight: float
    date: DateAgreement
    fam_level: str
    given_level: str
    reasons: list[str]
    reading: Reading


def _field_error(row: int, message: str) -> TracingInputError:
    return TracingInputError(f"row {row}: {message}")


def _checked_part(
    text: str | None, row: int, field: str, *, required: bool, context: tuple[bool, bool]
) -> NamePart | None:
    if text is None or not text.strip():
        if required:
            raise _field_error(row, f"missing {field}")
        return None
    try:
        check_text(text)
    except UnusableName as exc:
        raise _field_error(row, f"{field}: {exc}") from None
    part = name_part(text, *context)
    if part.empty:
        raise _field_error(row, f"{field}: no letters")
    return part


class NameIndex:
    """In-memory search index over a register; build once, search many times."""

    def __init__(self, entries: Iterable[RegisterEntry], *, skip_unusable: bool = False) -> None:
        """Index a register. A file is refused at its first unusable row; a live register
        (``skip_unusable``) leaves such an entry out and lists its id in ``skipped``, so that one
        unreadable record cannot stop tracing for everyone."""
        self._entries: list[_Entry] = []
        self._blocks: dict[str, list[int]] = defaultdict(list)
        self.skipped: list[str] = []
        seen: dict[str, int] = {}
        for row, entry in enumerate(entries, start=1):
            if entry.id in seen:
                raise _field_error(row, f"duplicate id (first used in row {seen[entry.id]})")
            seen[entry.id] = row
            try:
                self._add(entry, row)
            except (ValueError, LookupError):  # TracingInputError, or a name no key table knows
                if not skip_unusable:
                    raise
                self.skipped.append(entry.id)
        # Every code an entry is filed under, so a Korean surname group (K:이) is
        # counted over all of its spellings.
        self._fam_counts = Counter(
            code for e in self._entries for code in {e.fam_code, *(f"K:{c}" for c in e.fam_canon)}
        )
        self._given_counts = Counter(e.given_code for e in self._entries)
        self._total = len(self._entries)
        for e in self._entries:
            e.fam_freq = self._freq(self._fam_counts, e.fam_code)
            e.given_freq = self._freq(self._given_counts, e.given_code)
        self._combined: list[str] | None = None
        # Pre-ranking texts of the big blocks' entries, made on first use.
        self._block_texts: dict[str, list[str]] = {}
        self._texts: list[str | None] = [None] * self._total
        self._blocks = dict(self._blocks)

    def _add(self, entry: RegisterEntry, row: int) -> None:
        context = _entry_context(entry)
        family = _checked_part(entry.family_name, row, "family_name", required=True,
                               context=context)
        given = _checked_part(entry.given_name, row, "given_name", required=True,
                              context=context)
        patr = _checked_part(entry.patronymic, row, "patronymic", required=False,
                             context=context)
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
                surname_groups(family), given_groups(given), surname_info(family)[1],
                fcodes[0], gcodes[-1],
            )
        )
        for key in self._entry_keys(fcodes, gcodes, family, given):
            self._blocks[key].append(index)

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
        text = self._texts[index]
        if text is None:
            entry = self._entries[index]
            text = self._texts[index] = f"{entry.family.fine} {entry.given.fine}"
        return text

    def _gather(self, keys: Iterable[str], found: set[int], probes: list[str]) -> None:
        for key in keys:
            block = self._blocks.get(key)
            if not block:
                continue
            if len(block) <= _BIG_BLOCK:
                found.update(block)
                continue
            texts = self._block_texts.get(key)
            if texts is None:
                texts = self._block_texts[key] = [self._combined_text(i) for i in block]
            for probe in probes:
                hits = process.extract(
                    probe, texts, scorer=fuzz.ratio, limit=_PREFILTER_KEEP
                )
                found.update(block[pos] for _, _, pos in hits)

    # -- scoring ---------------------------------------------------------------

    def _score(
        self,
        index: int,
        reading: Reading,
        birth: BirthDate | None,
        memo: dict[tuple[int, int], float],
        *,
        explain: bool = False,
        family_info: tuple[frozenset[str], bool] | None = None,
    ) -> _Scored:
        """Weigh one entry against one reading; reasons only when explain (shown candidates)."""
        entry = self._entries[index]
        reasons: list[str] | None = [] if explain else None
        q_groups, q_sure = family_info or surname_info(reading.family)
        shared = entry.fam_canon & q_groups if reading.family.fine else None
        fam_freq = entry.fam_freq
        if shared:
            fam_sim = 100.0
            if reasons is not None:
                reasons.append("family name: spellings of one Korean surname")
            # Agreeing on Lee/Yi/Ri says as little as the commonest surname it may be.
            fam_freq = max(self._freq(self._fam_counts, f"K:{c}") for c in shared)
        elif q_sure and entry.fam_sure and q_groups and entry.fam_canon:
            fam_sim = min(_memo_similarity(memo, reading.family, entry.family), _PARTIAL - 1.0)
            if reasons is not None:
                reasons.append("family name: two different Korean surnames")
        else:
            fam_sim = _strict_checked(
                _memo_similarity(memo, reading.family, entry.family), reading.family,
                entry.family, reasons, "family name",
            )
        fam_level = _level(fam_sim)
        fam_w = _part_weight(fam_sim, fam_freq)
        if reasons is not None:
            reasons.append(f"family name {fam_level} ({fam_sim:.0f}%, {fam_w:+.1f})")

        weight = fam_w
        given_level = "missing"
        if reading.given is not None:
            if entry.given_canon and entry.given_canon & given_groups(reading.given):
                given_sim = 100.0
                if reasons is not None:
                    reasons.append("given name: Russian/Ukrainian forms of one name")
            else:
                given_sim = _strict_checked(
                    _memo_similarity(memo, reading.given, entry.given), reading.given,
                    entry.given, reasons, "given name",
                )
            given_level = _level(given_sim)
            given_w = _part_weight(given_sim, entry.given_freq)
            if reasons is not None:
                reasons.append(f"given name {given_level} ({given_sim:.0f}%, {given_w:+.1f})")
            weight += given_w
        elif reading.given_initial:
            agree = entry.given.fine[:1] == reading.given_initial
            given_level = "initial" if agree else "none"
            w = _INITIAL_AGREE if agree else _INITIAL_DISAGREE
            if reasons is not None:
                reasons.append(f"given-name initial {'agrees' if agree else 'differs'} ({w:+.1f})")
            weight += w

        if entry.patronymic is not None:
            if reading.patronymic is not None:
                patr_level = _level(_memo_similarity(memo, reading.patronymic, entry.patronymic))
                w = _PATRONYMIC_WEIGHT[patr_level]
                if reasons is not None:
                    reasons.append(f"patronymic {patr_level} ({w:+.1f})")
                weight += w
            elif reading.patronymic_initial:
                agree = entry.patronymic.fine[:1] == reading.patronymic_initial
                w = _INITIAL_AGREE if agree else _INITIAL_DISAGREE
                if reasons is not None:
                    reasons.append(
                        f"patronymic initial {'agrees' if agree else 'differs'} ({w:+.1f})"
                    )
                weight += w

        name_weight = weight
        if reading.prior:
            weight += reading.prior
            if reasons is not None:
                reasons.append(f"family name read last ({reading.prior:+.1f})")
        date = agreement(birth, entry.birth)
        date_w = _DATE_WEIGHT[date]
        if reasons is not None:
            reasons.append(f"birth date {date.value} ({date_w:+.1f})")
        weight += date_w
        return _Scored(
            index, weight, name_weight, date, fam_level, given_level, reasons or [], reading
        )

    def _best(
        self,
        indices: Iterable[int],
        reads: list[Reading],
        birth: BirthDate | None,
        memo: dict[tuple[int, int], float],
    ) -> list[_Scored]:
        best: list[_Scored] = []
        infos = [surname_info(reading.family) for reading in reads]
        for index in indices:
            top: _Scored | None = None
            for reading, info in zip(reads, infos, strict=True):
                scored = self._score(index, reading, birth, memo, family_info=info)
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
        result = self._search(name, birth_date, top=top, query_id=query_id)
        return result.model_copy(update={"skipped": list(self.skipped)}) if self.skipped else result

    def _search(self, name: str, birth_date: str | None, *, top: int, query_id: str) -> MatchResult:
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
        memo: dict[tuple[int, int], float] = {}
        scored = self._best(found, reads, birth, memo)
        if not scored or _to_score(scored[0].weight) < _LIKELY or len(scored) < top:
            loose: set[str] = set()
            for reading in reads:
                loose |= self._loose_keys(reading)
            more: set[int] = set()
            self._gather(loose - exact_keys, more, probes)
            more -= found
            if more:
                scored = sorted(
                    [*scored, *self._best(more, reads, birth, memo)],
                    key=lambda s: (-s.weight, self._entries[s.index].id),
                )
        if not scored:
            return MatchResult(query_id=query_id, candidates=[], accept=False,
                               reason="no candidate shares a phonetic key")
        shown = [
            self._score(s.index, s.reading, birth, memo, explain=True)
            for s in scored[: max(top, 0)]
        ]
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


# A Korean name whose keys agree only once ㅇ/ㄴ or ㅎ/ㄱ are merged (성 and
# 선, 희 and 기) agrees at most this well: close, never exact.
_STRICT_MISMATCH_SIM = 86.0


def _strict_checked(
    sim: float, a: NamePart, b: NamePart, reasons: list[str] | None, what: str
) -> float:
    if sim >= _EXACT and a.strict and b.strict and not set(a.strict) & set(b.strict):
        if reasons is not None:
            reasons.append(f"{what}: ng/n or h/g differ")
        return min(sim, _STRICT_MISMATCH_SIM)
    return sim


def _memo_similarity(memo: dict[tuple[int, int], float], a: NamePart, b: NamePart) -> float:
    """name_similarity, remembered for one search (register entries share NamePart objects)."""
    key = (id(a), id(b))
    sim = memo.get(key)
    if sim is None:
        sim = memo[key] = name_similarity(a, b)
    return sim


def _entry_context(entry: RegisterEntry) -> tuple[bool, bool]:
    """(slavic, ukrainian) for a register entry: its language hint, else its letters."""
    language = (entry.language or "").strip().lower()
    if language in {"kor", "ko"}:
        return False, False
    if language in {"ukr", "uk"}:
        return True, True
    slavic, ukrainian = name_context(entry.family_name, entry.given_name, entry.patronymic)
    if language in {"rus", "ru"}:
        return True, ukrainian
    return slavic or bool(entry.patronymic and entry.patronymic.strip()), ukrainian


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
