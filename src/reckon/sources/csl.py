"""US Consolidated Screening List (trade.gov / ITA), CSV (format `csl-csv`).

The CSL aggregates eleven US lists (OFAC SDN and non-SDN lists, BIS Entity List,
Denied Persons, Unverified List, MEU, State's ITAR debarments and ISN). Each row names
its list in the `source` column, which becomes the Designation's authority; the
jurisdiction is always "us".

Record id = `_id`. The same `_id` appears on several rows when an OFAC entry is on more
than one OFAC list (SDN and SSI, SDN and CAPTA, ...): those rows are merged into one
Record with one Designation per row, so a file of 14,160 rows gives 14,048 records.

`ids` packs tuples separated by "; ", each `[country, ][date, [date, ]]value, type`:
the type is always the last comma-separated part and never contains ", "; the value
may (sanctions-information texts do). The fields are the JSON keys of the CSL API in
alphabetical order (country, expiration_date, issue_date, number, type) with empty ones
left out, so two dates are expiry then issue; a single date cannot be told apart and is
kept in the note as written. Types map onto FtM properties the way OFAC's own labels do
(see ofac_remarks.LABELS); sanctions information becomes Designation.measures.
"""

from __future__ import annotations

import re
from pathlib import Path

from reckon.model import Address, Designation, FuzzyDate, Identifier, Link, ListVersion, Name, Record
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    country_code,
    country_or_warn,
    decode_text,
    entity_schema,
    extend_unique,
    headed_csv,
    make_name,
    parse_date,
    read_bytes,
)

FORMAT = "csl-csv"
DEFAULT_SOURCE = "us_trade_csl"
JURISDICTION = "us"

COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)  # fmt: skip
_REQUIRED = ("_id", "source", "type", "name", "ids")

_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_OFAC_SDN = "Specially Designated Nationals (SDN) - Treasury Department"

