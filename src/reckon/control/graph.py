"""The control graph from the stored relations: `load_graph(con)`.

Each relation a record states is an FtM `UnknownLink` in the statements (store/statements.py):
`subject` (the record), `role` (the list's word), `objectName` and/or `object` (the target's
record key), and `percentage` where a share is stated. Ends become canonical entities (the
last `reckon resolve`'s clusters; a record it has not seen is an entity `source:id` of its
own). A target named without an id is looked up by its exact normalised name among the
records of the same list version; one record: that record; none or several: an
`unresolved:` node carrying the name, never a guess. Pure read: works on a read-only
connection.
"""

from __future__ import annotations

import re

import duckdb

from reckon.analysis.status import list_states
from reckon.control.model import UNRESOLVED, ControlGraph, Edge, GraphProblem
from reckon.control.relations import meaning
from reckon.model import NAME_KINDS
from reckon.names.normalize import normalize
from reckon.resolve.views import cluster_view, is_resolved
from reckon.sources.registry import sources


def load_graph(con: duckdb.DuckDBPyConnection) -> ControlGraph:
    """Every current relation of the loaded lists and datasets, between canonical entities."""
    links = _links(con)
    problems: list[GraphProblem] = []
    records = {
        f"{s}:{r}": (str(schema), str(caption or ""), removed is None)
        for s, r, schema, caption, removed in con.execute(
            "SELECT source, record_id, schema, caption, removed_version FROM records"
        ).fetchall()
    }
    canonical = _canonical(con)
    names = _names(con, links)

    def entity(key: str) -> str:
        return canonical.get(key, key)

    edges: list[Edge] = []
    unresolved: set[str] = set()
    for source, record_id, version_id, role, target_id, target_name, pct in links:
        m = meaning(role)
        if m is None:
            continue
        key = f"{source}:{record_id}"

        def problem(
            message: str, source: str = source, record_id: str = record_id, v: int = version_id
        ) -> None:
            problems.append(GraphProblem(source, record_id, v, message))

        percentage: float | None = None
        if pct is not None:
            percentage = share(pct)
            if percentage is None:
                problem(f"{role} {target_name}: percentage {pct!r} is not a number")
            elif not 0 <= percentage <= 100:
                problem(f"{role} {target_name}: percentage {percentage:g} is outside 0-100")
                percentage = None
        targets: list[tuple[str, str]] = []  # (entity, the target as the list states it)
        if target_id:
            tkey = target_id if ":" in target_id else f"{source}:{target_id}"
            if tkey in records:
                targets.append((entity(tkey), target_name or target_id))
            else:
                problem(f"{role} {target_name or ''} points to {tkey}, a record that does not exist")
        if not targets:
            for name in _targets(target_name):
                known = names.get(source, {})
                form = normalize(name)
                # The name as stated; else the same words in another order (OFAC's "wife of
                # Slobodan Milosevic" for its entry "MILOSEVIC, Slobodan").
                found = (known.get(form, set()) - {key}) or (known.get(_words(form), set()) - {key})
                # Several records of one entity (a list's duplicates the resolver merged) are one.
                ends = {entity(k) for k in found}
                if len(ends) == 1:
                    targets.append((ends.pop(), name))
                    continue
                if len(ends) > 1:
                    problem(f"{role} {name}: the name is borne by {len(found)} records, none chosen")
                node = f"{UNRESOLVED}{source}:{name}"
                unresolved.add(node)
                targets.append((node, name))
        me = entity(key)
        for target, stated in targets:
            if me == target:
                continue  # both ends resolved to one entity: says nothing about control
            subject, obj = (target, me) if m.target_is_subject else (me, target)
            # The share as stated (a band stays a band; its least is what `percentage` counts).
            text = f"{m.label}: {stated}" + (f" ({pct.strip()})" if percentage is not None and pct else "")
            edges.append(
                Edge(subject, obj, m.relation, m.directed, percentage, source, version_id, record_id, text)
            )

    adjacent: dict[str, list[Edge]] = {}
    for e in edges:
        adjacent.setdefault(e.subject, []).append(e)
        adjacent.setdefault(e.object, []).append(e)
    graph = ControlGraph(
        edges=edges,
        adjacent=adjacent,
        captions=_captions(con, set(adjacent), records, canonical),
        listed=_listed(records, canonical),
        complete_as_of=_complete(con),
        problems=problems,
        entity_of=canonical,
        version_dates={
            int(v): str(d) for v, d in con.execute("SELECT version_id, version_date FROM versions").fetchall()
        },
        unresolved=sorted(unresolved),
    )
    graph.problems.extend(ownership_cycles(graph))
    return graph


