"""Import one list version into the store, atomically.

The import compares the new version with what the store holds for its source:
records are added, amended (with the fields that changed) or removed, and each
statement's validity interval is opened or closed. Everything happens in one
transaction: an error leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from reckon.model import ListVersion, Record
from reckon.store.errors import StoreError
from reckon.store.histories import refresh_record_histories
from reckon.store.listings import refresh_record_listings
from reckon.store.statements import Statement, StatementMemo

__all__ = ["ImportResult", "StoreError", "bulk_insert", "find_version", "import_version"]


@dataclass(slots=True)
class ImportResult:
    source: str
    version_id: int | None
    version_date: str
    skipped: bool
    records: int = 0
    added: list[str] = field(default_factory=list)
    amended: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    reason: str | None = None


Progress = Callable[[int], None]

# The share of a source's listed records one complete version may remove unless the
# caller allows more: a file cut short, or another list's file, removes far more than
# any real publication. Measured on the real lists: consecutive SDN versions (308,
# 2021-08 .. 2024-05) remove at most 1.64% (150 of 9,158, 2021-12-30); UN 2025-11-20 ->
# 2026-02-27 0.10% (1 of 1,000); OFSI ConList 2023-06-05 -> 2025-04-14, two years apart,
# 3.28% (131 of 3,993); Canada 2020-04 -> 2025-05, five years apart, 8.3% of its names
# (114 of 1,369) but 81% of its ids, the schedules having been renumbered (such a version
# is for a person to accept). ACF's war-enablers list, which reckon does not read, at
# most 3.96% of its names between its 45 versions. An SDN file cut in half removes 50%.
MAX_REMOVED_SHARE = 0.2

_STATEMENT_COLUMNS = (
    "id",
    "source",
    "record_id",
    "entity_id",
    "schema",
    "prop",
    "value",
    "lang",
    "original_value",
    "detail",
    "first_version",
)


def _caption(record: Record) -> str:
    for kind in ("name", "alias", "previousName", "weakAlias"):
        for n in record.names:
            if n.kind == kind:
                return n.full
    return record.id


def _field(s: Statement) -> str:
    # Child entities (designations, links) report as e.g. "Sanction.listingDate".
    return s.prop if s.schema not in ("Sanction", "UnknownLink") else f"{s.schema}.{s.prop}"


def bulk_insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert many rows through a temporary CSV: DuckDB's executemany is ~1000x slower.

    The CSV never has a name: TemporaryFile is unlinked from the start (O_TMPFILE), and
    DuckDB reads it through /proc/self/fd, so not even SIGKILL can leave it behind.
    Measured on the OFSI ConList (2 calls, 109,220 rows), six interleaved runs each:
    0.64 s median through /proc, 0.74 s through a named file, i.e. the same.
    """
    if not rows:
        return
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(columns)))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT * FROM read_csv(?, header=false, delim=',', quote='\"', escape='\"', "
        f"columns={{{cols}}}, null_padding=false, parallel=false)"
    )
    if os.path.isdir("/proc/self/fd"):
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", prefix="reckon-") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
            fh.flush()
            con.execute(sql, [f"/proc/self/fd/{fh.fileno()}"])
        return
    # No /proc (not Linux): a named file, removed on every way out but a kill.
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="reckon-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows(rows)
        con.execute(sql, [tmp])
    finally:
        os.unlink(tmp)


def find_version(con: duckdb.DuckDBPyConnection, source: str, sha256: str) -> ImportResult | None:
    """The already-imported version of `source` with this content, as a skipped result."""
    dup = con.execute(
        "SELECT version_id, version_date FROM versions WHERE source = ? AND sha256 = ?", [source, sha256]
    ).fetchone()
    if dup is None:
        return None
    return ImportResult(source, int(dup[0]), str(dup[1]), True, reason="identical content already imported")


