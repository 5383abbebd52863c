"""UK FCDO "UK Sanctions List": the full-detail XML and the per-designation ODS summary.

Record.id is the FCDO Unique ID (e.g. RUS0270). The OFSI Group ID each designation
carries becomes a `same_as` Link to the gb_hmt_sanctions record of the same target.
`DesignationSource` (UK / UN / UK|UN) has no Designation field of its own and is
kept as a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from lxml import etree

from reckon.model import (
    NAME_KINDS,
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
    add_clean_prop,
    add_unique,
    clean,
    entity_schema,
    extend_unique,
    make_name,
    parse_xml,
    read_bytes,
    source_authority,
)
from reckon.sources.spreadsheet import CellValue, header_map, read_ods
from reckon.sources.textfields import (
    countries,
    country,
    dates,
    is_patronymic,
    language,
    lead_country,
    one_date,
    registration_ids,
    surname_first,
)

ODS_COLUMNS = (
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
)
_SCHEMA = {"individual": "Person", "ship": "Vessel"}


def _ods_text(value: CellValue) -> str | None:
    if value is None or isinstance(value, str):
        return clean(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return clean(str(value))


def parse_fcdo_ods(path: Path, source: str | None = None) -> ListVersion:
    """The FCDO summary spreadsheet: one row per designation, primary name only."""
    path = Path(path)
    source = source or "gb_fcdo_sanctions"
    raw = read_bytes(path)
    _, rows = read_ods(path, raw)
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(v is not None for v in r)]
    if not numbered:
        raise SourceError(path, None, "the spreadsheet has no rows")
    header_no, header = numbered[0]
    cols = header_map(path, header, ODS_COLUMNS, f"row {header_no}")
    jurisdiction, authority = source_authority(source, "gb_fcdo_sanctions")
    records: dict[str, Record] = {}
    warnings: list[str] = []
    for row_no, row in numbered[1:]:
        c = {name: (_ods_text(row[cols[name]]) if cols[name] < len(row) else None) for name in ODS_COLUMNS}
        uid = c["Unique ID"]
        if not uid:
            raise SourceError(path, f"row {row_no}, column 'Unique ID'", "empty Unique ID")
        try:
            record = records.get(uid)
            kind = (c["Type"] or "").lower()
            if record is None:
                record = Record(source=source, id=uid, schema=_SCHEMA.get(kind, "Organization"))
                records[uid] = record
            elif record.schema != _SCHEMA.get(kind, "Organization"):
                warnings.append(f"{uid}: rows disagree on Type")
            full = c["Name"]
            if full:
                name = surname_first(full) if kind == "individual" else make_name(full)
                add_unique(record.names, name)
            if kind not in ("individual", "ship", "entity"):
                add_unique(warnings, f"{uid}: unknown Type {c['Type']!r}, read as an entity")
            if c["OFSI Group ID"]:
                add_unique(
                    record.links,
                    Link(
                        relation="same_as", target_name="", target_id=f"gb_hmt_sanctions:{c['OFSI Group ID']}"
                    ),
                )
            if c["Designation source"]:
                add_clean_prop(record.properties, "notes", f"Designation source: {c['Designation source']}")
            measures = tuple(m for m in (clean(x) for x in (c["Sanctions Imposed"] or "").split(",")) if m)
            add_unique(
                record.designations,
                Designation(
                    jurisdiction=jurisdiction,
                    authority=authority,
                    programs=(c["Regime Name"],) if c["Regime Name"] else (),
                    listing_date=one_date(c["Date Designated"]),
                    authority_id=uid,
                    measures=measures,
                ),
            )
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise SourceError(path, f"row {row_no}", f"cannot read designation {uid}: {exc}") from exc
    for record in records.values():
        if record.schema == "Organization":
            record.schema = entity_schema([n.full for n in record.names])
    return ListVersion(source=source, format="fcdo-ods", records=list(records.values()), warnings=warnings)


# --------------------------------------------------------------------------------- xml

_NAME_TYPES = {"primary name": "name", "primary name variation": "alias", "alias": "alias"}
# Children of <Designation> this parser reads; anything else is reported once.
_KNOWN = {
    "LastUpdated", "DateDesignated", "UniqueID", "OFSIGroupID", "UNReferenceNumber", "Names",
    "NonLatinNames", "Titles", "RegimeName", "IndividualEntityShip", "DesignationSource",
    "SanctionsImposed", "SanctionsImposedIndicators", "OtherInformation", "UKStatementofReasons",
    "Addresses", "PhoneNumbers", "EmailAddresses", "Websites", "IndividualDetails", "EntityDetails",
    "ShipDetails",
}  # fmt: skip
_IMO = re.compile(r"(\d{7})")


def _texts(node: etree._Element | None, path: str) -> list[str]:
    if node is None:
        return []
    out: list[str] = []
    for el in node.iterfind(path):
        value = clean(el.text)
        if value and value not in out:
            out.append(value)
    return out


def _child_text(node: etree._Element, tag: str) -> str | None:
    el = node.find(tag)
    return clean(el.text) if el is not None else None


def _paragraphs(text: str | None) -> str | None:
    """Multi-line FCDO text with each line's whitespace collapsed, blank lines dropped."""
    if not text:
        return None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None


