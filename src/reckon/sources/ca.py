"""Canada's Consolidated Autonomous Sanctions List (SEMA / JVCFOA), XML (format `sema-xml`).

Two schemas of the same flat `<data-set><record>` layout are read:
- the 2020 file names its fields Country, LastName, GivenName, Entity, Title, Aliases,
  DateOfBirth, Schedule, Item;
- the current file uses bilingual names (Country-Pays, EntityOrShip-EntiteOuNavire,
  ShipIMONumber-NumeroOMIDuNavire, DateOfListing-DateDinscription, ...).

Record ids: the list has none of its own, only "Country / Schedule / Item". The id is
`<country>/<schedule>/<item>`: the English country (the part before " / "), lowercased,
spaces to '-'; schedule and item trimmed as written. A missing or "N/A" schedule leaves
its segment empty (`ukraine//12`) so every id keeps three segments. The 2020 file has
no repeats; should one appear, the second gets `#2` appended (in document order) and a
warning, so ids stay unique and stable for the same bytes.

The Country field names the sanctions regime, not a nationality: it becomes the
designation's programme only.

Decisions on free text:
- Aliases are split on commas and semicolons (no alias in either file contains a comma of
  its own). For persons " and " also separates names ("A, B and C"); for entities it
  does not, because "Investment and Commercial Bank" is one name. "Arabic:" and similar
  labels introduce an original-script alias. Single-word aliases of persons (a given
  name variant such as "Andrei", a nom de guerre such as "Motorola") are weakAlias: they
  cannot identify anyone alone.
- Dates of birth: "a or b" gives two dates; "Sep-99" is read as September 1999 (as the
  shared date parser does; it is an Excel artefact in the source, kept with its
  original text); "born in the early 1970s" becomes an approximate range 1970-1975
  (mid: 1973-1977, late: 1975-1979, bare decade: 1970-1979).
- Titles and ship types are bilingual "English | Français" (new) or "English/Français"
  (titles, 2020): both languages are kept as separate values.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from reckon.model import Designation, FuzzyDate, Identifier, ListVersion, Name, Record
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    entity_schema,
    make_name,
    parse_date,
    parse_dates,
    parse_xml,
    read_bytes,
    source_authority,
    unique_by_full,
)

FORMAT = "sema-xml"
DEFAULT_SOURCE = "ca_dfatd_sema_sanctions"

# Both schemas mapped onto one set of field names.
_FIELDS = {
    "Country": "country",
    "Country-Pays": "country",
    "LastName": "last",
    "LastName-NomDeFamille": "last",
    "GivenName": "given",
    "GivenName-Prenom": "given",
    "Entity": "entity",
    "EntityOrShip-EntiteOuNavire": "entity",
    "Title": "title",
    "TitleOrShipType-TitreOuTypeDeNavire": "title",
    "ShipIMONumber-NumeroOMIDuNavire": "imo",
    "Aliases": "aliases",
    "Aliases-Alias": "aliases",
    "DateOfBirth": "dob",
    "DateOfBirthOrShipBuildDate-DateDeNaissanceOuDateDeConstructionDuNavire": "dob",
    "Schedule": "schedule",
    "Schedule-Annexe": "schedule",
    "Item": "item",
    "Item-NumeroDarticle": "item",
    "DateOfListing-DateDinscription": "listed",
}
_SHIP_WORDS = re.compile(
    r"\b(tanker|cargo|vessel|bulk|carrier|ship|container|trawler|tug|ro-ro|lng|lpg)\b", re.I
)
_DECADE = re.compile(r"\b(?:(early|mid|late)[\s-]+)?(\d{3}0)'?s\b", re.I)
_DECADE_SPAN = {"early": (0, 5), "mid": (3, 7), "late": (5, 9), "": (0, 9)}
_LANG_LABEL = re.compile(r"\b(Arabic|Russian|Ukrainian|Belarusian|Persian|Farsi|Chinese|Korean)\s*:\s*", re.I)
_LANGS = {
    "arabic": "ara",
    "russian": "rus",
    "ukrainian": "ukr",
    "belarusian": "bel",
    "persian": "fas",
    "farsi": "fas",
    "chinese": "zho",
    "korean": "kor",
}
_ALIAS_SPLIT = re.compile(r"\s*[,;]\s*")
_AND_SPLIT = re.compile(r"\s+and\s+", re.I)


def parse_sema(path: Path, source: str | None = None) -> ListVersion:
    """Read one sema-lmes.xml (either schema) into a ListVersion."""
    src = source or DEFAULT_SOURCE
    root = parse_xml(read_bytes(path), path)
    if root.tag != "data-set":
        raise SourceError(path, f"line {root.sourceline}", f"expected root data-set, found {root.tag}")
    jurisdiction, authority = source_authority(src, DEFAULT_SOURCE)
    warnings: list[str] = []
    records: list[Record] = []
    seen: dict[str, int] = {}
    for el in root.iter("record"):
        try:
            rec = _record(el, src, jurisdiction, authority, warnings)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, f"line {el.sourceline}", f"cannot read record: {exc}") from exc
        if isinstance(rec, str):
            raise SourceError(path, f"line {el.sourceline}", rec)
        base = rec.id
        count = seen.get(base, 0) + 1
        seen[base] = count
        if count > 1:
            rec.id = f"{base}#{count}"
            warnings.append(f"duplicate id {base} at line {el.sourceline}: stored as {rec.id}")
        records.append(rec)
    if not records:
        raise SourceError(path, f"line {root.sourceline}", "no <record> elements")
    return ListVersion(source=src, format=FORMAT, records=records, published=None, warnings=warnings)


def _fields(el: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        key = _FIELDS.get(child.tag)
        if key is None:
            continue
        # Clean but keep line breaks collapsed: "Bunkering Tanker\n(LNG)" is one type.
        text = clean((child.text or "").replace("\xa0", " "))
        if text:
            out[key] = text
    return out


def _record(
    el: etree._Element, src: str, jurisdiction: str, authority: str, warnings: list[str]
) -> Record | str:
    f = _fields(el)
    country = f.get("country")
    item = f.get("item")
    if not country or not item:
        return "record without Country or Item"
    program = country.split(" / ")[0].strip()
    schedule = clean(f.get("schedule")) or ""
    rid = f"{program.lower().replace(' ', '-')}/{schedule}/{item}"

    props: dict[str, list[str]] = {}
    names: list[Name] = []
    identifiers: list[Identifier] = []
    birth_dates: list[FuzzyDate] = []
    last, given, entity = f.get("last"), f.get("given"), f.get("entity")
    imo = f.get("imo")
    title = f.get("title")
    person = bool(last or given)
    vessel = not person and bool(imo or (title and _SHIP_WORDS.search(title)))

    if person:
        name = make_name(None, first=given, last=last)
        if name:
            names.append(name)
    elif entity:
        name = make_name(entity)
        if name:
            names.append(name)
    if not names:
        return "record without LastName, GivenName or Entity"

    if f.get("aliases"):
        names.extend(_aliases(f["aliases"], person))

    if title:
        key = "type" if vessel else "title"
        for part in _bilingual(title, person):
            add_prop(props, key, part)

    if imo:
        digits = re.sub(r"\D", "", imo)
        identifiers.append(Identifier("imoNumber", f"IMO{digits}" if len(digits) == 7 else imo))

    dob = f.get("dob")
    if dob:
        if vessel:
            build = parse_date(dob)
            add_prop(props, "buildDate", build.value if build else dob)
        elif not person:
            # No entity in either file has a date; should one appear, keep it as said.
            add_prop(props, "notes", f"Date: {dob}")
        else:
            dates = _birth_dates(dob)
            if dates:
                birth_dates.extend(d for d in dates if d not in birth_dates)
            else:
                add_prop(props, "notes", f"Date of birth: {dob}")
                warnings.append(f"{rid}: unparsed date of birth {dob!r}")

    listed = parse_date(f.get("listed"))
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=(program,),
        listing_date=listed.value if listed else None,
        authority_id=rid,
    )
    if person:
        schema = "Person"
    elif vessel:
        schema = "Vessel"
    else:
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    return Record(
        source=src,
        id=rid,
        schema=schema,
        names=unique_by_full(names),
        birth_dates=birth_dates,
        identifiers=identifiers,
        designations=[designation],
        properties=props,
    )


def _bilingual(text: str, person: bool) -> list[str]:
    parts = [p.strip() for p in text.split(" | ")]
    if person and len(parts) == 1 and "/" in text:
        parts = [p.strip() for p in text.split("/")]
    return [p for p in parts if p]


def _aliases(text: str, person: bool) -> list[Name]:
    out: list[Name] = []
    # A language label ("Arabic:عبدالرحيم دقلو") starts a new alias in that language.
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    lang: str | None = None
    for m in _LANG_LABEL.finditer(text):
        pieces.append((text[pos : m.start()], lang))
        lang = _LANGS[m[1].lower()]
        pos = m.end()
    pieces.append((text[pos:], lang))
    for chunk, chunk_lang in pieces:
        for part in _ALIAS_SPLIT.split(chunk):
            subparts = _AND_SPLIT.split(part) if person else [part]
            for sub in subparts:
                alias = clean(sub.strip().strip("()").strip())
                if not alias:
                    continue
                kind = "weakAlias" if person and " " not in alias else "alias"
                name = make_name(alias, kind=kind, lang=chunk_lang)
                if name:
                    out.append(name)
    return out


def _birth_dates(text: str) -> list[FuzzyDate]:
    m = _DECADE.search(text)
    if m:
        decade = int(m[2])
        lo, hi = _DECADE_SPAN[(m[1] or "").lower()]
        return [FuzzyDate(f"{decade + lo:04d}", approximate=True, until=f"{decade + hi:04d}", original=text)]
    return parse_dates(text)