# What an `ids` type means: ("id", scheme) | ("prop", property) | ("date", property) |
# ("country", property) | ("link", relation) | ("measure", "") | ("gender", "").
# Types not listed are kept whole in notes.
_ID_TYPES: dict[str, tuple[str, str]] = {
    **{
        t: ("id", "passportNumber")
        for t in ("Passport", "Diplomatic Passport", "Stateless Person Passport", "Travel Document Number")
    },
    **{
        t: ("id", "idNumber")
        for t in (
            "National ID No.", "National Foreign ID Number", "Identification Number", "Personal ID Card",
            "Cedula No.", "C.U.R.P.", "C.U.I.P.", "D.N.I.", "N.I.E.", "I.F.E.", "Credencial electoral",
            "Electoral Registry No.", "Kenyan ID No.", "Bosnian Personal ID No.", "Moroccan Personal ID No.",
            "Turkish Identification Number", "CNP (Personal Numerical Code)", "Romanian Permanent Resident",
            "Tazkira National ID Card", "UAE Identification", "Citizen's Card Number", "Numero de Identidad",
            "Residency Number", "Immigration No.", "Refugee ID Card", "Stateless Person ID Card",
            "VisaNumberID", "Birth Certificate Number", "Driver's License No.",
            "Cartilla de Servicio Militar Nacional", "Pilot License Number",
            "Seafarer's Identification Document", "SRE Permit No.",
        )
    },
    "SSN": ("id", "socialSecurityNumber"),
    **{
        t: ("id", "taxNumber")
        for t in (
            "Tax ID No.", "R.F.C.", "RFC", "NIT #", "RUC #", "RIF #", "C.U.I.T.", "C.U.I.", "C.I.F.", "RTN",
            "US FEIN", "Italian Fiscal Code", "Fiscal Code", "Romanian Tax Registration",
            "Paraguayan tax identification number", "Numero Unico de Identificacao Tributaria (NUIT)",
        )
    },
    "V.A.T. Number": ("id", "vatCode"),
    **{
        t: ("id", "registrationNumber")
        for t in (
            "Registration ID", "Registration Number", "Business Registration Number",
            "Business Registration Document #", "Public Registration Number",
            "Central Registration System Number",
            "Government Gazette Number", "Commercial Registry Number", "Company Number", "UK Company Number",
            "Certificate of Incorporation Number", "Chamber of Commerce Number",
            "Dubai Chamber of Commerce Membership No.", "Istanbul Chamber of Comm. No.", "Romanian C.R.",
            "C.R. No.", "Folio Mercantil No.", "Matricula Mercantil No", "Trade License No.",
            "Tourism License No.",
            "License", "Registered Charity No.", "LE Number", "Enterprise Number", "Business Number",
            "Branch Unit Number", "File Number", "Unified Social Credit Code (USCC)",
            "United Social Credit Code Certificate (USCCC)", "Afghan Money Service Provider License Number",
        )
    },
    "Legal Entity Number": ("id", "leiCode"),
    "SWIFT/BIC": ("id", "swiftBic"),
    "ISIN": ("id", "isinCode"),
    "D-U-N-S Number": ("id", "dunsCode"),
    "Serial No.": ("id", "serialNumber"),
    "Vessel Registration Identification": ("id", "imoNumber"),
    "MMSI": ("id", "mmsi"),
    "Other Vessel Call Sign": ("id", "callSign"),
    "Aircraft Manufacturer's Serial Number (MSN)": ("id", "serialNumber"),
    "Aircraft Serial Identification": ("id", "serialNumber"),
    "Aircraft Construction Number (also called L/N or S/N or F/N)": ("id", "serialNumber"),
    "Aircraft Tail Number": ("id", "registrationNumber"),
    "Previous Aircraft Tail Number": ("id", "registrationNumber"),
    "Aircraft Mode S Transponder Code": ("id", "icaoCode"),
    "Other Vessel Flag": ("country", "flag"),
    "Former Vessel Flag": ("country", "pastFlags"),
    "Nationality of Registration": ("country", "jurisdiction"),
    "Other Vessel Type": ("prop", "type"),
    "Aircraft Model": ("prop", "model"),
    "Aircraft Manufacture Date": ("date", "buildDate"),
    "Aircraft Operator": ("link", "operator"),
    "Organization Established Date": ("date", "incorporationDate"),
    "Organization Type:": ("prop", "sector"),
    "Target Type": ("prop", "classification"),
    "Equity Ticker": ("prop", "ticker"),
    "Issuer Name": ("prop", "issuer"),
    "BIK (RU)": ("prop", "bikCode"),
    "Website": ("prop", "website"),
    "Email Address": ("prop", "email"),
    "Phone Number": ("prop", "phone"),
    "Gender": ("gender", ""),
    **{
        t: ("measure", "")
        for t in (
            "Secondary sanctions risk:", "Additional Sanctions Information -",
            "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
            "Executive Order 13662 Directive Determination -", "Executive Order 13846 information:",
            "Executive Order 14024 Directive Information -", "Executive Order 14024 Directive Information",
            "CAATSA Section 235 Information:", "IFCA Determination -", "PEESA Information:",
            "Effective Date (CMIC)", "Listing Date (CMIC)", "Purchase/Sales For Divestment Date (CMIC)",
        )
    },
}  # fmt: skip
_DIRECTIVE_DATE = re.compile(r"^(Listing|Effective) Date \(EO 14024 Directive [\w.]+\):$")
_CRYPTO = re.compile(r"^Digital Currency Address - (\w+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CC = re.compile(r"^[A-Z]{2}$")
_LINKED = re.compile(r"\(?Linked To:\s*([^;]+?)\)?\s*(?:;|$)")
_IMO = re.compile(r"\bIMO\s*(\d{7})\b")


def parse_csl(path: Path, source: str | None = None) -> ListVersion:
    """Read the CSL consolidated.csv (optionally .gz) into a ListVersion."""
    src = source or DEFAULT_SOURCE
    text = decode_text(read_bytes(path), path)
    warnings: list[str] = []
    records: dict[str, Record] = {}
    for row_no, cells in headed_csv(path, text, _REQUIRED, COLUMNS, warnings):
        try:
            _merge_row(cells, src, records, warnings)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, f"row {row_no}", f"cannot read row: {exc}") from exc
    return ListVersion(
        source=src, format=FORMAT, records=list(records.values()), published=None, warnings=warnings
    )


def _multi(text: str | None) -> list[str]:
    if not text:
        return []
    out: list[str] = []
    for part in text.split(";"):
        value = clean(part)
        if value and value not in out:
            out.append(value)
    return out


# CSL spellings the shared country table does not know; None = "no country", silently.
_COUNTRY_FIX: dict[str, str | None] = {
    "st. kitts & nevis": "kn",
    "man, isle of": "im",
    "none identified": None,
}


