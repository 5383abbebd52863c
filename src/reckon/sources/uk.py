"""UK lists: the HM Treasury / OFSI Consolidated List (ConList.xlsx and its CSV twin).

OFSI publishes one row per name (and per address, per regime ...) of a target, so rows
are grouped by `Group ID` into one Record and every repeated fact is de-duplicated.
The FCDO's UK Sanctions List formats live in `uk_fcdo` and are re-exported here, as
the registry names them `uk:parse_fcdo_*`.

Dates: `Listed On` (when OFSI first listed the target) is the designation's
`listing_date`. `UK Sanctions List Date Designated` is usually a re-designation under
post-Brexit regulations (31/12/2020 for thousands of older targets); when it differs
it is kept as a note rather than overwriting the original listing date.
`Last Updated` (the latest of the group) becomes properties["modifiedAt"].
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import chain
from pathlib import Path

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
    decode_text,
    entity_schema,
    make_name,
    read_bytes,
    source_authority,
)
from reckon.sources.spreadsheet import CellValue, header_map, read_xlsx
from reckon.sources.textfields import (
    countries,
    country,
    dates,
    is_patronymic,
    language,
    lead_country,
    numbered,
    one_date,
    registration_ids,
    values,
)
from reckon.sources.uk_fcdo import parse_fcdo_ods, parse_fcdo_xml

__all__ = ["parse_fcdo_ods", "parse_fcdo_xml", "parse_ofsi"]

OFSI_COLUMNS = (
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
    "Last Updated",
    "Group ID",
)
_ADDRESS_COLUMNS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")

# The labelled fields OFSI writes into `Other Information` as "(Label):value".
_OI_KEYS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "UN Ref",
    "Gender",
    "Phone number",
    "Email address",
    "Type of entity",
    "Website",
    "Parent company",
    "Business Reg No",
    "Subsidiaries",
    "IMO number",
    "Flag of ship",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
    "Current owners",
    "Fax",
    "Previous flags",
)
_OI_SPLIT = re.compile(r"\((" + "|".join(re.escape(k) for k in _OI_KEYS) + r")\)\s*:", re.I)
_OI_CANON = {k.lower(): k for k in _OI_KEYS}
_UK_REF = re.compile(r"\b([A-Z]{3}\d{4})\b")
_UK_REF_LEAD = re.compile(r"^[A-Za-z]{3}\d{4}(?:\s*(?:and|,)\s*[A-Za-z]{3}\d{4})*\.?\s*")
_SENTENCES = re.compile(r"\.\s+")
_WEBSITES = re.compile(r"\s*\(\d+\)\s*|,\s*|\s+(?=www\.|https?://)")
_UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
_EXTRA_MEASURES = re.compile(r"imposed in addition to an asset freeze:\s*(.+?)(?=\.?\s*Date\b|\s*\(|$)", re.I)
_ASSET_OF = re.compile(r"Listed as asset of (.+?) \(OFSI ID:\s*(\d+)")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_IMO = re.compile(r"\b(?:IMO\s*)?(\d{7})\b")

_KINDS = {
    "primary name": "name",
    "primary name variation": "alias",
    "aka": "alias",
    "fka": "previousName",
}


def parse_ofsi(path: Path, source: str | None = None) -> ListVersion:
    """OFSI's ConList.xlsx (sheet `Data`) or ConList.csv; one Record per Group ID."""
    path = Path(path)
    source = source or "gb_hmt_sanctions"
    raw = read_bytes(path)
    if raw[:2] == b"PK":
        _, sheet = read_xlsx(path, raw, "Data")
        rows = [(f"row {i + 1}", r) for i, r in enumerate(sheet)]
    else:
        rows = _csv_rows(path, raw)
    return _build(path, source, "ofsi-conlist", rows)


def _csv_rows(path: Path, raw: bytes) -> list[tuple[str, list[CellValue]]]:
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise SourceError(
            path,
            f"line {line}, byte {nul}",
            "contains NUL bytes (UTF-16?); expected UTF-8 or Windows-1252 text",
        )
    text = decode_text(raw, path, ("utf-8", "cp1252"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[str, list[CellValue]]] = []
    try:
        for record in reader:
            rows.append((f"line {reader.line_num}", list(record)))
    except csv.Error as exc:
        raise SourceError(path, f"line {reader.line_num}", f"malformed CSV: {exc}") from exc
    return rows


def _text(value: CellValue) -> str | None:
    if value is None or isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))


