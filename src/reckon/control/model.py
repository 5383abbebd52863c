"""The control graph's plain data: edges with their evidence, problems, exposure results.

The types are the contract with the companies report (issue 22): change a field only
with its readers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reckon.analysis.status import JurisdictionStatus

# Relations an edge can carry. "owner": subject owns (or is the parent of) object;
# "director": subject directs or operates object; the other three say only that the
# two are connected, and are stored once with `directed=False`.
OWNER = "owner"
DIRECTOR = "director"
FAMILY = "family"
ASSOCIATE = "associate"
LINKED = "linked"
RELATIONS = (OWNER, DIRECTOR, FAMILY, ASSOCIATE, LINKED)
# Relations through which an entity is controlled: the "controlled by" view follows them.
CONTROL = frozenset({OWNER, DIRECTOR})

# An entity id that names only a target the list states by name, which no record of the
# same list version carries exactly: `unresolved:<source>:<the name as stated>`.
UNRESOLVED = "unresolved:"

# For an entity id, its status per jurisdiction (the `JurisdictionStatus` lines of
# `reckon.analysis.status`, the same the web and API show), or None if no such entity.
StatusLookup = Callable[[str], Mapping[str, JurisdictionStatus] | None]


@dataclass(frozen=True, slots=True)
class Edge:
    """One relation a list (or an imported dataset) states, between canonical entities."""

    subject: str
    object: str
    relation: str  # one of RELATIONS
    directed: bool
    percentage: float | None
    source: str
    version_id: int
    record_id: str  # the record that states the relation, in `source`
    text: str  # the relation as the list states it, e.g. "Linked To: BANK ROSSIYA"

    def other(self, node: str) -> str:
        return self.object if node == self.subject else self.subject


@dataclass(frozen=True, slots=True)
class GraphProblem:
    """Bad data met while building the graph, with the record that holds it."""

    source: str
    record_id: str
    version_id: int
    message: str


@dataclass(slots=True)
class ControlGraph:
    edges: list[Edge]
    # Edges by each of their two ends.
    adjacent: dict[str, list[Edge]]
    # Caption (the name shown) of every entity that is an end of an edge.
    captions: dict[str, str]
    # Jurisdictions where the entity has a record on a list now (kind = "list" sources
    # only: an allegation is never a listing).
    listed: dict[str, frozenset[str]]
    # Jurisdiction -> date of the newest complete version of its lists; a jurisdiction
    # absent here is unknown for an entity not listed there.
    complete_as_of: dict[str, str]
    problems: list[GraphProblem] = field(default_factory=list)
    # Record key (source:record_id) -> its canonical entity, for records in a cluster.
    entity_of: dict[str, str] = field(default_factory=dict)
    # Version id -> its date, for the versions edges cite.
    version_dates: dict[int, str] = field(default_factory=dict)
    # Names stated as targets that no record of the same list version carries exactly.
    unresolved: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ExposurePath:
    """A path from the asked entity to a listed one: `edges[0]` touches the entity."""

    edges: tuple[Edge, ...]
    end: str
    end_listed_in: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JurisdictionExposure:
    jurisdiction: str
    entity_listed: bool | None  # None: unknown (the jurisdiction's list is missing or stale)
    # The "50% rule" view, from stated percentages only: the share of the entity held by
    # entities the jurisdiction lists (directly, or through an entity that is itself at
    # least 50% held by them). None where no stated share leads to a listed owner.
    owned_share: float | None
    # The weaker claim: listed entities that own or direct the entity (within the hops)
    # where no percentage is stated along the way.
    controlled_by: tuple[str, ...]
    # Listed entities related to it in any other way (the weakest).
    linked_to: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exposure:
    entity: str
    caption: str
    paths: list[ExposurePath]
    by_jurisdiction: list[JurisdictionExposure]
    as_of: dict[str, str]  # jurisdiction -> the list version date used
    # The caption of every entity on a path (and of the entity itself).
    captions: dict[str, str] = field(default_factory=dict)
    # The date of every list version an edge on a path cites.
    version_dates: dict[int, str] = field(default_factory=dict)
