"""One entity's exposure, read from a store: what `reckon exposure`, `GET /exposure/{id}` and
the entity page show. The graph is read by the caller that can keep it (the API and the web
keep one per loaded store, `Loaded.memo`); a command reads it once for its one answer."""

from __future__ import annotations

import dataclasses

import duckdb

from reckon.analysis.status import entity_status
from reckon.control.exposure import exposure, status_lookup
from reckon.control.graph import load_graph
from reckon.control.model import ControlGraph, Exposure


def entity_exposure(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    *,
    hops: int = 2,
    max_age_days: int | None = None,
    graph: ControlGraph | None = None,
) -> Exposure | None:
    """The exposure of `entity` (a canonical id, one merged away, or `source:id`), each
    entity's status read as `reckon status` reads it (the same lines, the same freshness
    limit); None if there is no such entity. `graph`: the store's graph where the caller
    keeps it (the API keeps one per loaded store), else read here."""
    found = entity_status(con, entity, max_age_days=max_age_days)
    if found is None:
        return None
    lookup = status_lookup(con, max_age_days=max_age_days)
    result = exposure(graph or load_graph(con), found.entity, hops=hops, status=lookup)
    if result.caption == result.entity:  # no relation: the graph has no caption for it
        result = dataclasses.replace(
            result, caption=found.caption, captions={**result.captions, result.entity: found.caption}
        )
    return result
