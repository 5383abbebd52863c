"""US OFAC lists (SDN and the non-SDN Consolidated list) in their three published formats.

- `ofac-legacy-csv`: sdn.csv (or cons_prim.csv) plus optional alt/add/comments siblings.
  Birth dates, documents, nationalities and relations are only in the Remarks text,
  which `ofac_remarks` types.
- `ofac-classic-xml`, `ofac-enhanced-xml`: see `ofac_xml`.

Record.id is OFAC's own ent_num / uid in all three, so versions of any format line up.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reckon.model import Address, Designation, FuzzyDate, Identifier, Link, ListVersion, Name, Record
from reckon.sources.common import (
    SourceError,
    add_prop,
    clean,
    decode_text,
    entity_schema,
    paused_gc,
    read_bytes,
    source_authority,
    unique,
)
from reckon.sources.ofac_remarks import (
    NO_COUNTRY,
    REMARKS_LIMIT,
    cell,
    entity_name,
    fast_name,
    ofac_country,
    parse_remarks,
    person_name,
)

SDN = "us_ofac_sdn"
CONS = "us_ofac_cons"
FMT_CSV = "ofac-legacy-csv"
FMT_CLASSIC = "ofac-classic-xml"
FMT_ENHANCED = "ofac-enhanced-xml"

SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
COMMENT_COLUMNS = ("ent_num", "comment")

_SCHEMA_BY_TYPE = {
    "individual": "Person",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "entity": None,
    "": None,
}
_ALT_KINDS = {"aka": "alias", "fka": "previousName", "nka": "alias"}
_ENTITY_ID = re.compile(r"^\d+$")
_MEMO_SIZE = 1 << 16
_NULL_VESSEL = ["-0- "] * 6


def default_source(path: Path) -> str:
    """us_ofac_cons for the Consolidated list's file names, else us_ofac_sdn."""
    name = path.name.lower()
    if name.startswith("cons_") or "consolidated" in name:
        return CONS
    return SDN


def _country(text: str | None, unmapped: list[str] | dict[str, None]) -> str | None:
    """ISO code of an OFAC country field; an unknown name is noted for one warning."""
    if not text:
        return None
    code = ofac_country(text)
    if code is None and text.lower() not in NO_COUNTRY:
        if isinstance(unmapped, dict):
            unmapped[text] = None
        elif text not in unmapped:
            unmapped.append(text)
    return code


# =============================================================================== CSV