def parse_fcdo_xml(path: Path, source: str | None = None) -> ListVersion:
    """The full-detail FCDO XML (`<Designations>` root, one `<Designation>` per target)."""
    path = Path(path)
    source = source or "gb_fcdo_sanctions"
    root = parse_xml(read_bytes(path), path)
    if root.tag != "Designations":
        raise SourceError(
            path, f"line {root.sourceline}", f"expected a <Designations> root, found <{root.tag}>"
        )
    published = one_date(_child_text(root, "DateGenerated"))
    jurisdiction, authority = source_authority(source, "gb_fcdo_sanctions")
    records: dict[str, Record] = {}
    warnings: list[str] = []
    unmapped: set[str] = set()
    for node in root.iterfind("Designation"):
        uid = _child_text(node, "UniqueID")
        if not uid:
            raise SourceError(path, f"line {node.sourceline}", "<Designation> without a UniqueID")
        try:
            record = _xml_record(node, source, uid, jurisdiction, authority, warnings, unmapped)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise SourceError(
                path, f"line {node.sourceline}", f"cannot read designation {uid}: {exc}"
            ) from exc
        if uid in records:
            _merge(records[uid], record)
            add_unique(warnings, f"{uid}: listed more than once, merged")
        else:
            records[uid] = record
    warnings.extend(f"unmapped country {v!r}" for v in sorted(unmapped))
    return ListVersion(
        source=source,
        format="fcdo-xml",
        records=list(records.values()),
        published=published,
        warnings=warnings,
    )


def _merge(into: Record, other: Record) -> None:
    for attr in ("names", "birth_dates", "identifiers", "addresses", "designations", "links"):
        extend_unique(getattr(into, attr), getattr(other, attr))
    for key, vals in other.properties.items():
        for v in vals:
            add_clean_prop(into.properties, key, v)


