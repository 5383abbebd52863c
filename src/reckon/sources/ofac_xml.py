"""OFAC's two XML formats: classic (`sdnList`) and Enhanced (`sanctionsData`).

Split from `ofac.py` (legacy CSV and the helpers both share) to keep modules small.
Record.id is OFAC's uid, the same number as the CSV's ent_num.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

from lxml import etree

from reckon.model import Address, Designation, FuzzyDate, Identifier, Link, ListVersion, Name, Record
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    entity_schema,
    local,
    make_name,
    parse_date,
    parse_xml,
    paused_gc,
    read_bytes,
    read_zip_member,
    source_authority,
    unique,
)
from reckon.sources.completeness import Incomplete
from reckon.sources.ofac import (
    _SCHEMA_BY_TYPE,
    FMT_CLASSIC,
    FMT_ENHANCED,
    _country,
    default_source,
)
from reckon.sources.ofac_remarks import (
    RemarksFacts,
    apply_labelled,
    entity_name,
    fast_name,
    parse_remarks,
    person_name,
)

# ======================================================================= classic XML


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return clean(el.text)


def _children(el: etree._Element) -> dict[str, etree._Element]:
    """Child elements by local name (first of each)."""
    out: dict[str, etree._Element] = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(local(child.tag), child)
    return out


def _items(el: etree._Element | None) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str)]


def _xml_root(path: Path, raw: bytes, expect: str) -> etree._Element:
    if not raw.strip():
        raise SourceError(path, "line 1", "file is empty")
    root = parse_xml(raw, path)
    if local(root.tag) != expect:
        raise SourceError(path, "line 1", f"root element is <{local(root.tag)}>, expected <{expect}>")
    return root


def _us_date(text: str | None) -> str | None:
    """OFAC's classic Publish_Date is mm/dd/yyyy."""
    if not text:
        return None
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text.strip())
    if m is None:
        return None
    return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}"


def _classic_name(first: str | None, last: str | None, kind: str, is_person: bool) -> Name | None:
    """Classic XML splits first/last; OFAC's full form is `LAST, First` as in the CSV."""
    if is_person and first and last:
        return person_name(f"{last}, {first}", kind)
    if is_person and first:
        return fast_name(first, kind, first=first)
    if last is None:
        return None
    if is_person:
        # Weak a.k.a.s arrive whole in lastName: `AL-ZAHAR, Mahmoud`.
        return person_name(last, kind)
    return entity_name(last, kind)


def parse_classic_xml(path: Path, source: str | None = None) -> ListVersion:
    """OFAC's classic `sdnList` XML (sdn.xml, consolidated.xml)."""
    with paused_gc():
        return _parse_classic_xml(Path(path), source)


def _parse_classic_xml(path: Path, source: str | None) -> ListVersion:
    source = source or default_source(path)
    root = _xml_root(path, read_bytes(path), "sdnList")
    published: str | None = None
    warnings: list[str] = []
    unmapped: dict[str, None] = {}
    records: list[Record] = []
    seen: set[str] = set()
    jurisdiction, authority = source_authority(source)
    declared: str | None = None
    declared_at = ""
    index = 0
    for entry in root:
        if not isinstance(entry.tag, str):
            continue
        tag = local(entry.tag)
        if tag == "publshInformation":
            info = _children(entry)
            published = _us_date(_text(info.get("Publish_Date")))
            declared = _text(info.get("Record_Count"))
            count = info.get("Record_Count")
            declared_at = f"line {(count if count is not None else entry).sourceline or 0}, Record_Count"
            continue
        if tag != "sdnEntry":
            continue
        index += 1
        try:
            record, facts = _classic_entry(entry, source, jurisdiction, authority)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            line = entry.sourceline or 0
            raise SourceError(path, f"line {line}, sdnEntry {index}", str(exc)) from exc
        if record.id in seen:
            warnings.append(f"uid {record.id} appears twice; later entry ignored")
            continue
        seen.add(record.id)
        for value in facts.unmapped_countries:
            unmapped[value] = None
        records.append(record)
    if declared is not None and declared != str(index):
        # A copy cut between entries and closed again parses cleanly; only the count tells.
        warnings.append(
            Incomplete(
                path,
                declared_at,
                f"Record_Count says {declared} but the file holds {index} sdnEntry elements",
            )
        )
    for value in unmapped:
        warnings.append(f"country not recognised: {value!r}")
    return ListVersion(
        source=source, format=FMT_CLASSIC, records=records, published=published, warnings=warnings
    )