def _build(path: Path, source: str, fmt: str, rows: Sequence[tuple[str, Sequence[CellValue]]]) -> ListVersion:
    content = [(where, r) for where, r in rows if any(v not in (None, "") for v in r)]
    if not content:
        raise SourceError(path, None, "file is empty")
    published = None
    first_where, first = content[0]
    if _text(first[0]) == "Last Updated":
        published = one_date(first[1] if len(first) > 1 else None)
        content = content[1:]
        if not content:
            raise SourceError(path, first_where, "no header row after 'Last Updated'")
    header_where, header = content[0]
    cols = header_map(path, header, OFSI_COLUMNS, header_where)
    index = [cols[c] for c in OFSI_COLUMNS]

    width = max(index) + 1
    data = [(where, r if len(r) >= width else [*r, *([None] * (width - len(r)))]) for where, r in content[1:]]
    # One row per name x address x regime: the same strings recur thousands of times, so
    # each distinct value is cleaned once and rows are mapped through the result in C.
    distinct = set(chain.from_iterable(r for _, r in data))
    lookup: Callable[[CellValue], str | None] = _text  # per cell: 1 and True would share a dict key
    if all(v is None or type(v) is str for v in distinct):
        lookup = {v: _text(v) for v in distinct}.__getitem__
    groups: dict[str, list[tuple[str, dict[str, str | None]]]] = {}
    for where, row in data:
        cells = dict(zip(OFSI_COLUMNS, map(lookup, map(row.__getitem__, index)), strict=True))
        gid = cells["Group ID"]
        if not gid:
            raise SourceError(path, f"{where}, column 'Group ID'", "empty Group ID")
        groups.setdefault(gid, []).append((where, cells))

    jurisdiction, authority = source_authority(source, "gb_hmt_sanctions")
    unmapped: set[str] = set()
    warnings: list[str] = []
    records: list[Record] = []
    for gid, group in groups.items():
        try:
            records.append(_record(source, gid, group, jurisdiction, authority, unmapped, warnings))
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise SourceError(path, group[0][0], f"cannot read Group ID {gid}: {exc}") from exc
    warnings.extend(f"unmapped country {v!r}" for v in sorted(unmapped))
    return ListVersion(source=source, format=fmt, records=records, published=published, warnings=warnings)


def _kind(alias_type: str | None, quality: str | None, gid: str, warnings: list[str]) -> str:
    kind = _KINDS.get((alias_type or "").lower())
    if kind is None:
        if alias_type:
            add_unique(warnings, f"Group ID {gid}: unknown Alias Type {alias_type!r}, read as alias")
        kind = "alias"
    if kind == "alias" and (alias_type or "").lower() == "aka" and "low" in (quality or "").lower():
        kind = "weakAlias"
    return kind


def _row_name(given: list[str | None], last: str | None, kind: str, regime: str | None) -> Name | None:
    full = " ".join(p for p in (*given, last) if p)
    if not full:
        return None
    father = None
    middles = [p for p in given[1:] if p]
    # Russian and Belarusian targets carry the patronymic in Name 2.
    if regime in ("Russia", "Belarus") and is_patronymic(given[1]):
        father = given[1]
        middles = [p for p in given[2:] if p]
    return make_name(
        full,
        kind=kind,
        first=given[0],
        father=father,
        middle=" ".join(middles) or None,
        last=last if any(given) else None,
    )


def _other_information(text: str) -> list[tuple[str, str]]:
    """("", lead text) then (label, value) pairs of an `Other Information` cell."""
    parts = _OI_SPLIT.split(text)
    out = [("", parts[0])] if clean(parts[0]) else []
    for label, value in zip(parts[1::2], parts[2::2], strict=True):
        out.append((_OI_CANON[label.lower()], value.strip().rstrip(".").strip()))
    return out