# "(1) Rostec (2) Federal Agency for State Property Management": the UK list puts several
# parents or subsidiaries in one field, numbered.
_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")


def _targets(name: str | None) -> list[str]:
    """The names one stated target holds (several where the list numbers them)."""
    if not name:
        return []
    if not name.lstrip().startswith("(1)"):
        return [name.strip()]
    return [p.strip(" ,;") for p in _NUMBERED.split(name) if p.strip(" ,;")]


# "51", "51.5%", or a band as registries state it ("25-50%", "75 to 100"): of a band the
# least is counted, so that a sum of shares is never more than what is stated.
_SHARE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*(?:(?:-|–|to)\s*(\d+(?:[.,]\d+)?)\s*%?)?\s*$")


def share(text: str) -> float | None:
    """The share a stated percentage counts for (the least of a band); None if not a number."""
    m = _SHARE.match(text)
    return float(m[1].replace(",", ".")) if m else None


Link = tuple[str, str, int, str, str | None, str | None, str | None]


def _links(con: duckdb.DuckDBPyConnection) -> list[Link]:
    """(source, record_id, version_id, role, object, objectName, percentage) of each current
    relation; the version is the newest that began stating one of its facts (each still
    stated now)."""
    rows = con.execute(
        """
        SELECT source, record_id, max(first_version),
               min(value) FILTER (WHERE prop = 'role'),
               min(value) FILTER (WHERE prop = 'object'),
               min(value) FILTER (WHERE prop = 'objectName'),
               min(value) FILTER (WHERE prop = 'percentage')
        FROM statements
        WHERE schema = 'UnknownLink' AND until_version IS NULL
        GROUP BY source, record_id, entity_id
        -- identity links (a UK record naming its FCDO twin) are the resolver's, not ours
        HAVING count(*) FILTER (WHERE prop = 'role' AND value NOT IN ('same_as', 'same as')) > 0
        ORDER BY source, record_id, entity_id
        """
    ).fetchall()
    return [(str(s), str(r), int(v), str(role), o, n, p) for s, r, v, role, o, n, p in rows]


