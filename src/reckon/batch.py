"""Screening whole files: the library behind `reckon screen --input FILE --output FILE`.

Every input row gets an output record, whatever happens to it: `hits`, `no_hits` or
`error` (with the one-line reason `reckon screen NAME` would have given). One bad row
never stops the run.

Input is CSV (header row; columns mapped by `BatchOptions`), JSON lines (FtM-shaped
entities `{"id", "schema", "properties": {...}}` or flat objects keyed like the CSV
columns) or Parquet (read through DuckDB). Row numbers count data records from 1: the
CSV header and blank JSON lines are not rows.

Output is JSON lines (one line per row, hits nested), CSV (one line per row and hit,
plus one line for each row without hits or with an error) or Parquet (the CSV columns).
A hit is a canonical entity of the last `reckon resolve` (its member records joined by
";" in CSV and Parquet) with where it is listed, asked of analysis.status once per
entity in the run (`screen_file`'s `where`); in a store never resolved, a list record.

Resuming. Output is appended and, every `flush_rows` rows or `flush_seconds`, flushed
to disk; only then is the sidecar checkpoint `OUT.progress.json` replaced (atomically).
It records the input's identity (path, size, mtime, SHA-256 of its first MiB), the
options that shape the output, a fingerprint of the index and of the resolution its
hits are grouped by (none, or a digest of every record's canonical id), the rows done, the hit
counts and the output's byte length. A rerun with the same input and options truncates
the output to that length (dropping any partial row written after the last
checkpoint), checks that the last row there is the row the checkpoint says, skips the
rows already done and carries on. Anything else that differs refuses to resume, in one
line. Parquet cannot be appended to, so Parquet output is streamed to a JSON-lines part
file `OUT.part.jsonl` and converted by DuckDB once every row is done.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import math
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass, field
from itertools import chain, islice, zip_longest
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import duckdb

from reckon.match.index import Hit, Index
from reckon.model import IDENTIFIER_SCHEMES
from reckon.outputs import same_file
from reckon.screening import Query, ScreenError, Where, chosen_sources, query_entity, source_filter

FORMATS = ("csv", "jsonl", "parquet")
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet"}
CSV_COLUMNS = (
    "row",
    "id",
    "status",
    "hit_id",
    "members",
    "score",
    "caption",
    "name",
    "explanation",
    "listed_in",
    "documented_by",
    "statuses",
    "error",
)
# 2: hits are canonical entities (members, name, where listed); the resolution is checked.
CHECKPOINT_VERSION = 2
# Hits scored per row when --listed-only filters them afterwards: every hit a row has
# (the scorer sees at most a few dozen candidates), so the filter does not starve `limit`.
UNFILTERED_LIMIT = 1000
HEAD_BYTES = 1 << 20
# FtM properties read as a country when an entity comes in FtM shape.
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")

# Progress: `factory(description, total)` returns a callback taking rows just done;
# the same shape as `reckon.ingest.ProgressFactory`.
ProgressFactory = Callable[[str, int | None], Callable[[int], None] | None]


class BatchError(ValueError):
    """The run cannot start or resume; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to read the input and what to screen with.

    Column options left at None use the default column (`id`, `name`, `birth_date`,
    `country`, `schema`) when the input has it; a column given explicitly must exist.
    `schema` is the schema of rows that do not state one.
    """

    input_format: str | None = None  # default: from the input's extension
    output_format: str | None = None  # default: from the output's extension
    id_column: str | None = None
    name_column: str | None = None
    birth_date_column: str | None = None
    country_column: str | None = None
    schema_column: str | None = None
    # (scheme, column): identifiers to screen with, e.g. ("imoNumber", "imo"). Columns named
    # as a scheme (imoNumber, innCode, ...) are read without being mapped.
    identifier_columns: tuple[tuple[str, str], ...] = ()
    schema: str = "LegalEntity"
    threshold: float = 0.7
    limit: int = 10
    # Sources whose records count (--datasets, --exclude-datasets), and whether only hits
    # listed somewhere now are kept (--listed-only: needs `screen_file`'s `where`).
    datasets: tuple[str, ...] = ()
    exclude_datasets: tuple[str, ...] = ()
    listed_only: bool = False
    resume: bool = True
    flush_rows: int = 1000
    flush_seconds: float = 2.0
    # Processes screening rows side by side (0: one per core). Output is the same
    # whatever the number: rows are written in input order by this process.
    workers: int = 1

    def shaping(self, input_format: str, output_format: str) -> dict[str, object]:
        """The options that decide the output: a resumed run must use the same ones."""
        return {
            "input_format": input_format,
            "output_format": output_format,
            "id_column": self.id_column,
            "name_column": self.name_column,
            "birth_date_column": self.birth_date_column,
            "country_column": self.country_column,
            "schema_column": self.schema_column,
            **(
                {"identifier_columns": [list(p) for p in self.identifier_columns]}
                if self.identifier_columns
                else {}
            ),
            "schema": self.schema,
            "threshold": self.threshold,
            "limit": self.limit,
            **({"datasets": list(self.datasets)} if self.datasets else {}),
            **({"exclude_datasets": list(self.exclude_datasets)} if self.exclude_datasets else {}),
            **({"listed_only": True} if self.listed_only else {}),
        }


@dataclass(frozen=True, slots=True)
class BatchSummary:
    rows: int  # rows in the output, including those written by an earlier run
    hits: int  # rows with at least one hit
    no_hits: int
    errors: int
    resumed_from: int  # rows already done when this run started (0: a fresh run)
    resolved: bool = False  # hits are canonical entities (else list records: never resolved)


@dataclass(slots=True)
class _Row:
    """One input row as read: a query's pieces, or the reason it cannot be read."""

    id: str | None
    names: list[str] = field(default_factory=list)
    schema: str | None = None
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