def _classic_entry(
    entry: etree._Element, source: str, jurisdiction: str, authority: str
) -> tuple[Record, RemarksFacts]:
    el = _children(entry)
    uid = _text(el.get("uid"))
    if uid is None:
        raise ValueError("sdnEntry without uid")
    sdn_type = (_text(el.get("sdnType")) or "").lower()
    if sdn_type not in _SCHEMA_BY_TYPE:
        raise ValueError(f"uid {uid}: unknown sdnType {sdn_type!r}")
    schema = _SCHEMA_BY_TYPE[sdn_type]
    is_person = schema == "Person"
    title = _text(el.get("title"))
    titles = tuple(t for t in (clean(x) for x in (title or "").split(";")) if t)
    facts = parse_remarks(_text(el.get("remarks")), titles=titles, person=is_person)

    names: list[Name] = []
    primary = _classic_name(_text(el.get("firstName")), _text(el.get("lastName")), "name", is_person)
    if primary is None:
        raise ValueError(f"uid {uid}: no name")
    names.append(primary)
    for aka in _items(el.get("akaList")):
        a = _children(aka)
        atype = (_text(a.get("type")) or "a.k.a.").lower()
        weak = (_text(a.get("category")) or "").lower() == "weak"
        kind = "previousName" if atype == "f.k.a." else ("weakAlias" if weak else "alias")
        name = _classic_name(_text(a.get("firstName")), _text(a.get("lastName")), kind, is_person)
        if name is not None:
            names.append(name)
    names.extend(facts.names)

    for item in _items(el.get("idList")):
        i = _children(item)
        id_type = _text(i.get("idType")) or "Identification Number"
        extra = "; ".join(
            f"{label} {value}"
            for label, value in (
                ("issued", _text(i.get("issueDate"))),
                ("expires", _text(i.get("expirationDate"))),
            )
            if value
        )
        apply_labelled(
            facts,
            id_type,
            _text(i.get("idNumber")),
            _country(_text(i.get("idCountry")), facts.unmapped_countries),
            extra=extra or None,
            person=is_person,
        )
    for item in _items(el.get("nationalityList")):
        apply_labelled(facts, "nationality", _text(_children(item).get("country")))
    for item in _items(el.get("citizenshipList")):
        apply_labelled(facts, "citizen", _text(_children(item).get("country")))
    for item in _items(el.get("dateOfBirthList")):
        apply_labelled(facts, "DOB", _text(_children(item).get("dateOfBirth")))
    for item in _items(el.get("placeOfBirthList")):
        apply_labelled(facts, "POB", _text(_children(item).get("placeOfBirth")))

    addresses: list[Address] = []
    for item in _items(el.get("addressList")):
        address = _classic_address(_children(item), facts)
        if address is not None and address not in addresses:
            addresses.append(address)

    identifiers = list(facts.identifiers)
    links = list(facts.links)
    vessel = el.get("vesselInfo")
    if vessel is not None:
        v = _children(vessel)
        call_sign = _text(v.get("callSign"))
        if call_sign:
            identifiers.insert(0, Identifier("callSign", call_sign))
        facts.add("type", _text(v.get("vesselType")))
        facts.add("tonnage", _text(v.get("tonnage")))
        facts.add("grossRegisteredTonnage", _text(v.get("grossRegisteredTonnage")))
        apply_labelled(facts, "Vessel Flag", _text(v.get("vesselFlag")))
        owner = _text(v.get("vesselOwner"))
        if owner:
            links.insert(0, Link("owner", owner))

    props: dict[str, list[str]] = {}
    for t in titles:
        add_prop(props, "position", t)
    for key, values in facts.properties.items():
        for value in values:
            add_prop(props, key, value)
    for note in facts.notes:
        add_prop(props, "notes", note)
    names = unique(names)
    if schema is None:
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    programs = unique([p for p in (_text(x) for x in _items(el.get("programList"))) if p])
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(programs),
        authority_id=uid,
        measures=tuple(facts.measures),
    )
    record = Record(
        source=source,
        id=uid,
        schema=schema,
        names=names,
        birth_dates=list(facts.birth_dates),
        identifiers=unique(identifiers),
        addresses=addresses,
        designations=[designation],
        links=unique(links),
        properties=props,
    )
    return record, facts