def _decode_csv(raw: bytes, path: Path) -> str:
    if not raw.strip(b" \t\r\n\x1a"):
        raise SourceError(path, "line 1", "file is empty")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        raise SourceError(path, "line 1, byte 0", "UTF-16/32 byte-order mark; OFAC CSV is ASCII/UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise SourceError(path, f"line {line}, byte {nul}", "NUL byte in text (UTF-16 encoded file?)")
    # Older OFAC files are Windows-1252 (accented names); current ones are ASCII.
    text = decode_text(raw, path, ("utf-8", "cp1252"))
    # The file ends with a DOS end-of-file byte on a line of its own.
    return text.rstrip().rstrip("\x1a").rstrip()


def _csv_rows(path: Path, columns: tuple[str, ...], text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a header-less OFAC CSV, each row checked for its width."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for row in reader:
            if row and len(row) != len(columns):
                if len(row) == 1 and not row[0].strip(" \x1a"):
                    line = reader.line_num + 1
                    continue
                missing = ", ".join(columns[len(row) :]) if len(row) < len(columns) else ""
                detail = f"; missing {missing}" if missing else ""
                raise SourceError(
                    path, f"line {line}", f"expected {len(columns)} columns, found {len(row)}{detail}"
                )
            if row:
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(path, f"line {line}", f"malformed CSV ({exc}); truncated file?") from exc


@dataclass(slots=True)
class _Parsed:
    """One sdn.csv row, typed. The memo hands it to many versions, so it is never
    mutated: `record()` copies every list. (Not frozen: frozen init is 4x slower.)"""

    id: str
    schema: str
    names: tuple[Name, ...]
    birth_dates: tuple[FuzzyDate, ...]
    identifiers: tuple[Identifier, ...]
    links: tuple[Link, ...]
    designation: Designation
    properties: tuple[tuple[str, tuple[str, ...]], ...]
    unmapped: tuple[str, ...]
    truncated: bool

    def record(self, source: str) -> Record:
        return Record(
            source=source,
            id=self.id,
            schema=self.schema,
            names=list(self.names),
            birth_dates=list(self.birth_dates),
            identifiers=list(self.identifiers),
            links=list(self.links),
            designations=[self.designation],
            properties={k: list(v) for k, v in self.properties},
        )


def _sdn_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each sdn.csv record, a record spanning lines kept whole.

    The raw text, not the parsed cells, keys the row memo: an unchanged row is then a
    single dict lookup, with no CSV parsing at all.
    """
    text = _decode_csv(read_bytes(path), path)
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if pending:
            pending.append(line)
            joined = "\n".join(pending)
            if joined.count('"') % 2 == 0:
                pending = []
                yield start, joined
            continue
        if not line.strip(" \x1a"):
            continue
        if line.count('"') % 2:
            pending, start = [line], number
            continue
        yield number, line
    if pending:
        raise SourceError(path, f"line {start}", "quoted field never closed (file truncated?)")


@lru_cache(maxsize=_MEMO_SIZE)
def _parse_sdn_line(source: str, text: str, comment: str) -> _Parsed:
    """Type one sdn.csv record. Memoised: consecutive versions share almost every row."""
    rows = list(csv.reader([text], strict=True))
    row = rows[0] if len(rows) == 1 else []
    if len(row) != len(SDN_COLUMNS):
        missing = ", ".join(SDN_COLUMNS[len(row) :])
        detail = f"; missing {missing}" if missing else ""
        raise ValueError(f"expected {len(SDN_COLUMNS)} columns, found {len(row)}{detail}")
    truncated = not comment and len(row[11]) >= REMARKS_LIMIT
    return _parse_sdn_row(source, row, comment, truncated)


def _parse_sdn_row(source: str, row: list[str], comment: str, truncated: bool) -> _Parsed:
    ent_num, sdn_name, sdn_type, program, title = row[0], row[1], row[2], row[3], row[4]
    ent_id = ent_num.strip()
    if not _ENTITY_ID.match(ent_id):
        raise ValueError(f"column 'ent_num': not a number: {ent_num!r}")
    kind = (cell(sdn_type) or "").lower()
    if kind not in _SCHEMA_BY_TYPE:
        raise ValueError(f"column 'SDN_Type': unknown type {sdn_type!r}")
    schema = _SCHEMA_BY_TYPE[kind]
    is_person = schema == "Person"
    full = cell(sdn_name)
    if full is None:
        raise ValueError("column 'SDN_Name': empty")
    primary = person_name(full) if is_person else fast_name(full)
    titles = _titles(title)
    remarks = row[11] if cell(row[11]) else ""
    facts = parse_remarks(remarks + comment, titles=titles, person=is_person, truncated=truncated)

    names = [n for n in (primary, *facts.names) if n is not None]
    identifiers = list(facts.identifiers)
    links = list(facts.links)
    props: dict[str, list[str]] = {}
    for t in titles:
        add_prop(props, "position", t)
    unmapped = list(facts.unmapped_countries)
    if row[5:11] != _NULL_VESSEL:  # only vessels fill these six columns
        call_sign = cell(row[5])
        if call_sign:
            identifiers.insert(0, Identifier("callSign", call_sign))
        add_prop(props, "type", cell(row[6]))
        add_prop(props, "tonnage", cell(row[7]))
        add_prop(props, "grossRegisteredTonnage", cell(row[8]))
        flag = cell(row[9])
        if flag:
            add_prop(props, "flag", _country(flag, unmapped))
        owner = cell(row[10])
        if owner:
            links.insert(0, Link(relation="owner", target_name=owner))
    for key, values in facts.properties.items():
        for v in values:
            add_prop(props, key, v)
    for note in facts.notes:
        add_prop(props, "notes", note)
    if schema is None:
        schema = entity_schema([n.full for n in names], [i.scheme for i in identifiers])
    jurisdiction, authority = source_authority(source)
    designation = Designation(
        jurisdiction=jurisdiction,
        authority=authority,
        programs=tuple(_programs(program)),
        authority_id=ent_id,
        measures=tuple(facts.measures),
    )
    return _Parsed(
        id=ent_id,
        schema=schema,
        names=tuple(unique(names)),
        birth_dates=tuple(facts.birth_dates),
        identifiers=tuple(unique(identifiers)),
        links=tuple(unique(links)),
        designation=designation,
        properties=tuple((k, tuple(v)) for k, v in props.items()),
        unmapped=tuple(unmapped),
        truncated=truncated,
    )


def _titles(value: str | None) -> tuple[str, ...]:
    text = cell(value)
    if text is None:
        return ()
    return tuple(t for t in (x.strip() for x in text.split(";")) if t)


def _programs(value: str) -> list[str]:
    """`IRAN] [SDGT] [IFSR` → IRAN, SDGT, IFSR."""
    text = cell(value)
    if text is None:
        return []
    return unique([p for p in (x.strip("[] ") for x in text.split("] [")) if p])


def _siblings(main: Path) -> dict[str, Path]:
    """alt/add/comments files beside sdn.csv or cons_prim.csv (plain or compressed)."""
    name = main.name.lower()
    stem = name.split(".", 1)[0]
    if stem == "cons_prim":
        wanted = {"alt": "cons_alt", "add": "cons_add", "comments": "cons_comments"}
    elif stem == "sdn":
        wanted = {"alt": "alt", "add": "add", "comments": "sdn_comments"}
    else:
        # A dated copy (sdn_2024-05-03.csv) has no trustworthy siblings.
        return {}
    found: dict[str, Path] = {}
    for role, base in wanted.items():
        for suffix in (".csv", ".csv.gz", ".csv.xz", ".csv.bz2", ".CSV"):
            candidate = main.with_name(base + suffix)
            if candidate.exists():
                found[role] = candidate
                break
    return found


def _main_csv(path: Path) -> Path:
    if not path.is_dir():
        return path
    for base in ("sdn", "cons_prim"):
        for suffix in (".csv", ".csv.gz", ".csv.xz", ".csv.bz2", ".CSV"):
            candidate = path / (base + suffix)
            if candidate.exists():
                return candidate
    raise SourceError(path, None, "directory holds no sdn.csv or cons_prim.csv")


def parse_legacy_csv(path: Path, source: str | None = None) -> ListVersion:
    """sdn.csv / cons_prim.csv, merged with alt, add and comments files when present."""
    with paused_gc():
        return _parse_legacy_csv(Path(path), source)


def _parse_legacy_csv(path: Path, source: str | None) -> ListVersion:
    main = _main_csv(path)
    source = source or default_source(main)
    source_authority(source)  # an unknown source name fails here, not as a row error
    siblings = _siblings(main)
    warnings: list[str] = []

    texts: dict[str, str] = {}
    for role, sibling in siblings.items():
        raw = read_bytes(sibling)
        if raw.strip(b" \t\r\n\x1a"):
            texts[role] = _decode_csv(raw, sibling)
        else:
            # OFAC has published empty companion files; they mean "nothing to add".
            warnings.append(f"{sibling.name} is empty; ignored")

    comments: dict[str, str] = {}
    if "comments" in texts:
        for _line, row in _csv_rows(siblings["comments"], COMMENT_COLUMNS, texts["comments"]):
            key = row[0].strip()
            comments[key] = comments.get(key, "") + row[1]

    records: list[Record] = []
    by_id: dict[str, Record] = {}
    unmapped: dict[str, None] = {}
    truncated_ids: list[str] = []
    for line, text in _sdn_lines(main):
        comment = comments.get(text.split(",", 1)[0].strip(' "'), "") if comments else ""
        try:
            parsed = _parse_sdn_line(source, text, comment)
        except (KeyError, IndexError, ValueError, TypeError, csv.Error) as exc:
            raise SourceError(main, f"line {line}", str(exc)) from exc
        if parsed.id in by_id:
            warnings.append(f"ent_num {parsed.id} appears twice (line {line}); later row ignored")
            continue
        if parsed.truncated:
            truncated_ids.append(parsed.id)
        for value in parsed.unmapped:
            unmapped[value] = None
        record = parsed.record(source)
        by_id[parsed.id] = record
        records.append(record)
    if truncated_ids:
        shown = ", ".join(truncated_ids[:10]) + (", …" if len(truncated_ids) > 10 else "")
        warnings.append(
            f"{len(truncated_ids)} Remarks cells are cut at {REMARKS_LIMIT} characters and no comments "
            f"file continues them (ent_num {shown}); their last item is kept verbatim in notes"
        )

    orphans = 0
    if "alt" in texts:
        orphans += _merge_alt(siblings["alt"], texts["alt"], by_id)
    if "add" in texts:
        orphans += _merge_add(siblings["add"], texts["add"], by_id, unmapped)
    if orphans:
        warnings.append(f"{orphans} alt/add rows name an ent_num missing from {main.name}; ignored")
    for value in unmapped:
        warnings.append(f"country not recognised: {value!r}")
    return ListVersion(source=source, format=FMT_CSV, records=records, published=None, warnings=warnings)


def require_end_marker(path: Path) -> None:
    """Refuse an sdn.csv / cons_prim.csv (and alt, add) that lacks OFAC's end-of-file byte.

    Every copy OFAC published ends with a DOS end-of-file byte (0x1A) on a line of its
    own: the 308 sdn.csv versions of 2021-08 .. 2024-05, the 2021 and 2025 quartets and
    cons_prim.csv/cons_alt.csv/cons_add.csv of 2025-12 all do. A copy cut at a line end
    parses cleanly and would delist everyone after the cut, so a complete version needs
    it. Samples (watchman's 17-row fixture) lack it; sdn_comments.csv is not checked
    (the 2021 quartet's was trimmed by its collector).
    """
    main = _main_csv(Path(path))
    siblings = _siblings(main)
    for file in [main, *(siblings[role] for role in ("alt", "add") if role in siblings)]:
        tail = _tail(file)
        if file is not main and not tail.strip(b" \t\r\n\x1a"):
            continue  # an empty companion file, which the parser ignores
        if not tail.rstrip(b" \t\r\n").endswith(b"\x1a"):
            lines = read_bytes(file).rstrip(b" \t\r\n").count(b"\n") + 1
            raise SourceError(
                file,
                f"line {lines}",
                "the file ends here without OFAC's end-of-file byte (0x1A): it is cut short",
            )


def _tail(file: Path) -> bytes:
    """The last bytes of a file, decompressed (a plain file is not read whole)."""
    if file.suffix.lower() in (".gz", ".xz", ".bz2"):
        return read_bytes(file)[-64:]
    try:
        with file.open("rb") as fh:
            fh.seek(max(0, file.stat().st_size - 64))
            return fh.read()
    except OSError as exc:
        raise SourceError(file, None, exc.strerror or str(exc)) from exc


def _merge_alt(path: Path, text: str, by_id: dict[str, Record]) -> int:
    orphans = 0
    for line, row in _csv_rows(path, ALT_COLUMNS, text):
        record = by_id.get(row[0].strip())
        if record is None:
            orphans += 1
            continue
        alt_type = (clean(row[2]) or "").lower()
        kind = _ALT_KINDS.get(alt_type)
        if kind is None:
            raise SourceError(path, f"line {line}, column 'alt_type'", f"unknown alias type {row[2]!r}")
        full = clean(row[3])
        if full is None:
            continue
        name = person_name(full, kind) if record.schema == "Person" else entity_name(full, kind)
        if name is not None and name not in record.names:
            record.names.append(name)
            if record.schema == "Organization":
                # An alias may carry the legal form the primary name lacks.
                record.schema = entity_schema([name.full], ())
        remark = clean(row[4])
        if remark:
            add_prop(record.properties, "notes", f"{full}: {remark}")
    return orphans


def _merge_add(path: Path, text: str, by_id: dict[str, Record], unmapped: dict[str, None]) -> int:
    orphans = 0
    for _line, row in _csv_rows(path, ADD_COLUMNS, text):
        record = by_id.get(row[0].strip())
        if record is None:
            orphans += 1
            continue
        street, city, country = clean(row[2]), clean(row[3]), clean(row[4])
        full = ", ".join(p for p in (street, city, country) if p)
        if full:
            code = _country(country, unmapped)
            address = Address(full=full, street=street, city=city, country=code)
            if address not in record.addresses:
                record.addresses.append(address)
        remark = clean(row[5])
        if remark:
            add_prop(record.properties, "notes", remark)
    return orphans