def _country(text: str | None, warnings: list[str]) -> str | None:
    if not text:
        return None
    if _CC.match(text):
        return text.lower()
    if text.lower() in _COUNTRY_FIX:
        return _COUNTRY_FIX[text.lower()]
    return country_or_warn(text, warnings)


def _merge_row(cells: dict[str, str], src: str, records: dict[str, Record], warnings: list[str]) -> None:
    rid = clean(cells.get("_id"))
    if rid is None:
        raise ValueError("empty _id")
    list_name = clean(cells.get("source")) or ""
    kind = (clean(cells.get("type")) or "").lower()
    rec = records.get(rid)
    names: list[Name] = []
    primary = clean(cells.get("name"))
    if primary:
        names.append(_name(primary, "name", kind == "individual"))
    for alt in _multi(cells.get("alt_names")):
        # BIS writes its last alias "…; and X"; the conjunction is not part of the name.
        alt = alt[4:] if alt.startswith("and ") else alt
        if alt.casefold() == "and":  # "HPSTAR; and; Beijing …": the conjunction on its own
            continue
        names.append(_name(alt, "alias", kind == "individual"))

    props: dict[str, list[str]] = {}
    identifiers: list[Identifier] = []
    links: list[Link] = []
    measures: list[str] = []
    _read_ids(cells.get("ids") or "", identifiers, props, links, measures, warnings)

    add_prop(props, "position", clean(cells.get("title")))
    for c in _multi(cells.get("citizenships")):
        add_prop(props, "citizenship", _country(c, warnings))
    for c in _multi(cells.get("nationalities")):
        add_prop(props, "nationality", _country(c, warnings))
    for p in _multi(cells.get("places_of_birth")):
        add_prop(props, "birthPlace", p)
    birth_dates: list[FuzzyDate] = []
    for d in _multi(cells.get("dates_of_birth")):
        parsed = parse_date(d)
        if parsed is not None and parsed not in birth_dates:
            birth_dates.append(parsed)
        elif parsed is None:
            add_prop(props, "notes", f"Date of birth: {d}")

    call_sign = clean(cells.get("call_sign"))
    if call_sign:
        identifiers.append(Identifier("callSign", call_sign))
    add_prop(props, "type", clean(cells.get("vessel_type")))
    add_prop(props, "tonnage", clean(cells.get("gross_tonnage")))
    add_prop(props, "grossRegisteredTonnage", clean(cells.get("gross_registered_tonnage")))
    add_prop(props, "flag", _country(clean(cells.get("vessel_flag")), warnings))
    owner = clean(cells.get("vessel_owner"))
    if owner:
        links.append(Link(relation="owner", target_name=owner))
    remarks = clean(cells.get("remarks"))
    if remarks:
        add_prop(props, "notes", remarks)
        for m in _LINKED.finditer(remarks):
            target = clean(m[1])
            if target:
                links.append(Link(relation="linked", target_name=target))
    add_prop(props, "sourceUrl", clean(cells.get("source_list_url")))
    add_prop(props, "sourceUrl", clean(cells.get("source_information_url")))

    addresses = [_address(a, warnings) for a in _multi(cells.get("addresses"))]

    start, end = parse_date(clean(cells.get("start_date"))), parse_date(clean(cells.get("end_date")))
    standard_order = clean(cells.get("standard_order"))
    for label, column in (
        ("License requirement", "license_requirement"),
        ("License policy", "license_policy"),
    ):
        value = clean(cells.get(column))
        if value:
            measures.append(f"{label}: {value}")
    if standard_order and standard_order.upper() == "Y":
        measures.append("Standard order")
    entity_number = clean(cells.get("entity_number"))
    designation = Designation(
        jurisdiction=JURISDICTION,
        authority=list_name,
        programs=tuple(_multi(cells.get("programs"))),
        listing_date=start.value if start else None,
        end_date=end.value if end else None,
        legal_basis=clean(cells.get("federal_register_notice")),
        authority_id=entity_number,
        measures=tuple(dict.fromkeys(measures)),
    )
    if entity_number and "Treasury Department" in list_name:
        # Rows from OFAC's lists carry OFAC's own ent_num: the same entry in OFAC's files.
        target = "us_ofac_sdn" if list_name == _OFAC_SDN else "us_ofac_cons"
        links.append(
            Link(relation="same_as", target_name=primary or rid, target_id=f"{target}:{entity_number}")
        )

    if rec is None:
        schema = _SCHEMA.get(kind)
        if schema is None:
            schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
        rec = Record(source=src, id=rid, schema=schema)
        records[rid] = rec
    extend_unique(rec.names, names, key=lambda n: n.full)
    extend_unique(rec.birth_dates, birth_dates)
    extend_unique(rec.identifiers, identifiers)
    extend_unique(rec.addresses, addresses)
    extend_unique(rec.designations, [designation])
    extend_unique(rec.links, links)
    for key, values in props.items():
        for v in values:
            add_prop(rec.properties, key, v)


