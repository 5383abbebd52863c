"""Records as statements, and back.

A statement is one value of one FtM property of one entity, the unit OpenSanctions
uses for provenance. Structure that FtM's flat properties cannot hold (name parts,
date precision, an identifier's issuing country) travels in `detail`, a small JSON
object, so a record round-trips through the store without loss.

Each designation becomes its own FtM `Sanction` entity and each stated relation an
`UnknownLink`, both pointing back at the record's main entity, as in OpenSanctions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reckon.model import (
    IDENTIFIER_SCHEMES,
    NAME_KINDS,
    Address,
    Designation,
    FuzzyDate,
    Identifier,
    Link,
    Name,
    Record,
)


class Statement(NamedTuple):
    id: str
    entity_id: str
    schema: str
    prop: str
    value: str
    lang: str | None
    original_value: str | None
    detail: str | None


def _sid(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=10).hexdigest()


def _detail(**kw: object) -> str | None:
    kept = {k: v for k, v in kw.items() if v not in (None, False, (), [])}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if kept else None


def _stmt(
    key: str,
    entity_id: str,
    schema: str,
    prop: str,
    value: str,
    lang: str | None = None,
    original: str | None = None,
    detail: str | None = None,
) -> Statement:
    return Statement(
        _sid(key, entity_id, prop, value, lang, original, detail),
        entity_id,
        schema,
        prop,
        value,
        lang,
        original,
        detail,
    )


def record_statements(record: Record) -> list[Statement]:
    """Every fact of a record as statements; equal records give equal statement ids."""
    key = record.key
    schema = record.schema
    out: list[Statement] = []
    for n in record.names:
        detail = _detail(first=n.first, father=n.father, middle=n.middle, last=n.last, script=n.script)
        out.append(_stmt(key, key, schema, n.kind, n.full, n.lang, None, detail))
    for d in record.birth_dates:
        detail = _detail(approximate=d.approximate, until=d.until)
        out.append(_stmt(key, key, schema, "birthDate", d.value, None, d.original, detail))
    for i in record.identifiers:
        out.append(
            _stmt(key, key, schema, i.scheme, i.value, None, None, _detail(country=i.country, note=i.note))
        )
    for a in record.addresses:
        detail = _detail(
            street=a.street, city=a.city, postalCode=a.postal_code, region=a.region, country=a.country
        )
        out.append(_stmt(key, key, schema, "address", a.full, None, None, detail))
    for prop, values in record.properties.items():
        for v in values:
            out.append(_stmt(key, key, schema, prop, v))
    for des in record.designations:
        out.extend(_designation_statements(key, des))
    for link in record.links:
        lid = f"{key}-link-{_sid(link.relation, link.target_name, link.target_id)[:12]}"
        out.append(_stmt(key, lid, "UnknownLink", "subject", key))
        out.append(_stmt(key, lid, "UnknownLink", "role", link.relation))
        if link.target_name:
            out.append(_stmt(key, lid, "UnknownLink", "objectName", link.target_name))
        if link.target_id:
            out.append(_stmt(key, lid, "UnknownLink", "object", link.target_id))
        if link.percentage:
            out.append(_stmt(key, lid, "UnknownLink", "percentage", link.percentage))
    # Duplicate facts (the same passport listed twice) collapse to one statement.
    seen: set[str] = set()
    unique = []
    for s in out:
        if s.id not in seen:
            seen.add(s.id)
            unique.append(s)
    return unique


def _designation_statements(key: str, d: Designation) -> list[Statement]:
    sid = f"{key}-sanction-{_sid(d.jurisdiction, d.authority, d.authority_id)[:12]}"
    pairs: list[tuple[str, str | None]] = [
        ("entity", key),
        ("country", d.jurisdiction),
        ("authority", d.authority),
        ("authorityId", d.authority_id),
        ("unscId", d.unsc_id),
        ("listingDate", d.listing_date),
        ("endDate", d.end_date),
        ("summary", d.legal_basis),
        ("reason", d.reason),
    ]
    pairs += [("program", p) for p in d.programs]
    pairs += [("provisions", m) for m in d.measures]
    return [_stmt(key, sid, "Sanction", prop, v) for prop, v in pairs if v]


def digest(statements: Iterable[Statement]) -> str:
    """A fingerprint of a record's facts, independent of their order."""
    joined = "".join(sorted(s.id for s in statements))
    return hashlib.blake2b(joined.encode("ascii"), digest_size=16).hexdigest()


