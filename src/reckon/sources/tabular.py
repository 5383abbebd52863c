"""Mapped tables: CSV, XLSX or JSON lines read into Records through a declarative mapping.

Civil-society datasets of documented or alleged responsibility ("candidates") come as
plain tables whose columns differ from one dataset, and from one year, to the next. A
mapping file (TOML, see `data/mappings/acf_war_enablers.toml`, whose header documents
every field) says which column gives which fact, so a new dataset needs data, not code.

Each row becomes one Record with one Designation-like entry: the row's categories as
`programs`, its allegation text as `reason`, the publisher as `authority` and the
dataset's own code (not a country) as `jurisdiction`. The registry's `kind =
"allegations"` keeps these apart from sanctions everywhere (analysis/status.py).

A dataset without ids gets a stable one: a hash of the fields the mapping names (e.g.
the Russian name and the birth date), each normalised so that re-spellings that do not
change the person (case, ё/е, punctuation, a date written another way) keep the id.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from reckon.model import NAME_KINDS, SCHEMATA, Designation, FuzzyDate, ListVersion, Name, Record
from reckon.sources.common import SourceError, clean, csv_table, decode_text, make_name, read_bytes

FORMATS = ("csv", "xlsx", "jsonl")
# The registry's format name for a dataset read through its shipped mapping.
MAPPED_FORMAT = "mapped-csv"
ID_PARTS = ("name", "birth_date")

# Every field a mapping may hold, by table: a misspelt field would otherwise be ignored
# and its column silently left out.
_FIELDS: dict[str, frozenset[str]] = {
    "": frozenset(
        {"dataset", "id", "names", "birth_date", "gender", "position", "category"}
        | {"reason", "source_url", "schema", "properties", "join"}
    ),
    "dataset": frozenset(
        {"source", "title", "publisher", "licence", "jurisdiction", "url", "format"} | {"encoding", "sheet"}
    ),
    "id": frozenset({"column", "hash", "prefix"}),
    "names": frozenset({"column", "kind", "lang", "script", "separator", "optional"}),
    "birth_date": frozenset({"column", "formats", "ignore", "optional"}),
    "gender": frozenset({"column", "values", "optional"}),
    "position": frozenset({"column", "separator", "optional"}),
    "category": frozenset({"column", "separator", "optional"}),
    "reason": frozenset({"column", "optional"}),
    "source_url": frozenset({"column", "optional"}),
    "schema": frozenset({"default", "column", "values", "optional"}),
    "properties": frozenset({"column", "property", "separator", "prefix", "join", "optional"}),
    "join": frozenset({"file", "on", "column", "prefix"}),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One fact's column: its header, or alternatives for other layouts of the dataset."""

    headers: tuple[str, ...]
    optional: bool = False
    separator: str | None = None  # a multi-valued cell: one value per separated part


@dataclass(frozen=True, slots=True)
class NameColumn:
    column: Column
    kind: str = "name"
    lang: str | None = None
    script: str | None = None


@dataclass(frozen=True, slots=True)
class PropertyColumn:
    """Any other FtM property, e.g. `notes`, with a prefix saying whose statement it is."""

    column: Column
    prop: str
    prefix: str = ""
    join: str | None = None  # the values as one statement, joined (None: one each)


@dataclass(frozen=True, slots=True)
class Join:
    """A second table of the same dataset (same format and encoding), read beside the main one.

    Rows meet where the main table's `on` column and this table's `column` give the same
    name (normalised as the stable id normalises it); this table's columns are then read
    as `prefix + header`. It is a full join: a row of either table that meets none is kept,
    so every row of both is accounted for.
    """

    file: str  # relative to the imported file's directory
    on: str
    column: str
    prefix: str


