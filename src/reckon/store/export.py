"""Export the store in the field's own formats: FtM entity JSON and statements CSV."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from typing import IO, Any

import duckdb

_NAME_PARTS = {"first": "firstName", "father": "fatherName", "middle": "middleName", "last": "lastName"}
# reckon keeps these on the holder; FtM models them as entities of their own.
_CHILD_PROPS = {"cryptoWallet"}
# Lists label a few facts the same way for every kind of entity, where FtM's schemata
# differ: (schema, reckon property) -> FtM property, or None where FtM has no place
# for it and the fact goes to `notes` with its label.
_FTM_PROPS: dict[tuple[str, str], str | None] = {
    ("Company", "position"): None,
    ("Organization", "position"): None,
    ("LegalEntity", "position"): None,
    ("Company", "issuer"): None,
    ("Organization", "issuer"): None,
    ("Vessel", "idNumber"): "registrationNumber",
    ("Airplane", "idNumber"): "registrationNumber",
    ("Airplane", "jurisdiction"): "country",
    ("Vessel", "jurisdiction"): "country",
    ("Person", "serialNumber"): "idNumber",
}


# FtM's longest name (followthemoney.registry.name.max_length).
NAME_MAX = 384
_ID_UNSAFE = re.compile(r"[^0-9a-zA-Z.\-]+")
# FtM properties whose values are entity ids.
_REFERENCE_PROPS = {"entity", "holder", "subject", "object"}


def ftm_id(key: str) -> str:
    """An FtM-valid entity id for a reckon key (FtM ids allow only [0-9a-zA-Z.-]).

    `us_ofac_sdn:35096` becomes `us-ofac-sdn-35096`; the original key travels in the
    entity's `referents`.
    """
    return _ID_UNSAFE.sub("-", key).strip("-.")


def ftm_property(schema: str, prop: str, value: str) -> tuple[str, str]:
    """The FtM property (and value) a reckon statement exports as."""
    key = (schema, prop)
    if key not in _FTM_PROPS:
        return prop, value
    mapped = _FTM_PROPS[key]
    return (mapped, value) if mapped else ("notes", f"{prop}: {value}")


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


def _relation(entity: dict[str, Any], named: set[str]) -> list[dict[str, Any]]:
    """A stated relation (an `UnknownLink` in the store) as FtM says it: an `Ownership`,
    `Directorship` or `Family` where the list's word means one (reckon.control.relations),
    an `UnknownLink` otherwise; a target the list names without an id becomes a
    `LegalEntity` of that name, since FtM relations need both ends."""
    from reckon.control.model import DIRECTOR, FAMILY, OWNER
    from reckon.control.relations import meaning

    props: dict[str, list[str]] = entity["properties"]
    if "subject" not in props:
        return [entity]
    out: list[dict[str, Any]] = []
    subject = props["subject"][0]
    role = (props.get("role") or [""])[0]
    if "object" in props:
        target = props["object"][0]
    else:
        stated = (props.get("description") or [""])[0]
        # One entity per name a list states (as the control graph's unresolved nodes), so
        # that two relations to one stated name still meet.
        target = ftm_id(f"{entity['datasets'][0]}-named-{hashlib.sha1(stated.encode()).hexdigest()[:16]}")
        if target not in named:
            named.add(target)
            stub: dict[str, list[str]] = {"name": [stated]}
            if len(stated) > NAME_MAX:  # a list's run of many names in one field: kept whole below
                stub = {"name": [stated[: NAME_MAX - 1] + "…"], "description": [stated]}
            out.append(
                {
                    "id": target,
                    "schema": "LegalEntity",
                    "properties": stub,
                    "datasets": entity["datasets"],
                    "referents": [],  # no record: the list names it only
                }
            )
    m = meaning(role)
    extra = {k: v for k, v in props.items() if k in ("description", "percentage")}
    if m is not None and m.relation in (OWNER, DIRECTOR):
        top, below = (target, subject) if m.target_is_subject else (subject, target)
        if m.relation == OWNER:
            entity["schema"] = "Ownership"
            entity["properties"] = {"owner": [top], "asset": [below], "role": [role], **extra}
        else:
            extra.pop("percentage", None)
            entity["schema"] = "Directorship"
            entity["properties"] = {"director": [top], "organization": [below], "role": [role], **extra}
    elif m is not None and m.relation == FAMILY:
        extra.pop("percentage", None)
        entity["schema"] = "Family"
        entity["properties"] = {"person": [subject], "relative": [target], "relationship": [role], **extra}
    else:
        props.pop("percentage", None)
        props["object"] = [target]
    out.append(entity)
    return out


def ftm_entities(con: duckdb.DuckDBPyConnection, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Current facts as FollowTheMoney entities (the shape OpenSanctions and Aleph read);
    stated relations as FtM's relation entities (`_relation`)."""
    named: set[str] = set()
    for entity in _entities(con, source):
        if entity["schema"] == "UnknownLink":
            yield from _relation(entity, named)
        else:
            yield entity


def _entities(con: duckdb.DuckDBPyConnection, source: str | None = None) -> Iterator[dict[str, Any]]:
    cur = _current_rows(con, source)
    entity: dict[str, Any] | None = None
    extra: list[dict[str, Any]] = []
    while batch := cur.fetchmany(10000):
        for src, _rid, eid, schema, prop, value, _lang, detail in (r[:8] for r in batch):
            if entity is None or entity["referents"][0] != eid:
                if entity is not None:
                    yield entity
                    yield from extra
                    extra = []
                entity = {
                    "id": ftm_id(eid),
                    "schema": schema,
                    "properties": {},
                    "datasets": [src],
                    "referents": [eid],
                }
            props: dict[str, list[str]] = entity["properties"]
            if prop in _CHILD_PROPS:
                extra.append(
                    {
                        "id": ftm_id(f"{eid}-wallet-{value[:40]}"),
                        "schema": "CryptoWallet",
                        "properties": {"publicKey": [value], "holder": [ftm_id(eid)]},
                        "datasets": [src],
                    }
                )
                continue
            if schema == "UnknownLink" and prop == "objectName":
                prop = "description"
            prop, value = ftm_property(schema, prop, value)
            if prop in _REFERENCE_PROPS:
                value = ftm_id(value)
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