def _canonical(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not is_resolved(con):
        return {}
    try:
        rows = con.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
    except duckdb.CatalogException:
        return {}
    return {str(r): str(c) for r, c in rows}


# Loose keys DuckDB computes, so that only names that may equal a target are normalised in
# Python (the exact comparison): lower case, no accents, no spaces or punctuation; and the
# same words in any order ("Slobodan Milosevic" and "MILOSEVIC, Slobodan").
_LOOSE = "regexp_replace(strip_accents(lower({})), '[\\s\\p{{P}}\\p{{S}}]', '', 'g')"
_WORDS = (
    "array_to_string(list_sort(string_split(trim(regexp_replace(strip_accents(lower({})), "
    "'[\\s\\p{{P}}\\p{{S}}]+', ' ', 'g')), ' ')), ' ')"
)
# The key of a name's words in any order, kept beside the exact forms in `_names`' index.
_ANY_ORDER = "\x00"


def _words(normalised: str) -> str:
    return _ANY_ORDER + " ".join(sorted(normalised.split()))


def _names(con: duckdb.DuckDBPyConnection, links: list[Link]) -> dict[str, dict[str, set[str]]]:
    """source -> normalised name (and, under `_words`, its words in order) -> record keys:
    the current names of each source that may be a target that source states by name only."""
    out: dict[str, dict[str, set[str]]] = {}
    targets = sorted({(link[0], name) for link in links if link[4] is None for name in _targets(link[5])})
    if not targets:
        return out
    rows = con.execute(
        f"""
        WITH t AS (SELECT DISTINCT s AS source, {_LOOSE.format("n")} AS k, {_WORDS.format("n")} AS w
                   FROM (SELECT unnest(?::VARCHAR[]) AS s, unnest(?::VARCHAR[]) AS n)),
        c AS (SELECT source, record_id, value, {_LOOSE.format("value")} AS k, {_WORDS.format("value")} AS w
              FROM statements
              WHERE until_version IS NULL AND source IN (SELECT DISTINCT source FROM t)
                AND prop IN ({", ".join("?" for _ in NAME_KINDS)})
                AND entity_id = source || ':' || record_id)
        SELECT c.source, c.record_id, c.value FROM c JOIN t ON t.source = c.source AND t.k = c.k
        UNION
        SELECT c.source, c.record_id, c.value FROM c JOIN t ON t.source = c.source AND t.w = c.w
        """,
        [[s for s, _ in targets], [n for _, n in targets], *NAME_KINDS],
    ).fetchall()
    for source, record_id, value in rows:
        mine = out.setdefault(str(source), {})
        form = normalize(str(value))
        mine.setdefault(form, set()).add(f"{source}:{record_id}")
        mine.setdefault(_words(form), set()).add(f"{source}:{record_id}")
    return out


def _captions(
    con: duckdb.DuckDBPyConnection,
    nodes: set[str],
    records: dict[str, tuple[str, str, bool]],
    canonical: dict[str, str],
) -> dict[str, str]:
    members: dict[str, list[tuple[str, str, str]]] = {}
    for key, cid in canonical.items():
        if cid in nodes and key in records:
            members.setdefault(cid, []).append((key, records[key][0], records[key][1]))
    out: dict[str, str] = {}
    for node in nodes:
        if node in members:
            out[node] = cluster_view(node, members[node]).caption
        elif node in records:
            out[node] = records[node][1] or node
        elif node.startswith(UNRESOLVED):
            out[node] = node[len(UNRESOLVED) :].split(":", 1)[1]
        else:
            out[node] = node
    return out


def _listed(
    records: dict[str, tuple[str, str, bool]], canonical: dict[str, str]
) -> dict[str, frozenset[str]]:
    reg = sources()
    out: dict[str, set[str]] = {}
    for key, (_, _, current) in records.items():
        src = reg.get(key.split(":", 1)[0])
        if current and src is not None and src.kind == "list":
            out.setdefault(canonical.get(key, key), set()).add(src.jurisdiction)
    return {k: frozenset(v) for k, v in out.items()}


def _complete(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Jurisdiction -> newest complete version date of its primary list (what lets status
    say "not listed"); jurisdictions without one are unknown."""
    reg = sources()
    out: dict[str, str] = {}
    for name, state in list_states(con).items():
        src = reg.get(name)
        if src is None or not src.primary or src.kind != "list" or not state.complete_as_of:
            continue
        out[src.jurisdiction] = max(out.get(src.jurisdiction, ""), state.complete_as_of)
    return out


def ownership_cycles(graph: ControlGraph) -> list[GraphProblem]:
    """One problem per cycle of ownership (A owns B owns ... A), named by one of its edges.

    Found as strongly connected components of the owner edges (iterative Tarjan), so that
    a cycle is reported once and walking it never loops.
    """
    succ: dict[str, list[Edge]] = {}
    for e in graph.edges:
        if e.relation == "owner" and e.directed:
            succ.setdefault(e.subject, []).append(e)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(succ):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            out = succ.get(node, [])
            if i < len(out):
                work.append((node, i + 1))
                nxt = out[i].object
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    components.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    problems = []
    for comp in components:
        inside = set(comp)
        edge = min(
            (e for n in comp for e in succ.get(n, []) if e.object in inside),
            key=lambda e: (e.source, e.record_id),
        )
        names = " -> ".join(graph.captions.get(n, n) for n in sorted(comp))
        problems.append(
            GraphProblem(
                edge.source, edge.record_id, edge.version_id, f"cycle of ownership among {len(comp)}: {names}"
            )
        )
    return problems


def graph_summary(graph: ControlGraph) -> dict[str, object]:
    """What the graph holds, for `reckon relations`: edges by source and relation, the
    names stated that no record bears, and every problem with its record."""
    counts: dict[str, dict[str, int]] = {}
    for e in graph.edges:
        by = counts.setdefault(e.source, {})
        by[e.relation] = by.get(e.relation, 0) + 1
    return {
        "edges": len(graph.edges),
        "entities": len(graph.adjacent),
        "by_source": {s: dict(sorted(c.items())) for s, c in sorted(counts.items())},
        "unresolved_names": len(graph.unresolved),
        "problems": [
            {"source": p.source, "record_id": p.record_id, "version_id": p.version_id, "message": p.message}
            for p in graph.problems
        ],
    }
