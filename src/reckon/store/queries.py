"""Typed read queries over the store: loaded lists, one record with provenance, changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb

from reckon.dates import iso_date
from reckon.model import Record
from reckon.store.errors import StoreError
from reckon.store.statements import Statement, record_from_statements


@dataclass(frozen=True, slots=True)
class VersionInfo:
    version_id: int
    source: str
    version_date: str
    date_origin: str
    published: str | None
    complete: bool
    format: str
    file_name: str
    sha256: str
    imported_at: str
    record_count: int
    added: int
    amended: int
    removed: int


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: str
    versions: int
    first_version_date: str
    latest: VersionInfo
    current_records: int
    schemata: dict[str, int]


@dataclass(frozen=True, slots=True)
class StatementView:
    entity_id: str
    schema: str
    prop: str
    value: str
    lang: str | None
    original_value: str | None
    detail: str | None
    first_seen: str
    last_seen: str
    current: bool


@dataclass(slots=True)
class RecordView:
    source: str
    record_id: str
    schema: str
    caption: str
    first_seen: str
    last_seen: str
    removed_on: str | None
    record: Record
    statements: list[StatementView]
    history: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (date, change, fields)


_VERSION_COLS = (
    "version_id, source, version_date, date_origin, published, complete, format, file_name, sha256, "
    "strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ'), record_count, added, amended, removed"
)


def _version(row: tuple[object, ...]) -> VersionInfo:
    return VersionInfo(*row)  # type: ignore[arg-type]


def versions(con: duckdb.DuckDBPyConnection, source: str | None = None) -> list[VersionInfo]:
    sql = f"SELECT {_VERSION_COLS} FROM versions"
    params: list[object] = []
    if source:
        sql += " WHERE source = ?"
        params.append(source)
    sql += " ORDER BY source, version_date, version_id"
    return [_version(r) for r in con.execute(sql, params).fetchall()]


def summaries(con: duckdb.DuckDBPyConnection) -> list[SourceSummary]:
    by_source: dict[str, list[VersionInfo]] = {}
    for v in versions(con):
        by_source.setdefault(v.source, []).append(v)
    counts: dict[str, dict[str, int]] = {}
    for source, schema, n in con.execute(
        "SELECT source, schema, count(*) FROM records WHERE removed_version IS NULL GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        counts.setdefault(source, {})[schema] = n
    return [
        SourceSummary(
            source=s,
            versions=len(vs),
            first_version_date=vs[0].version_date,
            latest=vs[-1],
            current_records=sum(counts.get(s, {}).values()),
            schemata=counts.get(s, {}),
        )
        for s, vs in sorted(by_source.items())
    ]


def _dates(con: duckdb.DuckDBPyConnection, source: str) -> tuple[dict[int, str], dict[int, int | None]]:
    """Version dates, and for each version the one before it, of one source."""
    rows = con.execute(
        "SELECT version_id, version_date FROM versions WHERE source = ? ORDER BY version_date, version_id",
        [source],
    ).fetchall()
    dates = {int(v): str(d) for v, d in rows}
    previous: dict[int, int | None] = {}
    prev: int | None = None
    for v, _ in rows:
        previous[int(v)] = prev
        prev = int(v)
    return dates, previous


def get_record(con: duckdb.DuckDBPyConnection, key: str) -> RecordView | None:
    """One record (`source:id`) with every statement it ever had and its change history."""
    if ":" not in key:
        return None
    source, record_id = key.split(":", 1)
    row = con.execute(
        "SELECT schema, caption, first_version, removed_version FROM records WHERE source = ? AND record_id = ?",
        [source, record_id],
    ).fetchone()
    if row is None:
        return None
    schema, caption, first_version, removed_version = row
    dates, previous = _dates(con, source)
    latest = max(dates, key=lambda v: (dates[v], v))

    def last_seen(until: int | None) -> str:
        if until is None:
            return dates[latest]
        before = previous.get(until)
        return dates[before] if before is not None else dates[until]

    rows = con.execute(
        "SELECT id, entity_id, schema, prop, value, lang, original_value, detail, first_version, until_version "
        "FROM statements WHERE source = ? AND record_id = ? ORDER BY entity_id <> ?, entity_id, first_version, prop, value",
        [source, record_id, key],
    ).fetchall()
    views = [
        StatementView(
            entity_id=r[1],
            schema=r[2],
            prop=r[3],
            value=r[4],
            lang=r[5],
            original_value=r[6],
            detail=r[7],
            first_seen=dates[r[8]],
            last_seen=last_seen(r[9]),
            current=r[9] is None,
        )
        for r in rows
    ]
    current = [Statement(*r[:8]) for r in rows if r[9] is None]
    if not current:  # removed: show the facts of the last version that had it
        last = max((r[9] for r in rows if r[9] is not None), default=None)
        current = [Statement(*r[:8]) for r in rows if r[9] == last]
    history = [
        (dates[int(v)], str(c), list(f or []))
        for v, c, f in con.execute(
            "SELECT version_id, change, fields FROM changes WHERE source = ? AND record_id = ? ORDER BY version_id",
            [source, record_id],
        ).fetchall()
    ]
    return RecordView(
        source=source,
        record_id=record_id,
        schema=str(schema),
        caption=str(caption),
        first_seen=dates[int(first_version)],
        last_seen=last_seen(int(removed_version) if removed_version is not None else None),
        removed_on=dates[int(removed_version)] if removed_version is not None else None,
        record=record_from_statements(source, record_id, current),
        statements=views,
        history=history,
    )


@dataclass(frozen=True, slots=True)
class Change:
    version_date: str
    source: str
    record_id: str
    change: str
    fields: list[str]
    caption: str
    entity: str | None = None  # the canonical entity of the record, where resolved


def loaded_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sources with at least one version in the store."""
    return [str(r[0]) for r in con.execute("SELECT DISTINCT source FROM versions ORDER BY 1").fetchall()]


