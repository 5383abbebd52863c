"""What resolution reads from the store: current records as FtM-shaped entities, plus
the two facts that live on child entities, UN reference numbers (on `Sanction`s) and
the lists' own `same_as` references (on `UnknownLink`s)."""

from __future__ import annotations

import duckdb

from reckon.resolve.rules import SAME_AS, Facts, facts_of
from reckon.store.queries import key_filter, matching_entities


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


def resolution_entities(
    con: duckdb.DuckDBPyConnection, keys: list[str] | None = None
) -> tuple[list[dict[str, object]], list[Facts]]:
    """Current records (all, or `keys`) as entities for the scorer, and their rule facts.

    Entities carry their UN reference numbers (see `matching_entities`).
    """
    entities = matching_entities(con, keys)
    links = same_as_links(con, keys)
    facts = []
    for ent in entities:
        facts.append(facts_of(ent, links.get(str(ent["id"]), ())))
    return entities, facts


def current_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The digest of every current record: it changes whenever any of its facts does."""
    rows = con.execute(
        "SELECT source || ':' || record_id, digest FROM records WHERE removed_version IS NULL"
    ).fetchall()
    return {str(k): str(d) for k, d in rows}
