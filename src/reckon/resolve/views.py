"""Reading the resolution back: canonical ids (following redirects) and clusters."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from reckon.resolve.rules import anchor
from reckon.store.listings import key_filter
from reckon.store.schema import current_version

RESOLVE_SCHEMA = 3  # the migration that added the resolution tables
LISTINGS_SCHEMA = 8  # the migration that gave record_listings its present form


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
    found = entity_members(con, canonical_id)
    return found[0] if found is not None else None


def entity_members(con: duckdb.DuckDBPyConnection, canonical_id: str) -> tuple[str, list[str]] | None:
    """The live id an id stands for now (as `follow`) with its member records, sorted; None
    if it stands for none. Asking for the members is how a live id is told from one merged
    away: one indexed read each, rather than one to tell and another to read them. The
    store's schema is not asked first (~0.7 ms a query): a store without the resolution's
    tables says so by an error, and only one made before them could (`connect` migrates a
    store it writes and reads none older than `READABLE_SCHEMA`)."""
    seen: set[str] = set()
    cid = canonical_id
    while cid not in seen:
        seen.add(cid)
        try:
            found = con.execute("SELECT record FROM resolve_records WHERE canonical_id = ?", [cid]).fetchall()
        except duckdb.CatalogException:  # not resolved
            return None
        members = sorted(str(r[0]) for r in found)
        if members:
            return cid, members
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


# Up to this many entities are read one by one, each by indexed equalities (an entity
# page: ~2 ms against ~11 ms for the join, which scans every record).
FEW = 4


def _one(con: duckdb.DuckDBPyConnection, cid: str) -> ClusterView | None:
    members = [
        str(r[0])
        for r in con.execute("SELECT record FROM resolve_records WHERE canonical_id = ?", [cid]).fetchall()
    ]
    if not members:
        return None
    where, params = key_filter("record", members)
    rows = [
        (str(k), str(schema), str(caption or ""))
        for k, schema, caption in con.execute(
            f"SELECT record, schema, caption FROM record_listings WHERE {where}", params
        ).fetchall()
    ]
    missing = set(members) - {r[0] for r in rows}
    for key in sorted(missing):  # not expected: record_listings holds every record
        source, record_id = key.split(":", 1)
        row = con.execute(
            "SELECT schema, coalesce(caption, '') FROM records WHERE source = ? AND record_id = ?",
            [source, record_id],
        ).fetchone()
        if row is not None:
            rows.append((key, str(row[0]), str(row[1])))
    return _view(cid, rows) if rows else None


def clusters(
    con: duckdb.DuckDBPyConnection, *, min_size: int = 1, ids: list[str] | None = None
) -> list[ClusterView]:
    """Every canonical entity with its member records, by id."""
    version = current_version(con)
    if version < RESOLVE_SCHEMA:
        return []
    if ids is not None and len(ids) <= FEW and version >= LISTINGS_SCHEMA:
        found = [_one(con, cid) for cid in sorted(set(ids))]
        return [v for v in found if v is not None and len(v.members) >= min_size]
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