class StatementMemo:
    """Statements of records already seen in this run, found by object identity.

    Replaying many versions of a list, almost every record is unchanged from one
    version to the next, and parsers memoise unchanged rows: the new Record is a new
    object, but its names, dates, identifiers and values are the very objects of the
    previous version. A key of their ids finds the statements computed before in a
    few microseconds. Each entry keeps its record (and so every keyed object) alive,
    so an id cannot be reused by another object while the entry exists; equal content
    in different objects merely misses the cache. Two generations are kept, the
    version being imported and the one before: memory stays at about two versions.
    """

    def __init__(self) -> None:
        self._current: dict[tuple[object, ...], tuple[Record, list[Statement], str]] = {}
        self._previous: dict[tuple[object, ...], tuple[Record, list[Statement], str]] = {}

    def get(self, record: Record) -> tuple[list[Statement], str]:
        r = record
        key = (
            r.source,
            r.id,
            r.schema,
            tuple(map(id, r.names)),
            tuple(map(id, r.birth_dates)),
            tuple(map(id, r.identifiers)),
            tuple(map(id, r.addresses)),
            tuple(map(id, r.designations)),
            tuple(map(id, r.links)),
            tuple((k, tuple(map(id, v))) for k, v in r.properties.items()),
        )
        hit = self._current.get(key) or self._previous.get(key)
        if hit is None:
            stmts = record_statements(record)
            hit = (record, stmts, digest(stmts))
        self._current[key] = hit
        return hit[1], hit[2]

    def next_version(self) -> None:
        self._previous, self._current = self._current, {}


# ---------------------------------------------------------------- statements → record


def _load(detail: str | None) -> dict[str, object]:
    return json.loads(detail) if detail else {}


def _opt(d: dict[str, object], k: str) -> str | None:
    v = d.get(k)
    return str(v) if v is not None else None


def record_from_statements(source: str, record_id: str, rows: Sequence[Statement]) -> Record:
    """Rebuild a record from its statements (the inverse of `record_statements`)."""
    key = f"{source}:{record_id}"
    main = [r for r in rows if r.entity_id == key]
    schema = main[0].schema if main else "LegalEntity"
    rec = Record(source=source, id=record_id, schema=schema)
    for r in main:
        d = _load(r.detail)
        if r.prop in NAME_KINDS:
            rec.names.append(
                Name(
                    full=r.value,
                    kind=r.prop,
                    first=_opt(d, "first"),
                    father=_opt(d, "father"),
                    middle=_opt(d, "middle"),
                    last=_opt(d, "last"),
                    script=_opt(d, "script"),
                    lang=r.lang,
                )
            )
        elif r.prop == "birthDate":
            rec.birth_dates.append(
                FuzzyDate(r.value, bool(d.get("approximate")), _opt(d, "until"), r.original_value)
            )
        elif r.prop in IDENTIFIER_SCHEMES:
            rec.identifiers.append(Identifier(r.prop, r.value, _opt(d, "country"), _opt(d, "note")))
        elif r.prop == "address":
            rec.addresses.append(
                Address(
                    r.value,
                    _opt(d, "street"),
                    _opt(d, "city"),
                    _opt(d, "postalCode"),
                    _opt(d, "region"),
                    _opt(d, "country"),
                )
            )
        else:
            rec.properties.setdefault(r.prop, []).append(r.value)
    children: dict[str, list[Statement]] = {}
    for r in rows:
        if r.entity_id != key:
            children.setdefault(r.entity_id, []).append(r)
    for child in children.values():
        props: dict[str, list[str]] = {}
        for r in child:
            props.setdefault(r.prop, []).append(r.value)

        def one(p: str, props: dict[str, list[str]] = props) -> str | None:
            return props.get(p, [None])[0]

        if child[0].schema == "Sanction":
            rec.designations.append(
                Designation(
                    jurisdiction=one("country") or "",
                    authority=one("authority") or "",
                    programs=tuple(props.get("program", [])),
                    listing_date=one("listingDate"),
                    end_date=one("endDate"),
                    legal_basis=one("summary"),
                    authority_id=one("authorityId"),
                    unsc_id=one("unscId"),
                    measures=tuple(props.get("provisions", [])),
                    reason=one("reason"),
                )
            )
        elif child[0].schema == "UnknownLink":
            rec.links.append(
                Link(one("role") or "", one("objectName") or "", one("object"), one("percentage"))
            )
    return rec
