"""EU Financial Sanctions Files: the XML 1.1 export and the pre-2018 legacy WHOLE format.

`parse_fsf` (format `eu-fsf-xml`) reads `<export xmlns="http://eu.europa.ec/fpi/fsd/export"
generationDate=…>` with one `sanctionEntity` per listing. `parse_legacy`
(`eu-legacy-xml`) reads `<WHOLE Date="dd/mm/yyyy">` with ENTITY/NAME/BIRTH/ADDRESS/
CITIZEN/PASSPORT. Both use the same id space: the legacy ENTITY Id is the 1.1 export's
`logicalId` (Saddam Hussein is 13 in both), which is the record id.

Decisions:
- Listing date: the entity's `designationDate` when the export states it (it is the
  date of the first listing); otherwise the earliest publication date of its
  regulations. The legacy format has no such field: the earliest `reg_date` on the
  entity or any of its parts is used.
- Names: the first strong English (or language-less) nameAlias is the primary name,
  other strong ones are aliases, `strong="false"` or a "low quality alias" remark makes
  a weakAlias, a "former name" remark a previousName.
- Birth dates in the ISLAMIC calendar are never converted here. When the export also
  gives a Gregorian `birthdate` attribute (its own conversion) that value is used with
  the Hijri date kept as the original text; a bare Hijri year goes to notes only.
- Russian tax and register numbers become innCode/ogrnCode when the identifier or the
  entity (address, citizenship) is Russian and the length fits (INN 10/12, OGRN 13/15).
"""

from __future__ import annotations

import dataclasses
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
    local,
    make_name,
    parse_date,
    parse_xml,
    read_bytes,
    records_from_elements,
    source_authority,
    unique_by_full,
)

FSF_FORMAT = "eu-fsf-xml"
LEGACY_FORMAT = "eu-legacy-xml"
DEFAULT_SOURCE = "eu_fsf"

# EU language codes (ISO 639-1, upper case) to the ISO 639-3 codes Name.lang uses.
_LANGS = {
    "BG": "bul", "CS": "ces", "DA": "dan", "DE": "deu", "EL": "ell", "EN": "eng", "ES": "spa",
    "ET": "est", "FI": "fin", "FR": "fra", "GA": "gle", "HR": "hrv", "HU": "hun", "IT": "ita",
    "LT": "lit", "LV": "lav", "MT": "mlt", "NL": "nld", "PL": "pol", "PT": "por", "RO": "ron",
    "SK": "slk", "SL": "slv", "SV": "swe", "AR": "ara", "RU": "rus", "UK": "ukr", "ZH": "zho",
    "FA": "fas", "KO": "kor", "BE": "bel", "KA": "kat", "HY": "hye", "AZ": "aze", "TR": "tur",
}  # fmt: skip
_ID_SCHEMES = {
    "passport": "passportNumber",
    "id": "idNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
    "tax": "taxNumber",
    "vat": "vatCode",
    "imo": "imoNumber",
    "swiftbic": "swiftBic",
    "swift": "swiftBic",
    "ssn": "socialSecurityNumber",
    "isin": "isinCode",
    "lei": "leiCode",
}
_WEAK = re.compile(r"low quality|weak", re.I)
_GOOD = re.compile(r"^\s*good quality ali+as\s*$", re.I)
# Only a remark that is itself about the name ("former name of Sovcombank"); long
# entity remarks mention "formerly known as" about other parties.
_FORMER = re.compile(r"^\s*former(?:ly)? (?:name|known as)\b", re.I)
_QUALITY_NOTE = re.compile(r"^\s*(?:low|good) quality ali+as\s*;?\s*", re.I)
_APPROX = re.compile(r"\s*\(approximative\)\s*", re.I)
_LEGACY_DOC = re.compile(r"^(?P<num>.+?)\s+\((?P<code>[a-z]+)-(?P<desc>[^)]*)\)\s*(?P<rest>.*)$", re.S)
_BRACKETED = re.compile(r"(PHONE|FAX|EMAIL|WEB)\[([^\]]*)\]", re.I)