def require_source(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Refuse a source name the store holds no version of: an answer about it would be
    an empty one, indistinguishable from "nothing changed"."""
    loaded = loaded_sources(con)
    if source not in loaded:
        raise StoreError(
            f"{source!r}: no version of this source in the store (loaded: {', '.join(loaded) or 'none'})"
        )


def changes(
    con: duckdb.DuckDBPyConnection, source: str | None, since: str | None = None, until: str | None = None
) -> list[Change]:
    """Added, amended and removed records of a source (or of every source), in version order.

    The first version of each source is its baseline: its records are not reported as
    added. `since` and `until` are calendar dates (ValueError otherwise); an unloaded
    source is a StoreError. Each change names the canonical entity its record belongs to,
    where the store is resolved.
    """
    if source is not None:
        require_source(con, source)
    since = iso_date(since, "--since") if since else None
    until = iso_date(until, "--until") if until else None
    sql = (
        "SELECT v.version_date, c.source, c.record_id, c.change, c.fields, r.caption, e.canonical_id "
        "FROM changes c JOIN versions v USING (version_id) "
        "LEFT JOIN records r ON r.source = c.source AND r.record_id = c.record_id "
        "LEFT JOIN resolve_records e ON e.record = c.source || ':' || c.record_id "
        "WHERE v.version_id NOT IN (SELECT min_by(version_id, (version_date, version_id)) "
        "FROM versions GROUP BY source)"
    )
    params: list[object] = []
    if source is not None:
        sql += " AND c.source = ?"
        params.append(source)
    if since:
        sql += " AND v.version_date >= ?"
        params.append(since)
    if until:
        sql += " AND v.version_date <= ?"
        params.append(until + "\uffff")
    sql += " ORDER BY v.version_date, c.source, v.version_id, c.change, c.record_id"
    return [
        Change(str(d), str(s), str(r), str(c), list(f or []), str(cap or ""), str(e) if e else None)
        for d, s, r, c, f, cap, e in con.execute(sql, params).fetchall()
    ]


# Properties the matcher reads; everything else stays in the store.
MATCH_PROPS = (
    "name",
    "alias",
    "previousName",
    "weakAlias",
    "birthDate",
    "nationality",
    "citizenship",
    "country",
    "gender",
    "imoNumber",
    "mmsi",
    "innCode",
    "ogrnCode",
    "swiftBic",
    "leiCode",
    "cryptoWallet",
    "passportNumber",
    "idNumber",
    "taxNumber",
    "registrationNumber",
)


def current_entities(
    con: duckdb.DuckDBPyConnection, source: str | None = None, keys: list[str] | None = None
) -> list[dict[str, object]]:
    """Every record on its list now, as an FtM-shaped entity with the matching properties.

    Designation facts (sanctioned by whom, under which programme) stay out: the
    matcher compares identities.
    """
    return list(iter_current_entities(con, source, keys))


def iter_current_entities(
    con: duckdb.DuckDBPyConnection, source: str | None = None, keys: list[str] | None = None
) -> Iterator[dict[str, object]]:
    """`current_entities` one at a time, in key order: building the screening index
    from this never holds all 50,000 entities as dictionaries at once."""
    params: list[object] = []
    sql = "SELECT s.source || ':' || s.record_id AS key, any_value(r.schema), s.prop, list(s.value ORDER BY s.value) "
    if keys is not None:
        # A join on the key columns: ~2× faster than comparing a concatenation per row.
        sql += (
            "FROM (SELECT split_part(k, ':', 1) AS source, substr(k, strpos(k, ':') + 1) AS record_id "
            "FROM (SELECT unnest(?::VARCHAR[]) AS k)) w "
            "JOIN statements s ON s.source = w.source AND s.record_id = w.record_id "
        )
        params.append(keys)
    else:
        sql += "FROM statements s "
    sql += (
        "JOIN records r ON r.source = s.source AND r.record_id = s.record_id "
        "WHERE s.until_version IS NULL AND r.removed_version IS NULL "
        "AND s.entity_id = s.source || ':' || s.record_id AND s.prop IN (SELECT unnest(?::VARCHAR[]))"
    )
    params.append(list(MATCH_PROPS))
    if source:
        sql += " AND s.source = ?"
        params.append(source)
    sql += " GROUP BY key, s.prop ORDER BY key, s.prop"
    cur = con.cursor()
    cur.execute(sql, params)
    entity: dict[str, object] | None = None
    props: dict[str, list[str]] = {}
    while rows := cur.fetchmany(10_000):
        for key, schema, prop, values in rows:
            if entity is None or entity["id"] != key:
                if entity is not None:
                    yield entity
                props = {}
                entity = {"id": key, "schema": schema, "properties": props}
            props[prop] = values
    if entity is not None:
        yield entity
    cur.close()


def key_filter(keys: list[str] | None, column: str) -> tuple[str, list[object]]:
    if keys is None:
        return "", []
    return f" AND {column} IN (SELECT unnest(?::VARCHAR[]))", [keys]


def un_references(con: duckdb.DuckDBPyConnection, keys: list[str] | None = None) -> dict[str, list[str]]:
    """UN reference numbers the current designations of each record quote."""
    where, params = key_filter(keys, "s.source || ':' || s.record_id")
    rows = con.execute(
        "SELECT s.source || ':' || s.record_id AS key, list(DISTINCT s.value ORDER BY s.value) "
        "FROM statements s JOIN records r ON r.source = s.source AND r.record_id = s.record_id "
        "WHERE s.prop = 'unscId' AND s.schema = 'Sanction' AND s.until_version IS NULL "
        f"AND r.removed_version IS NULL{where} GROUP BY key",
        params,
    ).fetchall()
    return {str(k): [str(v) for v in vs] for k, vs in rows}


def matching_entities(
    con: duckdb.DuckDBPyConnection, keys: list[str] | None = None
) -> list[dict[str, object]]:
    """`current_entities` (all, or `keys`) with the UN reference numbers their
    designations quote as `unscId`: an identifier unique to one entity, which the
    matcher blocks on and scores like an IMO number."""
    entities = current_entities(con, keys=keys)
    refs = un_references(con, keys)
    for ent in entities:
        ref = refs.get(str(ent["id"]))
        if ref:
            props = ent["properties"]
            assert isinstance(props, dict)
            props["unscId"] = ref
    return entities