@dataclass(frozen=True, slots=True)
class Mapping:
    path: str
    source: str
    title: str
    publisher: str
    licence: str
    jurisdiction: str
    table_format: str = "csv"
    url: str | None = None
    encodings: tuple[str, ...] = ("utf-8",)
    sheet: str | None = None
    id_column: Column | None = None
    id_hash: tuple[str, ...] = ()
    id_prefix: str = ""
    names: tuple[NameColumn, ...] = ()
    birth_date: Column | None = None
    date_formats: tuple[str, ...] = ()
    date_ignore: tuple[str, ...] = ()
    gender: Column | None = None
    gender_values: dict[str, str] = field(default_factory=dict)
    position: Column | None = None
    category: Column | None = None
    reason: Column | None = None
    source_url: Column | None = None
    schema: str = "Person"
    schema_column: Column | None = None
    schema_values: dict[str, str] = field(default_factory=dict)
    properties: tuple[PropertyColumn, ...] = ()
    join: Join | None = None


# ---------------------------------------------------------------------------- mapping


def load_mapping(path: str | Path) -> Mapping:
    """A mapping file read and checked: unknown fields and bad values are SourceErrors."""
    try:
        text = read_bytes(path).decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"byte {exc.start}", "mapping is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(path, None, f"not a valid TOML mapping: {exc}") from exc
    return mapping_from_dict(data, str(path))


def mapping_from_dict(data: dict[str, Any], path: str) -> Mapping:
    _known(data, "", path)
    ds = _table(data, "dataset", path, required=True)
    missing = [
        k for k in ("source", "publisher", "jurisdiction") if not isinstance(ds.get(k), str) or not ds[k]
    ]
    if missing:
        raise SourceError(path, "table dataset", f"missing {', '.join(missing)}")
    table_format = _str(ds, "format", path, "dataset") or "csv"
    if table_format not in FORMATS:
        raise SourceError(path, "dataset.format", f"{table_format!r} is not one of {', '.join(FORMATS)}")
    encodings = _strings(ds, "encoding", path, "dataset") or ("utf-8",)
    for enc in encodings:
        try:
            codecs.lookup(enc)
        except LookupError:
            raise SourceError(path, "dataset.encoding", f"unknown encoding {enc!r}") from None

    id_t = _table(data, "id", path, required=True)
    id_column = _column(id_t, "id", path) if "column" in id_t else None
    id_hash = _strings(id_t, "hash", path, "id")
    bad = [p for p in id_hash if p not in ID_PARTS]
    if bad:
        raise SourceError(path, "id.hash", f"unknown part {bad[0]!r} (known: {', '.join(ID_PARTS)})")
    if (id_column is None) == (not id_hash):
        raise SourceError(
            path, "table id", "give either column (the dataset's own id) or hash (parts of a stable id)"
        )

    names = []
    raw_names = data.get("names", [])
    if not isinstance(raw_names, list) or not raw_names:
        raise SourceError(path, "names", "at least one name column is required")
    for i, entry in enumerate(raw_names):
        where = f"names.{i + 1}"
        _known(entry, "names", path, where)
        kind = _str(entry, "kind", path, where) or "name"
        if kind not in NAME_KINDS:
            raise SourceError(path, f"{where}.kind", f"{kind!r} is not one of {', '.join(NAME_KINDS)}")
        col = _column(entry, where, path)
        names.append(
            NameColumn(col, kind, _str(entry, "lang", path, where), _str(entry, "script", path, where))
        )

    dob = _table(data, "birth_date", path)
    gender = _table(data, "gender", path)
    schema_t = _table(data, "schema", path)
    schema = _str(schema_t, "default", path, "schema") or "Person"
    schema_values = {k.casefold(): v for k, v in _words(schema_t, path, "schema").items()}
    for value in [schema, *schema_values.values()]:
        if value not in SCHEMATA:
            raise SourceError(path, "table schema", f"{value!r} is not one of {', '.join(SCHEMATA)}")

    props = []
    for i, entry in enumerate(data.get("properties", [])):
        where = f"properties.{i + 1}"
        _known(entry, "properties", path, where)
        prop = _str(entry, "property", path, where)
        if not prop:
            raise SourceError(path, f"{where}", "missing property (the FtM property it fills)")
        props.append(
            PropertyColumn(
                _column(entry, where, path),
                prop,
                _str(entry, "prefix", path, where) or "",
                _str(entry, "join", path, where),
            )
        )
    join_t = _table(data, "join", path)
    join = None
    if join_t:
        parts = {k: _str(join_t, k, path, "join") for k in ("file", "on", "column", "prefix")}
        if not parts["file"] or not parts["on"] or not parts["column"]:
            raise SourceError(path, "table join", "give file, on (a column here) and column (one there)")
        join = Join(parts["file"], parts["on"], parts["column"], parts["prefix"] or "")
    return Mapping(
        path=path,
        source=ds["source"],
        title=_str(ds, "title", path, "dataset") or ds["source"],
        publisher=ds["publisher"],
        licence=_str(ds, "licence", path, "dataset") or "",
        jurisdiction=ds["jurisdiction"],
        table_format=table_format,
        url=_str(ds, "url", path, "dataset"),
        encodings=encodings,
        sheet=_str(ds, "sheet", path, "dataset"),
        id_column=id_column,
        id_hash=id_hash,
        id_prefix=_str(id_t, "prefix", path, "id") or "",
        names=tuple(names),
        birth_date=_column(dob, "birth_date", path) if dob else None,
        date_formats=_strings(dob, "formats", path, "birth_date"),
        date_ignore=_strings(dob, "ignore", path, "birth_date"),
        gender=_column(gender, "gender", path) if gender else None,
        gender_values={k.strip().casefold(): v for k, v in _words(gender, path, "gender").items()},
        position=_optional_column(data, "position", path),
        category=_optional_column(data, "category", path),
        reason=_optional_column(data, "reason", path),
        source_url=_optional_column(data, "source_url", path),
        schema=schema,
        schema_column=_column(schema_t, "schema", path) if "column" in schema_t else None,
        schema_values=schema_values,
        properties=tuple(props),
        join=join,
    )


