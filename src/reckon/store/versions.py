"""Taking back a list version imported by mistake (a wrong file, a wrong --date).

Only the newest version of a source can be removed, so that every later version's
diff stays true; removing several goes newest first. The removal is one transaction
that restores each record the version touched to what the version before it said,
and is recorded in `version_removals` (who, when, why, and what the version was).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from reckon.store.errors import StoreError
from reckon.store.histories import refresh_record_histories
from reckon.store.importer import _caption
from reckon.store.listings import refresh_record_listings
from reckon.store.statements import Statement, digest, record_from_statements


@dataclass(frozen=True, slots=True)
class RemovedVersion:
    source: str
    version_id: int
    version_date: str
    file_name: str
    records_restored: int
    records_deleted: int
    now_latest: str | None  # the version date the source is back at, None if none is left


def remove_latest_version(
    con: duckdb.DuckDBPyConnection, source: str, *, user: str, note: str | None = None
) -> RemovedVersion:
    """Remove the newest version of `source`, restoring the records as they were before it."""
    row = con.execute(
        "SELECT version_id, version_date, file_name, sha256 FROM versions WHERE source = ? "
        "ORDER BY version_date DESC, version_id DESC LIMIT 1",
        [source],
    ).fetchone()
    if row is None:
        raise StoreError(f"{source!r}: no version of this source in the store")
    vid, vdate, file_name, sha = int(row[0]), str(row[1]), str(row[2]), str(row[3])
    touched = sorted(
        {
            str(r[0])
            for r in con.execute(
                "SELECT record_id FROM changes WHERE version_id = ? UNION "
                "SELECT record_id FROM records WHERE source = ? AND first_version = ?",
                [vid, source, vid],
            ).fetchall()
        }
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM statements WHERE source = ? AND first_version = ?", [source, vid])
        con.execute(
            "UPDATE statements SET until_version = NULL WHERE source = ? AND until_version = ?", [source, vid]
        )
        restored, deleted = _restore_records(con, source, vid, touched)
        refresh_record_listings(con, source, touched)
        con.execute("DELETE FROM changes WHERE version_id = ?", [vid])
        refresh_record_histories(con, source, touched)  # after the changes, which it keeps too
        con.execute("DELETE FROM versions WHERE version_id = ?", [vid])
        # The match index was built from the lists as they were: make the next
        # `reckon index` (run by ingest and resolve) rebuild what changed.
        con.execute("DELETE FROM match_state")
        con.execute(
            "INSERT INTO version_removals VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [datetime.now(UTC).replace(tzinfo=None), source, vid, vdate, file_name, sha, user, note],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    latest = con.execute("SELECT max(version_date) FROM versions WHERE source = ?", [source]).fetchone()
    return RemovedVersion(
        source, vid, vdate, file_name, restored, deleted, str(latest[0]) if latest and latest[0] else None
    )


def _restore_records(
    con: duckdb.DuckDBPyConnection, source: str, vid: int, record_ids: list[str]
) -> tuple[int, int]:
    """Rewrite the `records` rows of `record_ids` from their statements, as the import of
    the version before `vid` had left them. Returns (restored, deleted)."""
    if not record_ids:
        return 0, 0
    rows: dict[str, list[tuple[Statement, int | None]]] = {}
    for sid, rid, eid, schema, prop, value, lang, orig, detail, until in con.execute(
        "SELECT id, record_id, entity_id, schema, prop, value, lang, original_value, detail, until_version "
        "FROM statements WHERE source = ? AND record_id IN (SELECT unnest(?::VARCHAR[]))",
        [source, record_ids],
    ).fetchall():
        stmt = Statement(sid, eid, schema, prop, value, lang, orig, detail)
        rows.setdefault(str(rid), []).append((stmt, until))
    entered = dict(
        con.execute(
            "SELECT record_id, max(version_id) FROM changes WHERE source = ? AND change = 'added' "
            "AND version_id < ? AND record_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY record_id",
            [source, vid, record_ids],
        ).fetchall()
    )
    gone = [rid for rid in record_ids if rid not in rows]
    con.execute(
        "DELETE FROM records WHERE source = ? AND record_id IN (SELECT unnest(?::VARCHAR[]))",
        [source, record_ids],
    )
    restored = []
    for rid, stmts in rows.items():
        current = [s for s, until in stmts if until is None]
        if current:
            live, removed_version = current, None
        else:  # removed by an earlier version: as it stood when it was removed
            removed_version = max(int(u) for _, u in stmts if u is not None)
            live = [s for s, until in stmts if until == removed_version]
        rec = record_from_statements(source, rid, live)
        first = entered.get(rid) or _first_version(con, source, rid)
        restored.append((source, rid, rec.schema, _caption(rec), int(first), removed_version, digest(live)))
    if restored:
        # Bound as lists: a removal may restore a whole list, and executemany is slow.
        con.execute(
            "INSERT INTO records SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
            [list(column) for column in zip(*restored, strict=True)],
        )
    return len(restored), len(gone)


def _first_version(con: duckdb.DuckDBPyConnection, source: str, record_id: str) -> int:
    row = con.execute(
        "SELECT min(first_version) FROM statements WHERE source = ? AND record_id = ?", [source, record_id]
    ).fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])