# --------------------------------------------------------------------------- shared


def _code(iso2: str | None, description: str | None, warnings: list[str]) -> str | None:
    """A country from the export's ISO code, falling back to its description."""
    iso = clean(iso2)
    if iso and iso != "00":
        return iso.lower()
    desc = clean(description)
    if not desc or desc.upper() == "UNKNOWN":
        return None
    return country_or_warn(desc, warnings)


def _add_date(dates: list[FuzzyDate], date: FuzzyDate) -> None:
    if not any(d.value == date.value and d.until == date.until for d in dates):
        dates.append(date)


def _russian_scheme(scheme: str, value: str, russian: bool) -> str:
    digits = value.isdigit()
    if russian and digits and scheme == "taxNumber" and len(value) in (10, 12):
        return "innCode"
    if russian and digits and scheme == "registrationNumber" and len(value) in (13, 15):
        return "ogrnCode"
    return scheme


def _imo(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"IMO{digits}" if len(digits) == 7 else value


def _finish_identifiers(
    pending: list[Identifier], addresses: list[Address], props: dict[str, list[str]]
) -> list[Identifier]:
    entity_ru = (
        any(a.country == "ru" for a in addresses)
        or "ru" in props.get("citizenship", [])
        or any(i.country == "ru" for i in pending)
    )
    out: list[Identifier] = []
    for ident in pending:
        russian = ident.country == "ru" or (ident.country is None and entity_ru)
        scheme = _russian_scheme(ident.scheme, ident.value, russian)
        value = _imo(ident.value) if scheme == "imoNumber" else ident.value
        final = dataclasses.replace(ident, scheme=scheme, value=value)
        if final not in out:
            out.append(final)
    return out


def _name_in(
    full: str | None,
    *,
    kind: str,
    first: str | None = None,
    middle: str | None = None,
    last: str | None = None,
    lang: str | None = None,
) -> Name | None:
    """make_name, dropping a stated English language on a non-Latin name.

    The export labels some Cyrillic and Arabic spellings nameLanguage="EN".
    """
    name = make_name(full, kind=kind, first=first, middle=middle, last=last, lang=lang)
    if name is not None and lang == "eng" and name.script not in (None, "Latn"):
        name = dataclasses.replace(name, lang=None)
    return name


def _pick_primary(names: list[Name]) -> list[Name]:
    """Make the first strong English or language-less name the primary one."""
    if not names:
        return names
    idx = next(
        (i for i, n in enumerate(names) if n.kind == "alias" and n.lang in (None, "eng")),
        next((i for i, n in enumerate(names) if n.kind == "alias"), 0),
    )
    primary = dataclasses.replace(names[idx], kind="name")
    return [primary, *names[:idx], *names[idx + 1 :]]


# ---------------------------------------------------------------------- XML 1.1 export


def parse_fsf(path: Path, source: str | None = None) -> ListVersion:
    """Read an EU FSF XML 1.1 (or 1.0) `export` file into a ListVersion."""
    src = source or DEFAULT_SOURCE
    root = parse_xml(read_bytes(path), path)
    if local(root.tag) != "export":
        raise SourceError(path, f"line {root.sourceline}", f"expected root export, found {local(root.tag)}")
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    generated = parse_date(clean(root.get("generationDate")))
    jurisdiction, authority = source_authority(src, DEFAULT_SOURCE)
    warnings: list[str] = []
    records = records_from_elements(
        path,
        root.iter(f"{ns}sanctionEntity"),
        lambda el: _fsf_entity(el, ns, src, jurisdiction, authority, warnings),
        "sanctionEntity",
        "without logicalId or name",
    )
    return ListVersion(
        source=src,
        format=FSF_FORMAT,
        records=records,
        published=generated.value if generated else None,
        warnings=warnings,
    )


def _fsf_entity(
    el: etree._Element, ns: str, src: str, jurisdiction: str, authority: str, warnings: list[str]
) -> Record | None:
    rid = clean(el.get("logicalId"))
    if rid is None:
        return None
    props: dict[str, list[str]] = {}
    for remark in el.findall(f"{ns}remark"):
        add_prop(props, "notes", clean(remark.text))
    add_prop(props, "notes", clean(el.get("designationDetails")))

    programs: list[str] = []
    bases: list[str] = []
    pub_dates: list[str] = []
    for reg in el.findall(f"{ns}regulation"):
        prog = clean(reg.get("programme"))
        if prog and prog not in programs:
            programs.append(prog)
        basis = clean(reg.get("numberTitle"))
        if basis and basis not in bases:
            bases.append(basis)
        pub = parse_date(clean(reg.get("publicationDate")))
        if pub:
            pub_dates.append(pub.value)
        add_prop(props, "sourceUrl", clean(reg.findtext(f"{ns}publicationUrl")))
    designated = parse_date(clean(el.get("designationDate")))
    listing = designated.value if designated else (min(pub_dates) if pub_dates else None)

    subject = el.find(f"{ns}subjectType")
    code = clean(subject.get("code")) if subject is not None else None

    names: list[Name] = []
    for alias in el.findall(f"{ns}nameAlias"):
        _fsf_name(alias, ns, names, props)
    names = _pick_primary(names)
    if not names:
        return None

    for cit in el.findall(f"{ns}citizenship"):
        add_prop(
            props, "citizenship", _code(cit.get("countryIso2Code"), cit.get("countryDescription"), warnings)
        )

    birth_dates: list[FuzzyDate] = []
    for bd in el.findall(f"{ns}birthdate"):
        _fsf_birth(bd, ns, birth_dates, props, warnings)

    addresses: list[Address] = []
    for addr in el.findall(f"{ns}address"):
        _fsf_address(addr, ns, addresses, props, warnings)

    pending: list[Identifier] = []
    for ident in el.findall(f"{ns}identification"):
        _fsf_identifier(ident, ns, pending, warnings)
    identifiers = _finish_identifiers(pending, addresses, props)

    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(programs),
        listing_date=listing,
        legal_basis="; ".join(bases) or None,
        authority_id=clean(el.get("euReferenceNumber")),
        unsc_id=clean(el.get("unitedNationId")),
    )
    schemes = [i.scheme for i in identifiers]
    schema = "Person" if code == "person" else entity_schema([n.full for n in names], schemes)
    return Record(
        source=src,
        id=rid,
        schema=schema,
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        properties=props,
    )