def _xml_names(node: etree._Element, regime: str | None, warnings: list[str], uid: str) -> list[Name]:
    names: list[Name] = []
    russian = bool(regime) and any(w in (regime or "") for w in ("Russia", "Belarus"))
    for el in node.iterfind("Names/Name"):
        parts = [_child_text(el, f"Name{i}") for i in range(1, 7)]
        given, last = parts[:5], parts[5]
        if not any(parts):
            continue  # FCDO writes Names that hold only a NameType
        name_type = (_child_text(el, "NameType") or "").lower()
        kind = _NAME_TYPES.get(name_type)
        if kind is None:
            add_unique(warnings, f"{uid}: unknown NameType {name_type!r}, read as alias")
            kind = "alias"
        if kind == "alias" and "low" in (_child_text(el, "AliasStrength") or "").lower():
            kind = "weakAlias"
        father = given[1] if russian and is_patronymic(given[1]) else None
        middles = [p for p in (given[2:] if father else given[1:]) if p]
        full = " ".join(p for p in (*given, last) if p)
        add_unique(
            names,
            make_name(
                full,
                kind=kind,
                first=given[0],
                father=father,
                middle=" ".join(middles) or None,
                last=last if any(given) else None,
            ),
        )
    for el in node.iterfind("NonLatinNames/NonLatinName"):
        lang = language(_child_text(el, "NonLatinScriptLanguage"))
        add_unique(names, make_name(_child_text(el, "NameNonLatinScript"), kind="alias", lang=lang))
    names.sort(key=lambda n: NAME_KINDS.index(n.kind))
    return names


def _id_pairs(
    node: etree._Element, path: str, number_tag: str, info_tag: str, scheme: str
) -> Iterable[Identifier]:
    for el in node.iterfind(path):
        number = _child_text(el, number_tag)
        info = _child_text(el, info_tag)
        if number:
            yield Identifier(scheme=scheme, value=number, country=lead_country(info), note=info)