def import_version(
    con: duckdb.DuckDBPyConnection,
    version: ListVersion,
    *,
    sha256: str,
    file_name: str,
    version_date: str,
    date_origin: str,
    complete: bool = True,
    allow_removals: bool = False,
    progress: Progress | None = None,
    memo: StatementMemo | None = None,
) -> ImportResult:
    """Import one parsed version. Pass one `memo` across a replay of many versions.

    A complete version without records is refused, and so is one removing more than
    `MAX_REMOVED_SHARE` of the records listed unless `allow_removals`.
    """
    source = version.source
    memo = memo or StatementMemo()
    memo.next_version()
    dup = find_version(con, source, sha256)
    if dup is not None:
        return dup
    latest = con.execute("SELECT max(version_date) FROM versions WHERE source = ?", [source]).fetchone()
    if latest and latest[0] and version_date < str(latest[0]):
        raise StoreError(
            f"{file_name}: {source} version of {version_date} is older than the loaded version of "
            f"{latest[0]}; import versions of a source oldest first"
        )
    if complete and not version.records:
        raise StoreError(
            f"{file_name}: no {source} records in the file; a complete version cannot be empty "
            "(it would remove every listed record)"
        )

    new: dict[str, tuple[Record, list[Statement], str]] = {}
    for i, rec in enumerate(version.records):
        if rec.source != source:
            raise StoreError(f"{file_name}: record {rec.id} belongs to {rec.source}, not {source}")
        if rec.id in new:
            raise StoreError(f"{file_name}: record id {rec.id!r} occurs twice in {source}")
        stmts, dg = memo.get(rec)
        new[rec.id] = (rec, stmts, dg)
        if progress and i % 1000 == 999:
            progress(1000)
    if progress:
        progress(len(version.records) % 1000)

    current: dict[str, tuple[str, int | None]] = {
        rid: (dg, rv)
        for rid, dg, rv in con.execute(
            "SELECT record_id, digest, removed_version FROM records WHERE source = ?", [source]
        ).fetchall()
    }
    added = [rid for rid in new if rid not in current]
    relisted = [rid for rid in new if rid in current and current[rid][1] is not None]
    changed = [
        rid for rid in new if rid in current and current[rid][1] is None and current[rid][0] != new[rid][2]
    ]
    removed = [rid for rid, (_, rv) in current.items() if rv is None and rid not in new] if complete else []
    listed = sum(1 for _, rv in current.values() if rv is None)
    if not allow_removals and len(removed) > MAX_REMOVED_SHARE * listed:
        raise StoreError(
            f"{file_name}: this {source} version of {version_date} would remove {len(removed):,} of the "
            f"{listed:,} listed records ({len(removed) / listed:.1%}), more than the {MAX_REMOVED_SHARE:.0%} "
            "one version may remove: is the file cut short or of another list? If the removals are real, "
            "import it with --allow-removals"
        )

    old_by_record: dict[str, dict[str, str]] = {}
    if changed:
        rows = con.execute(
            "SELECT record_id, id, CASE WHEN schema IN ('Sanction', 'UnknownLink') "
            "THEN schema || '.' || prop ELSE prop END FROM statements "
            "WHERE source = ? AND until_version IS NULL AND record_id IN (SELECT unnest(?::VARCHAR[]))",
            [source, changed],
        ).fetchall()
        for rid, sid, fld in rows:
            old_by_record.setdefault(rid, {})[sid] = fld

    vid_row = con.execute("SELECT coalesce(max(version_id), 0) + 1 FROM versions").fetchone()
    assert vid_row is not None
    vid = int(vid_row[0])

    to_close: list[str] = []
    to_insert: list[tuple[str, Statement]] = []
    amended: dict[str, list[str]] = {}
    for rid in changed:
        old = old_by_record.get(rid, {})
        stmts = new[rid][1]
        new_ids = {s.id for s in stmts}
        closing = [sid for sid in old if sid not in new_ids]
        opening = [s for s in stmts if s.id not in old]
        to_close.extend(closing)
        to_insert.extend((rid, s) for s in opening)
        amended[rid] = sorted({old[sid] for sid in closing} | {_field(s) for s in opening})
    for rid in added + relisted:
        to_insert.extend((rid, s) for s in new[rid][1])

    result = ImportResult(
        source,
        vid,
        version_date,
        False,
        records=len(new),
        added=added + relisted,
        amended=amended,
        removed=removed,
    )
    con.execute("BEGIN TRANSACTION")
    try:
        if to_close:
            con.execute(
                "UPDATE statements SET until_version = ? WHERE source = ? AND until_version IS NULL "
                "AND id IN (SELECT unnest(?::VARCHAR[]))",
                [vid, source, to_close],
            )
        if removed:
            con.execute(
                "UPDATE statements SET until_version = ? WHERE source = ? AND until_version IS NULL "
                "AND record_id IN (SELECT unnest(?::VARCHAR[]))",
                [vid, source, removed],
            )
            con.execute(
                "UPDATE records SET removed_version = ? WHERE source = ? "
                "AND record_id IN (SELECT unnest(?::VARCHAR[]))",
                [vid, source, removed],
            )
        bulk_insert(
            con,
            "statements",
            _STATEMENT_COLUMNS,
            [(s.id, source, rid, *s[1:], vid) for rid, s in to_insert],
        )
        bulk_insert(
            con,
            "records",
            ("source", "record_id", "schema", "caption", "first_version", "digest"),
            [(source, rid, new[rid][0].schema, _caption(new[rid][0]), vid, new[rid][2]) for rid in added],
        )
        for rid in relisted:
            rec, _, dg = new[rid]
            con.execute(
                "UPDATE records SET removed_version = NULL, first_version = ?, digest = ?, schema = ?, "
                "caption = ? WHERE source = ? AND record_id = ?",
                [vid, dg, rec.schema, _caption(rec), source, rid],
            )
        if changed:
            _update_records(con, source, [(rid, new[rid]) for rid in changed])
        change_rows = (
            [(vid, source, rid, "added", None) for rid in added + relisted]
            + [(vid, source, rid, "amended", amended[rid]) for rid in changed]
            + [(vid, source, rid, "removed", None) for rid in removed]
        )
        if change_rows:
            con.execute(
                "INSERT INTO changes SELECT * FROM (SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[][]))",
                [
                    [r[0] for r in change_rows],
                    [r[1] for r in change_rows],
                    [r[2] for r in change_rows],
                    [r[3] for r in change_rows],
                    [r[4] for r in change_rows],
                ],
            )
        refresh_record_listings(con, source, added + relisted + changed + removed)
        refresh_record_histories(con, source, added + relisted + changed + removed)
        con.execute(
            "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                vid,
                source,
                version_date,
                date_origin,
                version.published,
                complete,
                version.format,
                file_name,
                sha256,
                datetime.now(UTC).replace(tzinfo=None),
                len(new),
                len(added) + len(relisted),
                len(changed),
                len(removed),
                version.warnings[:100],
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _update_records(
    con: duckdb.DuckDBPyConnection, source: str, items: list[tuple[str, tuple[Record, list[Statement], str]]]
) -> None:
    con.execute(
        "UPDATE records SET digest = u.digest, schema = u.schema, caption = u.caption "
        "FROM (SELECT unnest(?::VARCHAR[]) AS record_id, unnest(?::VARCHAR[]) AS digest, "
        "unnest(?::VARCHAR[]) AS schema, unnest(?::VARCHAR[]) AS caption) AS u "
        "WHERE records.source = ? AND records.record_id = u.record_id",
        [
            [rid for rid, _ in items],
            [v[2] for _, v in items],
            [v[0].schema for _, v in items],
            [_caption(v[0]) for _, v in items],
            source,
        ],
    )