def _known(entry: object, table: str, path: str, where: str | None = None) -> None:
    place = where or (f"table {table}" if table else "top level")
    if not isinstance(entry, dict):
        raise SourceError(path, place, "expected a table")
    unknown = sorted(set(entry) - _FIELDS[table])
    if unknown:
        known = ", ".join(sorted(_FIELDS[table]))
        raise SourceError(path, place, f"unknown field {unknown[0]!r} (known: {known})")


def _table(data: dict[str, Any], name: str, path: str, required: bool = False) -> dict[str, Any]:
    if name not in data:
        if required:
            raise SourceError(path, f"table {name}", "missing table")
        return {}
    _known(data[name], name, path)
    table: dict[str, Any] = data[name]
    return table


def _optional_column(data: dict[str, Any], name: str, path: str) -> Column | None:
    table = _table(data, name, path)
    return _column(table, name, path) if table else None


def _str(entry: MappingType[str, Any], key: str, path: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise SourceError(path, f"{where}.{key}", "expected a string")
    return value


def _column(entry: MappingType[str, Any], where: str, path: str) -> Column:
    headers = entry.get("column")
    if isinstance(headers, str):
        headers = [headers]
    if not isinstance(headers, list) or not headers or not all(isinstance(h, str) for h in headers):
        raise SourceError(path, f"{where}.column", "expected a header name or a list of alternatives")
    optional = entry.get("optional", False)
    if not isinstance(optional, bool):
        raise SourceError(path, f"{where}.optional", "expected true or false")
    return Column(tuple(headers), optional, _str(entry, "separator", path, where))


def _strings(entry: MappingType[str, Any], key: str, path: str, where: str) -> tuple[str, ...]:
    """A string or a list of strings."""
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(path, f"{where}.{key}", "expected a string or a list of strings")
    return tuple(value)


def _words(entry: MappingType[str, Any], path: str, where: str) -> dict[str, str]:
    """A `values` table: the dataset's words → reckon's."""
    value = entry.get("values", {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SourceError(path, f"{where}.values", 'expected a table of words, e.g. { m = "male" }')
    return dict(value)


@lru_cache(maxsize=16)
def shipped_mapping(source: str) -> Mapping:
    """The mapping shipped for a registered dataset (`data/mappings/<source>.toml`)."""
    ref = resources.files("reckon.data").joinpath("mappings", f"{source}.toml")
    if not ref.is_file():
        raise KeyError(f"no mapping shipped for {source!r}")
    return mapping_from_dict(tomllib.loads(ref.read_text(encoding="utf-8")), f"mappings/{source}.toml")


def parse_registered(path: Path, source: str | None = None) -> ListVersion:
    """A registered candidates dataset (registry format `mapped-csv`) read through its shipped mapping."""
    if source is None:
        raise SourceError(path, None, f"{MAPPED_FORMAT} needs its source named (--source)")
    try:
        mapping = shipped_mapping(source)
    except KeyError as exc:
        raise SourceError(path, None, str(exc.args[0])) from None
    return parse_mapped(path, mapping, source)


# ----------------------------------------------------------------------------- tables


def _rows(
    path: Path, mapping: Mapping, warnings: list[str]
) -> tuple[list[str], Iterator[tuple[str, list[str]]]]:
    """The header and (place, cells) of each row, with the joined table's beside them."""
    header, rows = _table_rows(path, mapping)
    if mapping.join is None:
        return header, rows
    return _joined(path, mapping, mapping.join, header, rows, warnings)


def _joined(
    path: Path,
    mapping: Mapping,
    join: Join,
    header: list[str],
    rows: Iterator[tuple[str, list[str]]],
    warnings: list[str],
) -> tuple[list[str], Iterator[tuple[str, list[str]]]]:
    other = path.parent / join.file
    if not other.exists():
        raise SourceError(other, None, f"no such file (joined by {mapping.path}, beside {path.name})")
    o_header, o_rows = _table_rows(other, mapping)
    if join.on not in header:
        raise SourceError(path, "line 1", f"no column {join.on!r} to join on")
    if join.column not in o_header:
        raise SourceError(other, "line 1", f"no column {join.column!r} to join on")
    on, key = header.index(join.on), o_header.index(join.column)
    by_key: dict[str, tuple[str, list[str]]] = {}
    repeated = 0
    for place, cells in o_rows:
        k = normalise_key(cells[key])
        if k in by_key:
            repeated += 1  # the first row of a name wins; the count is reported
            continue
        by_key[k] = (place, cells)
    blank = [""] * len(o_header)
    met: set[str] = set()
    combined: list[tuple[str, list[str]]] = []
    for place, cells in rows:
        k = normalise_key(cells[on])
        found = by_key.get(k)
        if found is not None:
            met.add(k)
        combined.append((place, cells + (found[1] if found else blank)))
    only_other = [(k, v) for k, v in by_key.items() if k not in met]
    for _, (place, cells) in only_other:
        mine = [""] * len(header)
        mine[on] = cells[key]
        combined.append((f"{other.name} {place}", mine + cells))
    warnings.append(
        f"joined {other.name} on {join.on!r} = {join.column!r}: {len(met)} names in both, "
        f"{len(only_other)} only in {other.name}"
        + (f", {repeated} of its rows repeat a name and were left out" if repeated else "")
    )
    return header + [join.prefix + h for h in o_header], iter(combined)


def _table_rows(path: Path, mapping: Mapping) -> tuple[list[str], Iterator[tuple[str, list[str]]]]:
    """The header and (place, cells) of each row, whatever the table format."""
    raw = read_bytes(path)
    if mapping.table_format == "xlsx":
        from reckon.sources.spreadsheet import read_xlsx

        _, sheet = read_xlsx(path, raw, mapping.sheet)
        if not sheet:
            raise SourceError(path, mapping.sheet or "sheet 1", "sheet is empty")
        header = ["" if v is None else " ".join(str(v).split()) for v in sheet[0]]
        # A sheet leaves out trailing empty cells: a short row is padded, never misread.
        width = len(header)
        return header, (
            (f"row {i}", ([_cell(v) for v in row] + [""] * width)[:width])
            for i, row in enumerate(sheet[1:], start=2)
        )
    text = decode_text(raw, path, mapping.encodings)
    if mapping.table_format == "jsonl":
        return _jsonl(path, text)
    header, rows = csv_table(path, text)
    return header, ((f"row {n}", row) for n, row in rows)


def _cell(value: object) -> str:
    """A spreadsheet value as the table's text: a date cell as an ISO date (add "%Y-%m-%d"
    to the mapping's formats), a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _jsonl(path: Path, text: str) -> tuple[list[str], Iterator[tuple[str, list[str]]]]:
    objects: list[tuple[int, dict[str, Any]]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(path, f"line {line_no}", f"not JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise SourceError(path, f"line {line_no}", "expected a JSON object")
        objects.append((line_no, obj))
    header = list(dict.fromkeys(k for _, obj in objects for k in obj))

    def cell(value: object) -> str:
        # A JSON list is a multi-valued cell: one value per line (map it with separator "\n").
        if isinstance(value, list):
            return "\n".join(cell(v) for v in value)
        return _cell(value)

    return header, ((f"line {n}", [cell(obj.get(k)) for k in header]) for n, obj in objects)


# ------------------------------------------------------------------------------ rows


def _resolve(path: Path, header: list[str], column: Column | None, what: str) -> int | None:
    """The index of the first alternative the file has; a required column missing is an error."""
    if column is None:
        return None
    for alt in column.headers:
        if alt in header:
            return header.index(alt)
    if column.optional:
        return None
    wanted = " or ".join(repr(h) for h in column.headers)
    found = ", ".join(repr(h) for h in header)
    raise SourceError(path, "line 1", f"no column {wanted} for {what}; columns found: {found}")


def _values(cells: list[str], index: int | None, separator: str | None) -> list[str]:
    if index is None:
        return []
    text = cells[index]
    parts = text.split(separator) if separator else [text]
    return [v for v in (clean(p) for p in parts) if v]


def normalise_key(text: str) -> str:
    """A name as the stable id sees it: case, ё/е, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def stable_id(prefix: str, parts: list[str]) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:16]}"


def _date(text: str, mapping: Mapping) -> FuzzyDate | None:
    core = text
    for noise in mapping.date_ignore:
        core = core.replace(noise, "")
    core = core.strip()
    for fmt in mapping.date_formats:
        try:
            parsed = datetime.strptime(core, fmt)
        except ValueError:
            continue
        value = parsed.strftime(
            "%Y-%m-%d" if "%d" in fmt else "%Y-%m" if "%m" in fmt or "%b" in fmt else "%Y"
        )
        return FuzzyDate(value=value, original=text)
    if not mapping.date_formats:
        from reckon.sources.common import parse_date

        return parse_date(text)
    return None


@dataclass(slots=True)
class _Entry:
    record: Record
    categories: list[str]
    reasons: list[str]
    rows: int = 1


def parse_mapped(path: Path, mapping: Mapping | Path, source: str | None = None) -> ListVersion:
    """Read a CSV, XLSX or JSON-lines table through a mapping into a ListVersion."""
    path = Path(path)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    src = source or mapping.source
    warnings: list[str] = []
    header, rows = _rows(path, mapping, warnings)
    name_idx = [
        (n, _resolve(path, header, n.column, f"{n.kind} ({', '.join(n.column.headers)})"))
        for n in mapping.names
    ]
    id_idx = _resolve(path, header, mapping.id_column, "id")
    dob_idx = _resolve(path, header, mapping.birth_date, "birth_date")
    gender_idx = _resolve(path, header, mapping.gender, "gender")
    position_idx = _resolve(path, header, mapping.position, "position")
    category_idx = _resolve(path, header, mapping.category, "category")
    reason_idx = _resolve(path, header, mapping.reason, "reason")
    url_idx = _resolve(path, header, mapping.source_url, "source_url")
    schema_idx = _resolve(path, header, mapping.schema_column, "schema")
    prop_idx = [(p, _resolve(path, header, p.column, p.prop)) for p in mapping.properties]

    entries: dict[str, _Entry] = {}
    dropped_dates: list[str] = []
    unknown_gender: list[str] = []
    no_name = 0
    for place, cells in rows:
        names: list[Name] = []
        for spec, idx in name_idx:
            for value in _values(cells, idx, spec.column.separator):
                name = make_name(value, kind=spec.kind, lang=spec.lang)
                if name is not None:
                    if spec.script:
                        name = Name(name.full, name.kind, script=spec.script, lang=name.lang)
                    names.append(name)
        if not names:
            no_name += 1
            continue
        dates: list[FuzzyDate] = []
        for raw in _values(cells, dob_idx, mapping.birth_date.separator if mapping.birth_date else None):
            d = _date(raw, mapping)
            if d is None:
                dropped_dates.append(raw)
            else:
                dates.append(d)
        if id_idx is not None:
            rid = clean(cells[id_idx])
            if rid is None:
                raise SourceError(path, f"{place}, column {header[id_idx]!r}", "row has no id")
            rid = mapping.id_prefix + rid
        else:
            parts = []
            for part in mapping.id_hash:
                if part == "name":
                    parts.append(normalise_key(names[0].full))
                else:
                    parts.append(dates[0].value if dates else "")
            rid = stable_id(mapping.id_prefix, parts)
        schema = mapping.schema
        if schema_idx is not None and (cell := clean(cells[schema_idx])):
            schema = mapping.schema_values.get(cell.casefold(), cell)
            if schema not in SCHEMATA:
                raise SourceError(path, f"{place}, column {header[schema_idx]!r}", f"unknown schema {cell!r}")
        props: dict[str, list[str]] = {}
        for raw in _values(cells, gender_idx, None):
            gender = mapping.gender_values.get(raw.strip().casefold()) if mapping.gender_values else raw
            if gender:
                _add(props, "gender", gender)
            else:
                unknown_gender.append(raw)
        for value in _values(cells, position_idx, mapping.position.separator if mapping.position else None):
            _add(props, "position", value)
        for value in _values(cells, url_idx, None):
            _add(props, "sourceUrl", value)
        for prop_spec, idx in prop_idx:
            values = _values(cells, idx, prop_spec.column.separator)
            if prop_spec.join is not None and values:
                values = [prop_spec.join.join(values)]
            for value in values:
                _add(props, prop_spec.prop, prop_spec.prefix + value)
        categories = _values(cells, category_idx, mapping.category.separator if mapping.category else None)
        reasons = _values(cells, reason_idx, None)
        entry = entries.get(rid)
        if entry is None:
            rec = Record(source=src, id=rid, schema=schema, names=names, birth_dates=dates, properties=props)
            entries[rid] = _Entry(rec, categories, reasons)
            continue
        # The same name and birth date twice: one person listed twice (new tags, a
        # reworded description), kept as one record holding both rows' facts.
        entry.rows += 1
        rec = entry.record
        rec.names.extend(n for n in names if n not in rec.names)
        rec.birth_dates.extend(d for d in dates if d not in rec.birth_dates)
        for prop, values in props.items():
            for value in values:
                _add(rec.properties, prop, value)
        entry.categories.extend(c for c in categories if c not in entry.categories)
        entry.reasons.extend(r for r in reasons if r not in entry.reasons)

    records = []
    for entry in entries.values():
        entry.record.designations.append(
            Designation(
                jurisdiction=mapping.jurisdiction,
                authority=mapping.publisher,
                programs=tuple(dict.fromkeys(entry.categories)),
                reason="\n\n".join(entry.reasons) or None,
            )
        )
        records.append(entry.record)
    merged = sum(e.rows - 1 for e in entries.values())
    if merged:
        warnings.append(f"{merged} rows repeat an earlier row's id (same person) and were merged into it")
    if dropped_dates:
        sample = ", ".join(repr(d) for d in dict.fromkeys(dropped_dates))
        warnings.append(
            f"{len(dropped_dates)} birth dates in no accepted format were left out: {sample[:200]}"
        )
    if unknown_gender:
        warnings.append(
            f"{len(unknown_gender)} gender values not in the mapping: {sorted(set(unknown_gender))[:5]}"
        )
    if no_name:
        warnings.append(f"{no_name} rows without a name were skipped")
    if not records:
        raise SourceError(path, None, "no rows with a name")
    return ListVersion(
        source=src,
        format=f"mapped-{mapping.table_format}",
        records=records,
        published=None,
        warnings=warnings,
    )


def _add(props: dict[str, list[str]], key: str, value: str) -> None:
    values = props.setdefault(key, [])
    if value not in values:
        values.append(value)
