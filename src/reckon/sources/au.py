"""Australia DFAT Consolidated List (`Australian_Sanctions_Consolidated_List.xlsx`).

One row per name: a primary row with Reference `7544` and alias / original-script rows
`7544a`, `7544b` ... that repeat the primary's facts. They are merged into one Record
whose id is the reference without the letter suffix.

`Listing Information` is prose ("Listed on 25 Jan. 2001 (amended ...)") or an
instrument's title: the first full date in it becomes the listing date, and the text
is kept as the designation's reason. `Control Date` (DFAT's last change) becomes
properties["modifiedAt"], the latest over the record's rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
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
    entity_schema,
    make_name,
    read_bytes,
    source_authority,
)
from reckon.sources.spreadsheet import CellValue, header_map, read_xlsx
from reckon.sources.textfields import (
    countries,
    countries_in,
    country,
    dates,
    first_date_in,
    labelled_numbers,
    surname_last,
)

DFAT_COLUMNS = (
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Alias Strength",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "IMO Number",
    "Committees",
    "Control Date",
    "Instrument of Designation",
    "Targeted Financial Sanction",
    "Travel Ban",
    "Arms Embargo",
    "Maritime Restriction",
)
_MEASURES = (
    ("Targeted Financial Sanction", "Targeted financial sanction"),
    ("Travel Ban", "Travel ban"),
    ("Arms Embargo", "Arms embargo"),
    ("Maritime Restriction", "Maritime restriction"),
)
_SCHEMA = {"individual": "Person", "vessel": "Vessel"}
_REFERENCE = re.compile(r"^(\d+)\s*([a-z]{0,3})$", re.I)
_UN_REF = re.compile(r"^\s*([A-Z]{2}[ie]\.\d{3})\b", re.I)
_WORDS = re.compile(r"[A-Za-z]+")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_WEBSITE = re.compile(r"(?:https?://|www\.)[^\s,;()]+", re.I)
_GENDER = re.compile(r"\bGender:\s*(male|female)\b", re.I)
_PASSPORT = re.compile(r"passport\s*(?:no\b\.?|number\b|n°)\s*:?", re.I)
_NATIONAL_ID = re.compile(r"national\s+identi(?:fication|ty)\s*(?:card\s*)?(?:no\b\.?|number\b)\s*:?", re.I)
_IMO = re.compile(r"\bIMO\s*(?:number|no\.?)?\s*:?\s*(\d{7})\b", re.I)


def parse_dfat(path: Path, source: str | None = None) -> ListVersion:
    """The DFAT consolidated list; one Record per Reference number."""
    path = Path(path)
    source = source or "au_dfat_sanctions"
    raw = read_bytes(path)
    _, rows = read_xlsx(path, raw, "Consolidated List")
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(v is not None and v != "" for v in r)]
    if not numbered:
        raise SourceError(path, "sheet 'Consolidated List'", "the sheet has no rows")
    header_no, header = numbered[0]
    cols = header_map(path, header, DFAT_COLUMNS, f"sheet 'Consolidated List', row {header_no}")
    jurisdiction, authority = source_authority(source, "au_dfat_sanctions")

    groups: dict[str, list[tuple[int, dict[str, CellValue]]]] = {}
    bases: set[str] = set()
    for row_no, row in numbered[1:]:
        cells = {name: (row[cols[name]] if cols[name] < len(row) else None) for name in DFAT_COLUMNS}
        ref = clean(_plain(cells["Reference"]))
        m = _REFERENCE.match(ref or "")
        if not m:
            raise SourceError(path, f"row {row_no}, column 'Reference'", f"not a DFAT reference: {ref!r}")
        groups.setdefault(m[1], []).append((row_no, cells))
        if not m[2]:
            bases.add(m[1])

    records: list[Record] = []
    warnings: list[str] = []
    unmapped: set[str] = set()
    for ref, group in groups.items():
        if ref not in bases:
            # A real DFAT typo: alias row 8495b belongs to 8594 (same person, same DOB), and no
            # 8495 exists. Guessing the owner is unsafe, so the row is reported and left out.
            orphans = ", ".join(f"{_plain(c['Reference'])} (row {n})" for n, c in group)
            warnings.append(f"alias rows without a primary reference {ref}: {orphans}; left out")
            continue
        try:
            records.append(_record(source, ref, group, jurisdiction, authority, warnings, unmapped))
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise SourceError(path, f"row {group[0][0]}", f"cannot read reference {ref}: {exc}") from exc
    warnings.extend(f"unmapped country {v!r}" for v in sorted(unmapped))
    return ListVersion(source=source, format="dfat-xlsx", records=records, published=None, warnings=warnings)


def _plain(value: CellValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).replace("\xa0", " ")


def _text(value: CellValue) -> str | None:
    return clean(_plain(value))


def _record(
    source: str,
    ref: str,
    group: Sequence[tuple[int, dict[str, CellValue]]],
    jurisdiction: str,
    authority: str,
    warnings: list[str],
    unmapped: set[str],
) -> Record:
    primary = next(c for _, c in group if _text(c["Reference"]) == ref)
    kind_text = (_text(primary["Type"]) or "").lower()
    names: list[Name] = []
    births: list[FuzzyDate] = []
    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    links: list[Link] = []
    props: dict[str, list[str]] = {}
    programs: list[str] = []
    legal: list[str] = []
    listing: list[str] = []
    reasons: list[str] = []
    unsc: list[str] = []
    measures: list[str] = []
    control: list[str] = []
    seen: set[tuple[str, object]] = set()

    def once(column: str, value: object) -> bool:
        key = (column, value)
        if key in seen:
            return False
        seen.add(key)
        return True

    for _, c in group:
        full = _text(c["Name of Individual or Entity"])
        name_type = (_text(c["Name Type"]) or "").lower()
        strength = (_text(c["Alias Strength"]) or "").lower()
        if name_type == "primary name":
            kind = "name"
        elif name_type == "original script":
            kind = "alias"
        else:
            if name_type != "alias":
                add_unique(warnings, f"reference {ref}: unknown Name Type {c['Name Type']!r}, read as alias")
            kind = "weakAlias" if strength == "weak" else "alias"
        if full:
            if kind_text == "individual" and name_type != "original script":
                add_unique(names, surname_last(full, kind))
            else:
                add_unique(names, make_name(full, kind=kind))
        if once("dob", c["Date of Birth"]):
            for d in dates(c["Date of Birth"]):
                add_unique(births, d)
        if once("pob", c["Place of Birth"]):
            add_clean_prop(props, "birthPlace", _text(c["Place of Birth"]))
        if once("cit", c["Citizenship"]):
            citizenship = _text(c["Citizenship"])
            for nationality in countries(citizenship.replace(":", ",") if citizenship else None, unmapped):
                add_clean_prop(props, "nationality", nationality)
        if once("addr", c["Address"]):
            full_address = _text(c["Address"])
            if full_address:
                code = country(full_address.rsplit(",", 1)[-1])
                add_unique(addresses, Address(full=full_address, country=code))
        if once("info", c["Additional Information"]):
            _additional(_plain(c["Additional Information"]), props, identifiers, unsc)
        if once("listing", c["Listing Information"]):
            value = c["Listing Information"]
            if isinstance(value, datetime):
                add_unique(listing, value.date().isoformat())
            else:
                text = _text(value)
                add_unique(listing, first_date_in(text))
                add_unique(reasons, text)
        imo = _text(c["IMO Number"])
        if imo and once("imo", imo):
            add_unique(identifiers, Identifier(scheme="imoNumber", value=imo))
        add_unique(programs, _text(c["Committees"]))
        add_unique(legal, _text(c["Instrument of Designation"]))
        control_date = c["Control Date"]
        if isinstance(control_date, datetime):
            add_unique(control, control_date.date().isoformat())
        for column, label in _MEASURES:
            if c[column] is True or (_text(c[column]) or "").lower() in ("true", "yes", "y"):
                add_unique(measures, label)

    if names and not any(n.kind == "name" for n in names):
        # DFAT mislabels a few primary rows (8720 is "Original Script" in Latin letters):
        # the row carrying the bare reference number is the primary name.
        base = make_name(_text(primary["Name of Individual or Entity"]), kind="name")
        if base is not None:
            names = [base, *(n for n in names if n.full != base.full)]
            add_unique(warnings, f"reference {ref}: no Primary Name row; the unsuffixed row's name is used")
    names.sort(key=lambda n: NAME_KINDS.index(n.kind))
    if kind_text in _SCHEMA:
        schema = _SCHEMA[kind_text]
    else:
        if kind_text != "entity":
            add_unique(warnings, f"reference {ref}: unknown Type {primary['Type']!r}, read as an entity")
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    if control:
        props["modifiedAt"] = [max(control)]
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(programs),
        listing_date=min(listing) if listing else None,
        legal_basis="\n".join(legal) or None,
        authority_id=ref,
        unsc_id=unsc[0] if unsc else None,
        measures=tuple(measures),
        # Listing Information often only repeats the instrument's title: not a reason.
        reason="\n".join(r for r in reasons if r not in legal) or None,
    )
    return Record(
        source=source,
        id=ref,
        schema=schema,
        names=names,
        birth_dates=births,
        identifiers=identifiers,
        addresses=addresses,
        designations=[designation],
        links=links,
        properties=props,
    )


def _additional(
    text: str | None, props: dict[str, list[str]], identifiers: list[Identifier], unsc: list[str]
) -> None:
    """UN reference, clearly labelled identifiers and contacts; the whole text → notes."""
    if not text or not clean(text):
        return
    if m := _UN_REF.match(text):
        ref = m[1]
        add_unique(unsc, ref[:2].upper() + ref[2].lower() + ref[3:])
    for number, context in labelled_numbers(text, _PASSPORT):
        words = _WORDS.findall(context)
        add_unique(
            identifiers, Identifier(scheme="passportNumber", value=number, country=countries_in(words))
        )
    for number, context in labelled_numbers(text, _NATIONAL_ID):
        words = _WORDS.findall(context)
        add_unique(identifiers, Identifier(scheme="idNumber", value=number, country=countries_in(words)))
    for imo in _IMO.findall(text):
        add_unique(identifiers, Identifier(scheme="imoNumber", value=imo))
    for email in _EMAIL.findall(text):
        add_clean_prop(props, "email", email.rstrip("."))
    for site in _WEBSITE.findall(_EMAIL.sub(" ", text)):
        add_clean_prop(props, "website", site.rstrip("."))
    if m := _GENDER.search(text):
        add_clean_prop(props, "gender", m[1].lower())
    add_clean_prop(props, "notes", text)