def _xml_record(
    node: etree._Element,
    source: str,
    uid: str,
    jurisdiction: str,
    authority: str,
    warnings: list[str],
    unmapped: set[str],
) -> Record:
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _KNOWN:
            add_unique(warnings, f"unknown element <{child.tag}> ignored")
    regime = _child_text(node, "RegimeName")
    kind = (_child_text(node, "IndividualEntityShip") or "").lower()
    names = _xml_names(node, regime, warnings, uid)
    props: dict[str, list[str]] = {}
    identifiers: list[Identifier] = []
    links: list[Link] = []
    births: list[FuzzyDate] = []
    addresses: list[Address] = []

    gid = _child_text(node, "OFSIGroupID")
    if gid:
        links.append(Link(relation="same_as", target_name="", target_id=f"gb_hmt_sanctions:{gid}"))
    for title in _texts(node, "Titles/Title"):
        add_clean_prop(props, "title", title)
    for phone in _texts(node, "PhoneNumbers/PhoneNumber"):
        add_clean_prop(props, "phone", phone)
    for email in _texts(node, "EmailAddresses/EmailAddress"):
        add_clean_prop(props, "email", email)
    for site in _texts(node, "Websites/Website"):
        add_clean_prop(props, "website", site)
    add_clean_prop(props, "notes", _paragraphs(_child_text_raw(node, "OtherInformation")))
    source_note = _child_text(node, "DesignationSource")
    if source_note:
        add_clean_prop(props, "notes", f"Designation source: {source_note}")
    modified = one_date(_child_text(node, "LastUpdated"))
    if modified:
        props["modifiedAt"] = [modified]

    for el in node.iterfind("Addresses/Address"):
        lines = [_child_text(el, f"AddressLine{i}") for i in range(1, 7)]
        postcode = _child_text(el, "AddressPostalCode")
        land = _child_text(el, "AddressCountry")
        code = country(land)
        if land and not code:
            unmapped.add(land)
        full = ", ".join(p for p in (*lines, postcode, land) if p)
        if full:
            add_unique(addresses, Address(full=full, postal_code=postcode, country=code))

    person = node.find("IndividualDetails/Individual")
    if person is not None:
        for dob in _texts(person, "DOBs/DOB"):
            for d in dates(dob):
                add_unique(births, d)
        for nat in _texts(person, "Nationalities/Nationality"):
            for code in countries(nat, unmapped):
                add_clean_prop(props, "nationality", code)
        for ident in _id_pairs(
            person,
            "PassportDetails/Passport",
            "PassportNumber",
            "PassportAdditionalInformation",
            "passportNumber",
        ):
            add_unique(identifiers, ident)
        for ident in _id_pairs(
            person, "NationalIdentifierDetails/NationalIdentifier", "NationalIdentifierNumber",
            "NationalIdentifierAdditionalInformation", "idNumber",
        ):  # fmt: skip
            add_unique(identifiers, ident)
        for position in _texts(person, "Positions/Position"):
            add_clean_prop(props, "position", position)
        for gender in _texts(person, "Genders/Gender"):
            add_clean_prop(props, "gender", gender.lower())
        for loc in person.iterfind("BirthDetails/Location"):
            town, land = _child_text(loc, "TownOfBirth"), _child_text(loc, "CountryOfBirth")
            add_clean_prop(props, "birthPlace", ", ".join(p for p in (town, land) if p))
            for code in countries(land, unmapped):
                add_clean_prop(props, "birthCountry", code)

    entity = node.find("EntityDetails/Entity")
    if entity is not None:
        for form in _texts(entity, "TypeOfEntities/TypeOfEntity"):
            add_clean_prop(props, "legalForm", form)
        for sub in _texts(entity, "Subsidiaries/Subsidiary"):
            add_unique(links, Link(relation="subsidiary", target_name=sub))
        for parent in _texts(entity, "ParentCompanies/ParentCompany"):
            add_unique(links, Link(relation="parent", target_name=parent))
        russian = "Russia" in (regime or "") or "Belarus" in (regime or "")
        for brn in entity.iterfind("BusinessRegistrationNumbers/BusinessRegistrationNumber"):
            for ident in registration_ids(brn.text, russian):
                add_unique(identifiers, ident)

    ship = node.find("ShipDetails/Ship")
    if ship is not None:
        for imo in _texts(ship, "IMONumbers/IMONumber"):
            m = _IMO.search(imo)
            add_unique(identifiers, Identifier(scheme="imoNumber", value=m[1] if m else imo))
        for owner in _texts(ship, "CurrentOwnerOperators/CurrentOwnerOperator"):
            add_unique(links, Link(relation="owner", target_name=owner))
        for flag in _texts(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"):
            for code in countries(flag, unmapped):
                add_clean_prop(props, "flag", code)
        for flag in _texts(ship, "PreviousFlags/PreviousFlag"):
            for code in countries(flag, unmapped):
                add_clean_prop(props, "pastFlags", code)
        for kind_of in _texts(ship, "TypeOfShipDetails/TypeOfShip"):
            add_clean_prop(props, "type", kind_of)
        for tonnage in _texts(ship, "TonnageOfShipDetails/TonnageOfShip"):
            add_clean_prop(props, "tonnage", tonnage)
        for length in _texts(ship, "LengthOfShipDetails/LengthOfShip"):
            add_clean_prop(props, "notes", f"Length of ship: {length}")
        for year in _texts(ship, "YearsBuilt/YearBuilt"):
            add_clean_prop(props, "buildDate", year)

    measures = tuple(
        m for m in (clean(x) for x in (_child_text(node, "SanctionsImposed") or "").split("|")) if m
    )
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=(regime,) if regime else (),
        listing_date=one_date(_child_text(node, "DateDesignated")),
        legal_basis=regime,
        authority_id=uid,
        unsc_id=_child_text(node, "UNReferenceNumber"),
        measures=measures,
        reason=_paragraphs(_child_text_raw(node, "UKStatementofReasons")),
    )
    if kind == "individual":
        schema = "Person"
    elif kind == "ship":
        schema = "Vessel"
    else:
        if kind != "entity":
            add_unique(warnings, f"{uid}: unknown IndividualEntityShip {kind!r}, read as an entity")
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    return Record(
        source=source,
        id=uid,
        schema=schema,
        names=names,
        birth_dates=births,
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        links=links,
        properties=props,
    )


def _child_text_raw(node: etree._Element, tag: str) -> str | None:
    el = node.find(tag)
    return el.text if el is not None else None