def _fsf_name(alias: etree._Element, ns: str, names: list[Name], props: dict[str, list[str]]) -> None:
    remark = clean(alias.findtext(f"{ns}remark"))
    kind = "alias"
    if clean(alias.get("strong")) == "false" or (remark and _WEAK.search(remark)):
        kind = "weakAlias"
    elif remark and _FORMER.match(remark):
        kind = "previousName"
    lang = _LANGS.get((clean(alias.get("nameLanguage")) or "").upper())
    name = _name_in(
        alias.get("wholeName"),
        kind=kind,
        first=alias.get("firstName"),
        middle=alias.get("middleName"),
        last=alias.get("lastName"),
        lang=lang,
    )
    if name:
        names.append(name)
    add_prop(props, "position", clean(alias.get("function")))
    add_prop(props, "title", clean(alias.get("title")))
    gender = (clean(alias.get("gender")) or "").upper()
    add_prop(props, "gender", {"M": "male", "F": "female"}.get(gender))
    if remark and not _GOOD.match(remark):
        rest = clean(_QUALITY_NOTE.sub("", remark))
        # A remark that starts with the alias quality is about that alias; others
        # ("Associated entities: …") are about the entity and are kept as they are.
        about_alias = rest != clean(remark) or kind == "previousName"
        if rest:
            add_prop(props, "notes", f"{name.full}: {rest}" if about_alias and name else rest)