def _record(
    source: str,
    gid: str,
    group: list[tuple[str, dict[str, str | None]]],
    jurisdiction: str,
    authority: str,
    unmapped: set[str],
    warnings: list[str],
) -> Record:
    names: list[Name] = []
    births: list[FuzzyDate] = []
    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    links: list[Link] = []
    props: dict[str, list[str]] = {}
    regimes: dict[str, list[str]] = {}  # regime → listing dates seen
    uk_dates: list[str] = []
    last_updated: list[str] = []
    reasons: list[str] = []
    un_refs: list[str] = []
    measures: list[str] = ["Asset freeze"]
    group_type = group[0][1]["Group Type"]
    russian = any(c["Regime"] in ("Russia", "Belarus") for _, c in group)
    seen: set[tuple[str | None, ...]] = set()

    def once(*key: str | None) -> bool:
        """True the first time a group shows these values: rows repeat most facts."""
        if key in seen:
            return False
        seen.add(key)
        return True

    for _, c in group:
        regime = c["Regime"]
        given = [c[f"Name {i}"] for i in range(1, 6)]
        if once("name", *given, c["Name 6"], c["Alias Type"], c["Alias Quality"], regime):
            kind = _kind(c["Alias Type"], c["Alias Quality"], gid, warnings)
            add_unique(names, _row_name(given, c["Name 6"], kind, regime))
            non_latin = c["Name Non-Latin Script"]
            if non_latin:
                lang = language(c["Non-Latin Script Language"])
                add_unique(names, make_name(non_latin, kind=kind, lang=lang))
        if once("title", c["Title"]):
            for title in values(c["Title"]):
                add_clean_prop(props, "title", title)
        if once("dob", c["DOB"]):
            for d in dates(c["DOB"]):
                add_unique(births, d)
        if once("birth", c["Town of Birth"], c["Country of Birth"]):
            _birth_places(c["Town of Birth"], c["Country of Birth"], props, unmapped)
        if once("nat", c["Nationality"]):
            for code in countries(c["Nationality"], unmapped):
                add_clean_prop(props, "nationality", code)
        if once("pass", c["Passport Number"], c["Passport Details"]):
            for ident in _paired_ids("passportNumber", c["Passport Number"], c["Passport Details"]):
                add_unique(identifiers, ident)
        if once("ni", c["National Identification Number"], c["National Identification Details"]):
            number = c["National Identification Number"]
            if group_type == "Entity":
                found = registration_ids(number, russian)
            else:
                found = _paired_ids("idNumber", number, c["National Identification Details"])
            for ident in found:
                add_unique(identifiers, ident)
        if once("pos", c["Position"]):
            for position in values(c["Position"]):
                add_clean_prop(props, "position", position)
        if once("addr", *(c[k] for k in _ADDRESS_COLUMNS), c["Post/Zip Code"], c["Country"]):
            _address([c[k] for k in _ADDRESS_COLUMNS], c["Post/Zip Code"], c["Country"],
                     addresses, props, unmapped)  # fmt: skip
        if once("dates", regime, c["Listed On"], c["UK Sanctions List Date Designated"], c["Last Updated"]):
            if regime:
                add_unique(regimes.setdefault(regime, []), one_date(c["Listed On"]))
            add_unique(uk_dates, one_date(c["UK Sanctions List Date Designated"]))
            add_unique(last_updated, one_date(c["Last Updated"]))
        info = c["Other Information"]
        if info and once("info", info):
            _apply_info(info, props, identifiers, links, reasons, un_refs, measures, russian, unmapped)

    if group_type == "Individual":
        schema = "Person"
    elif group_type == "Ship":
        schema = "Vessel"
        for n in names:
            if "IMO" in n.full:
                for imo in _IMO.findall(n.full):
                    add_unique(identifiers, Identifier(scheme="imoNumber", value=imo))
    else:
        if group_type != "Entity":
            add_unique(warnings, f"Group ID {gid}: unknown Group Type {group_type!r}, read as an entity")
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])

    listing_dates = [d for ds in regimes.values() for d in ds]
    first_listed = min(listing_dates) if listing_dates else None
    for designated in uk_dates:
        if designated != first_listed:
            add_clean_prop(props, "notes", f"UK Sanctions List date designated: {designated}")
    if last_updated:
        props["modifiedAt"] = [max(last_updated)]
    designations = [
        Designation(
            jurisdiction=jurisdiction,
            authority=authority,
            programs=(regime,),
            listing_date=min(listed) if listed else None,
            authority_id=gid,
            unsc_id=un_refs[0] if un_refs else None,
            measures=tuple(measures),
            reason="\n".join(reasons) or None,
        )
        for regime, listed in regimes.items()
    ]
    names.sort(key=lambda n: NAME_KINDS.index(n.kind))
    return Record(
        source=source,
        id=gid,
        schema=schema,
        names=names,
        birth_dates=births,
        identifiers=identifiers,
        addresses=addresses,
        designations=designations,
        links=links,
        properties=props,
    )


def _birth_places(
    town: str | None, land: str | None, props: dict[str, list[str]], unmapped: set[str]
) -> None:
    towns, lands = numbered(town), numbered(land)
    if len(towns) == len(lands) and len(towns) > 1:
        pairs = list(zip(towns, lands, strict=True))
    else:
        pairs = [(", ".join(t for t in towns if t) or None, ", ".join(c for c in lands if c) or None)]
    for t, c in pairs:
        add_clean_prop(props, "birthPlace", ", ".join(p for p in (t, c) if p))
    for code in countries(land, unmapped):
        add_clean_prop(props, "birthCountry", code)


