"""Each record as status and gaps read it, one row per record, kept beside the statements.

Status, gaps and coverage need, for every record of every list, its schema and caption,
the versions it entered and left, and its Sanction facts (listing date, programmes,
authorities, legal basis, reasons). Read from `statements` that is a scan of every fact
of every version (1.6 s on the bundled lists with the SDN history; 60 ms for one record,
DuckDB using no index for the two-column key of `records`). This table has them in one
row under a one-column key, which DuckDB looks up by index: a few records of one entity
cost well under a millisecond.

It is derived state: rewritten for the records each import or version removal touches,
in that same transaction, and rebuildable from the statements at any time
(`refresh_record_listings(con)`). A record on its list has its current facts; a record
off its list keeps those it had when it left, so that "delisted" can say under which
programme it was listed.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

TABLE = "record_listings"

CREATE_TABLE = f"""CREATE TABLE {TABLE} (
    record VARCHAR PRIMARY KEY,      -- source:record_id
    source VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR NOT NULL,
    first_version INTEGER NOT NULL,  -- as in `records`
    removed_version INTEGER,
    listing_date VARCHAR,            -- the earliest listing date the record states
    -- The props in FACTS, in that order, separated by U+001E, each a sorted list of values
    -- separated by U+001F (control characters no list value keeps). One text column, not
    -- five lists: DuckDB reads list columns a whole vector at a time (24 ms against 1 ms
    -- for an entity of three records), and splitting is ten times faster than JSON.
    facts VARCHAR NOT NULL
)"""

FACTS = ("program", "authority", "authorityId", "summary", "reason")


def _facts(prop: str) -> str:
    values = f"list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = '{prop}')))"
    # A separator inside a value (no parser keeps one; `clean` splits on them) becomes a space.
    kept = f"list_transform({values}, lambda v: translate(v, chr(30) || chr(31), '  '))"
    return f"coalesce(array_to_string({kept}, chr(31)), '')"


_FACTS_TEXT = " || chr(30) || ".join(_facts(p) for p in FACTS)

# Each record with the Sanction statements that are its facts now, or at its removal.
_SELECT = (
    "SELECT r.source || ':' || r.record_id, r.source, r.record_id, r.schema, coalesce(r.caption, ''), "
    "r.first_version, r.removed_version, min(s.value) FILTER (WHERE s.prop = 'listingDate'), "
    f"{_FACTS_TEXT} "
    "FROM records r LEFT JOIN statements s ON s.source = r.source AND s.record_id = r.record_id "
    "AND s.schema = 'Sanction' "
    "AND ((r.removed_version IS NULL AND s.until_version IS NULL) OR s.until_version = r.removed_version) "
    "WHERE true"
)
_GROUP = " GROUP BY r.source, r.record_id, r.schema, r.caption, r.first_version, r.removed_version"

FILL_ALL = f"INSERT INTO {TABLE} {_SELECT}{_GROUP}"

# Above this many records a whole source is cheaper rewritten than filtered by id.
_WHOLE_SOURCE = 5000


def refresh_record_listings(
    con: duckdb.DuckDBPyConnection, source: str | None = None, record_ids: Sequence[str] | None = None
) -> None:
    """Rewrite the rows of `record_ids` of `source` (all its records if None; every source
    if `source` is None). Call inside the transaction that changed their statements."""
    if source is None:
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(FILL_ALL)
        return
    if record_ids is not None and not record_ids:
        return
    if record_ids is None or len(record_ids) > _WHOLE_SOURCE:
        con.execute(f"DELETE FROM {TABLE} WHERE source = ?", [source])
        con.execute(f"INSERT INTO {TABLE} {_SELECT} AND r.source = ?{_GROUP}", [source])
        return
    ids = sorted(set(record_ids))
    con.execute(
        f"DELETE FROM {TABLE} WHERE source = ? AND record_id IN (SELECT unnest(?::VARCHAR[]))", [source, ids]
    )
    con.execute(
        f"INSERT INTO {TABLE} {_SELECT} AND r.source = ? AND r.record_id IN (SELECT unnest(?::VARCHAR[])){_GROUP}",
        [source, ids],
    )


def split_facts(text: str) -> dict[str, tuple[str, ...]]:
    """The `facts` column back as {prop: values}."""
    return {
        prop: tuple(field.split("\x1f")) if field else ()
        for prop, field in zip(FACTS, text.split("\x1e"), strict=True)
    }


def key_filter(column: str, keys: Sequence[str]) -> tuple[str, list[object]]:
    """`column IN (?, ?, …)` for a few keys, which DuckDB answers from the column's index
    (a list bound as one parameter is scanned instead); a join on the list for many."""
    if len(keys) <= 256:
        return f"{column} IN ({', '.join('?' * len(keys)) or 'NULL'})", list(keys)
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [list(keys)]