def _name(text: str, kind: str, person: bool) -> Name:
    # OFAC writes people "LAST, First"; the full name stays as written.
    last = first = None
    if person and ", " in text:
        last, first = (p.strip() for p in text.split(", ", 1))
    name = make_name(text, kind=kind, first=first, last=last)
    assert name is not None  # text is non-empty after clean()
    return name


def _address(text: str, warnings: list[str]) -> Address:
    parts = [p.strip() for p in text.split(",")]
    country = None
    if parts and _CC.match(parts[-1]):
        country = parts[-1].lower()
    elif len(parts) > 1:
        country = country_code(parts[-1])
    return Address(full=text, country=country)


def _read_ids(
    text: str,
    identifiers: list[Identifier],
    props: dict[str, list[str]],
    links: list[Link],
    measures: list[str],
    warnings: list[str],
) -> None:
    for piece in text.split("; "):
        piece = piece.strip()
        if not piece:
            continue
        if ", " not in piece:
            add_prop(props, "notes", piece)
            continue
        body, kind = piece.rsplit(", ", 1)
        kind = kind.strip()
        rule = _ID_TYPES.get(kind)
        if rule is None:
            if m := _CRYPTO.match(kind):
                identifiers.append(Identifier("cryptoWallet", body.strip(), note=m[1]))
            elif _DIRECTIVE_DATE.match(kind):
                measures.append(f"{kind} {body.strip()}")
            else:
                add_prop(props, "notes", f"{kind} {body.strip()}")
            continue
        action, arg = rule
        value = clean(body)
        if value is None:
            continue
        if action == "id":
            ident = _identifier(arg, kind, value)
            if ident is not None and ident not in identifiers:
                identifiers.append(ident)
        elif action == "prop":
            add_prop(props, arg, value)
        elif action == "date":
            parsed = parse_date(value)
            add_prop(props, arg, parsed.value if parsed else value)
        elif action == "country":
            add_prop(props, arg, _country(value, warnings))
        elif action == "link":
            links.append(Link(relation=arg, target_name=value))
        elif action == "gender":
            if value.lower() in ("male", "female"):
                add_prop(props, "gender", value.lower())
        elif action == "measure":
            measures.append(f"{kind} {value}")


def _identifier(scheme: str, kind: str, body: str) -> Identifier | None:
    parts = [p.strip() for p in body.split(", ")]
    country = None
    dates: list[str] = []
    # Leading country code and dates exist only for documents; a value never has that shape.
    if len(parts) > 1 and _CC.match(parts[0]):
        country = parts.pop(0).lower()
    while len(parts) > 1 and _ISO_DATE.match(parts[0]):
        dates.append(parts.pop(0))
    value = ", ".join(parts)
    if not value:
        return None
    note_parts: list[str] = []
    if kind not in ("Passport",) and scheme not in (
        "imoNumber",
        "mmsi",
        "swiftBic",
        "isinCode",
        "cryptoWallet",
    ):
        note_parts.append(kind)
    if len(dates) == 2:
        note_parts.append(f"expires {dates[0]}; issued {dates[1]}")
    elif dates:
        note_parts.append(f"date {dates[0]}")
    if scheme == "imoNumber":
        m = _IMO.search(value)
        if m is None:
            scheme = "registrationNumber"
            note_parts.insert(0, kind)
        else:
            value = f"IMO{m[1]}"
    elif scheme == "taxNumber" and country == "ru" and value.isdigit() and len(value) in (10, 12):
        scheme = "innCode"
    elif scheme == "registrationNumber" and country == "ru" and value.isdigit() and len(value) in (13, 15):
        scheme = "ogrnCode"
    elif scheme == "idNumber" and kind == "Identification Number" and (m := _IMO.search(value)):
        scheme, value = "imoNumber", f"IMO{m[1]}"
    return Identifier(scheme=scheme, value=value, country=country, note="; ".join(note_parts) or None)