def _paired_ids(scheme: str, numbers: str | None, details: str | None) -> list[Identifier]:
    """Numbers and their details, paired by OFSI's "(1) ... (2) ..." numbering."""
    nums, notes = numbered(numbers), numbered(details)
    if len(notes) != len(nums):
        notes = [clean(details)] * len(nums)
    out: list[Identifier] = []
    for number, note in zip(nums, notes, strict=True):
        if number:
            add_unique(out, Identifier(scheme=scheme, value=number, country=lead_country(note), note=note))
    return out


def _address(
    lines: list[str | None],
    postcode: str | None,
    land: str | None,
    addresses: list[Address],
    props: dict[str, list[str]],
    unmapped: set[str],
) -> None:
    code = country(land) if land else None
    if land and not code:
        unmapped.add(land)
    if not any(lines) and not postcode:
        if code:
            add_clean_prop(props, "country", code)
        return
    full = ", ".join(p for p in (*lines, postcode, land) if p)
    add_unique(addresses, Address(full=full, postal_code=postcode, country=code))


def _apply_info(
    info: str,
    props: dict[str, list[str]],
    identifiers: list[Identifier],
    links: list[Link],
    reasons: list[str],
    un_refs: list[str],
    measures: list[str],
    russian: bool,
    unmapped: set[str],
) -> None:
    for label, value in _other_information(info):
        if not value:
            continue
        if label in ("", "UK Sanctions List Ref"):
            rest = value
            if label:
                refs = _UK_REF.findall(value[:40])
                for ref in refs:
                    add_unique(
                        links, Link(relation="same_as", target_name="", target_id=f"gb_fcdo_sanctions:{ref}")
                    )
                lead = _UK_REF_LEAD.match(value)
                if refs and lead:
                    rest = value[lead.end() :]
                elif not refs:
                    add_clean_prop(props, "notes", f"UK Sanctions List Ref: {value.split()[0].rstrip('.')}")
                    rest = value[len(value.split()[0]) :]
            for m in _EXTRA_MEASURES.finditer(rest):
                for measure in _SENTENCES.split(m[1]):
                    measure = clean(measure.strip(" .-"))
                    if measure and not measure.lower().startswith(("the ", "date ")):
                        add_unique(measures, measure)
            for m in _ASSET_OF.finditer(rest):
                add_unique(
                    links, Link(relation="owner", target_name=m[1], target_id=f"gb_hmt_sanctions:{m[2]}")
                )
            add_clean_prop(props, "notes", rest)
        elif label == "UK Statement of Reasons":
            add_unique(reasons, clean(value))
        elif label == "UN Ref":
            un = _UN_REF.match(value)
            if un:
                add_unique(un_refs, un[1])
                add_clean_prop(props, "notes", value[un.end() :].lstrip(". "))
            else:
                add_clean_prop(props, "notes", value)
        elif label == "Gender":
            add_clean_prop(props, "gender", value.lower())
        elif label == "Phone number":
            for phone in values(value):
                add_clean_prop(props, "phone", phone)
        elif label == "Fax":
            add_clean_prop(props, "notes", f"Fax: {value}")
        elif label in ("Email address", "Website"):
            emails = _EMAIL.findall(value)
            for email in emails:
                add_clean_prop(props, "email", email.rstrip("."))
            if label == "Website":
                rest = _EMAIL.sub(" ", value)
                for site in _WEBSITES.split(rest):
                    add_clean_prop(props, "website", site.strip(" .;"))
        elif label == "Type of entity":
            add_clean_prop(props, "legalForm", value)
        elif label == "Parent company":
            add_unique(links, Link(relation="parent", target_name=value))
        elif label == "Subsidiaries":
            add_unique(links, Link(relation="subsidiary", target_name=value))
        elif label == "Current owners":
            if not any(link.relation == "owner" and link.target_name == value for link in links):
                links.append(Link(relation="owner", target_name=value))
        elif label == "Business Reg No":
            for ident in registration_ids(value, russian):
                add_unique(identifiers, ident)
        elif label == "IMO number":
            for imo in _IMO.findall(value):
                add_unique(identifiers, Identifier(scheme="imoNumber", value=imo))
        elif label == "Flag of ship":
            for code in countries(value, unmapped):
                add_clean_prop(props, "flag", code)
        elif label == "Previous flags":
            for code in countries(value.replace(". ", ", "), unmapped):
                add_clean_prop(props, "pastFlags", code)
        elif label == "Type of ship":
            add_clean_prop(props, "type", value)
        elif label == "Tonnage of ship":
            add_clean_prop(props, "tonnage", value)
        elif label == "Year built":
            add_clean_prop(props, "buildDate", value)
        elif label == "Length of ship":
            add_clean_prop(props, "notes", f"Length of ship: {value}")
