"""Every citable source of the rulebook, as data.

A reason, a rule, a parameter or a country profile may cite a source only by an id listed in
`sources.yaml` (e.g. "GC3-118", "CAT-3", "KAA-51a"). A citation may add a pinpoint after the id,
in brackets: "GC3-109(3)" cites source "GC3-109", paragraph 3.

The mark of a source decides how its wording may be shown (rulebook, "Marks"): only "✔" wording
may appear as a verbatim quotation; "S" wording is attributed and flagged as not law; "T" and "?"
wording is shown as a paraphrase that must be checked before it is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from powcase.law.errors import UnknownSourceError
from powcase.law.packaged import load_packaged


class Mark(StrEnum):
    """How far the wording of a source has been checked (rulebook, "Marks")."""

    CHECKED = "✔"
    TREATY_TEXT = "T"
    SECONDARY = "S"
    UNCONFIRMED = "?"


class SourceKind(StrEnum):
    TREATY = "treaty"
    COMMENTARY = "commentary"
    CUSTOM = "custom"
    PRACTICE = "practice"
    NATIONAL_LAW = "national_law"
    COURT = "court"
    REPORT = "report"
    NEWS = "news"


class Source(BaseModel):
    """One citable source: an article, a paragraph, a report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    provision: str
    kind: SourceKind
    wording: str
    mark: Mark
    mark_note: str | None = None
    link: str | None = None

    @property
    def quotable(self) -> bool:
        """True only when the wording was checked against a copy of the source (mark ✔)."""
        return self.mark is Mark.CHECKED

    @property
    def needs_attribution(self) -> bool:
        """Secondary sources are attributed and never presented as law."""
        return self.mark is Mark.SECONDARY


_CITATION = re.compile(r"^(?P<id>[A-Za-z0-9][A-Za-z0-9.-]*?)(?P<pinpoint>\(.*\))?$")


def split_citation(citation: str) -> tuple[str, str]:
    """Split "GC3-109(3)" into ("GC3-109", "(3)"); a bare id has an empty pinpoint."""
    match = _CITATION.match(citation.strip())
    if match is None:
        raise UnknownSourceError(f"malformed citation {citation!r}")
    return match.group("id"), match.group("pinpoint") or ""


class SourceRegistry:
    """The sources by id, with a check that every citation names one of them."""

    def __init__(self, sources: Iterable[Source]) -> None:
        by_id: dict[str, Source] = {}
        for source in sources:
            if source.id in by_id:
                raise UnknownSourceError(f"source id {source.id!r} is defined twice")
            by_id[source.id] = source
        self._by_id: Mapping[str, Source] = by_id

    def __contains__(self, citation: object) -> bool:
        if not isinstance(citation, str):
            return False
        try:
            source_id, _ = split_citation(citation)
        except UnknownSourceError:
            return False
        return source_id in self._by_id

    def __iter__(self) -> Any:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, citation: str) -> Source:
        """The source a citation names; raises UnknownSourceError for an unknown id."""
        source_id, _ = split_citation(citation)
        try:
            return self._by_id[source_id]
        except KeyError:
            raise UnknownSourceError(f"unknown source id {source_id!r}") from None

    def check(self, citations: Iterable[str], where: str) -> None:
        """Refuse any citation whose id is not a known source, naming where it was found."""
        for citation in citations:
            if citation not in self:
                raise UnknownSourceError(f"{where} cites unknown source id {citation!r}")

    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)


def render_source(source: Source, pinpoint: str = "", *, with_wording: bool = True) -> str:
    """One line for a memo or the UI, honouring the mark of the source.

    ✔ wording is shown as it stands (it contains the checked quotation marks); S wording is
    attributed; T and ? wording is shown without quotation marks, as a paraphrase to be checked.
    """
    head = f"{source.id}{pinpoint}: {heading(source)}"
    if not with_wording:
        return head
    if source.mark is Mark.CHECKED:
        return f"{head}. {source.wording}"
    if source.mark is Mark.SECONDARY:
        return f"{head}. Secondary source, attributed, not law: {source.wording}"
    paraphrase = source.wording.replace('"', "")
    if source.mark is Mark.TREATY_TEXT:
        caution = "Paraphrase of the standard treaty text, not yet checked against a copy; do not quote as exact"
    else:
        caution = "Paraphrase of a detail not confirmed; do not quote as exact"
    return f"{head}. {caution}: {paraphrase}"


def heading(source: Source) -> str:
    """Title and provision, without saying the article twice ("Commentary ..., Art 118, Art 118")."""
    short = source.provision.split(" (")[0]
    if short and short in source.title:
        rest = source.provision[len(short):].strip()
        return f"{source.title} {rest}" if rest and rest.strip("()") not in source.title else source.title
    return f"{source.title}, {source.provision}"


def _parse(raw: Any) -> list[Source]:
    if not isinstance(raw, list):
        raise UnknownSourceError("sources.yaml must be a list of sources")
    return [Source.model_validate(item) for item in raw]


@cache
def load_sources() -> SourceRegistry:
    """The sources shipped with the package (`law/sources.yaml`)."""
    text = resources.files("powcase.law").joinpath("sources.yaml").read_text(encoding="utf-8")
    return SourceRegistry(_parse(load_packaged(text)))