def _fsf_birth(
    bd: etree._Element, ns: str, dates: list[FuzzyDate], props: dict[str, list[str]], warnings: list[str]
) -> None:
    approximate = clean(bd.get("circa")) == "true"
    calendar = (clean(bd.get("calendarType")) or "GREGORIAN").upper()
    full, year = clean(bd.get("birthdate")), clean(bd.get("year"))
    month, day = clean(bd.get("monthOfYear")), clean(bd.get("dayOfMonth"))
    start, end = clean(bd.get("yearRangeFrom")), clean(bd.get("yearRangeTo"))
    date: FuzzyDate | None = None
    if calendar != "GREGORIAN":
        stated = "-".join(p for p in (year, month and month.zfill(2), day and day.zfill(2)) if p)
        original = f"{stated} ({calendar.lower()} calendar)" if stated else None
        parsed = parse_date(full)
        if parsed is not None:
            date = FuzzyDate(parsed.value, approximate=approximate, original=original)
        elif original:
            add_prop(props, "notes", f"Date of birth: {original}")
    elif full:
        parsed = parse_date(full)
        date = FuzzyDate(parsed.value, approximate=approximate, original=full) if parsed else None
    elif year:
        stated = "-".join(p for p in (year, month and month.zfill(2), day and month and day.zfill(2)) if p)
        parsed = parse_date(stated)
        date = FuzzyDate(parsed.value, approximate=approximate, original=stated) if parsed else None
    elif start and end:
        s, e = parse_date(start), parse_date(end)
        if s and e:
            date = FuzzyDate(s.value, approximate=approximate, until=e.value, original=f"{start}-{end}")
    if date is not None:
        _add_date(dates, date)
    place = ", ".join(p for p in (clean(bd.get(k)) for k in ("place", "city", "region")) if p)
    country = _code(bd.get("countryIso2Code"), bd.get("countryDescription"), warnings)
    desc = clean(bd.get("countryDescription"))
    if place:
        if desc and desc.upper() != "UNKNOWN":
            place = f"{place}, {desc}"
        add_prop(props, "birthPlace", place)
    add_prop(props, "birthCountry", country)
    remark = clean(bd.findtext(f"{ns}remark"))
    if remark:
        add_prop(props, "notes", f"Birth: {remark}")


def _fsf_address(
    addr: etree._Element,
    ns: str,
    addresses: list[Address],
    props: dict[str, list[str]],
    warnings: list[str],
) -> None:
    street, city = _part(addr.get("street")), _part(addr.get("city"))
    postal, region, place = clean(addr.get("zipCode")), clean(addr.get("region")), clean(addr.get("place"))
    po_box = clean(addr.get("poBox"))
    desc = clean(addr.get("countryDescription"))
    if desc and desc.upper() == "UNKNOWN":
        desc = None
    parts = [street, f"P.O. Box {po_box}" if po_box else None, place, city, postal, region, desc]
    full = ", ".join(p for p in parts if p)
    for info in addr.findall(f"{ns}contactInfo"):
        key, value = (clean(info.get("key")) or "").upper(), clean(info.get("value"))
        prop = {"PHONE": "phone", "EMAIL": "email", "WEB": "website", "WEBSITE": "website"}.get(key)
        if prop:
            add_prop(props, prop, value)
        elif value:
            add_prop(props, "notes", f"{key.title()}: {value}")
    remark = clean(addr.findtext(f"{ns}remark"))
    if not full:
        if remark:
            add_prop(props, "notes", remark)
        return
    address = Address(
        full=full,
        street=street,
        city=city,
        postal_code=postal,
        region=region,
        country=_code(addr.get("countryIso2Code"), addr.get("countryDescription"), warnings),
    )
    if address not in addresses:
        addresses.append(address)
    if remark:
        add_prop(props, "notes", f"Address {full}: {remark}")


def _part(text: str | None) -> str | None:
    return clean((text or "").strip().rstrip(",;"))