def _classic_address(a: dict[str, etree._Element], facts: RemarksFacts) -> Address | None:
    street = (
        ", ".join(p for p in (_text(a.get(k)) for k in ("address1", "address2", "address3")) if p) or None
    )
    city = _text(a.get("city"))
    region = _text(a.get("stateOrProvince"))
    postal = _text(a.get("postalCode"))
    country = _text(a.get("country"))
    full = ", ".join(p for p in (street, city, region, postal, country) if p)
    if not full:
        return None
    code = _country(country, facts.unmapped_countries)
    return Address(full=full, street=street, city=city, postal_code=postal, region=region, country=code)


# ====================================================================== enhanced XML

_ENHANCED_MEMBERS = ("SDN_ENHANCED.XML", "CONS_ENHANCED.XML")
_ENH_KIND = {"individual": "Person", "entity": None, "vessel": "Vessel", "aircraft": "Airplane"}
_ALIAS_TYPES = {"a.k.a.": "alias", "f.k.a.": "previousName", "n.k.a.": "alias"}


def _enhanced_bytes(path: Path) -> bytes:
    raw = read_bytes(path)
    if raw[:4] == b"PK\x03\x04" or raw[:4] == b"PK\x05\x06" or path.suffix.lower() == ".zip":
        _member, raw = read_zip_member(path, raw, _ENHANCED_MEMBERS)
    return raw


def parse_enhanced_xml(path: Path, source: str | None = None) -> ListVersion:
    """OFAC's Enhanced XML (`sanctionsData`), zipped (SDN_/CONS_ENHANCED.ZIP) or bare."""
    with paused_gc():
        return _parse_enhanced_xml(Path(path), source)


def _parse_enhanced_xml(path: Path, source: str | None) -> ListVersion:
    source = source or default_source(path)
    root = _xml_root(path, _enhanced_bytes(path), "sanctionsData")
    top = _children(root)
    published = None
    info = top.get("publicationInfo")
    if info is not None:
        as_of = parse_date((_text(_children(info).get("dataAsOf")) or "")[:10])
        published = as_of.value if as_of is not None else None
    if top.get("entities") is None:
        raise SourceError(path, f"line {root.sourceline or 1}", "no <entities> element")
    jurisdiction, authority = source_authority(source)
    records: list[Record] = []
    warnings: list[str] = []
    unmapped: dict[str, None] = {}
    seen: set[str] = set()
    for index, entity in enumerate(_items(top.get("entities")), start=1):
        try:
            record, facts = _enhanced_entity(entity, source, jurisdiction, authority)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, f"line {entity.sourceline or 0}, entity {index}", str(exc)) from exc
        if record.id in seen:
            warnings.append(f"entity id {record.id} appears twice; later entity ignored")
            continue
        seen.add(record.id)
        for value in facts.unmapped_countries:
            unmapped[value] = None
        records.append(record)
    for value in unmapped:
        warnings.append(f"country not recognised: {value!r}")
    return ListVersion(
        source=source, format=FMT_ENHANCED, records=records, published=published, warnings=warnings
    )


