"""The Sanction facts of each record, one row per record, kept beside the statements.

Status, gaps and coverage read a record's listing date, programmes, authorities, legal
basis and reasons for every record of every list. Read from `statements` that is a scan
of every fact of every version (1.6 s on the bundled lists with the SDN history, 60 ms
for one record); this table makes it one small scan. It is derived state: rewritten for
the records each import or version removal touches, in that same transaction, and
rebuildable from the statements at any time (`refresh_record_sanctions(con)`).

A record on its list has its current facts; a record off its list keeps those it had
when it left, so that "delisted" can say under which programme it was listed.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

# The statements of each record that are its facts now, or at its removal.
_FACTS = (
    "SELECT s.source, s.record_id, "
    "min(s.value) FILTER (WHERE s.prop = 'listingDate') AS listing_date, "
    "coalesce(list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = 'program'))), []) AS programs, "
    "coalesce(list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = 'authority'))), []) AS authorities, "
    "coalesce(list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = 'authorityId'))), []) AS authority_ids, "
    "coalesce(list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = 'summary'))), []) AS legal_basis, "
    "coalesce(list_sort(list_distinct(list(s.value) FILTER (WHERE s.prop = 'reason'))), []) AS reasons "
    "FROM statements s JOIN records r ON r.source = s.source AND r.record_id = s.record_id "
    "WHERE s.schema = 'Sanction' "
    "AND ((r.removed_version IS NULL AND s.until_version IS NULL) OR s.until_version = r.removed_version)"
)

CREATE_TABLE = """CREATE TABLE record_sanctions (
    source VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    listing_date VARCHAR,          -- the earliest listing date the record states
    programs VARCHAR[] NOT NULL,
    authorities VARCHAR[] NOT NULL,
    authority_ids VARCHAR[] NOT NULL,
    legal_basis VARCHAR[] NOT NULL,  -- FtM Sanction.summary
    reasons VARCHAR[] NOT NULL
)"""

FILL_ALL = f"INSERT INTO record_sanctions {_FACTS} GROUP BY ALL"

# Above this many records a whole source is cheaper rewritten than filtered by id.
_WHOLE_SOURCE = 5000


def refresh_record_sanctions(
    con: duckdb.DuckDBPyConnection, source: str | None = None, record_ids: Sequence[str] | None = None
) -> None:
    """Rewrite the rows of `record_ids` of `source` (all its records if None; every source
    if `source` is None). Call inside the transaction that changed their statements."""
    if source is None:
        con.execute("DELETE FROM record_sanctions")
        con.execute(FILL_ALL)
        return
    if record_ids is not None and not record_ids:
        return
    if record_ids is None or len(record_ids) > _WHOLE_SOURCE:
        con.execute("DELETE FROM record_sanctions WHERE source = ?", [source])
        con.execute(f"INSERT INTO record_sanctions {_FACTS} AND s.source = ? GROUP BY ALL", [source])
        return
    ids = sorted(set(record_ids))
    con.execute(
        "DELETE FROM record_sanctions WHERE source = ? AND record_id IN (SELECT unnest(?::VARCHAR[]))",
        [source, ids],
    )
    con.execute(
        f"INSERT INTO record_sanctions {_FACTS} AND s.source = ? "
        "AND s.record_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL",
        [source, ids],
    )
