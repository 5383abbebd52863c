"""Canada's Consolidated Autonomous Sanctions List (SEMA / JVCFOA), XML (format `sema-xml`).

Three schemas of the same flat `<data-set><record>` layout are read:
- the 2020 file names its fields Country, LastName, GivenName, Entity, Title, Aliases,
  DateOfBirth, Schedule, Item;
- the 2025 file uses English names for the current fields (EntityOrShip, TitleOrShip,
  ShipIMONumber, DateOfBirthOrShipBuildDate, DateOfListing, ...);
- the 2026 file uses bilingual names (Country-Pays, EntityOrShip-EntiteOuNavire,
  ShipIMONumber-NumeroOMIDuNavire, DateOfListing-DateDinscription, ...).

Record ids: the list has none of its own, only "Country / Schedule / Item". The id is
`<country>/<schedule>/<item>`: the English country (the part before " / "), lowercased,
spaces to '-'; schedule and item trimmed as written. A missing or "N/A" schedule leaves
its segment empty (`ukraine//12`) so every id keeps three segments; "1,Part 3" is
written "1, Part 3" as everywhere else. The ids are the list's own labels: between 2020
and 2025 Canada relabelled schedules ("1" became "1, Part 1" for Russia and Iran, "Part 1"
for Syria and Ukraine) and Burma became "Myanmar (Burma)", so those records change id;
where the labels stayed (Russia "1, Part 2", Venezuela, Zimbabwe) the id stays. No file
has repeats; should one appear, the second gets `#2` appended (in document order) and a
warning, so ids stay unique and stable for the same bytes.

The Country field names the sanctions regime, not a nationality: it becomes the
designation's programme only.

Decisions on free text:
- Aliases are split on commas, semicolons and " or ", except a comma in brackets and one
  before a bare legal form ("Банк Зенит, ПАО" is one name). For persons " and " also
  separates names ("A, B and C"); for entities it does not, because "Investment and
  Commercial Bank" is one name. An entity name "X (also known as Y, Z)" is X with the
  aliases Y and Z. "Arabic:" and similar labels introduce an original-script alias.
  Single-word aliases of persons (a given name variant such as "Andrei", a nom de guerre
  such as "Motorola") are weakAlias: they cannot identify anyone alone.
- Dates of birth: "a or b" (or "OR") gives two dates; "Sep-99" is read as September 1999
  (as the shared date parser does; it is an Excel artefact in the source, kept with its
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

# The three schemas mapped onto one set of field names.
_FIELDS = {
    "Country": "country",
    "Country-Pays": "country",
    "LastName": "last",
    "LastName-NomDeFamille": "last",
    "GivenName": "given",
    "GivenName-Prenom": "given",
    "Entity": "entity",
    "EntityOrShip": "entity",
    "EntityOrShip-EntiteOuNavire": "entity",
    "Title": "title",
    "TitleOrShip": "title",
    "TitleOrShipType-TitreOuTypeDeNavire": "title",
    "ShipIMONumber": "imo",
    "ShipIMONumber-NumeroOMIDuNavire": "imo",
    "Aliases": "aliases",
    "Aliases-Alias": "aliases",
    "DateOfBirth": "dob",
    "DateOfBirthOrShipBuildDate": "dob",
    "DateOfBirthOrShipBuildDate-DateDeNaissanceOuDateDeConstructionDuNavire": "dob",
    "Schedule": "schedule",
    "Schedule-Annexe": "schedule",
    "Item": "item",
    "Item-NumeroDarticle": "item",
    "DateOfListing": "listed",
    "DateOfListing-DateDinscription": "listed",
}
_SHIP_WORDS = re.compile(
    r"\b(tanker|cargo|vessel|bulk|carrier|ship|container|trawler|tug|ro-ro|lng|lpg)\b", re.I
)
_DECADE = re.compile(r"\b(?:(early|mid|late)[\s-]+)?(\d{3}0)'?s\b", re.I)
_DECADE_SPAN = {"early": (0, 5), "mid": (3, 7), "late": (5, 9), "": (0, 9)}
_LANG_LABEL = re.compile(
    r"\b(Arabic|Russian|Ukrainian|Belarusian|Belarussian|Persian|Farsi|Chinese|Korean)\s*:\s*", re.I
)
_LANGS = {
    "arabic": "ara",
    "russian": "rus",
    "ukrainian": "ukr",
    "belarusian": "bel",
    "belarussian": "bel",  # the 2025 file's spelling in 8 records
    "persian": "fas",
    "farsi": "fas",
    "chinese": "zho",
    "korean": "kor",
}
# The 2025 file also separates variants with " or " ("Анна Андреевна Пушкарева or Анна
# Андреевна Шейман", "ЦИК or Центризбирком"), once after a comma ("Alexander, or Alexandr").
_ALIAS_SPLIT = re.compile(r"\s*[,;]\s*(?:or\s+)?|\s+or\s+")
# 67 entity names of the 2025 file carry their other names inside: "Dux JSC (also known
# as Duks)"; 2 lose the closing bracket to truncation in the source.
_AKA = re.compile(r"\s*\(also known as\s+(.*?)\)?\s*$", re.I)
# "Банк Зенит, ПАО", "Mytishchinski Mashinostroitelny Zavod, OAO": in the 2025 file a legal
# form after a comma ends the name before it (39 aliases), it is not a name of its own.
_LEGAL_FORMS = frozenset(
    {"АО", "ЗАО", "ОАО", "ПАО", "ООО", "САО", "ФГУП"}
    | {"AO", "ZAO", "OAO", "PAO", "OOO", "JSC", "CJSC", "OJSC", "PJSC", "LLC", "FSUE", "SC"}
)
_BRACKETED = re.compile(r"\([^()]*\)")
_AND_SPLIT = re.compile(r"\s+and\s+", re.I)


def parse_sema(path: Path, source: str | None = None) -> ListVersion:
    """Read one sema-lmes.xml (any of the three schemas) into a ListVersion."""
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
    # "1,Part 3" once beside 5 "1, Part 3": one spelling, so a corrected comma keeps the id.
    schedule = re.sub(r"\s*,\s*", ", ", clean(f.get("schedule")) or "")
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
        entity, also_known = _split_also_known(entity)
        name = make_name(entity)
        if name:
            names.append(name)
        names.extend(n for n in (make_name(a, kind="alias") for a in also_known) if n)
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
        # A comma in brackets is the name's own: "Центр (исследовательский, боевого
        # применения …) 924 …", "(ЦНИИМаш, АО)" (2025 file).
        masked = _BRACKETED.sub(lambda m: m[0].replace(",", "\x00"), chunk)
        parts = [p.replace("\x00", ",") for p in _ALIAS_SPLIT.split(masked)]
        for part in parts if person else _join_legal_forms(parts):
            subparts = _AND_SPLIT.split(part) if person else [part]
            for sub in subparts:
                alias = clean(_unbracket(sub))
                if not alias:
                    continue
                kind = "weakAlias" if person and " " not in alias else "alias"
                name = make_name(alias, kind=kind, lang=chunk_lang)
                if name:
                    out.append(name)
    return out


def _split_also_known(entity: str) -> tuple[str, list[str]]:
    """The name before "(also known as A, B and C)" and the names inside.

    Commas separate the names unless a legal form follows ("…Zavod, OAO"); " and " only
    before the last of several ("A, B and C"), since it is part of names such as "Research
    and Production Corporation" and "Life and Challenge Co. Ltd.".
    """
    m = _AKA.search(entity)
    if not m or m.start() == 0:
        return entity, []
    parts = _join_legal_forms(m[1].split(","))
    if len(parts) > 1 and " and " in parts[-1]:
        head, _, tail = parts[-1].rpartition(" and ")
        parts[-1:] = [head, tail]
    return entity[: m.start()], parts


def _unbracket(text: str) -> str:
    """Drop brackets around an alias ("(Sber)") or left unmatched by the split ("РФПИ)" of
    "Фонд (РФПИ)"), but not the closing one of "Фонд (РФПИ)" itself."""
    text = text.strip()
    while text[:1] == "(" and text.count("(") > text.count(")"):
        text = text[1:].strip()
    while text[-1:] == ")" and text.count(")") > text.count("("):
        text = text[:-1].strip()
    if text[:1] == "(" and text[-1:] == ")" and "(" not in text[1:-1] and ")" not in text[1:-1]:
        text = text[1:-1].strip()
    return text


def _join_legal_forms(pieces: list[str]) -> list[str]:
    out: list[str] = []
    lead = ""  # "ОАО, БЭТО" (twice): a form before the name
    for piece in pieces:
        piece = piece.strip()
        if piece.strip("() ") in _LEGAL_FORMS:
            if out:
                out[-1] = f"{out[-1]}, {piece}"
            else:
                lead = f"{piece} "
        elif piece:
            out.append(lead + piece)
            lead = ""
    return out


def _birth_dates(text: str) -> list[FuzzyDate]:
    m = _DECADE.search(text)
    if m:
        decade = int(m[2])
        lo, hi = _DECADE_SPAN[(m[1] or "").lower()]
        return [FuzzyDate(f"{decade + lo:04d}", approximate=True, until=f"{decade + hi:04d}", original=text)]
    # "1965-07-15 OR 1969-09-28" (2025 file): the shared splitter knows "or" in lower case.
    return parse_dates(re.sub(r"\bOR\b", "or", text))
