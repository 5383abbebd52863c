"""The control graph and exposure (issue 22): who owns, directs or is linked to whom, by the lists.

- `load_graph(con) -> ControlGraph`: every relation the loaded lists and imported datasets
  state, as `Edge`s between canonical entities, each with its evidence (source, version,
  record, the list's words); bad data in `ControlGraph.problems`, never raised (graph.py).
- `exposure(graph, entity, *, hops=2, status=None) -> Exposure`: the paths to listed
  entities and, per jurisdiction, the owned share ("50% rule" view), "controlled by" (the
  weaker claim) and "linked to" (exposure.py).
- `StatusLookup = Callable[[str], Mapping[str, JurisdictionStatus] | None]`: for an entity
  id, its `reckon.analysis.status.JurisdictionStatus` per jurisdiction (the StatusLines the
  web and API show), or None if no such entity. `status_lookup(con, max_age_days=...)`
  makes one over a store (`entity_status`, remembered). `exposure` asks it for the entity
  itself only (listed / not listed / unknown, as of which version); where the entities
  around it are listed is read from the graph (`ControlGraph.listed`: the records on a
  list now, which status calls listed). Without a lookup, the graph says both (a
  jurisdiction without a complete primary list is unknown).
- `entity_exposure(con, entity, hops=, max_age_days=, graph=)`: what `reckon exposure`, the
  API and the web page show (entity.py).
"""

from reckon.control.entity import entity_exposure
from reckon.control.exposure import MAX_HOPS, exposure, status_lookup
from reckon.control.graph import graph_summary, load_graph, ownership_cycles
from reckon.control.model import (
    RELATIONS,
    ControlGraph,
    Edge,
    Exposure,
    ExposurePath,
    GraphProblem,
    JurisdictionExposure,
    StatusLookup,
)

__all__ = [
    "MAX_HOPS",
    "RELATIONS",
    "ControlGraph",
    "Edge",
    "Exposure",
    "ExposurePath",
    "GraphProblem",
    "JurisdictionExposure",
    "StatusLookup",
    "entity_exposure",
    "exposure",
    "graph_summary",
    "load_graph",
    "ownership_cycles",
    "status_lookup",
]
