"""The Spark engine gives the local engine's rows, on the same real input and store.

One SparkSession for the module (local[2]), the bundled lists resolved
(bench.screening.bundled_store, read-only), the index shipped once per module's payload.
The input is tests/bulk/data/rows.csv (real names: see its README) with hostile rows
added, written as CSV, JSON lines and Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reckon.batch import BatchError, BatchOptions, screen_file
from reckon.match.index import Index
from reckon.screening import load_index, where_listed

pytest.importorskip("pyspark")
pytestmark = pytest.mark.integration

from reckon.bulk.ship import make_payload  # noqa: E402 - needs pyspark's extra (pyarrow) only when run
from reckon.bulk.spark import screen_file_spark  # noqa: E402
from tests.conftest import resolved_bundle_copy, run_cli  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
MB = 1 << 20


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return resolved_bundle_copy(tmp_path_factory, "bulk")


@pytest.fixture(scope="module")
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def index(con: duckdb.DuckDBPyConnection) -> Index:
    return load_index(con)


@pytest.fixture(scope="module")
def payload(index: Index, con: duckdb.DuckDBPyConnection) -> bytes:
    return make_payload(index, where_listed(con))


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from reckon.bulk.spark import session

    s = session("local[2]")
    s.conf.set("spark.sql.shuffle.partitions", "2")
    yield s
    s.stop()


def real_rows() -> list[dict[str, str]]:
    """The committed rows, then an empty name and a name of 1 MB (a real one, repeated)."""
    with (DATA / "rows.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    long_name = rows[0]["name"].strip()
    rows.insert(10, {"id": "empty", "name": "", "birth_date": "", "country": "", "schema": "Person"})
    rows.insert(
        20, {"id": "long", "name": " ".join([long_name] * (MB // len(long_name))), "schema": "Person"}
    )
    return rows


def write(rows: list[dict[str, str]], path: Path) -> Path:
    columns = ["id", "name", "birth_date", "country", "schema"]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows([r.get(c) or "" for c in columns] for r in rows)
    elif path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({c: r.get(c) or None for c in columns}, ensure_ascii=False) + "\n")
                if r["id"] == "c0000005":
                    fh.write("\n")  # a blank line is no row, in both engines
    else:
        con = duckdb.connect()
        con.execute(
            "CREATE TABLE t (id VARCHAR, name VARCHAR, birth_date VARCHAR, country VARCHAR, schema VARCHAR)"
        )
        con.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [[r.get(c) or None for c in columns] for r in rows]
        )
        con.execute(f"COPY t TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 100)")  # several row groups
        con.close()
    return path


def lines(glob: Path) -> list[tuple[Any, ...]]:
    """Every output line, in file order (the Spark directory's files by name)."""
    return duckdb.sql(f"SELECT * FROM read_parquet('{glob}')").fetchall()


@pytest.mark.parametrize(("fmt", "ship"), [("parquet", "broadcast"), ("csv", "file"), ("jsonl", "broadcast")])
def test_spark_writes_the_local_engines_rows(
    tmp_path: Path,
    fmt: str,
    ship: str,
    spark: Any,
    index: Index,
    payload: bytes,
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = real_rows()
    src = write(rows, tmp_path / f"rows.{fmt}")
    options = BatchOptions(resume=False)
    local = screen_file(index, src, tmp_path / "local.parquet", options, where=where_listed(con))
    run = screen_file_spark(
        index, src, tmp_path / "spark", options, spark=spark, ship_mode=ship, payload=payload
    )
    assert run.summary == local
    assert local.rows == len(rows) and local.hits > 50 and local.no_hits > 50

    want, got = lines(tmp_path / "local.parquet"), lines(tmp_path / "spark" / "*.parquet")
    assert len(got) == len(want)
    for a, b in zip(want, got, strict=True):  # row by row, hits in the local engine's order
        assert a == b
    by_id = {line[1]: line for line in got}
    assert by_id["empty"][2] == "error" and "empty" in by_id["empty"][-1]
    assert by_id["long"][2] == "error" and "at most" in by_id["long"][-1]
    assert not list(tmp_path.glob(".reckon-index-*"))  # the shipped file is removed after the run


def test_a_corrupt_parquet_file_is_one_line_and_no_output(
    tmp_path: Path, spark: Any, index: Index, payload: bytes
) -> None:
    good = write(real_rows()[:50], tmp_path / "good.parquet").read_bytes()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(good[: len(good) // 2] + good[-8:])  # the footer's magic, the middle gone
    with pytest.raises(BatchError) as local_error:
        screen_file(index, bad, tmp_path / "local.parquet", BatchOptions(resume=False))
    with pytest.raises(BatchError) as spark_error:
        screen_file_spark(index, bad, tmp_path / "out", spark=spark, payload=payload)
    assert str(spark_error.value) == str(local_error.value)
    assert "not a readable Parquet file" in str(spark_error.value)
    assert "\n" not in str(spark_error.value)
    assert not (tmp_path / "out").exists()


def test_the_cli_refuses_a_missing_column_in_one_line(tmp_path: Path, store: Path, spark: Any) -> None:
    src = tmp_path / "rows.parquet"
    duckdb.sql(
        f"COPY (SELECT id, name AS full_name FROM read_csv('{DATA / 'rows.csv'}', all_varchar = true)) "
        f"TO '{src}' (FORMAT parquet)"
    )
    out = tmp_path / "out"
    code, _, err = run_cli(
        "screen", "--db", str(store), "--input", str(src), "--output", str(out), "--engine", "spark",
        "--master", "local[2]",
    )  # fmt: skip
    assert code == 2
    assert f"{src}: no column 'name'" in err and "--name-column" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
