"""Export the store in the field's own formats: FtM entity JSON and statements CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

import duckdb

_NAME_PARTS = {"first": "firstName", "father": "fatherName", "middle": "middleName", "last": "lastName"}
# reckon keeps these on the holder; FtM models them as entities of their own.
_CHILD_PROPS = {"cryptoWallet"}


def _current_rows(con: duckdb.DuckDBPyConnection, source: str | None) -> Any:
    sql = (
        "SELECT s.source, s.record_id, s.entity_id, s.schema, s.prop, s.value, s.lang, s.detail, "
        "v1.version_date AS first_seen "
        "FROM statements s JOIN versions v1 ON v1.version_id = s.first_version "
        "WHERE s.until_version IS NULL"
    )
    params: list[object] = []
    if source:
        sql += " AND s.source = ?"
        params.append(source)
    sql += " ORDER BY s.source, s.record_id, s.entity_id, s.prop, s.value"
    return con.execute(sql, params)


def ftm_entities(con: duckdb.DuckDBPyConnection, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Current facts as FollowTheMoney entities (the shape OpenSanctions and Aleph read)."""
    cur = _current_rows(con, source)
    entity: dict[str, Any] | None = None
    extra: list[dict[str, Any]] = []
    while batch := cur.fetchmany(10000):
        for src, _rid, eid, schema, prop, value, _lang, detail in (r[:8] for r in batch):
            if entity is None or entity["id"] != eid:
                if entity is not None:
                    yield entity
                    yield from extra
                    extra = []
                entity = {"id": eid, "schema": schema, "properties": {}, "datasets": [src]}
            props: dict[str, list[str]] = entity["properties"]
            if prop in _CHILD_PROPS:
                extra.append(
                    {
                        "id": f"{eid}-wallet-{value[:24]}",
                        "schema": "CryptoWallet",
                        "properties": {"publicKey": [value], "holder": [eid]},
                        "datasets": [src],
                    }
                )
                continue
            if schema == "UnknownLink" and prop == "objectName":
                prop = "description"
            props.setdefault(prop, []).append(value)
            if detail and prop in ("name", "alias", "previousName", "weakAlias"):
                parts = json.loads(detail)
                for key, ftm_prop in _NAME_PARTS.items():
                    if key in parts and parts[key] not in props.get(ftm_prop, []):
                        props.setdefault(ftm_prop, []).append(parts[key])
    if entity is not None:
        yield entity
        yield from extra


def write_ftm(con: duckdb.DuckDBPyConnection, out: IO[str], source: str | None = None) -> int:
    n = 0
    for ent in ftm_entities(con, source):
        out.write(json.dumps(ent, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


STATEMENT_HEADER = (
    "id",
    "entity_id",
    "canonical_id",
    "prop",
    "schema",
    "value",
    "dataset",
    "lang",
    "original_value",
    "first_seen",
    "last_seen",
    "record_id",
    "version_date",
)


def write_statements(con: duckdb.DuckDBPyConnection, out: IO[str], source: str | None = None) -> int:
    """Every statement ever seen, in OpenSanctions' statements.csv columns plus our own two."""
    sql = (
        "WITH latest AS (SELECT source, max(version_date) AS d FROM versions GROUP BY source), "
        "ordered AS (SELECT version_id, source, version_date, "
        "lag(version_date) OVER (PARTITION BY source ORDER BY version_date, version_id) AS prev "
        "FROM versions) "
        "SELECT s.id, s.entity_id, s.entity_id, s.prop, s.schema, s.value, s.source, s.lang, "
        "s.original_value, f.version_date, coalesce(u.prev, l.d), s.record_id, f.version_date "
        "FROM statements s JOIN ordered f ON f.version_id = s.first_version "
        "LEFT JOIN ordered u ON u.version_id = s.until_version "
        "JOIN latest l ON l.source = s.source"
    )
    params: list[object] = []
    if source:
        sql += " WHERE s.source = ?"
        params.append(source)
    sql += " ORDER BY s.source, s.record_id, s.entity_id, s.prop, s.value, s.first_version"
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STATEMENT_HEADER)
    cur = con.execute(sql, params)
    n = 0
    while batch := cur.fetchmany(10000):
        writer.writerows(batch)
        n += len(batch)
    return n