def _fsf_identifier(ident: etree._Element, ns: str, out: list[Identifier], warnings: list[str]) -> None:
    number = clean(ident.get("number")) or clean(ident.get("latinNumber"))
    if number is None:
        return
    code = (clean(ident.get("identificationTypeCode")) or "").lower()
    scheme = _ID_SCHEMES.get(code, "idNumber")
    flags = [
        label
        for attr, label in (
            ("knownExpired", "known expired"),
            ("knownFalse", "known false"),
            ("reportedLost", "reported lost"),
            ("revokedByIssuer", "revoked by issuer"),
            ("diplomatic", "diplomatic"),
        )
        if clean(ident.get(attr)) == "true"
    ]
    details = [
        clean(ident.get("identificationTypeDescription")),
        f"issued {d}" if (d := clean(ident.get("issueDate"))) else None,
        f"valid to {d}" if (d := clean(ident.get("validTo"))) else None,
        f"issued by {d}" if (d := clean(ident.get("issuedBy"))) else None,
        f"name on document: {d}" if (d := clean(ident.get("nameOnDocument"))) else None,
        clean(ident.get("region")),
        *flags,
        clean(ident.findtext(f"{ns}remark")),
    ]
    out.append(
        Identifier(
            scheme=scheme,
            value=number,
            country=_code(ident.get("countryIso2Code"), ident.get("countryDescription"), warnings),
            note="; ".join(d for d in details if d) or None,
        )
    )


# ------------------------------------------------------------------- legacy WHOLE


def parse_legacy(path: Path, source: str | None = None) -> ListVersion:
    """Read the pre-2018 EU FSD `WHOLE` XML into a ListVersion."""
    src = source or DEFAULT_SOURCE
    root = parse_xml(read_bytes(path), path)
    if root.tag != "WHOLE":
        raise SourceError(path, f"line {root.sourceline}", f"expected root WHOLE, found {root.tag}")
    stamp = parse_date(clean(root.get("Date")))
    jurisdiction, authority = source_authority(src, DEFAULT_SOURCE)
    warnings: list[str] = []
    records = records_from_elements(
        path,
        root.iter("ENTITY"),
        lambda el: _legacy_entity(el, src, jurisdiction, authority, warnings),
        "ENTITY",
        "without Id or NAME",
    )
    return ListVersion(
        source=src,
        format=LEGACY_FORMAT,
        records=records,
        published=stamp.value if stamp else None,
        warnings=warnings,
    )


def _fields(el: etree._Element) -> dict[str, str]:
    """Cleaned child texts by tag in one pass (an ElementPath search per field is slow)."""
    out: dict[str, str] = {}
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in out:
            text = clean(child.text)
            if text is not None:
                out[tag] = text
    return out


