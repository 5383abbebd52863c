"""Screening whole files: real names in, one record per row out, resumable after a kill."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reckon.batch import BatchError, BatchOptions, BatchSummary, checkpoint_path, part_path, screen_file
from reckon.match.index import Index
from reckon.screening import where_listed
from reckon.sources.uk import parse_ofsi
from tests.conftest import REPO, SHARED_DATA, ingested, memory_index, shared

OFSI = "uk_ofsi/ConList_2025-04-14.xlsx"
HOSTILE: list[tuple[str, str, str]] = [
    # (name, birth date, what the error says)
    ("", "", "empty"),
    ("   \u200b ", "", "empty"),
    ("x" * 10_000, "", "at most 500"),
    ("Roman\x00\x07 ABRAMOVICH", "yesterday", "birth date"),
]


@pytest.fixture(scope="module")
def listed() -> list[tuple[str, str, str, str]]:
    """(group id, primary name, schema, first birth date) of real OFSI entries."""
    version = parse_ofsi(shared(OFSI))
    return [
        (r.id, r.names[0].full, r.schema, r.birth_dates[0].value if r.birth_dates else "")
        for r in version.records
        if r.names
    ]


@pytest.fixture(scope="module")
def companies() -> list[str]:
    """Real company names (Yale CELI list): mostly not on the OFSI list."""
    path = SHARED_DATA / "companies" / "yale_celi_2023.csv"
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["Name"] for row in csv.DictReader(fh) if row["Name"].strip()]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested(tmp_path_factory.mktemp("batch") / "ofsi.duckdb", [OFSI])


@pytest.fixture(scope="module")
def index(store: Path) -> Index:
    return memory_index(store)


# Written out rather than read from batch.CSV_COLUMNS: the columns are a contract with users' files.
CSV_HEADER = [
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
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def mixed_rows(
    listed: list[tuple[str, str, str, str]], companies: list[str], n_listed: int, n_companies: int
) -> list[list[str]]:
    """Rows of (customer id, name, birth date, schema): listed people and firms, real
    companies, and hostile rows, interleaved."""
    rows = [[f"L{gid}", name, dob, schema] for gid, name, schema, dob in listed[:n_listed]]
    rows += [[f"C{i}", name, "", "Company"] for i, name in enumerate(companies[:n_companies])]
    rows.sort(key=lambda r: r[1].casefold())
    for i, (name, dob, _) in enumerate(HOSTILE):
        rows.insert(1 + i * 7, [f"H{i}", name, dob, "Person"])
    return rows


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def flat_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_accounted(rows: list[dict[str, str]], n: int) -> None:
    """Flat output (CSV, Parquet): every row 1..n, a line per hit or one line for the row."""
    by_row: dict[int, list[dict[str, str]]] = {}
    for line in rows:
        by_row.setdefault(int(line["row"]), []).append(line)
    assert sorted(by_row) == list(range(1, n + 1))
    for lines in by_row.values():
        statuses = {line["status"] for line in lines}
        assert len(statuses) == 1
        if statuses != {"hits"}:
            assert len(lines) == 1 and not lines[0]["hit_id"]


@pytest.mark.integration
def test_csv_with_mapped_columns_accounts_for_every_row(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]], companies: list[str]
) -> None:
    rows = mixed_rows(listed, companies, 60, 40)
    src = write_csv(tmp_path / "customers.csv", ["customer_no", "full_name", "dob", "kind"], rows)
    out = tmp_path / "screened.csv"
    options = BatchOptions(
        id_column="customer_no", name_column="full_name", birth_date_column="dob", schema_column="kind"
    )
    summary = screen_file(index, src, out, options)

    assert summary == BatchSummary(
        rows=len(rows), hits=summary.hits, no_hits=summary.no_hits, errors=len(HOSTILE), resumed_from=0
    )
    assert summary.hits + summary.no_hits + summary.errors == len(rows)
    lines = flat_rows(out)
    assert list(lines[0]) == CSV_HEADER
    assert_accounted(lines, len(rows))
    first = {int(line["row"]): line for line in reversed(lines)}
    for n, (cid, _, _, _) in enumerate(rows, start=1):
        assert first[n]["id"] == cid
        if cid.startswith("L"):  # a listed name finds its own record first
            assert first[n]["status"] == "hits"
            assert any(
                line["hit_id"] == f"gb_hmt_sanctions:{cid[1:]}" for line in lines if int(line["row"]) == n
            )
            assert float(first[n]["score"]) >= 0.7 and first[n]["explanation"]
    for i, (_, _, message) in enumerate(HOSTILE):
        line = next(line for line in lines if line["id"] == f"H{i}")
        assert line["status"] == "error" and message in line["error"]
    # Most real companies that are not on the list do not hit.
    company_hits = {line["id"] for line in lines if line["id"].startswith("C") and line["status"] == "hits"}
    assert len(company_hits) < 20


def test_a_named_column_must_exist(tmp_path: Path, index: Index) -> None:
    src = write_csv(tmp_path / "in.csv", ["id", "full_name"], [["1", "Roman ABRAMOVICH"]])
    with pytest.raises(BatchError, match=r"no column 'name'.*--name-column"):
        screen_file(index, src, tmp_path / "out.csv")
    with pytest.raises(BatchError, match="no column 'dob'"):
        screen_file(
            index, src, tmp_path / "out.csv", BatchOptions(name_column="full_name", birth_date_column="dob")
        )
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.integration
def test_jsonl_keeps_input_ids_and_gives_hits_as_source_ids(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]]
) -> None:
    src = tmp_path / "entities.jsonl"
    lines = [
        json.dumps({"id": f"ftm-{gid}", "schema": schema, "properties": {"name": [name]}})
        for gid, name, schema, _ in listed[100:130]
    ]
    lines += [
        json.dumps({"id": "flat-1", "name": "Roman Abramovich", "schema": "Person"}),
        json.dumps({"id": "flat-2", "name": "Владимир Путин"}),
        "",  # blank lines are not rows
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "empty", "schema": "Person", "properties": {"name": ["  "]}}),
        json.dumps({"id": "long", "name": "y" * 10_000}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    summary = screen_file(index, src, out)

    got = read_jsonl(out)
    assert [r["row"] for r in got] == list(range(1, 37))
    assert summary.rows == 36 and summary.errors == 4
    for r, (gid, _, _, _) in zip(got[:30], listed[100:130], strict=True):
        assert r["id"] == f"ftm-{gid}" and r["status"] == "hits"
        hits = r["hits"]
        assert f"gb_hmt_sanctions:{gid}" in {h["id"] for h in hits}
        assert all(
            set(h) == {"id", "members", "schema", "caption", "name", "score", "explanation"} for h in hits
        )
    assert got[30]["id"] == "flat-1" and got[30]["status"] == "hits"
    assert "gb_hmt_sanctions:14212" in {h["id"] for h in got[30]["hits"]}
    assert "gb_hmt_sanctions:14196" in {h["id"] for h in got[31]["hits"]}
    assert [(r["id"], r["status"]) for r in got[32:]] == [
        (None, "error"),
        (None, "error"),
        ("empty", "error"),
        ("long", "error"),
    ]
    assert "not JSON" in str(got[32]["error"]) and "at most 500" in str(got[35]["error"])


@pytest.mark.integration
def test_parquet_in_and_out(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]], companies: list[str]
) -> None:
    rows = mixed_rows(listed, companies, 30, 30)
    staging = write_csv(tmp_path / "staging.csv", ["id", "name", "birth_date", "schema"], rows)
    src = tmp_path / "customers.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{staging}', all_varchar = true)) TO '{src}' (FORMAT parquet)")
    out = tmp_path / "screened.parquet"
    summary = screen_file(index, src, out)

    assert summary.rows == len(rows) and summary.errors == len(HOSTILE)
    assert not part_path(out).exists()
    con = duckdb.connect()
    cur = con.execute("SELECT * FROM read_parquet(?)", [str(out)])
    names = [d[0] for d in cur.description or []]
    got = [
        dict(zip(names, ("" if v is None else str(v) for v in row), strict=True)) for row in cur.fetchall()
    ]
    assert names == CSV_HEADER
    assert_accounted(got, len(rows))
    assert {g["id"] for g in got} == {r[0] for r in rows}


def interrupt_after(rows: int) -> Callable[[str, int | None], Callable[[int], None]]:
    """A progress factory that stops the run (as Ctrl-C would) once `rows` are on disk."""

    def factory(description: str, total: int | None) -> Callable[[int], None]:
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if done >= rows:
                raise KeyboardInterrupt

        return tick

    return factory


@pytest.mark.integration
@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_an_interrupted_run_resumes_to_the_same_output(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]], suffix: str
) -> None:
    rows = [[gid, name, dob, schema] for gid, name, schema, dob in listed[200:320]]
    src = write_csv(tmp_path / "in.csv", ["id", "name", "birth_date", "schema"], rows)
    # Checkpoints by rows only: on a starved machine the 2 s flush would add one elsewhere.
    options = BatchOptions(flush_rows=25, flush_seconds=float("inf"))
    whole = screen_file(index, src, tmp_path / f"whole.{suffix}", options)

    out = tmp_path / f"out.{suffix}"
    with pytest.raises(KeyboardInterrupt):
        screen_file(index, src, out, options, progress=interrupt_after(50))
    assert not out.exists() or suffix != "parquet"
    resumed = screen_file(index, src, out, options)

    assert resumed.resumed_from == 50
    assert (resumed.rows, resumed.hits, resumed.no_hits, resumed.errors) == (
        whole.rows,
        whole.hits,
        whole.no_hits,
        whole.errors,
    )
    assert out.read_bytes() == (tmp_path / f"whole.{suffix}").read_bytes() or suffix == "parquet"
    if suffix == "parquet":
        query = "SELECT * FROM read_parquet(?)"
        assert (
            duckdb.execute(query, [str(out)]).fetchall()
            == duckdb.execute(query, [str(tmp_path / "whole.parquet")]).fetchall()
        )
    # A finished run is not redone.
    again = screen_file(index, src, out, options)
    assert again.resumed_from == whole.rows and again.rows == whole.rows


def test_resuming_is_refused_when_the_input_or_options_changed(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]]
) -> None:
    rows = [[gid, name, dob, schema] for gid, name, schema, dob in listed[:12]]
    src = write_csv(tmp_path / "in.csv", ["id", "name", "birth_date", "schema"], rows)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        screen_file(index, src, out, BatchOptions(flush_rows=5), progress=interrupt_after(5))

    with pytest.raises(BatchError, match=r"the options differ .*threshold.*--no-resume"):
        screen_file(index, src, out, BatchOptions(flush_rows=5, threshold=0.5))
    write_csv(src, ["id", "name", "birth_date", "schema"], [*rows, ["new", "Roman ABRAMOVICH", "", "Person"]])
    with pytest.raises(BatchError, match=r"^cannot resume .*: the input file changed .*--no-resume"):
        screen_file(index, src, out, BatchOptions(flush_rows=5))
    assert len(read_jsonl(out)) == 5  # refusing changed nothing

    fresh = screen_file(index, src, out, BatchOptions(flush_rows=5, resume=False))
    assert fresh.resumed_from == 0 and fresh.rows == 13
    assert [r["row"] for r in read_jsonl(out)] == list(range(1, 14))


def test_a_torn_or_foreign_output_is_not_resumed_blindly(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]]
) -> None:
    rows = [[gid, name, dob, schema] for gid, name, schema, dob in listed[:12]]
    src = write_csv(tmp_path / "in.csv", ["id", "name", "birth_date", "schema"], rows)
    out = tmp_path / "out.csv"
    whole = tmp_path / "whole.csv"
    screen_file(index, src, whole)
    with pytest.raises(KeyboardInterrupt):
        screen_file(index, src, out, BatchOptions(flush_rows=4), progress=interrupt_after(4))
    with out.open("ab") as fh:  # a write torn by the kill, after the checkpoint
        fh.write(b'5,L123,hits,gb_hmt_sanctions:1,0.9,"half a capt')
    assert screen_file(index, src, out).resumed_from == 4
    assert out.read_bytes() == whole.read_bytes()

    with pytest.raises(KeyboardInterrupt):
        screen_file(index, src, out, BatchOptions(flush_rows=4, resume=False), progress=interrupt_after(8))
    out.write_bytes(out.read_bytes()[:-30])  # the output lost rows its checkpoint counts
    with pytest.raises(BatchError, match="shorter than its checkpoint"):
        screen_file(index, src, out)
    checkpoint_path(out).unlink()  # no checkpoint: start over
    assert screen_file(index, src, out).resumed_from == 0
    assert out.read_bytes() == whole.read_bytes()


def test_hostile_rows_become_error_records(tmp_path: Path, index: Index) -> None:
    src = tmp_path / "hostile.csv"
    src.write_bytes(
        b"id,name,birth_date,country,schema\n"
        b"1,,,,\n"
        b"2," + b"z" * 10_000 + b",,,\n"
        b"3,Ivan\x00\x1b[31m PETROV,,,Person\n"
        b"4,Caf\xe9 Latin-1,,,\n"
        b"5,Roman ABRAMOVICH,1966-10-24,Atlantis,Person\n"
        b"6,Roman ABRAMOVICH,,,Spaceship\n"
        b"7\n"
        b"\n"
        b',"Roman\nABRAMOVICH",1966,RU,Person\n'
    )
    out = tmp_path / "out.jsonl"
    summary = screen_file(index, src, out)
    got = read_jsonl(out)
    assert [r["row"] for r in got] == list(range(1, 9))
    assert summary.rows == 8
    errors = {r["row"]: r.get("error") for r in got if r["status"] == "error"}
    assert "empty" in str(errors[1]) and "at most 500" in str(errors[2])
    assert "not valid UTF-8" in str(errors[4]) and "unknown country" in str(errors[5])
    assert "unknown schema" in str(errors[6]) and "empty" in str(errors[7])
    assert got[2]["status"] in ("hits", "no_hits")  # control characters are screened, not fatal
    assert got[7]["id"] is None and got[7]["status"] == "hits"


@pytest.mark.integration
def test_cli_resumes_after_sigkill(
    tmp_path: Path, store: Path, index: Index, listed: list[tuple[str, str, str, str]], companies: list[str]
) -> None:
    """A real interruption: the CLI is killed mid-run, rerun, and ends with the same bytes."""
    # Enough rows that a checkpoint (every 1,000 rows or 2 s) is written well before the
    # end: a run that fits between two checkpoints cannot be interrupted mid-way.
    rows = mixed_rows(listed, companies, 3000, 1000)
    src = write_csv(tmp_path / "customers.csv", ["cust", "full_name", "dob", "kind"], rows)
    mapping = ["--id-column", "cust", "--name-column", "full_name", "--birth-date-column", "dob"]
    mapping += ["--schema-column", "kind"]
    options = BatchOptions(
        id_column="cust", name_column="full_name", birth_date_column="dob", schema_column="kind"
    )
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "reckon.cli", "screen", "--db", str(store), "--input", str(src)]
    cmd += ["--output", str(out), *mapping, "--json"]
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ckpt = checkpoint_path(out)
    deadline = time.monotonic() + 600  # a bound on waiting, not a timing: a starved machine is slow
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if ckpt.exists():
            try:
                done = json.loads(ckpt.read_text())["state"]["rows"]
            except (ValueError, KeyError):
                done = 0
            if done >= 50:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < done < len(rows)

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["resumed_from"] >= done and summary["rows"] == len(rows)

    whole = tmp_path / "whole.jsonl"
    # The CLI says where each hit is listed: the library does too, given the store.
    con = duckdb.connect(str(store), read_only=True)
    try:
        screen_file(index, src, whole, options, where=where_listed(con))
    finally:
        con.close()
    assert out.read_bytes() == whole.read_bytes()
    assert [r["row"] for r in read_jsonl(out)] == list(range(1, len(rows) + 1))

    # The input changes: the CLI refuses to resume, in one line, exit code 2.
    write_csv(src, ["cust", "full_name", "dob", "kind"], rows[:-1])
    refused = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert refused.returncode == 2
    assert "input file changed" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.integration
def test_workers_write_the_same_output_and_resume_like_one_process(
    tmp_path: Path, index: Index, listed: list[tuple[str, str, str, str]], companies: list[str]
) -> None:
    rows = mixed_rows(listed, companies, 150, 150)
    src = write_csv(tmp_path / "in.csv", ["id", "name", "birth_date", "schema"], rows)
    every_40 = BatchOptions(flush_rows=40, flush_seconds=float("inf"))  # rows only, whatever the load
    one = screen_file(index, src, tmp_path / "one.jsonl", every_40)
    two = screen_file(index, src, tmp_path / "two.jsonl", replace(every_40, workers=2))
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert two == one and one.hits > 0 and one.errors == len(HOSTILE)

    # Killed mid-run (the workers with it), then resumed with another number of workers.
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        screen_file(index, src, out, replace(every_40, workers=2), progress=interrupt_after(80))
    resumed = screen_file(index, src, out, replace(every_40, workers=0))
    assert resumed.resumed_from == 80
    assert out.read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_negative_workers_are_refused(tmp_path: Path, index: Index) -> None:
    src = write_csv(tmp_path / "in.csv", ["name"], [["Roman ABRAMOVICH"]])
    with pytest.raises(BatchError, match="--workers"):
        screen_file(index, src, tmp_path / "out.jsonl", BatchOptions(workers=-1))
