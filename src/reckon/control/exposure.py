"""Exposure of an entity: the paths to listed entities around it, and what they mean per jurisdiction.

Three claims, strongest first, never mixed:

- owned share (the "50% rule" view): the share of the entity that entities a jurisdiction
  lists hold, from stated percentages only, directly or through an entity that is itself
  at least 50% held by them (how OFAC reads ownership; the EU and UK rules are similar);
- controlled by: a listed entity owns or directs it, within the hops, but no percentage is
  stated along the way: a weaker claim, and labelled so;
- linked to: any other relation (OFAC "Linked To", family, associates, or the entity owning
  a listed one): the weakest.

Whether the entity is itself listed in a jurisdiction is read from its status: unknown
where that jurisdiction's list is missing or stale, never "not listed".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

import duckdb

from reckon.analysis.status import DELISTED, LISTED, NOT_LISTED, JurisdictionStatus, entity_status
from reckon.control.model import (
    CONTROL,
    OWNER,
    ControlGraph,
    Edge,
    Exposure,
    ExposurePath,
    JurisdictionExposure,
    StatusLookup,
)
from reckon.sources.registry import sources

# Past this many paths the walk stops: a hub linked to thousands would otherwise make a
# page of paths nobody reads. The count found is still exact up to it.
MAX_PATHS = 2000
# The most hops a surface accepts: past 4 the paths through OFAC's hubs run to thousands.
MAX_HOPS = 4


def status_lookup(
    con: duckdb.DuckDBPyConnection, *, max_age_days: int | None = None, size: int = 4096
) -> StatusLookup:
    """A `StatusLookup` over a store: `entity_status` of each id, remembered."""

    @lru_cache(maxsize=size)
    def lookup(entity: str) -> Mapping[str, JurisdictionStatus] | None:
        found = entity_status(con, entity, max_age_days=max_age_days)
        return found.jurisdictions if found is not None else None

    return lookup


def _up(edge: Edge, node: str) -> bool:
    """Whether stepping from `node` along `edge` goes to one that owns or directs it."""
    return edge.relation in CONTROL and edge.directed and edge.object == node and edge.subject != node


def exposure(
    graph: ControlGraph, entity: str, *, hops: int = 2, status: StatusLookup | None = None
) -> Exposure:
    """The paths of at most `hops` edges from `entity` to listed entities, and per
    jurisdiction what they say. `status` gives the entity's own status lines (whether it
    is listed, not listed or unknown in each jurisdiction, as of which version); without
    it, the graph's listings and complete lists say it, with no freshness limit."""
    entity = graph.entity_of.get(entity, entity)
    listed_cache: dict[str, tuple[str, ...]] = {}

    def listed_in(node: str) -> tuple[str, ...]:
        # Where the entities around it are listed is read from the graph: the records on a
        # list now, which is what status calls "listed" (a freshness limit only ever turns
        # "not listed" into "unknown"). Reading each one's whole status instead cost
        # ~200 ms a page at the median and seconds around OFAC's hubs (bench/exposure.py).
        hit = listed_cache.get(node)
        if hit is None:
            hit = listed_cache[node] = tuple(sorted(graph.listed.get(node, ())))
        return hit

    paths: list[ExposurePath] = []
    seen_paths: set[tuple[object, ...]] = set()

    def walk(node: str, edges: tuple[Edge, ...], nodes: tuple[str, ...]) -> None:
        for e in graph.adjacent.get(node, ()):
            nxt = e.other(node)
            if nxt in nodes or len(paths) >= MAX_PATHS:
                continue
            path = (*edges, e)
            # Two lists stating the same relation give two edges: one path per meaning.
            shape = (*nodes, nxt, *((x.relation, x.subject) for x in path))
            if shape in seen_paths:
                continue
            seen_paths.add(shape)
            ends = listed_in(nxt)
            if ends:
                paths.append(ExposurePath(path, nxt, ends))
            if len(path) < hops:
                walk(nxt, path, (*nodes, nxt))

    if hops > 0:
        walk(entity, (), (entity,))
    paths.sort(key=lambda p: (len(p.edges), graph.captions.get(p.end, p.end), p.end))

    own = status(entity) if status is not None else None
    if status is not None:
        wanted = sorted(own or {})
        as_of = {j: s.as_of for j, s in (own or {}).items() if s.as_of}
    else:
        registry = sources()
        wanted = sorted({s.jurisdiction for s in registry.values() if s.kind == "list"})
        as_of = {j: d for j, d in graph.complete_as_of.items() if j in wanted}

    by_jurisdiction = []
    for j in wanted:
        if own is not None:
            line = own.get(j)
            state = line.status if line is not None else None
            entity_listed: bool | None = (
                True if state == LISTED else False if state in (NOT_LISTED, DELISTED) else None
            )
        else:
            entity_listed = (
                True if j in graph.listed.get(entity, ()) else False if j in graph.complete_as_of else None
            )
        share = _owned_share(graph, entity, j, hops, listed_in)
        holders = share[1] if share else set()
        controlled: list[str] = []
        linked: list[str] = []
        for p in paths:
            if j not in p.end_listed_in or p.end in holders:
                continue
            node = entity
            control = True
            for e in p.edges:
                control = control and _up(e, node)
                node = e.other(node)
            target = controlled if control else linked
            if p.end not in target:
                target.append(p.end)
        linked = [x for x in linked if x not in controlled]
        by_jurisdiction.append(
            JurisdictionExposure(
                jurisdiction=j,
                entity_listed=entity_listed,
                owned_share=share[0] if share else None,
                controlled_by=tuple(controlled),
                linked_to=tuple(linked),
            )
        )
    nodes = {entity} | {n for p in paths for e in p.edges for n in (e.subject, e.object)}
    return Exposure(
        entity=entity,
        caption=graph.captions.get(entity, entity),
        paths=paths,
        by_jurisdiction=by_jurisdiction,
        as_of=as_of,
        captions={n: graph.captions.get(n, n) for n in sorted(nodes)},
        version_dates={
            v: graph.version_dates.get(v, "") for v in sorted({e.version_id for p in paths for e in p.edges})
        },
    )


def _owned_share(
    graph: ControlGraph,
    entity: str,
    jurisdiction: str,
    hops: int,
    listed_in: Callable[[str], tuple[str, ...]],
) -> tuple[float, set[str]] | None:
    """(share held by entities `jurisdiction` lists, those holders) from stated
    percentages, or None where no stated share reaches a listed owner."""

    def share(node: str, depth: int, seen: frozenset[str], holders: set[str]) -> float | None:
        best: dict[str, float] = {}  # owner -> its stated share (the largest, if lists differ)
        for e in graph.adjacent.get(node, ()):
            pct = e.percentage
            if (
                e.relation == OWNER
                and e.directed
                and e.object == node
                and pct is not None
                and e.subject not in seen
            ):
                best[e.subject] = max(best.get(e.subject, 0.0), pct)
        total = 0.0
        found = False
        for owner, pct in sorted(best.items()):
            if jurisdiction in listed_in(owner):
                total += pct
                found = True
                holders.add(owner)
            elif depth < hops:
                inner: set[str] = set()
                held = share(owner, depth + 1, seen | {owner}, inner)
                if held is not None and held >= 50:
                    total += pct
                    found = True
                    holders.update(inner)
        return min(total, 100.0) if found else None

    holders: set[str] = set()
    result = share(entity, 1, frozenset({entity}), holders)
    return (result, holders) if result is not None else None
