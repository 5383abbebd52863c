"""What annotating a text answers: its mentions of listed entities, each with the
reasons for its link and the status of the entity per jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


class AnnotateError(ValueError):
    """A document that cannot be annotated; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class StatusLine:
    """One jurisdiction's status of an entity (analysis.status), as the API shows it."""

    jurisdiction: str
    status: str  # listed, delisted, possibly_listed, not_listed, unknown
    summary: str  # e.g. "listed since 2022-03-10 (gb_hmt_sanctions)"


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: str
    caption: str
    records: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # Python str offsets into the text: text[start:end] == surface
    end: int
    surface: str
    decision: Literal["linked", "ambiguous"]
    entity: str | None  # canonical id (rk-…), or the record key where not resolved; None if ambiguous
    records: tuple[str, ...]  # the member records (source:id) of the linked entity
    caption: str
    schema: str
    score: float
    reasons: tuple[str, ...]
    candidates: tuple[Candidate, ...] = ()
    status: tuple[StatusLine, ...] = ()


@dataclass(slots=True)
class Annotation:
    text_length: int
    mentions: list[Mention]
    notes: list[str] = field(default_factory=list)
    # The list versions the statuses are as of (provenance): source → its newest version.
    lists: dict[str, str] = field(default_factory=dict)
    # The text annotated, as read from the document: the offsets are into it.
    text: str = field(default="", repr=False)