# ---------------------------------------------------------------------------- formats


def detect_format(path: Path, given: str | None, what: str) -> str:
    if given:
        if given not in FORMATS:
            raise BatchError(f"unknown {what} format {given!r}; choose one of {', '.join(FORMATS)}")
        return given
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise BatchError(
            f"{path}: cannot tell the {what} format from the extension; give it ({', '.join(FORMATS)})"
        )
    return fmt


def count_rows(path: Path, fmt: str) -> int:
    """Rows in the input, cheaply, for the progress bar: lines (approximate for CSV
    fields holding line breaks), or the Parquet metadata's row count."""
    if fmt == "parquet":
        con = duckdb.connect()
        try:
            got = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)", [str(path)]).fetchone()
        except duckdb.Error as exc:
            raise BatchError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
        finally:
            con.close()
        return int(got[0] or 0) if got else 0
    lines = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"
    return max(lines - (fmt == "csv"), 0)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _text(value: object) -> str | None:
    """A cell as text; empty cells are None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _texts(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [t for v in value if (t := _text(v)) is not None]
    t = _text(value)
    return [t] if t is not None else []


@dataclass(frozen=True, slots=True)
class _Columns:
    id: str | None
    name: str
    birth_date: str | None
    country: str | None
    schema: str | None
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, column)

    @classmethod
    def resolve(cls, options: BatchOptions, available: set[str] | None, where: str) -> _Columns:
        """Map the options onto the columns present (`available` None: not known up front)."""

        def pick(given: str | None, default: str, required: bool = False) -> str | None:
            if available is None:
                return given or default
            if given is not None:
                if given not in available:
                    raise BatchError(
                        f"{where}: no column {given!r} (columns: {', '.join(sorted(available))})"
                    )
                return given
            if default in available:
                return default
            if required:
                raise BatchError(
                    f"{where}: no column {default!r} (columns: {', '.join(sorted(available))}); "
                    "map one with --name-column"
                )
            return None

        name = pick(options.name_column, "name", required=not options.identifier_columns)
        identifiers = [(scheme, pick(column, column)) for scheme, column in options.identifier_columns]
        if available is not None:  # columns named as a scheme need no mapping
            mapped = {column for _, column in identifiers}
            identifiers += [(c, c) for c in sorted(available & set(IDENTIFIER_SCHEMES)) if c not in mapped]
        return cls(
            id=pick(options.id_column, "id"),
            name=name or "",
            birth_date=pick(options.birth_date_column, "birth_date"),
            country=pick(options.country_column, "country"),
            schema=pick(options.schema_column, "schema"),
            identifiers=tuple((scheme, column) for scheme, column in identifiers if column is not None),
        )

    def row(self, record: Mapping[str, object]) -> _Row:
        return _Row(
            id=_text(record.get(self.id)) if self.id else None,
            names=_texts(record.get(self.name)) if self.name else [],
            schema=_text(record.get(self.schema)) if self.schema else None,
            birth_dates=_texts(record.get(self.birth_date)) if self.birth_date else [],
            countries=_texts(record.get(self.country)) if self.country else [],
            identifiers=[
                (scheme, v) for scheme, column in self.identifiers for v in _texts(record.get(column))
            ],
        )


def _ftm_row(obj: Mapping[str, Any]) -> _Row:
    props = obj.get("properties")
    if not isinstance(props, dict):
        return _Row(id=_text(obj.get("id")), error="the entity's properties are not an object")
    countries: list[str] = []
    for prop in COUNTRY_PROPS:
        countries += _texts(props.get(prop))
    return _Row(
        id=_text(obj.get("id")),
        names=_texts(props.get("name")),
        schema=_text(obj.get("schema")),
        birth_dates=_texts(props.get("birthDate")),
        countries=countries,
        identifiers=[(scheme, v) for scheme in IDENTIFIER_SCHEMES for v in _texts(props.get(scheme))],
    )


def _read_csv(path: Path, options: BatchOptions, skip: int) -> Iterator[_Row]:
    # Undecodable bytes are kept as surrogates so that row becomes an error, not the run.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        old_limit = csv.field_size_limit()
        csv.field_size_limit(1 << 30)  # an oversized cell is the row's problem, not the file's
        try:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise BatchError(f"{path}: empty file (expected a header row)")
            cols = _Columns.resolve(options, set(header), str(path))
            n = 0
            for cells in reader:
                if not cells:
                    continue  # a blank line is not a row
                n += 1
                if n <= skip:
                    continue
                yield csv_row(cols, header, cells)
        except csv.Error as exc:
            raise BatchError(f"{path}: row {reader.line_num}: {exc}") from None
        finally:
            csv.field_size_limit(old_limit)


def csv_row(cols: _Columns, header: list[str], cells: list[str]) -> _Row:
    """One CSV record (its cells under `header`) as a row; also the Spark engine's (reckon.bulk)."""
    row = cols.row(dict(zip(header, cells, strict=False)))
    if any(_has_surrogates(c) for c in cells):
        row.error = "the row is not valid UTF-8"
    return row


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_jsonl(path: Path, options: BatchOptions, skip: int) -> Iterator[_Row]:
    cols = _Columns.resolve(options, None, str(path))
    n = 0
    with path.open("rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            n += 1
            if n <= skip:
                continue
            yield jsonl_row(cols, line)


def jsonl_row(cols: _Columns, line: bytes) -> _Row:
    """One non-blank JSON line as a row; also the Spark engine's (reckon.bulk)."""
    try:
        obj = json.loads(line)
    except UnicodeDecodeError:
        return _Row(id=None, error="the line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return _Row(id=None, error=f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return _Row(id=None, error=f"expected a JSON object, got {type(obj).__name__}")
    if "properties" in obj:
        return _ftm_row(obj)
    return cols.row(obj)


def _read_parquet(path: Path, options: BatchOptions, skip: int) -> Iterator[_Row]:
    con = duckdb.connect()
    try:
        try:
            cur = con.execute(
                "SELECT * EXCLUDE (file_row_number) FROM read_parquet(?, file_row_number = true) "
                "WHERE file_row_number >= ? ORDER BY file_row_number",
                [str(path), skip],
            )
        except duckdb.Error as exc:
            raise BatchError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
        names = [d[0] for d in cur.description or []]
        cols = _Columns.resolve(options, set(names), str(path))
        while batch := cur.fetchmany(2048):
            for values in batch:
                yield cols.row(dict(zip(names, values, strict=True)))
    finally:
        con.close()


READERS: dict[str, Callable[[Path, BatchOptions, int], Iterator[_Row]]] = {
    "csv": _read_csv,
    "jsonl": _read_jsonl,
    "parquet": _read_parquet,
}


# ---------------------------------------------------------------------------- screening


def row_entity(row: _Row, default_schema: str) -> dict[str, object]:
    """Check a row as `reckon screen` checks one name, and make the scorer's entity.

    Each name, birth date and country goes through `query_entity`, so a batch refuses
    exactly what the one-name command refuses, with the same message."""
    if row.error:
        raise ScreenError(row.error)
    if not row.names and not row.identifiers:
        raise ScreenError("the name is empty")
    schema = row.schema or default_schema
    props: dict[str, list[str]] = {}
    names = row.names or [""]
    for i, (name, date, country) in enumerate(zip_longest(names, row.birth_dates, row.countries)):
        checked = query_entity(
            Query(
                name=name or names[0],
                schema=schema,
                birth_date=date,
                country=country,
                identifiers=tuple(row.identifiers) if i == 0 else (),
            )
        )
        got = checked["properties"]
        assert isinstance(got, dict)
        for prop, values in got.items():
            have = props.setdefault(prop, [])
            have.extend(v for v in values if v not in have)
    return {"schema": schema, "properties": props}


class _Screener:
    """`Index.search` with a small memo: customer files repeat common names."""

    def __init__(
        self, index: Index, limit: int, threshold: float, sources: frozenset[str] | None, size: int = 8192
    ) -> None:
        self.index, self.limit, self.threshold, self.size = index, limit, threshold, size
        self.keep = source_filter(sources)
        self.memo: dict[str, list[Hit]] = {}

    def __call__(self, entity: dict[str, object]) -> list[Hit]:
        key = json.dumps(entity, sort_keys=True, ensure_ascii=False)
        hits = self.memo.get(key)
        if hits is None:
            hits = self.index.search(entity, limit=self.limit, threshold=self.threshold, keep=self.keep)
            if len(self.memo) >= self.size:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = hits
        return hits


def screen_row(
    screener: Callable[[dict[str, object]], list[Hit]], row: _Row, n: int, schema: str
) -> dict[str, Any]:
    """One output record (the JSON-lines shape); never raises for a bad row."""
    record: dict[str, Any] = {"id": row.id, "row": n}
    try:
        hits = screener(row_entity(row, schema))
    except ScreenError as exc:
        return record | {"status": "error", "error": str(exc), "hits": []}
    except Exception as exc:  # a bug must not lose the other two million rows
        return record | {
            "status": "error",
            "error": f"internal error: {type(exc).__name__}: {exc}",
            "hits": [],
        }
    record["status"] = "hits" if hits else "no_hits"
    record["hits"] = [hit_record(h) for h in hits]
    return record


def hit_record(h: Hit) -> dict[str, Any]:
    """A hit as JSON: the entity (a canonical id, or a record where none), its member
    records, caption, the name that matched best, the score and its explanation."""
    return {
        "id": h.entity.id,
        "members": list(h.records),
        "schema": h.entity.schema,
        "caption": h.entity.caption,
        "name": h.name or h.entity.caption,
        "score": round(h.score, 4),
        "explanation": h.result.explanation,
    }


def with_where(hit: dict[str, Any], where: Where | None) -> dict[str, Any]:
    """`hit` with where its entity is listed (analysis.status)."""
    if where is None:
        return hit | {"listed_in": [], "documented_by": [], "note": None, "statuses": {}}
    return hit | {
        "listed_in": list(where.listed_in),
        "documented_by": list(where.documented_by),
        "note": where.note,
        "statuses": where.jurisdictions,
    }


def _placed(
    record: dict[str, Any], where: Callable[[str], Where | None] | None, listed_only: bool, limit: int
) -> dict[str, Any]:
    """A screened row's hits with where each is listed; with `listed_only`, only those
    listed somewhere now, the best `limit` of them."""
    if where is None or record["status"] == "error":
        return record
    hits = []
    for h in record["hits"]:
        w = where(h["id"])
        if listed_only and (w is None or not w.listed_in):
            continue
        hits.append(with_where(h, w))
    hits = hits[:limit]
    return record | {"status": "hits" if hits else "no_hits", "hits": hits}


def make_screener(index: Index, options: BatchOptions) -> Callable[[dict[str, object]], list[Hit]]:
    """What `screen_file` screens each row with, for the options (the Spark engine's too)."""
    try:
        chosen = chosen_sources(options.datasets, options.exclude_datasets)
    except ScreenError as exc:
        raise BatchError(str(exc)) from None
    limit = UNFILTERED_LIMIT if options.listed_only else options.limit
    return _Screener(index, limit, options.threshold, chosen)


def output_lines(
    record: dict[str, Any], where: Callable[[str], Where | None] | None, options: BatchOptions
) -> list[dict[str, Any]]:
    """A screened row as the lines of the Parquet (and CSV) output, placed as `screen_file`
    places them: the Spark engine (reckon.bulk) writes these."""
    return _flat(_placed(record, where, options.listed_only, options.limit))


# Rows handed to a worker at a time: large enough that passing them costs little next
# to screening them, small enough that the output and the checkpoints keep moving.
CHUNK_ROWS = 64
# What forked workers screen with: set before the fork, so that each worker shares the
# parent's index (copy-on-write) instead of receiving a pickled copy.
_FORKED: tuple[Callable[[dict[str, object]], list[Hit]], str] | None = None


def screen_rows(
    screener: Callable[[dict[str, object]], list[Hit]],
    numbered: Iterable[tuple[int, _Row]],
    schema: str,
    workers: int = 1,
) -> Generator[dict[str, Any], None, None]:
    """`screen_row` for every (row number, row), in input order, by `workers` processes
    (0: one per core; 1, or where processes cannot be forked: this one)."""
    if workers == 0:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for n, row in numbered:
            yield screen_row(screener, row, n, schema)
        return
    global _FORKED
    _FORKED = (screener, schema)
    # Objects frozen out of the collector are not written to by the workers' collections,
    # so the pages of the index stay shared.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # The input is read here, not in the pool's feeder thread, so that a reading
            # error reaches the caller as it would without workers; a few chunks per
            # worker are in flight, so memory stays flat however long the file.
            in_flight: deque[AsyncResult[list[dict[str, Any]]]] = deque()
            for chunk in _chunks(numbered, CHUNK_ROWS):
                in_flight.append(pool.apply_async(_screen_chunk, (chunk,)))
                if len(in_flight) > 2 * workers:
                    yield from in_flight.popleft().get()
            while in_flight:
                yield from in_flight.popleft().get()
    finally:
        gc.unfreeze()
        _FORKED = None


def _chunks(items: Iterable[tuple[int, _Row]], size: int) -> Iterator[list[tuple[int, _Row]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _screen_chunk(chunk: list[tuple[int, _Row]]) -> list[dict[str, Any]]:
    assert _FORKED is not None, "a worker runs only after screen_rows forked it"
    screener, schema = _FORKED
    return [screen_row(screener, row, n, schema) for n, row in chunk]


# ---------------------------------------------------------------------------- output


def _jsonl_lines(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _flat(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The CSV/Parquet shape: a line per hit, or one line for a row without hits."""
    base = {"row": record["row"], "id": record["id"], "status": record["status"]}
    if not record["hits"]:
        return [base | dict.fromkeys(CSV_COLUMNS[3:]) | {"error": record.get("error")}]
    return [
        base
        | {
            "hit_id": h["id"],
            "members": ";".join(h["members"]),
            "score": h["score"],
            "caption": h["caption"],
            "name": h["name"],
            "explanation": h["explanation"],
            "listed_in": ";".join(h.get("listed_in", ())),
            "documented_by": ";".join(h.get("documented_by", ())),
            "statuses": "; ".join(f"{j}: {s['summary']}" for j, s in h.get("statuses", {}).items()),
            "error": None,
        }
        for h in record["hits"]
    ]


def _csv_lines(record: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for line in _flat(record):
        writer.writerow(["" if line[c] is None else line[c] for c in CSV_COLUMNS])
    return buf.getvalue()


def _part_lines(record: dict[str, Any]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in _flat(record))


def _csv_header() -> str:
    return ",".join(CSV_COLUMNS) + "\n"


def _last_row_in(fmt: str, text: str) -> set[int]:
    """The row numbers in a chunk of output (the lines of one row), to check a checkpoint."""
    if fmt == "csv":
        return {int(cells[0]) for cells in csv.reader(io.StringIO(text)) if cells}
    return {int(json.loads(line)["row"]) for line in text.splitlines() if line.strip()}


def _parquet_from_part(part: Path, output: Path) -> None:
    tmp = output.with_name(output.name + ".tmp")
    columns = dict.fromkeys(CSV_COLUMNS, "VARCHAR") | {"row": "BIGINT", "score": "DOUBLE"}
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
    try:
        con = duckdb.connect()
        try:
            con.execute("SET preserve_insertion_order = true")
            con.execute(
                f"COPY (SELECT * FROM read_json(?, format = 'newline_delimited', columns = {spec}, "
                f"maximum_object_size = 1073741824)) TO '{_sql_str(tmp)}' (FORMAT parquet)",
                [str(part)],
            )
        finally:
            con.close()
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)  # a failed or interrupted conversion leaves no half file
    part.unlink()


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


# ---------------------------------------------------------------------------- checkpoint


def checkpoint_path(output: Path) -> Path:
    return output.with_name(output.name + ".progress.json")


def part_path(output: Path) -> Path:
    return output.with_name(output.name + ".part.jsonl")


def input_identity(path: Path) -> dict[str, object]:
    st = path.stat()
    with path.open("rb") as fh:
        head = hashlib.sha256(fh.read(HEAD_BYTES)).hexdigest()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256_head": head}


def index_fingerprint(index: Index) -> dict[str, object]:
    """Which records the index holds: resuming against changed lists would mix two answers."""
    h = hashlib.sha256()
    for e in index.entities:
        h.update((e.id or "").encode())
        h.update(b"\x00")
        h.update(e.caption.encode("utf-8", "surrogatepass"))
        h.update(b"\x01")
    return {"entities": len(index), "sha256": h.hexdigest()}


def resolution_fingerprint(index: Index) -> str | None:
    """Which resolution groups the hits (None: none, hits are records): resuming after a
    new `reckon resolve` would mix entities of two clusterings in one output."""
    return index.grouping.fingerprint if index.grouping is not None else None


@dataclass(slots=True)
class _State:
    rows: int = 0
    hits: int = 0
    no_hits: int = 0
    errors: int = 0
    bytes: int = 0  # length of the output (or part file) holding exactly `rows` rows
    last_row_at: int = 0  # where the lines of row `rows` start
    complete: bool = False

    def count(self, status: str) -> None:
        self.rows += 1
        if status == "hits":
            self.hits += 1
        elif status == "no_hits":
            self.no_hits += 1
        else:
            self.errors += 1


def _write_checkpoint(path: Path, head: dict[str, object], state: _State) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(head | {"state": asdict(state)}, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # gone after the replace; an interrupted write is dropped


def _resume_state(
    output: Path, target: Path, fmt: str, head: dict[str, object], options: BatchOptions
) -> _State | None:
    """The state to carry on from, or None to start over. Refuses what cannot be resumed."""
    ckpt = checkpoint_path(output)
    if not options.resume or not ckpt.exists():
        return None
    try:
        saved = json.loads(ckpt.read_text(encoding="utf-8"))
        state = _State(**saved["state"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BatchError(
            f"{ckpt}: unreadable checkpoint ({exc}); rerun with --no-resume to start over"
        ) from None
    if saved.get("version") != CHECKPOINT_VERSION:
        raise BatchError(f"{ckpt}: checkpoint from another reckon version; rerun with --no-resume")
    for key, what in (
        ("input", "the input file changed"),
        ("options", "the options differ"),
        ("index", "the loaded lists changed"),
        ("resolution", "the store was resolved again (or for the first time)"),
    ):
        if saved.get(key) != head[key]:
            diff = _diff(saved.get(key), head[key])
            raise BatchError(
                f"cannot resume {output}: {what} since the interrupted run ({diff}); "
                "rerun with --no-resume to start over"
            )
    if state.complete:
        if not output.exists():
            raise BatchError(f"cannot resume: {output} is missing; rerun with --no-resume")
        return state
    if not target.exists() or target.stat().st_size < state.bytes:
        raise BatchError(
            f"cannot resume: {target} is shorter than its checkpoint says; rerun with --no-resume"
        )
    with target.open("r+b") as fh:
        fh.truncate(state.bytes)  # drop anything written after the last checkpoint
        if state.rows:
            fh.seek(state.last_row_at)
            tail = fh.read(state.bytes - state.last_row_at).decode("utf-8", "surrogateescape")
            try:
                found = _last_row_in("jsonl" if fmt == "parquet" else fmt, tail)
            except (ValueError, KeyError, TypeError):
                found = set()
            if found != {state.rows}:
                raise BatchError(
                    f"cannot resume: the last row in {target} is not row {state.rows} as its checkpoint "
                    "says; rerun with --no-resume"
                )
    return state


def _diff(old: object, new: object) -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
        return ", ".join(f"{k}: {old.get(k)!r} → {new.get(k)!r}" for k in keys[:3])
    return f"{old!r} → {new!r}"


# ---------------------------------------------------------------------------- the run


def screen_file(
    index: Index,
    input: Path,
    output: Path,
    options: BatchOptions | None = None,
    progress: ProgressFactory | None = None,
    where: Callable[[str], Where | None] | None = None,
) -> BatchSummary:
    """Screen every row of `input` against `index`, writing one record per row to `output`.

    `where` says where a hit's entity is listed (screening.where_listed: asked once per
    entity); without it, hits carry no status and --listed-only cannot be asked.
    Resumes an interrupted run of the same input and options (see the module doc)."""
    options = options or BatchOptions()
    input, output = Path(input), Path(output)
    if not input.is_file():
        raise BatchError(f"{input}: no such file")
    if same_file(output, input) or output.resolve() == input.resolve():
        raise BatchError(f"{output}: the output would overwrite the input")
    in_fmt = detect_format(input, options.input_format, "input")
    out_fmt = detect_format(output, options.output_format, "output")
    if options.limit < 1 or not 0.0 <= options.threshold <= 1.0:
        raise BatchError("--limit must be ≥ 1 and --threshold between 0 and 1")
    if options.workers < 0:
        raise BatchError("--workers must be ≥ 0 (0: one per core)")
    if options.listed_only and where is None:
        raise BatchError("--listed-only needs the statuses of the store")
    try:
        chosen = chosen_sources(options.datasets, options.exclude_datasets)
    except ScreenError as exc:
        raise BatchError(str(exc)) from None

    head: dict[str, object] = {
        "version": CHECKPOINT_VERSION,
        "input": input_identity(input),
        "options": options.shaping(in_fmt, out_fmt),
        "index": index_fingerprint(index),
        "resolution": resolution_fingerprint(index),
        "output": str(output.resolve()),
    }
    ckpt = checkpoint_path(output)
    target = part_path(output) if out_fmt == "parquet" else output
    state = _resume_state(output, target, out_fmt, head, options)
    resumed_from = state.rows if state else 0
    grouped = index.grouping is not None
    if state is not None and state.complete:
        return BatchSummary(state.rows, state.hits, state.no_hits, state.errors, resumed_from, grouped)

    render = {"jsonl": _jsonl_lines, "csv": _csv_lines, "parquet": _part_lines}[out_fmt]
    limit = UNFILTERED_LIMIT if options.listed_only else options.limit
    screener = _Screener(index, limit, options.threshold, chosen)
    total = count_rows(input, in_fmt)
    rows = READERS[in_fmt](input, options, resumed_from)
    # Fail on a bad header or unreadable file before touching the output.
    first = next(rows, None)
    output.parent.mkdir(parents=True, exist_ok=True)
    if state is None:
        state = _State()
        header = _csv_header() if out_fmt == "csv" else ""
        target.write_text(header, encoding="utf-8", newline="")
        if out_fmt == "parquet" and output.exists():
            output.unlink()  # a stale result must not pass for this run's
        state.bytes = len(header.encode())
        _write_checkpoint(ckpt, head, state)

    tick = progress(f"screening {input.name[:20]}", max(total, resumed_from)) if progress else None
    if tick and resumed_from:
        tick(resumed_from)
    with target.open("ab") as fh:
        pending: list[bytes] = []
        pending_rows = 0
        last_flush = time.monotonic()
        last_row_at = state.last_row_at

        def flush() -> None:
            nonlocal pending_rows, last_flush
            if pending:
                fh.write(b"".join(pending))
                fh.flush()
                os.fsync(fh.fileno())
                pending.clear()
            state.last_row_at = last_row_at
            _write_checkpoint(ckpt, head, state)
            if tick:
                tick(pending_rows)
            pending_rows = 0
            last_flush = time.monotonic()

        offset = state.bytes
        numbered = enumerate(chain([first], rows) if first is not None else rows, resumed_from + 1)
        records = closing(screen_rows(screener, numbered, options.schema, options.workers))
        with records as screened:  # an interruption stops the workers at once
            for screened_record in screened:
                record = _placed(screened_record, where, options.listed_only, options.limit)
                data = render(record).encode("utf-8", "replace")  # lone surrogates become ?
                last_row_at = offset
                offset += len(data)
                pending.append(data)
                state.count(record["status"])
                state.bytes = offset
                pending_rows += 1
                if (
                    pending_rows >= options.flush_rows
                    or time.monotonic() - last_flush >= options.flush_seconds
                ):
                    flush()
        flush()

    if out_fmt == "parquet":
        _parquet_from_part(target, output)
    state.complete = True
    _write_checkpoint(ckpt, head, state)
    return BatchSummary(state.rows, state.hits, state.no_hits, state.errors, resumed_from, grouped)
