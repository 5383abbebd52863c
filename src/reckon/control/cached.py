"""The graph of a store, loaded once per state of the store, and one entity's exposure over it.

Loading the graph reads every relation (~1-3 s on the bundled lists); a page or an API call
asks for one entity's exposure (milliseconds). The graph is kept per store file and the
state it was read from (its newest list version, the number of versions, the last
resolution run): any import, removal or `reckon resolve` gives a new state, and the next
call reads the graph again.
"""

from __future__ import annotations

import dataclasses
import threading

import duckdb

from reckon.analysis.status import entity_status
from reckon.control.exposure import exposure, status_lookup
from reckon.control.graph import load_graph
from reckon.control.model import ControlGraph, Exposure

_LOCK = threading.Lock()
_GRAPHS: dict[tuple[object, ...], ControlGraph] = {}
KEEP = 2  # stores (or states of one) kept at once: a server serves one, tests a few


def _state(con: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    versions = con.execute("SELECT count(*), max(version_id) FROM versions").fetchone()
    try:
        run = con.execute("SELECT max(run) FROM resolve_runs").fetchone()
    except duckdb.CatalogException:  # not resolved
        run = None
    return (path[0] if path else None, *(versions or ()), run[0] if run else None)


def graph_for(con: duckdb.DuckDBPyConnection) -> ControlGraph:
    """`load_graph(con)`, kept for the store's present state (an in-memory store is not kept)."""
    state = _state(con)
    if state[0] in (None, "", ":memory:"):
        return load_graph(con)
    with _LOCK:
        found = _GRAPHS.get(state)
    if found is not None:
        return found
    graph = load_graph(con)
    with _LOCK:
        while len(_GRAPHS) >= KEEP:
            _GRAPHS.pop(next(iter(_GRAPHS)))
        _GRAPHS[state] = graph
    return graph


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
    keeps it (the API keeps one per loaded store), else `graph_for(con)`."""
    found = entity_status(con, entity, max_age_days=max_age_days)
    if found is None:
        return None
    lookup = status_lookup(con, max_age_days=max_age_days)
    result = exposure(graph or graph_for(con), found.entity, hops=hops, status=lookup)
    if result.caption == result.entity:  # no relation: the graph has no caption for it
        result = dataclasses.replace(
            result, caption=found.caption, captions={**result.captions, result.entity: found.caption}
        )
    return result
