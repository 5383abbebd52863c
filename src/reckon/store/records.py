"""Whole records as `reckon show`, the record page and every entity's profile read them:
every statement a record ever had, with the versions it was seen in, and its changes.

Read from `record_histories` (store/histories.py): one indexed read for all the members
of an entity, where `queries.get_record` scans `statements` and `changes` for each record
(~13 ms a record on the bundled lists). The answer is the same `RecordView`.

Not in store/queries.py: the screening index's fingerprint (stored_index.py) is a digest
of that file, and any edit of it makes every store's prepared match forms stale.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from reckon.store.histories import RecordRows, read_histories, rows_from_tables
from reckon.store.listings import key_filter
from reckon.store.queries import RecordView, StatementView
from reckon.store.statements import Statement, record_from_statements


def _timelines(
    con: duckdb.DuckDBPyConnection, sources: Sequence[str]
) -> dict[str, tuple[dict[int, str], dict[int, int | None]]]:
    """Of each of `sources`: its version dates, and for each version the one before it."""
    where, params = key_filter("source", sorted(set(sources)))
    out: dict[str, tuple[dict[int, str], dict[int, int | None]]] = {}
    for v, src, d in con.execute(
        f"SELECT version_id, source, version_date FROM versions WHERE {where} ORDER BY version_date, version_id",
        params,
    ).fetchall():
        dates, previous = out.setdefault(str(src), ({}, {}))
        previous[int(v)] = next(reversed(dates), None) if dates else None
        dates[int(v)] = str(d)
    return out


def get_record(con: duckdb.DuckDBPyConnection, key: str, *, derived: bool = True) -> RecordView | None:
    """One record (`source:id`) with every statement it ever had and its change history.
    `derived=False` reads it from the tables `record_histories` is derived from."""
    return get_records(con, [key], derived=derived).get(key)


def get_records(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str], *, derived: bool = True
) -> dict[str, RecordView]:
    """`get_record` of each of `keys` that exists, by key: one indexed read of their rows
    in `record_histories` (a scan of `statements` and `changes` per record in a store
    not yet migrated to it, or with `derived=False`) and one of their lists' versions.
    Never inside a transaction: a store without the table is told by the error."""
    wanted = sorted({k for k in keys if ":" in k})
    if not wanted:
        return {}
    found: dict[str, RecordRows] | None = None
    if derived:
        try:
            found = read_histories(con, wanted)
        except duckdb.CatalogException:  # a store served read-only from before the table
            found = None
    if found is None:
        found = {}
        for key in wanted:
            source, record_id = key.split(":", 1)
            found.update(
                {f"{source}:{r}": rows for r, rows in rows_from_tables(con, source, [record_id]).items()}
            )
    timelines = _timelines(con, [r.source for r in found.values()])
    return {key: _view(rows, *timelines[rows.source]) for key, rows in found.items()}


def _view(rows: RecordRows, dates: dict[int, str], previous: dict[int, int | None]) -> RecordView:
    latest = max(dates, key=lambda v: (dates[v], v))

    def last_seen(until: int | None) -> str:
        if until is None:
            return dates[latest]
        before = previous.get(until)
        return dates[before] if before is not None else dates[until]

    views = [
        StatementView(
            entity_id=r[0],
            schema=r[1],
            prop=r[2],
            value=r[3],
            lang=r[4],
            original_value=r[5],
            detail=r[6],
            first_seen=dates[r[7]],
            last_seen=last_seen(r[8]),
            current=r[8] is None,
        )
        for r in rows.statements
    ]
    # Statements without their ids (record_histories keeps none): a record is made of
    # what they say, never of their ids.
    current = [Statement("", *r[:7]) for r in rows.statements if r[8] is None]
    if not current:  # removed: show the facts of the last version that had it
        last = max((r[8] for r in rows.statements if r[8] is not None), default=None)
        current = [Statement("", *r[:7]) for r in rows.statements if r[8] == last]
    removed = rows.removed_version
    return RecordView(
        source=rows.source,
        record_id=rows.record_id,
        schema=rows.schema,
        caption=rows.caption or "",  # as record_listings has it (importers always set one)
        first_seen=dates[rows.first_version],
        last_seen=last_seen(removed),
        removed_on=dates[removed] if removed is not None else None,
        record=record_from_statements(rows.source, rows.record_id, current),
        statements=views,
        history=[(dates[v], c, list(f or [])) for v, c, f in rows.changes],
    )