def _enhanced_entity(
    entity: etree._Element, source: str, jurisdiction: str, authority: str
) -> tuple[Record, RemarksFacts]:
    uid = clean(entity.get("id"))
    if uid is None:
        raise ValueError("entity without id attribute")
    el = _children(entity)
    general = _children(el["generalInfo"]) if "generalInfo" in el else {}
    etype = (_text(general.get("entityType")) or "").lower()
    if etype not in _ENH_KIND:
        raise ValueError(f"entity {uid}: unknown entityType {etype!r}")
    schema = _ENH_KIND[etype]
    is_person = schema == "Person"
    facts = parse_remarks(_text(general.get("remarks")), person=is_person)

    names: list[Name] = []
    for name_el in _items(el.get("names")):
        names.extend(_enhanced_names(name_el, is_person))
    if not names:
        raise ValueError(f"entity {uid}: no name")
    names.extend(facts.names)

    for feature in _items(el.get("features")):
        _enhanced_feature(feature, facts, is_person)
    for doc in _items(el.get("identityDocuments")):
        _enhanced_document(doc, facts)

    addresses: list[Address] = []
    for address_el in _items(el.get("addresses")):
        for address in _enhanced_addresses(address_el, facts):
            if address not in addresses:
                addresses.append(address)

    links = list(facts.links)
    for rel in _items(el.get("relationships")):
        r = _children(rel)
        target = r.get("relatedEntity")
        relation = _text(r.get("type")) or "related"
        target_name = _text(target)
        if target is not None and target_name:
            links.append(
                Link(relation=relation, target_name=target_name, target_id=clean(target.get("entityId")))
            )

    programs = unique([p for p in (_text(x) for x in _items(el.get("sanctionsPrograms"))) if p])
    measures = [m for m in (_text(x) for x in _items(el.get("sanctionsTypes"))) if m]
    measures.extend(facts.measures)
    legal = [m for m in (_text(x) for x in _items(el.get("legalAuthorities"))) if m]
    listing_date = _listing_date(_items(el.get("sanctionsLists")), facts)

    props: dict[str, list[str]] = {}
    for key, values in facts.properties.items():
        for value in values:
            add_prop(props, key, value)
    for note in facts.notes:
        add_prop(props, "notes", note)
    identifiers = unique(facts.identifiers)
    names = unique(names)
    if schema is None:
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(programs),
        listing_date=listing_date,
        legal_basis="; ".join(unique(legal)) or None,
        authority_id=uid,
        measures=tuple(unique(measures)),
    )
    record = Record(
        source=source,
        id=uid,
        schema=schema,
        names=names,
        birth_dates=list(facts.birth_dates),
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        links=unique(links),
        properties=props,
    )
    return record, facts


def _listing_date(lists: list[etree._Element], facts: RemarksFacts) -> str | None:
    """The earliest publication on a specific OFAC list; `Consolidated List` only aggregates."""
    dated: list[tuple[str, str]] = []
    for item in lists:
        name = _text(item) or ""
        date = clean(item.get("datePublished"))
        if date:
            dated.append((date[:10], name))
            facts.notes.append(f"OFAC list: {name} (published {date[:10]})")
    specific = [d for d, n in dated if n != "Consolidated List"] or [d for d, _n in dated]
    return min(specific) if specific else None


def _enhanced_names(name_el: etree._Element, is_person: bool) -> list[Name]:
    n = _children(name_el)
    primary = (_text(n.get("isPrimary")) or "").lower() == "true"
    low = (_text(n.get("isLowQuality")) or "").lower() == "true"
    alias_type = (_text(n.get("aliasType")) or "a.k.a.").lower()
    if primary:
        kind = "name"
    elif _ALIAS_TYPES.get(alias_type) == "previousName":
        kind = "previousName"
    else:
        kind = "weakAlias" if low else _ALIAS_TYPES.get(alias_type, "alias")
    out: list[Name] = []
    for tr in _items(n.get("translations")):
        t = _children(tr)
        full = _text(t.get("formattedFullName"))
        first = _text(t.get("formattedFirstName"))
        last = _text(t.get("formattedLastName"))
        parts: dict[str, str] = {}
        for part in _items(t.get("nameParts")):
            p = _children(part)
            ptype, pvalue = (_text(p.get("type")) or "").lower(), _text(p.get("value"))
            if pvalue:
                parts[ptype] = pvalue
        if full is None:
            full = ", ".join(x for x in (last, first) if x) or None
        if full is None:
            continue
        name: Name | None
        if is_person and "patronymic" not in parts and "middle name" not in parts and ", " in full:
            name = person_name(full, kind)
        else:
            name = make_name(
                full,
                kind=kind,
                first=first if is_person else None,
                father=parts.get("patronymic"),
                middle=parts.get("middle name"),
                last=last if is_person else None,
            )
        if name is not None and name not in out:
            out.append(name)
    return out


