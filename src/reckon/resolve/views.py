"""Reading the resolution back: canonical ids (following redirects) and clusters."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from reckon.resolve.rules import anchor
from reckon.store.schema import current_version

RESOLVE_SCHEMA = 3  # the migration that added the resolution tables


def is_resolved(con: duckdb.DuckDBPyConnection) -> bool:
    # A store opened read-only is not migrated: an older one has no resolution yet.
    return current_version(con) >= RESOLVE_SCHEMA


@dataclass(frozen=True, slots=True)
class ClusterView:
    id: str
    schema: str
    caption: str
    members: list[str]  # source:record_id, sorted


def follow(con: duckdb.DuckDBPyConnection, canonical_id: str) -> str | None:
    """The live id an id stands for now (itself, or where its redirects lead), or None."""
    if not is_resolved(con):
        return None
    seen: set[str] = set()
    cid = canonical_id
    while cid not in seen:
        seen.add(cid)
        if con.execute("SELECT 1 FROM resolve_records WHERE canonical_id = ? LIMIT 1", [cid]).fetchone():
            return cid
        row = con.execute("SELECT new_id FROM resolve_redirects WHERE old_id = ?", [cid]).fetchone()
        if row is None:
            return None
        cid = str(row[0])
    return None


def canonical_of(con: duckdb.DuckDBPyConnection, record: str) -> str | None:
    row = con.execute("SELECT canonical_id FROM resolve_records WHERE record = ?", [record]).fetchone()
    return str(row[0]) if row else None


def cluster_view(cid: str, rows: list[tuple[str, str, str]]) -> ClusterView:
    """The view of entity `cid` from its members' (record, schema, caption) rows."""
    return _view(cid, rows)


def _view(cid: str, rows: list[tuple[str, str, str]]) -> ClusterView:
    members = sorted(r[0] for r in rows)
    info = {r[0]: (r[1], r[2]) for r in rows}
    head = anchor(members)
    schema = info[head][0]
    if schema == "LegalEntity":  # a member's list may have said what it is
        schema = next((info[m][0] for m in members if info[m][0] != "LegalEntity"), schema)
    return ClusterView(cid, schema, info[head][1], members)


def clusters(
    con: duckdb.DuckDBPyConnection, *, min_size: int = 1, ids: list[str] | None = None
) -> list[ClusterView]:
    """Every canonical entity with its member records, by id."""
    if not is_resolved(con):
        return []
    sql = (
        "SELECT c.canonical_id, c.record, r.schema, coalesce(r.caption, '') FROM resolve_records c "
        "JOIN records r ON r.source || ':' || r.record_id = c.record"
    )
    params: list[object] = []
    if ids is not None:
        sql += " WHERE c.canonical_id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(ids)
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for cid, record, schema, caption in con.execute(sql, params).fetchall():
        grouped.setdefault(str(cid), []).append((str(record), str(schema), str(caption)))
    return [_view(cid, rows) for cid, rows in sorted(grouped.items()) if len(rows) >= min_size]
