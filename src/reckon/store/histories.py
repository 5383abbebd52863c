"""Each record's statements and change history in one row under a one-column key.

`reckon show`, the record page and every entity's profile read whole records: every
statement a record ever had and its changes. Read from `statements` and `changes` that is
a scan of both tables for each record (~13 ms on the bundled lists, of which ~6 ms for the
statements: DuckDB uses no index for the two-column key `(source, record_id)`, nor any for
a column that is not a primary key). This table has the same rows, one row per record
under the key `source:record_id`, which DuckDB answers from the primary key's index: the
members of an entity are one read of well under a millisecond each.

The rows are kept as zlib-compressed JSON, not as columns: DuckDB stores a text of a few
kilobytes uncompressed (the JSON of every record would add ~120 MB to the 116 MB demo
store; compressed it adds ~30 MB), and nested list columns are read a whole vector at a
time (see store/listings.py). Statement ids are left out: nothing that reads whole records
shows them, and they are a third of the compressed size.

Derived state, like `record_listings`: rewritten for the records each import or version
removal touches, in that same transaction, and rebuildable from the tables at any time
(`refresh_record_histories(con)`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from reckon.store.listings import key_filter

TABLE = "record_histories"

CREATE_TABLE = f"""CREATE TABLE {TABLE} (
    record VARCHAR PRIMARY KEY,      -- source:record_id
    source VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,         -- as in `records`
    caption VARCHAR,
    first_version INTEGER NOT NULL,
    removed_version INTEGER,
    -- zlib(JSON [statements, changes]): each statement [entity_id (null: the record's own
    -- entity), schema, prop, value, lang, original_value, detail, first_version,
    -- until_version], each change [version_id, change, fields], in `statement_order`.
    history BLOB NOT NULL
)"""


# (entity_id, schema, prop, value, lang, original_value, detail, first_version, until_version)
StatementRow = tuple[str, str, str, str, str | None, str | None, str | None, int, int | None]


@dataclass(frozen=True, slots=True)
class RecordRows:
    """One record as the store holds it: its `records` row, every statement it ever had
    and its changes, in the order `reckon show` lists them."""

    source: str
    record_id: str
    schema: str
    caption: str | None
    first_version: int
    removed_version: int | None
    statements: list[StatementRow]
    changes: list[tuple[int, str, list[str] | None]]  # (version_id, change, fields)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.record_id}"


# The record's own entity first, then its designations and relations, each by the version
# a value entered, property and value; id and end last, so that no two rows tie.
STATEMENT_ORDER = "record_id, entity_id <> source || ':' || record_id, entity_id, first_version, prop, value, id, until_version"

# Above this many records a whole source is cheaper read than filtered by id.
_WHOLE_SOURCE = 5000


def _where(source: str, record_ids: Sequence[str] | None) -> tuple[str, list[object]]:
    if record_ids is None:
        return "source = ?", [source]
    return "source = ? AND record_id IN (SELECT unnest(?::VARCHAR[]))", [source, list(record_ids)]


def rows_from_tables(
    con: duckdb.DuckDBPyConnection, source: str, record_ids: Sequence[str] | None = None
) -> dict[str, RecordRows]:
    """The records `record_ids` of `source` (all its records if None), read from `records`,
    `statements` and `changes`, by record id: what this table keeps, read the slow way."""
    where, params = _where(source, record_ids)
    statements: dict[str, list[StatementRow]] = {}
    for rid, *row in con.execute(
        "SELECT record_id, entity_id, schema, prop, value, lang, original_value, detail, first_version, "
        f"until_version FROM statements WHERE {where} ORDER BY {STATEMENT_ORDER}",
        params,
    ).fetchall():
        statements.setdefault(str(rid), []).append(tuple(row))
    changes: dict[str, list[tuple[int, str, list[str] | None]]] = {}
    for rid, vid, change, fields in con.execute(
        f"SELECT record_id, version_id, change, fields FROM changes WHERE {where} "
        "ORDER BY record_id, version_id, change",
        params,
    ).fetchall():
        changes.setdefault(str(rid), []).append((int(vid), str(change), fields))
    return {
        str(rid): RecordRows(
            source,
            str(rid),
            str(schema),
            caption,
            int(first),
            int(removed) if removed is not None else None,
            statements.get(str(rid), []),
            changes.get(str(rid), []),
        )
        for rid, schema, caption, first, removed in con.execute(
            f"SELECT record_id, schema, caption, first_version, removed_version FROM records WHERE {where}",
            params,
        ).fetchall()
    }


def _encode(rows: RecordRows) -> bytes:
    key = rows.key
    statements = [[None if s[0] == key else s[0], *s[1:]] for s in rows.statements]
    text = json.dumps([statements, rows.changes], ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"))


def _decode(
    source: str,
    record_id: str,
    schema: str,
    caption: str | None,
    first: int,
    removed: int | None,
    history: bytes,
) -> RecordRows:
    key = f"{source}:{record_id}"
    statements, changes = json.loads(zlib.decompress(history))
    return RecordRows(
        source,
        record_id,
        schema,
        caption,
        first,
        removed,
        [(s[0] if s[0] is not None else key, *s[1:]) for s in statements],
        [(int(v), str(c), f) for v, c, f in changes],
    )


def refresh_record_histories(
    con: duckdb.DuckDBPyConnection, source: str | None = None, record_ids: Sequence[str] | None = None
) -> None:
    """Rewrite the rows of `record_ids` of `source` (all its records if None; every source
    if `source` is None). Call inside the transaction that changed their statements and
    changes, after both."""
    if source is None:
        con.execute(f"DELETE FROM {TABLE}")
        for name in [
            str(r[0]) for r in con.execute("SELECT DISTINCT source FROM records ORDER BY 1").fetchall()
        ]:
            _write(con, name, None)
        return
    if record_ids is not None and not record_ids:
        return
    if record_ids is not None and len(record_ids) > _WHOLE_SOURCE:
        record_ids = None
    ids = sorted(set(record_ids)) if record_ids is not None else None
    where, params = _where(source, ids)
    con.execute(f"DELETE FROM {TABLE} WHERE {where}", params)
    _write(con, source, ids)


def _write(con: duckdb.DuckDBPyConnection, source: str, record_ids: list[str] | None) -> None:
    found = list(rows_from_tables(con, source, record_ids).values())
    if not found:
        return
    # Bound as lists, one per column: executemany is slow, and a CSV cannot carry bytes.
    con.execute(
        f"INSERT INTO {TABLE} SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::INTEGER[]), "
        "unnest(?::BLOB[])",
        [
            [r.key for r in found],
            [r.source for r in found],
            [r.record_id for r in found],
            [r.schema for r in found],
            [r.caption for r in found],
            [r.first_version for r in found],
            [r.removed_version for r in found],
            [_encode(r) for r in found],
        ],
    )


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Every record's row, for a store that has none yet (the migration adding the table)."""
    refresh_record_histories(con)


def read_histories(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> dict[str, RecordRows]:
    """The rows of each of `keys` (`source:record_id`) that exists, by key: one read,
    answered from the primary key's index for up to 256 keys."""
    if not keys:
        return {}
    where, params = key_filter("record", sorted(set(keys)))
    return {
        str(key): _decode(str(source), str(rid), str(schema), caption, int(first), removed, bytes(history))
        for key, source, rid, schema, caption, first, removed, history in con.execute(
            "SELECT record, source, record_id, schema, caption, first_version, removed_version, history "
            f"FROM {TABLE} WHERE {where}",
            params,
        ).fetchall()
    }