def _enhanced_feature(feature: etree._Element, facts: RemarksFacts, is_person: bool) -> None:
    f = _children(feature)
    label = _text(f.get("type"))
    value = _text(f.get("value"))
    if label is None:
        return
    comment = _text(f.get("comments"))
    date_el = f.get("valueDate")
    if label.lower() == "birthdate":
        date = _value_date(date_el, value) if date_el is not None else parse_date(value)
        if date is not None:
            if date not in facts.birth_dates:
                facts.birth_dates.append(date)
            return
    apply_labelled(facts, label, value, extra=comment, person=is_person)
    if comment:
        facts.notes.append(f"{label} {value}: {comment}")


def _value_date(el: etree._Element, original: str | None) -> FuzzyDate | None:
    """OFAC's valueDate: the date covers fromDateBegin … toDateEnd; its span gives the precision."""
    d = {local(c.tag): clean(c.text) for c in el if isinstance(c.tag, str)}
    begin = d.get("fromDateBegin")
    end = d.get("toDateEnd") or d.get("toDateBegin") or begin
    if not begin or not end:
        return parse_date(original)
    approximate = (d.get("isApproximate") or "").lower() == "true"
    value, until = _span(begin[:10], end[:10])
    return FuzzyDate(value=value, approximate=approximate, until=until, original=original)


def _span(begin: str, end: str) -> tuple[str, str | None]:
    """The ISO prefix(es) naming exactly the days begin … end: a day, month, year or a range."""
    if begin == end:
        return begin, None
    if begin[5:] == "01-01" and end[5:] == "12-31":
        return (begin[:4], None) if begin[:4] == end[:4] else (begin[:4], end[:4])
    try:
        last_day = calendar.monthrange(int(end[:4]), int(end[5:7]))[1]
    except (ValueError, IndexError):
        return begin, end
    if begin[8:] == "01" and end[8:] == f"{last_day:02d}":
        return (begin[:7], None) if begin[:7] == end[:7] else (begin[:7], end[:7])
    return begin, end


def _enhanced_document(doc: etree._Element, facts: RemarksFacts) -> None:
    d = _children(doc)
    label = _text(d.get("type")) or "Identification Number"
    extras = []
    for key, caption in (
        ("issuingAuthority", "issued by"),
        ("issuingLocation", "issued in"),
        ("issueDate", "issued"),
        ("expirationDate", "expires"),
    ):
        value = _text(d.get(key))
        if value:
            extras.append(f"{caption} {value}")
    if (_text(d.get("isValid")) or "true").lower() == "false":
        extras.append("not valid")
    country = _text(d.get("issuingCountry"))
    code = _country(country, facts.unmapped_countries)
    apply_labelled(facts, label, _text(d.get("documentNumber")), code, extra="; ".join(extras) or None)


_ADDRESS_PARTS = {
    "address1": "street",
    "address2": "street",
    "address3": "street",
    "city": "city",
    "state/province": "region",
    "region": "region",
    "postal code": "postal",
}


def _enhanced_addresses(address_el: etree._Element, facts: RemarksFacts) -> list[Address]:
    a = _children(address_el)
    country = _text(a.get("country"))
    code = _country(country, facts.unmapped_countries)
    out: list[Address] = []
    for tr in _items(a.get("translations")):
        parts: dict[str, list[str]] = {}
        order: list[str] = []
        for part in _items(_children(tr).get("addressParts")):
            p = _children(part)
            ptype = (_text(p.get("type")) or "").lower()
            value = _text(p.get("value"))
            if value:
                parts.setdefault(_ADDRESS_PARTS.get(ptype, "street"), []).append(value)
                order.append(value)
        full = ", ".join([*order, country] if country else order)
        if not full:
            continue
        out.append(
            Address(
                full=full,
                street=", ".join(parts["street"]) if "street" in parts else None,
                city=", ".join(parts["city"]) if "city" in parts else None,
                postal_code=", ".join(parts["postal"]) if "postal" in parts else None,
                region=", ".join(parts["region"]) if "region" in parts else None,
                country=code,
            )
        )
    if not out and country:
        out.append(Address(full=country, country=code))
    return out
