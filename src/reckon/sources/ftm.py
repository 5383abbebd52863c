"""FollowTheMoney exports: entity JSON lines (`ftm-json`) and OpenSanctions'
targets.simple.csv (`targets-simple-csv`).

FtM JSON lines are what OpenSanctions and Aleph export: one
`{"id", "schema", "properties": {prop: [values]}, "datasets": [...]}` per line. Records
are made from the Thing schemata reckon models (Person, Organization, Company,
LegalEntity, Vessel, Airplane). Sanction entities become Designations on the entity
their `entity` property names; Address, Identification and Passport entities are folded
into the entity that references them (`addressEntity` on the holder, or `holder` on the
document). Ownership, Directorship, Family and UnknownLink entities become links of the
record they start from (`_attach_relations`): the control graph's edges. Everything else is
counted in a warning and skipped.

targets.simple.csv is OpenSanctions' flat export. Multi-valued cells are themselves
`;`-separated CSV (a value containing ";" or '"' is quoted inside the cell), so they are
split with the csv module, not str.split. The `identifiers` column has values without
their kind; the scheme is inferred from the shape and the schema (see
`_infer_identifier`). The `sanctions` column of ua_war_sanctions is the portal's
free-text reason.

ua_war_sanctions entries are allegations by the Ukrainian state (NAZK/GUR), not legal
designations: many targets are sanctioned by nobody. The portal's listing is still
represented as a Designation (jurisdiction "ua") so that it can be queried like the
others; the registry's licence note says what it is.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from reckon.model import (
    IDENTIFIER_SCHEMES,
    NAME_KINDS,
    SCHEMATA,
    Address,
    Designation,
    FuzzyDate,
    Identifier,
    Link,
    ListVersion,
    Name,
    Record,
)
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    decode_text,
    headed_csv,
    known_source,
    make_name,
    parse_date,
    read_bytes,
    source_authority,
    unique_by_full,
)

FTM_FORMAT = "ftm-json"
SIMPLE_FORMAT = "targets-simple-csv"
FTM_DEFAULT_SOURCE = "ftm"
SIMPLE_DEFAULT_SOURCE = "ua_war_sanctions"

_PART_PROPS = ("firstName", "lastName", "fatherName", "middleName", "secondName")
_FOLDED_PROPS = {"addressEntity"}
_SCHEMES = frozenset(IDENTIFIER_SCHEMES)


# -------------------------------------------------------------------- shared helpers


_UKR = set("ієїґІЄЇҐ")
_RUS = set("ыэъёЫЭЪЁ")
_BEL = set("ўЎ")


def _cyrillic_lang(text: str) -> str | None:
    """Ukrainian, Russian or Belarusian by the letters only that alphabet has."""
    chars = set(text)
    if chars & _UKR:
        return "ukr"
    if chars & _BEL:
        return "bel"
    if chars & _RUS:
        return "rus"
    return None


def _is_surname_token(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _person_name(text: str, kind: str) -> Name | None:
    """A person's name; "IVAKHA Denis Vladimirovich" gives last/first/patronymic parts.

    The portal writes the surname in capitals first, then given name and patronymic.
    Parts are only set when the name has that shape.
    """
    tokens = text.split()
    split = 0
    while split < len(tokens) and _is_surname_token(tokens[split]):
        split += 1
    lang = None
    name = make_name(text, kind=kind)
    if name is not None and name.script == "Cyrl":
        lang = _cyrillic_lang(text)
    if 0 < split < len(tokens):
        rest = tokens[split:]
        return make_name(
            text,
            kind=kind,
            last=" ".join(tokens[:split]),
            first=rest[0],
            father=" ".join(rest[1:]) or None,
            lang=lang,
        )
    return make_name(text, kind=kind, lang=lang)


def _pair_cyrillic(names: list[Name]) -> list[Name]:
    """Give the unmarked one of a Russian/Ukrainian spelling pair its language.

    The portal gives every person one Russian and one Ukrainian Cyrillic spelling. A
    spelling without letters unique to either alphabet is ambiguous alone, but when
    the other Cyrillic spelling of the row is marked, it is the other language.
    """
    cyrillic = [i for i, n in enumerate(names) if n.script == "Cyrl"]
    if len(cyrillic) != 2:
        return names
    a, b = (names[i] for i in cyrillic)
    pair = {"ukr": "rus", "rus": "ukr"}
    out = list(names)
    if a.lang in pair and b.lang is None:
        out[cyrillic[1]] = dataclasses.replace(b, lang=pair[a.lang])
    elif b.lang in pair and a.lang is None:
        out[cyrillic[0]] = dataclasses.replace(a, lang=pair[b.lang])
    return out


def _plain_name(text: str, kind: str) -> Name | None:
    name = make_name(text, kind=kind)
    if name is not None and name.script == "Cyrl":
        lang = _cyrillic_lang(text)
        if lang:
            name = make_name(text, kind=kind, lang=lang)
    return name


# ---------------------------------------------------------------- FtM JSON lines


def parse_ftm_json(path: Path, source: str | None = None) -> ListVersion:
    """Read FollowTheMoney entity JSON lines into a ListVersion."""
    text = decode_text(read_bytes(path), path)
    entities: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(
                path, f"line {line_no}, column {exc.colno}", f"malformed JSON: {exc.msg}"
            ) from exc
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("id"), str)
            or not isinstance(data.get("schema"), str)
        ):
            raise SourceError(path, f"line {line_no}", "not an FtM entity (needs string 'id' and 'schema')")
        props = data.get("properties", {})
        if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()
        ):
            raise SourceError(path, f"line {line_no}", "'properties' must map names to lists of strings")
        if data["id"] in seen:
            raise SourceError(path, f"line {line_no}", f"duplicate entity id {data['id']}")
        seen.add(data["id"])
        entities.append((line_no, data))
    if not entities:
        raise SourceError(path, None, "no entities in file")

    by_id = {e["id"]: e for _, e in entities}
    documents: dict[str, list[dict[str, Any]]] = {}
    sanctions: dict[str, list[dict[str, Any]]] = {}
    skipped: Counter[str] = Counter()
    used: set[str] = set()
    for _, e in entities:
        schema = e["schema"]
        props = e.get("properties", {})
        if schema in ("Identification", "Passport"):
            for holder in props.get("holder", []):
                documents.setdefault(holder, []).append(e)
        elif schema == "Sanction":
            for target in props.get("entity", []):
                sanctions.setdefault(target, []).append(e)

    records: list[Record] = []
    warnings: list[str] = []
    first_source: str | None = None
    for line_no, e in entities:
        schema = e["schema"]
        if schema not in SCHEMATA:
            if schema not in ("Address", "Identification", "Passport", "Sanction"):
                skipped[schema] += 1
            continue
        datasets = e.get("datasets") or []
        src = source or (datasets[0] if datasets and isinstance(datasets[0], str) else FTM_DEFAULT_SOURCE)
        first_source = first_source or src
        try:
            rec = _ftm_record(e, src, by_id, documents.get(e["id"], []), sanctions.get(e["id"], []), used)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, f"line {line_no}", f"cannot read entity {e['id']}: {exc}") from exc
        records.append(rec)
    unattached = _attach_relations(entities, records, by_id)
    for schema in _RELATIONS:
        skipped.pop(schema, None)
    for schema, count in sorted(skipped.items()):
        warnings.append(f"skipped {count} {schema} entit{'y' if count == 1 else 'ies'} (not a reckon schema)")
    for schema, count in sorted(unattached.items()):
        warnings.append(f"{count} {schema} entit{'y' if count == 1 else 'ies'} not attached to any record")
    orphans = Counter(
        e["schema"]
        for _, e in entities
        if e["schema"] in ("Address", "Identification", "Passport", "Sanction") and e["id"] not in used
    )
    for schema, count in sorted(orphans.items()):
        warnings.append(f"{count} {schema} entit{'y' if count == 1 else 'ies'} not attached to any record")
    return ListVersion(
        source=source or first_source or FTM_DEFAULT_SOURCE,
        format=FTM_FORMAT,
        records=records,
        published=None,
        warnings=warnings,
    )


# FtM relation schemata read as links (reckon.control reads their meaning): the property
# naming the record that holds the link, the one naming its target, and the word kept as
# the link's relation (UnknownLink: its own `role`).
_RELATIONS = {
    "Ownership": ("owner", "asset", "ownership"),
    "Directorship": ("director", "organization", "directorship"),
    "Family": ("person", "relative", "family"),
    "UnknownLink": ("subject", "object", "linked"),
}


def _attach_relations(
    entities: list[tuple[int, dict[str, Any]]], records: list[Record], by_id: dict[str, dict[str, Any]]
) -> Counter[str]:
    """Add each Ownership, Directorship, Family and UnknownLink entity as a `Link` of the
    record it starts from (the owner, the director, the person, the subject), its target
    by id within the file; returns those whose start is no record of the file, by schema."""
    holders = {r.id: r for r in records}
    unattached: Counter[str] = Counter()
    for _, e in entities:
        spec = _RELATIONS.get(e["schema"])
        if spec is None:
            continue
        start_prop, target_prop, word = spec
        props: dict[str, list[str]] = e.get("properties", {})
        start = _first(props, start_prop)
        holder = holders.get(start) if start else None
        if holder is None:
            unattached[e["schema"]] += 1
            continue
        # The source's own word for the relation travels after the FtM schema's.
        own = _first(props, "relationship") or _first(props, "role")
        plain = e["schema"] == "UnknownLink"
        relation = (own or word) if plain else (f"{word}: {own}" if own else word)
        targets: list[str | None] = [*props.get(target_prop, [])] or [None]
        for target in targets:
            found = by_id.get(target) if target else None
            target_names = (found or {}).get("properties", {}).get("name", [])
            name = target_names[0] if target_names else _first(props, "description") or ""
            link = Link(
                relation=relation,
                target_name=name,
                target_id=f"{holder.source}:{target}" if target else None,
                percentage=_first(props, "percentage"),
            )
            if link not in holder.links:
                holder.links.append(link)
    return unattached


def _ftm_record(
    e: dict[str, Any],
    src: str,
    by_id: dict[str, dict[str, Any]],
    documents: list[dict[str, Any]],
    sanctions: list[dict[str, Any]],
    used: set[str],
) -> Record:
    props: dict[str, list[str]] = e.get("properties", {})
    names: list[Name] = []
    parts: dict[str, str | None] = {p: _first(props, p) for p in _PART_PROPS}
    single_part = all(len(props.get(p, [])) <= 1 for p in _PART_PROPS)
    for kind in NAME_KINDS:
        for value in props.get(kind, []):
            if kind == "name" and not names and single_part and any(parts.values()):
                name = make_name(
                    value,
                    kind=kind,
                    first=parts["firstName"],
                    father=parts["fatherName"],
                    middle=" ".join(p for p in (parts["middleName"], parts["secondName"]) if p) or None,
                    last=parts["lastName"],
                )
            else:
                name = _plain_name(value, kind)
            if name:
                names.append(name)
    if not names and any(parts.values()):
        name = make_name(
            None,
            first=parts["firstName"],
            father=parts["fatherName"],
            middle=parts["middleName"],
            last=parts["lastName"],
        )
        if name:
            names.append(name)

    birth_dates: list[FuzzyDate] = []
    for value in props.get("birthDate", []):
        date = parse_date(value)
        if date is not None and date not in birth_dates:
            birth_dates.append(date)

    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    other: dict[str, list[str]] = {}
    for key, values in props.items():
        if key in NAME_KINDS or key in _PART_PROPS or key == "birthDate" or key in _FOLDED_PROPS:
            continue
        for value in values:
            if key in _SCHEMES:
                ident = Identifier(scheme=key, value=value)
                if ident not in identifiers:
                    identifiers.append(ident)
            elif key == "address":
                addr = Address(full=value)
                if addr not in addresses:
                    addresses.append(addr)
            else:
                add_prop(other, key, value)
    for ref in props.get("addressEntity", []):
        target = by_id.get(ref)
        if target is None or target["schema"] != "Address":
            add_prop(other, "addressEntity", ref)
            continue
        used.add(ref)
        folded = _ftm_address(target)
        if folded is not None and folded not in addresses:
            addresses.append(folded)
    for doc in documents:
        used.add(doc["id"])
        document = _ftm_document(doc)
        if document is not None and document not in identifiers:
            identifiers.append(document)

    fallback = source_authority(src) if known_source(src) else None
    designations: list[Designation] = []
    for sanction in sanctions:
        used.add(sanction["id"])
        designation = _ftm_designation(sanction, fallback)
        if designation not in designations:
            designations.append(designation)
    return Record(
        source=src,
        id=e["id"],
        schema=e["schema"],
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        addresses=addresses,
        designations=designations,
        properties=other,
    )


def _first(props: dict[str, list[str]], key: str) -> str | None:
    values = props.get(key) or []
    return clean(values[0]) if values else None


def _ftm_address(e: dict[str, Any]) -> Address | None:
    p: dict[str, list[str]] = e.get("properties", {})
    street, city = _first(p, "street"), _first(p, "city")
    postal, region, country = _first(p, "postalCode"), _first(p, "region"), _first(p, "country")
    full = _first(p, "full") or ", ".join(x for x in (street, city, postal, region) if x)
    if not full:
        return None
    return Address(full=full, street=street, city=city, postal_code=postal, region=region, country=country)


def _ftm_document(e: dict[str, Any]) -> Identifier | None:
    p: dict[str, list[str]] = e.get("properties", {})
    number = _first(p, "number") or _first(p, "passportNumber")
    if number is None:
        return None
    kind = _first(p, "type")
    passport = e["schema"] == "Passport" or bool(kind and "passport" in kind.lower())
    details = [kind, _first(p, "authority"), _first(p, "summary")]
    if start := _first(p, "startDate"):
        details.append(f"issued {start}")
    if end := _first(p, "endDate"):
        details.append(f"valid to {end}")
    return Identifier(
        scheme="passportNumber" if passport else "idNumber",
        value=number,
        country=_first(p, "country"),
        note="; ".join(d for d in details if d) or None,
    )


def _ftm_designation(e: dict[str, Any], fallback: tuple[str, str] | None) -> Designation:
    p: dict[str, list[str]] = e.get("properties", {})
    jurisdiction = _first(p, "country") or (fallback[0] if fallback else "")
    authority = _first(p, "authority") or (fallback[1] if fallback else "")
    programs = p.get("programId") or p.get("program") or []
    listing = parse_date(_first(p, "listingDate") or _first(p, "startDate"))
    end = parse_date(_first(p, "endDate"))
    reasons = [r for r in (clean(x) for x in p.get("reason", [])) if r]
    return Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(dict.fromkeys(programs)),
        listing_date=listing.value if listing else None,
        end_date=end.value if end else None,
        authority_id=_first(p, "authorityId"),
        unsc_id=_first(p, "unscId"),
        measures=tuple(dict.fromkeys(p.get("provisions", []))),
        reason="\n\n".join(reasons) or None,
    )


# ---------------------------------------------------------------- targets.simple.csv

SIMPLE_COLUMNS = (
    "id", "schema", "name", "aliases", "birth_date", "countries", "addresses", "identifiers",
    "sanctions", "phones", "emails", "program_ids", "dataset", "first_seen", "last_seen", "last_change",
)  # fmt: skip
_SIMPLE_REQUIRED = ("id", "schema", "name")
_IMO_ID = re.compile(r"^IMO\d{7}$")
_CALL_SIGN = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{3,7}$")


def parse_targets_simple(path: Path, source: str | None = None) -> ListVersion:
    """Read an OpenSanctions targets.simple.csv into a ListVersion."""
    text = decode_text(read_bytes(path), path)
    warnings: list[str] = []
    records: list[Record] = []
    seen: set[str] = set()
    skipped: Counter[str] = Counter()
    placeholders: list[str] = []
    list_source: str | None = None
    for row_no, cells in headed_csv(path, text, _SIMPLE_REQUIRED, SIMPLE_COLUMNS, warnings):
        if list_source is None:
            list_source = source or _dataset_source(cells.get("dataset"))
        try:
            rec = _simple_record(cells, list_source, warnings)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, f"row {row_no}", f"cannot read row: {exc}") from exc
        if rec is None:
            skipped[clean(cells.get("schema")) or "(none)"] += 1
            continue
        if rec.id in seen:
            raise SourceError(path, f"row {row_no}, column 'id'", f"duplicate id {rec.id}")
        seen.add(rec.id)
        records.append(rec)
        if clean(cells.get("name")) == rec.schema:
            placeholders.append(rec.id)
    if placeholders:
        warnings.append(
            f"{len(placeholders)} rows named only by their schema (a placeholder, left out as a name): "
            + ", ".join(placeholders[:5])
            + (" …" if len(placeholders) > 5 else "")
        )
    for schema, count in sorted(skipped.items()):
        warnings.append(f"skipped {count} rows of schema {schema} (not a reckon schema)")
    return ListVersion(
        source=list_source or source or SIMPLE_DEFAULT_SOURCE,
        format=SIMPLE_FORMAT,
        records=records,
        published=None,
        warnings=warnings,
    )


def _dataset_source(value: str | None) -> str:
    """The dataset column holds a title ("Ukraine War and Sanctions") in OpenSanctions'
    exports; only a registered source name is taken from it."""
    name = clean(value)
    if name and known_source(name):
        return name
    return SIMPLE_DEFAULT_SOURCE


def _cell_values(value: str | None) -> list[str]:
    if not value:
        return []
    # A quoted cell may span lines; the inner reader wants one (clean() makes them spaces anyway).
    row = next(csv.reader([value.replace("\r", " ").replace("\n", " ")], delimiter=";"), [])
    out: list[str] = []
    for v in row:
        c = clean(v)
        if c and c not in out:
            out.append(c)
    return out


def _simple_record(cells: dict[str, str], src: str, warnings: list[str]) -> Record | None:
    rid = clean(cells.get("id"))
    schema = clean(cells.get("schema"))
    if rid is None:
        raise ValueError("empty id")
    if schema not in SCHEMATA:
        return None
    person = schema == "Person"
    names: list[Name] = []
    primary = clean(cells.get("name"))
    if primary == schema:
        # OpenSanctions writes the schema's label where its source gives no name (ua_war_sanctions
        # has five companies named "Company"): a placeholder that would match every company.
        primary = None
    if primary:
        name = _person_name(primary, "name") if person else _plain_name(primary, "name")
        if name:
            names.append(name)
    for alias in _cell_values(cells.get("aliases")):
        name = _person_name(alias, "alias") if person else _plain_name(alias, "alias")
        if name:
            names.append(name)
    if person:
        names = _pair_cyrillic(names)

    props: dict[str, list[str]] = {}
    birth_dates: list[FuzzyDate] = []
    for value in _cell_values(cells.get("birth_date")):
        date = parse_date(value)
        if date is None:
            add_prop(props, "notes", f"Date of birth: {value}")
        elif date not in birth_dates:
            birth_dates.append(date)
    for code in _cell_values(cells.get("countries")):
        add_prop(props, "country", code.lower())
    for phone in _cell_values(cells.get("phones")):
        add_prop(props, "phone", phone)
    for email in _cell_values(cells.get("emails")):
        add_prop(props, "email", email)
    addresses: list[Address] = []
    for full in _cell_values(cells.get("addresses")):
        addr = Address(full=full)
        if addr not in addresses:
            addresses.append(addr)
    identifiers: list[Identifier] = []
    countries = props.get("country", [])
    russian = not countries or "ru" in countries
    for value in _cell_values(cells.get("identifiers")):
        ident = _infer_identifier(value, schema, russian)
        if ident not in identifiers:
            identifiers.append(ident)

    reasons = _cell_values(cells.get("sanctions"))
    programs = tuple(_cell_values(cells.get("program_ids")))
    designations: list[Designation] = []
    jurisdiction, authority = source_authority(src, SIMPLE_DEFAULT_SOURCE)
    # Being on the portal is the listing, with or without a programme or a reason.
    designations.append(
        Designation(
            jurisdiction=jurisdiction,
            authority=authority,
            programs=programs,
            reason="\n\n".join(reasons) or None,
        )
    )
    # first_seen/last_seen/last_change are OpenSanctions' crawl timestamps, not dates the
    # portal states, so they are not kept.
    return Record(
        source=src,
        id=rid,
        schema=schema,
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        addresses=addresses,
        designations=designations,
        properties=props,
    )


def _infer_identifier(value: str, schema: str, russian: bool) -> Identifier:
    """An identifier's scheme from its shape; the export drops the property name.

    - IMO + 7 digits: an IMO ship number (vessels) or IMO company number (ship owners
      and managers), both FtM imoNumber.
    - Vessels: 9 digits is an MMSI; 3-7 capital letters/digits a call sign.
    - Companies that are Russian (or name no country): 10 digits is an INN, 12 the INN
      of an individual entrepreneur, 13 an OGRN, 15 an OGRNIP.
    - People: 12 digits is a Russian personal INN; 10 digits could be a Ukrainian RNOKPP
      or a Russian company INN, so it stays a generic taxNumber.
    - Anything else is registrationNumber (organisations) or idNumber (people,
      vessels), noted as unlabelled.
    """
    digits = value.isdigit()
    n = len(value)
    if _IMO_ID.match(value):
        return Identifier("imoNumber", value)
    if schema == "Vessel":
        if digits and n == 9:
            return Identifier("mmsi", value)
        if _CALL_SIGN.match(value):
            return Identifier("callSign", value)
        return Identifier("idNumber", value, note="unlabelled in source")
    if schema == "Person":
        if digits and n == 12:
            return Identifier("innCode", value, country="ru")
        if digits and n == 10:
            return Identifier("taxNumber", value, note="10 digits: Ukrainian RNOKPP or Russian INN")
        return Identifier("idNumber", value, note="unlabelled in source")
    if not russian:
        return Identifier("registrationNumber", value, note="unlabelled in source")
    if digits and n == 10:
        return Identifier("innCode", value, country="ru")
    if digits and n == 12:
        return Identifier("innCode", value, country="ru", note="12-digit INN of an individual entrepreneur")
    if digits and n in (13, 15):
        return Identifier("ogrnCode", value, country="ru")
    return Identifier("registrationNumber", value, note="unlabelled in source")
