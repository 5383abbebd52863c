"""What resolution reads from the store: current records, prepared, plus the lists' own
`same_as` references (on `UnknownLink`s). UN reference numbers (on `Sanction`s) are
part of the prepared records."""

from __future__ import annotations

import duckdb

from reckon.match.prepare import Prepared
from reckon.resolve.rules import SAME_AS, Facts, facts_of
from reckon.store.queries import key_filter
from reckon.stored_index import prepared_entities, record_heads


def same_as_links(con: duckdb.DuckDBPyConnection, keys: list[str] | None = None) -> dict[str, list[str]]:
    """Record keys each current record's list says are the same entry (OFSI ↔ FCDO, CSL ↔ OFAC)."""
    where, params = key_filter(keys, "o.source || ':' || o.record_id")
    rows = con.execute(
        "SELECT o.source || ':' || o.record_id AS key, list(DISTINCT o.value ORDER BY o.value) "
        "FROM statements o JOIN statements r ON r.entity_id = o.entity_id AND r.prop = 'role' "
        "AND r.value = ? AND r.until_version IS NULL "
        "WHERE o.schema = 'UnknownLink' AND o.prop = 'object' AND o.until_version IS NULL"
        f"{where} GROUP BY key",
        [SAME_AS, *params],
    ).fetchall()
    return {str(k): [str(v) for v in vs] for k, vs in rows}


def resolution_records(
    con: duckdb.DuckDBPyConnection, keys: list[str] | None = None, *, names: bool = True
) -> tuple[list[Prepared], list[Facts]]:
    """Current records (all, or `keys`), prepared (with their UN reference numbers, see
    stored_index.py), and their rule facts. Without `names`, all records and only what
    the rules read of them (stored_index.record_heads)."""
    records = prepared_entities(con, keys) if names else record_heads(con)
    links = same_as_links(con, keys)
    return records, [facts_of(p, links.get(str(p.id), ())) for p in records]


def current_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The digest of every current record: it changes whenever any of its facts does."""
    rows = con.execute(
        "SELECT source || ':' || record_id, digest FROM records WHERE removed_version IS NULL"
    ).fetchall()
    return {str(k): str(d) for k, d in rows}
