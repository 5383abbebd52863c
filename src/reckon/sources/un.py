"""UN Security Council Consolidated List, native XML (`consolidated.xml`, format `un-xml`).

The root `CONSOLIDATED_LIST dateGenerated=…` holds INDIVIDUALS/INDIVIDUAL and
ENTITIES/ENTITY. Every entry carries the UN reference number (`QDi.006`), which is the
record id and the id that every national list quoting the UN listing refers to.

Quirks handled here (all seen in the 2025-11 and 2026-02 files):
- An entity's name is in FIRST_NAME; one entity packs two names into it with " ; ".
- Name part order is not fixed (DPRK entries put the family name in FIRST_NAME), so the
  full name keeps the order as written and the parts are first = FIRST_NAME,
  last = the last part present, middle = the parts in between.
- Alias QUALITY is Good/Low for individuals and a.k.a./f.k.a. for entities; empty
  alias placeholders (`<QUALITY/><ALIAS_NAME/>`) are skipped.
- NAME_ORIGINAL_SCRIPT (Arabic, Cyrillic) becomes an alias with its detected script, so
  each record keeps one primary name.
- An alias NOTE may carry the name in Arabic script ("in Arabic script: …"); other
  alias notes ("nom de guerre", "previously listed as") go to notes.
- Birth dates come as DATE, YEAR, FROM_YEAR/TO_YEAR or only a NOTE ("Nov. 1973",
  "24/06/1402 (Hijri Calendar)"); Hijri dates are not converted but kept in notes.
- Documents without a NUMBER keep their NOTE (which often holds the number in words).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from reckon.model import Address, Designation, FuzzyDate, Identifier, ListVersion, Name, Record
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    country_or_warn,
    entity_schema,
    make_name,
    parse_date,
    parse_xml,
    read_bytes,
    records_from_elements,
    source_authority,
    unique_by_full,
)

FORMAT = "un-xml"
DEFAULT_SOURCE = "un_sc_sanctions"

_ALIAS_KIND = {
    "good": "alias",
    "a.k.a.": "alias",
    "low": "weakAlias",
    "f.k.a.": "previousName",
}
_SCRIPT_NOTE = re.compile(r"^in (\w+) script:\s*(.+)$", re.I | re.S)
_HIJRI = re.compile(r"hijri|islamic", re.I)
_LANG = {"arabic": "ara", "russian": "rus", "korean": "kor", "chinese": "zho", "persian": "fas"}
_BETWEEN_MONTHS = re.compile(r"^between\s+([a-z]+)\.?\s+and\s+([a-z]+)\.?\s+(\d{4})$", re.I)
# UN spellings the shared country table does not know.
_COUNTRY_FIX = {
    "china, hong kong special administrative region": "hk",
    "china, macao special administrative region": "mo",
}


def parse_un(path: Path, source: str | None = None) -> ListVersion:
    """Read one UN consolidated.xml into a ListVersion."""
    src = source or DEFAULT_SOURCE
    root = parse_xml(read_bytes(path), path)
    if root.tag != "CONSOLIDATED_LIST":
        raise SourceError(
            path, f"line {root.sourceline}", f"expected root CONSOLIDATED_LIST, found {root.tag}"
        )
    published = None
    generated = clean(root.get("dateGenerated"))
    if generated:
        date = parse_date(generated)
        published = date.value if date else None
    jurisdiction, authority = source_authority(src, DEFAULT_SOURCE)
    warnings: list[str] = []
    records: list[Record] = []
    seen: set[str] = set()
    for section, tag in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")):
        elements = [el for block in root.findall(section) for el in block.findall(tag)]
        records += records_from_elements(
            path,
            elements,
            lambda el: _record(el, src, jurisdiction, authority, warnings),
            tag,
            "has neither REFERENCE_NUMBER nor DATAID",
            seen,
        )
    if not records and root.find("INDIVIDUALS") is None and root.find("ENTITIES") is None:
        raise SourceError(path, f"line {root.sourceline}", "no INDIVIDUALS or ENTITIES section")
    return ListVersion(source=src, format=FORMAT, records=records, published=published, warnings=warnings)


def _fields(el: etree._Element) -> dict[str, str]:
    """The cleaned text of an element's children by tag (first one wins).

    One pass over the children instead of one ElementPath search per field: the
    parser reads ~50,000 fields per file.
    """
    out: dict[str, str] = {}
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in out:
            text = clean(child.text)
            if text is not None:
                out[tag] = text
    return out


def _text(fields: dict[str, str], tag: str) -> str | None:
    return fields.get(tag)


def _values(el: etree._Element, tag: str) -> list[str]:
    out: list[str] = []
    for holder in el.findall(tag):
        for v in holder.findall("VALUE"):
            text = clean(v.text)
            if text and text not in out:
                out.append(text)
    return out


def _country(text: str | None, warnings: list[str]) -> str | None:
    if not text:
        return None
    return _COUNTRY_FIX.get(text.lower()) or country_or_warn(text, warnings)


def _record(
    el: etree._Element, src: str, jurisdiction: str, authority: str, warnings: list[str]
) -> Record | None:
    el_f = _fields(el)
    ref = _text(el_f, "REFERENCE_NUMBER") or _text(el_f, "DATAID")
    if ref is None:
        return None
    person = el.tag == "INDIVIDUAL"
    props: dict[str, list[str]] = {}
    names: list[Name] = []
    if person:
        parts = [
            p
            for p in (_text(el_f, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"))
            if p
        ]
        if parts:
            name = make_name(
                " ".join(parts),
                first=parts[0],
                middle=" ".join(parts[1:-1]) or None,
                last=parts[-1] if len(parts) > 1 else None,
            )
            if name:
                names.append(name)
    else:
        # One entity lists two names in FIRST_NAME separated by " ; ": the first is primary.
        for i, part in enumerate(re.split(r"\s+;\s+", _text(el_f, "FIRST_NAME") or "")):
            name = make_name(part, kind="name" if i == 0 else "alias")
            if name:
                names.append(name)
    original = make_name(_text(el_f, "NAME_ORIGINAL_SCRIPT"), kind="alias")
    if original:
        names.append(original)

    birth_dates: list[FuzzyDate] = []
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in el.findall(alias_tag):
        _alias(alias, names, birth_dates, props, warnings)

    for tag in ("TITLE",):
        for v in _values(el, tag):
            add_prop(props, "title", v)
    for v in _values(el, "DESIGNATION"):
        add_prop(props, "position", v)
    for v in _values(el, "NATIONALITY"):
        add_prop(props, "nationality", _country(v, warnings))
    gender = _text(el_f, "GENDER")
    if gender and gender.lower() in ("male", "female"):
        add_prop(props, "gender", gender.lower())
    for v in _values(el, "LAST_DAY_UPDATED"):
        add_prop(props, "modifiedAt", v)

    for dob in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date = _birth_date(dob)
        if date is not None:
            if date not in birth_dates:
                birth_dates.append(date)
        else:
            note = _text(_fields(dob), "NOTE")
            if note:
                add_prop(props, "notes", f"Date of birth: {note}")
    for pob in el.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _place(pob)
        add_prop(props, "birthPlace", place)
        add_prop(props, "birthCountry", _country(_text(_fields(pob), "COUNTRY"), warnings))

    addresses: list[Address] = []
    for addr in el.findall("INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"):
        address = _address(addr, warnings)
        if address is None:
            continue
        if address not in addresses:
            addresses.append(address)
        note = _text(_fields(addr), "NOTE")
        if note:
            add_prop(props, "notes", f"Address {address.full}: {note}")

    identifiers: list[Identifier] = []
    for doc in el.findall("INDIVIDUAL_DOCUMENT"):
        _document(doc, identifiers, props, warnings)

    listed = parse_date(_text(el_f, "LISTED_ON"))
    programs = tuple(p for p in (_text(el_f, "UN_LIST_TYPE"),) if p)
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=programs,
        listing_date=listed.value if listed else None,
        authority_id=ref,
        unsc_id=ref,
        reason=_text(el_f, "COMMENTS1"),
    )
    schemes = [i.scheme for i in identifiers]
    schema = "Person" if person else entity_schema([n.full for n in names], schemes)
    return Record(
        source=src,
        id=ref,
        schema=schema,
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        properties=props,
    )


def _alias(
    alias: etree._Element,
    names: list[Name],
    birth_dates: list[FuzzyDate],
    props: dict[str, list[str]],
    warnings: list[str],
) -> None:
    alias_f = _fields(alias)
    text = _text(alias_f, "ALIAS_NAME")
    if text is None:
        return
    quality = (_text(alias_f, "QUALITY") or "").lower()
    kind = _ALIAS_KIND.get(quality)
    if kind is None:
        kind = "alias"
        msg = f"unknown alias QUALITY {quality!r}; kept as alias"
        if quality and msg not in warnings:
            warnings.append(msg)
    name = make_name(text, kind=kind)
    if name:
        names.append(name)
    note = _text(alias_f, "NOTE")
    if note:
        m = _SCRIPT_NOTE.match(note)
        if m:
            extra = make_name(m[2], kind=kind, lang=_LANG.get(m[1].lower()))
            if extra:
                names.append(extra)
        else:
            add_prop(props, "notes", f"{text}: {note}")
    # Aliases of individuals sometimes carry the birth data used under that alias.
    date = parse_date(_text(alias_f, "DATE_OF_BIRTH"))
    if date is not None and date not in birth_dates:
        birth_dates.append(date)
    place = ", ".join(p for p in (_text(alias_f, "CITY_OF_BIRTH"), _text(alias_f, "COUNTRY_OF_BIRTH")) if p)
    add_prop(props, "birthPlace", place or None)
    add_prop(props, "birthCountry", _country(_text(alias_f, "COUNTRY_OF_BIRTH"), warnings))


def _birth_date(dob: etree._Element) -> FuzzyDate | None:
    dob_f = _fields(dob)
    kind = (_text(dob_f, "TYPE_OF_DATE") or "").upper()
    note = _text(dob_f, "NOTE")
    approximate = kind == "APPROXIMATELY" or bool(note and note.lower().startswith("approx"))
    extra = note if note and not note.lower().startswith("approx") else None
    date = _text(dob_f, "DATE")
    year = _text(dob_f, "YEAR")
    start, end = _text(dob_f, "FROM_YEAR"), _text(dob_f, "TO_YEAR")
    if date:
        parsed = parse_date(date)
        if parsed is None:
            return None
        original = f"{date} ({extra})" if extra else date
        return FuzzyDate(parsed.value, approximate=approximate, original=original)
    if year:
        # "YEAR 1958 + NOTE Sep." means September 1958.
        if extra:
            with_month = parse_date(f"{extra} {year}")
            if with_month is not None:
                return FuzzyDate(with_month.value, approximate=approximate, original=f"{extra} {year}")
        parsed = parse_date(year)
        if parsed is None:
            return None
        return FuzzyDate(
            parsed.value, approximate=approximate, original=f"{year} ({extra})" if extra else year
        )
    if start and end:
        s, e = parse_date(start), parse_date(end)
        if s is None or e is None:
            return None
        return FuzzyDate(s.value, approximate=approximate, until=e.value, original=f"{start}-{end}")
    if extra and (m := _BETWEEN_MONTHS.match(extra)):
        s, e = parse_date(f"{m[1]} {m[3]}"), parse_date(f"{m[2]} {m[3]}")
        if s is not None and e is not None:
            return FuzzyDate(s.value, approximate=approximate, until=e.value, original=extra)
    if extra and not _HIJRI.search(extra):
        parsed = parse_date(extra)
        if parsed is not None:
            return FuzzyDate(
                parsed.value,
                approximate=approximate or parsed.approximate,
                until=parsed.until,
                original=extra,
            )
    return None


def _place(pob: etree._Element) -> str | None:
    pob_f = _fields(pob)
    parts = [_text(pob_f, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
    place = ", ".join(p for p in parts if p)
    note = _text(pob_f, "NOTE")
    if note:
        place = f"{place} ({note})" if place else note
    return place or None


def _address(addr: etree._Element, warnings: list[str]) -> Address | None:
    addr_f = _fields(addr)
    street, city = _text(addr_f, "STREET"), _text(addr_f, "CITY")
    region, postal = _text(addr_f, "STATE_PROVINCE"), _text(addr_f, "ZIP_CODE")
    country = _text(addr_f, "COUNTRY")
    full = ", ".join(p for p in (street, city, region, postal, country) if p)
    if not full:
        return None
    return Address(
        full=full,
        street=street,
        city=city,
        postal_code=postal,
        region=region,
        country=_country(country, warnings),
    )


def _document(
    doc: etree._Element, identifiers: list[Identifier], props: dict[str, list[str]], warnings: list[str]
) -> None:
    doc_f = _fields(doc)
    kind = _text(doc_f, "TYPE_OF_DOCUMENT")
    kind2 = _text(doc_f, "TYPE_OF_DOCUMENT2")
    number = _text(doc_f, "NUMBER")
    note = _text(doc_f, "NOTE")
    if kind is None and number is None and note is None:
        return
    label = " ".join(p for p in ((kind2 or ""), (kind or "")) if p).lower()
    if "passport" in label or "pasaporte" in label or "passeport" in label:
        scheme = "passportNumber"
    elif "social security" in label:
        scheme = "socialSecurityNumber"
    elif "fiscal code" in label:
        scheme = "taxNumber"
    else:
        scheme = "idNumber"
    country_text = _text(doc_f, "ISSUING_COUNTRY") or _text(doc_f, "COUNTRY_OF_ISSUE")
    country = _country(country_text, warnings)
    if number is None:
        # The number is only in the note ("Tunisian passport number L 191609 issued …").
        if note:
            add_prop(props, "notes", f"{kind or 'Document'}: {note}")
        return
    details = [
        kind2,
        f"issued {d}" if (d := _text(doc_f, "DATE_OF_ISSUE")) else None,
        f"in {c}" if (c := _text(doc_f, "CITY_OF_ISSUE")) else None,
        note,
    ]
    ident = Identifier(
        scheme=scheme, value=number, country=country, note="; ".join(d for d in details if d) or None
    )
    if ident not in identifiers:
        identifiers.append(ident)
