"""The Spark engine of `reckon screen --engine spark` (imports pyspark: see reckon.bulk).

The input is numbered as the local engine numbers it (rows count data records from 1:
Parquet by its row index, CSV after its header and JSON lines without blank lines), split
into ranges of rows, and each range screened by `mapInArrow`: every row by the local
engine's own functions (reckon.batch: `csv_row`/`jsonl_row`/the column mapping,
`screen_row`, `output_lines`). The output is a directory of Parquet files with the local
engine's Parquet columns, in row order (files by range, rows within each file in order).

What differs from the local engine, by design: no checkpoint to resume from (Spark
reruns a failed task itself; a failed job is rerun whole), and CSV records are lines
(Spark splits a text file by lines: a quoted field holding a line break is not read as
the local engine reads it; use Parquet or JSON lines for such data), and bytes that are
not UTF-8 reach the screen as U+FFFD where the local engine reports the row as an error.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from reckon.batch import (
    CSV_COLUMNS,
    BatchError,
    BatchOptions,
    BatchSummary,
    _Columns,
    _Row,
    count_rows,
    csv_row,
    detect_format,
    jsonl_row,
    make_screener,
    output_lines,
    screen_row,
)
from reckon.bulk.ship import SHIP_MODES, Job, Shipment, digest, make_payload, shipped
from reckon.match.index import Index
from reckon.screening import Where

ROW = "__reckon_row"
LINE = "__reckon_line"
# Rows per task: small enough that the cores stay busy to the end of a run (a task of
# ~5,000 rows is ~15 s of one core), large enough that a task's overhead is nothing.
ROWS_PER_PARTITION = 5000
OUTPUT_ARROW = pa.schema(
    [(c, pa.int64() if c == "row" else pa.float64() if c == "score" else pa.string()) for c in CSV_COLUMNS]
)
OUTPUT_DDL = ", ".join(
    f"`{c}` {'BIGINT' if c == 'row' else 'DOUBLE' if c == 'score' else 'STRING'}" for c in CSV_COLUMNS
)
# What a JSON line's bytes.strip() (the local reader's test for a blank line) strips.
_ASCII_SPACE = b" \t\n\r\x0b\x0c"
# What Spark writes into an output directory, which a new run may replace.
_SPARK_OUTPUT = ("part-", "_SUCCESS", "_temporary", ".part-", "._SUCCESS")


@dataclass(frozen=True, slots=True)
class SparkRun:
    summary: BatchSummary
    ship: str
    payload_bytes: int
    ship_seconds: float  # building the payload on the driver and handing it over
    seconds: float  # the whole run, session excluded


def session(master: str | None = None) -> SparkSession:
    """The session to screen in: `master` (a URL), else spark-submit's, else local[*]
    (what pyspark's own launcher defaults to)."""
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # run by spark-submit: its settings stand
    if master.startswith("local") if master is not None else not submitted:
        # Python workers on this machine run this Python (the one reckon is installed in).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("reckon screen").config("spark.ui.showConsoleProgress", "false")
    if master is not None:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _is_uri(path: str) -> bool:
    return "://" in path or path.startswith("dbfs:")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def numbered(
    spark: SparkSession, path: str, fmt: str, options: BatchOptions
) -> tuple[DataFrame, _Columns, list[str] | None]:
    """The input's rows with their row numbers (column ROW), and its columns."""
    if fmt == "parquet":
        df = spark.read.parquet(path)
        cols = _Columns.resolve(options, set(df.columns), path)
        wanted = [cols.id, cols.name, cols.birth_date, cols.country, cols.schema]
        wanted += [column for _, column in cols.identifiers]
        keep = [c for c in dict.fromkeys(wanted) if c]
        picked = [F.col(f"`{c}`") for c in keep]
        return df.select(*picked, (F.col("_metadata.row_index") + 1).alias(ROW)), cols, None
    lines = spark.sparkContext.textFile(path)
    header = None
    if fmt == "csv":
        first = lines.take(1)
        if not first:
            raise BatchError(f"{path}: empty file (expected a header row)")
        header = next(csv.reader([first[0].removeprefix("\ufeff")]), [])
        cols = _Columns.resolve(options, set(header), path)
        # The header is line 0; a blank line is no row (as csv.reader gives it no cells).
        records = lines.zipWithIndex().filter(lambda li: li[1] > 0 and li[0] != "").keys()
    else:
        cols = _Columns.resolve(options, None, path)
        records = lines.filter(lambda line: bool(line.encode("utf-8", "surrogatepass").strip(_ASCII_SPACE)))
    rows = records.zipWithIndex().map(lambda li: (li[1] + 1, li[0]))
    return spark.createDataFrame(rows, f"`{ROW}` BIGINT, `{LINE}` STRING"), cols, header


def _reader(fmt: str, cols: _Columns, header: list[str] | None) -> Callable[[dict[str, Any]], _Row]:
    if fmt == "parquet":
        return cols.row
    if fmt == "csv":
        assert header is not None
        csv.field_size_limit(1 << 30)  # as the local reader: a long cell is the row's problem
        return lambda rec: csv_row(cols, header, next(csv.reader([rec[LINE]]), []))
    return lambda rec: jsonl_row(cols, rec[LINE].encode("utf-8", "surrogatepass"))


def _valid(line: dict[str, Any]) -> dict[str, Any]:
    """A line Arrow can hold: lone surrogates become "?", as the local engine writes them."""
    for k, v in line.items():
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                line[k] = v.encode("utf-8", "replace").decode("utf-8")
    return line


def screen_batches(
    shipment: Shipment, job: Job
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function each task runs over its Arrow batches of rows."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        got = shipped(shipment)
        screener = make_screener(got.index, job.options)
        read = _reader(job.fmt, job.columns, job.header)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for rec in batch.to_pylist():
                n = rec.pop(ROW)
                try:
                    row = read(rec)
                except Exception as exc:  # as screen_row: one row's bug must not end the job
                    row = _Row(id=None, error=f"internal error: {type(exc).__name__}: {exc}")
                record = screen_row(screener, row, n, job.options.schema)
                out.extend(_valid(line) for line in output_lines(record, got.where, job.options))
            yield pa.RecordBatch.from_pylist(out, schema=OUTPUT_ARROW)

    return run


def ship(spark: SparkSession, data: bytes, mode: str, ship_dir: Path | None) -> tuple[Shipment, Path | None]:
    """Hand the payload to the executors; the file written for `file`, to remove after the run."""
    key = digest(data)
    if mode == "broadcast":
        return Shipment(key, mode, spark.sparkContext.broadcast(data)), None
    assert ship_dir is not None
    ship_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".reckon-index-", suffix=".bin", dir=ship_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Shipment(key, mode, name), Path(name)


def _check_output(output: str) -> None:
    if _is_uri(output):
        return  # Spark's own overwrite; nothing local to guard
    out = Path(output)
    if out.is_file():
        raise BatchError(f"{out}: the Spark engine writes a directory of Parquet files; this is a file")
    if out.is_dir():
        strange = [p.name for p in out.iterdir() if not p.name.startswith(_SPARK_OUTPUT)]
        if strange:
            raise BatchError(
                f"{out}: not empty and not a Spark output ({strange[0]} …); give a new directory"
            )


def screen_file_spark(
    index: Index,
    input: str | Path,
    output: str | Path,
    options: BatchOptions | None = None,
    where: Callable[[str], Where | None] | None = None,
    *,
    spark: SparkSession | None = None,
    master: str | None = None,
    ship_mode: str = "broadcast",
    ship_dir: Path | None = None,
    payload: bytes | None = None,
) -> SparkRun:
    """Screen every row of `input` into the Parquet directory `output`, by Spark.

    The same rows as `batch.screen_file` with a Parquet output (see the module doc for
    the few inputs read differently). `input` and `output` may be URIs Spark reads
    (hdfs://, s3a://, dbfs:/); `ship_dir` (for `ship_mode="file"`) must be a directory
    every executor sees at the same path (default: the output's parent). `payload`:
    `ship.make_payload(index, where)` made beforehand, for several runs on one store."""
    options = options or BatchOptions()
    started = time.monotonic()
    in_str, out_str = str(input), str(output)
    if ship_mode not in SHIP_MODES:
        raise BatchError(f"unknown --ship {ship_mode!r}; choose one of {', '.join(SHIP_MODES)}")
    if options.output_format not in (None, "parquet"):
        raise BatchError("the Spark engine writes Parquet only (a directory of Parquet files)")
    if options.limit < 1 or not 0.0 <= options.threshold <= 1.0:
        raise BatchError("--limit must be ≥ 1 and --threshold between 0 and 1")
    if options.listed_only and where is None:
        raise BatchError("--listed-only needs the statuses of the store")
    fmt = detect_format(Path(in_str), options.input_format, "input")
    if not _is_uri(in_str):
        local = Path(in_str)
        if not local.is_file():
            raise BatchError(f"{local}: no such file")
        if fmt == "parquet":
            count_rows(local, fmt)  # a file that is not Parquet: the local engine's one line
        in_str = str(local.resolve())
        if not _is_uri(out_str) and Path(out_str).resolve() == local.resolve():
            raise BatchError(f"{output}: the output would overwrite the input")
    _check_output(out_str)
    if ship_mode == "file" and ship_dir is None:
        if _is_uri(out_str):
            raise BatchError("--ship file needs --ship-dir: a directory every executor sees at one path")
        ship_dir = Path(out_str).resolve().parent
    spark = spark or session(master)

    try:
        rows, cols, header = numbered(spark, in_str, fmt, options)
        total = rows.count()
    except BatchError:
        raise
    except Exception as exc:  # Spark's errors are Java's: one line is what the user can act on
        raise BatchError(f"{input}: cannot read it as {fmt} ({_first_line(exc)})") from None

    shipped_at = time.monotonic()
    data = payload if payload is not None else make_payload(index, where)
    shipment, written = ship(spark, data, ship_mode, ship_dir)
    job = Job(options, fmt, cols, header)
    ship_seconds = time.monotonic() - shipped_at
    try:
        parts = max(spark.sparkContext.defaultParallelism, math.ceil(total / ROWS_PER_PARTITION), 1)
        ranged = rows.repartitionByRange(parts, ROW).sortWithinPartitions(ROW)
        screened = ranged.mapInArrow(screen_batches(shipment, job), OUTPUT_DDL)
        try:
            screened.write.mode("overwrite").parquet(out_str)
            counts = {
                r["status"]: r["n"]
                for r in spark.read.parquet(out_str)
                .groupBy("status")
                .agg(F.countDistinct("row").alias("n"))
                .collect()
            }
        except Exception as exc:
            raise BatchError(f"the Spark job failed ({_first_line(exc)})") from None
    finally:
        if written is not None:
            written.unlink(missing_ok=True)
        if shipment.mode == "broadcast":
            shipment.source.unpersist()
    done = sum(counts.values())
    if done != total:  # every input row has its line(s): anything else is a bug, said loudly
        raise BatchError(f"the output holds {done} rows of the input's {total}")
    summary = BatchSummary(
        done,
        counts.get("hits", 0),
        counts.get("no_hits", 0),
        counts.get("error", 0),
        0,
        index.grouping is not None,
    )
    return SparkRun(summary, ship_mode, len(data), ship_seconds, time.monotonic() - started)