def _wrapped(text: str) -> bool:
    """Whether the whole text is one parenthesised group: "(a) (b)" is not."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _strip_parens(text: str | None) -> str | None:
    text = clean(text)
    while text and _wrapped(text):
        text = clean(text[1:-1])
    return text


def _legacy_entity(
    el: etree._Element, src: str, jurisdiction: str, authority: str, warnings: list[str]
) -> Record | None:
    rid = clean(el.get("Id"))
    if rid is None:
        return None
    props: dict[str, list[str]] = {}
    add_prop(props, "notes", _strip_parens(el.get("remark")))
    add_prop(props, "sourceUrl", clean(el.get("pdf_link")))
    programs: list[str] = []
    reg_dates: list[str] = []
    for part in (el, *el):
        if not isinstance(part.tag, str):
            continue
        prog = clean(part.get("programme"))
        if prog and prog not in programs:
            programs.append(prog)
        reg = parse_date(clean(part.get("reg_date")))
        if reg:
            reg_dates.append(reg.value)

    names: list[Name] = []
    for n in el.findall("NAME"):
        nf = _fields(n)
        name = _name_in(
            nf.get("WHOLENAME"),
            kind="alias",
            first=nf.get("FIRSTNAME"),
            middle=nf.get("MIDDLENAME"),
            last=nf.get("LASTNAME"),
            lang=_LANGS.get((nf.get("LANGUAGE") or "").upper()),
        )
        if name:
            names.append(name)
        gender = (nf.get("GENDER") or "").upper()
        add_prop(props, "gender", {"M": "male", "F": "female"}.get(gender))
        add_prop(props, "title", nf.get("TITLE"))
        add_prop(props, "position", nf.get("FUNCTION"))
    names = _pick_primary(names)
    if not names:
        return None

    birth_dates: list[FuzzyDate] = []
    for b in el.findall("BIRTH"):
        bf = _fields(b)
        text = bf.get("DATE")
        if text:
            approximate = bool(_APPROX.search(text))
            parsed = parse_date(_APPROX.sub(" ", text))
            if parsed is not None:
                _add_date(
                    birth_dates,
                    FuzzyDate(parsed.value, approximate=approximate, until=parsed.until, original=text),
                )
            else:
                add_prop(props, "notes", f"Date of birth: {text}")
        add_prop(props, "birthPlace", bf.get("PLACE"))
        add_prop(props, "birthCountry", country_or_warn(bf.get("COUNTRY"), warnings))

    for c in el.findall("CITIZEN"):
        cf = _fields(c)
        add_prop(props, "citizenship", country_or_warn(cf.get("COUNTRY"), warnings))

    addresses: list[Address] = []
    for a in el.findall("ADDRESS"):
        _legacy_address(a, addresses, props, warnings)

    pending: list[Identifier] = []
    for p in el.findall("PASSPORT"):
        ident = _legacy_document(p, warnings)
        if ident is not None:
            pending.append(ident)
    identifiers = _finish_identifiers(pending, addresses, props)

    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(programs),
        listing_date=min(reg_dates) if reg_dates else None,
        legal_basis=clean(el.get("legal_basis")),
        authority_id=rid,
    )
    kind = clean(el.get("Type"))
    schemes = [i.scheme for i in identifiers]
    schema = "Person" if kind == "P" else entity_schema([n.full for n in names], schemes)
    return Record(
        source=src,
        id=rid,
        schema=schema,
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        properties=props,
    )


def _legacy_address(
    a: etree._Element, addresses: list[Address], props: dict[str, list[str]], warnings: list[str]
) -> None:
    af = _fields(a)
    number, street = af.get("NUMBER"), af.get("STREET")
    postal, city, country = af.get("ZIPCODE"), af.get("CITY"), af.get("COUNTRY")
    street_full = " ".join(p for p in (number, street) if p) or None
    full = ", ".join(p for p in (street_full, postal, city, country) if p)
    other = a.findtext("OTHER") or ""
    for m in _BRACKETED.finditer(other):
        key, value = m[1].upper(), clean(m[2])
        if key == "PHONE":
            add_prop(props, "phone", value)
        elif key == "EMAIL":
            add_prop(props, "email", value)
        elif key == "WEB":
            add_prop(props, "website", value)
        elif value:
            add_prop(props, "notes", f"Fax: {value}")
    rest = _strip_parens(_BRACKETED.sub(" ", other))
    if full:
        address = Address(
            full=full,
            street=street_full,
            city=city,
            postal_code=postal,
            country=country_or_warn(country, warnings),
        )
        if address not in addresses:
            addresses.append(address)
    if rest:
        add_prop(props, "notes", f"Address {full}: {rest}" if full else rest)


def _legacy_document(p: etree._Element, warnings: list[str]) -> Identifier | None:
    text = p.findtext("NUMBER")
    if not text or not text.strip():
        return None
    m = _LEGACY_DOC.match(text.strip())
    if m:
        number, code, desc, rest = m["num"], m["code"].lower(), m["desc"], m["rest"]
    else:
        number, code, desc, rest = text, "", "", ""
    value = clean(number)
    if value is None:
        return None
    note = "; ".join(x for x in (clean(desc), _strip_parens(rest)) if x) or None
    return Identifier(
        scheme=_ID_SCHEMES.get(code, "idNumber"),
        value=value,
        country=country_or_warn(_fields(p).get("COUNTRY"), warnings),
        note=note,
    )
