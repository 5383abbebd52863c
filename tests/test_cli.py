"""The command line end to end: output, --json, and one-line errors on bad input."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from reckon.store import connect
from tests.conftest import run_cli, shared
from tests.test_store import fingerprint

UN = "un/UN_consolidated_2026-02-27.xml"


run = run_cli


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.duckdb"
    code, _, stderr = run("ingest", str(shared(UN)), "--db", str(path), "--json")
    assert code == 0, stderr
    return str(path)


def test_ingest_json_then_lists_and_show(db: str) -> None:
    code, stdout, _ = run("lists", "--db", db, "--json")
    assert code == 0
    (summary,) = json.loads(stdout)
    assert summary["source"] == "un_sc_sanctions"
    assert summary["current_records"] == 1003
    assert summary["latest"]["version_date"] == "2026-02-27"
    code, stdout, _ = run("show", "un_sc_sanctions:QDi.430", "--db", db, "--json")
    assert code == 0
    shown = json.loads(stdout)
    assert shown["record_id"] == "QDi.430"
    assert all(s["first_seen"] == "2026-02-27" for s in shown["statements"])
    code, stdout, _ = run("show", "un_sc_sanctions:QDi.430", "--db", db)
    assert code == 0 and "first seen 2026-02-27" in stdout


def test_db_from_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECKON_DB", db)
    code, stdout, _ = run("lists", "--json")
    assert code == 0 and json.loads(stdout)[0]["source"] == "un_sc_sanctions"


def test_show_unknown_record_is_a_clear_error(db: str) -> None:
    code, _, stderr = run("show", "un_sc_sanctions:NOPE", "--db", db)
    assert code == 2
    assert "no record 'un_sc_sanctions:NOPE'" in stderr


def test_an_error_names_a_file_with_brackets_whole(db: str, tmp_path: Path) -> None:
    """Messages are text, not rich markup: "[gb]" in a file name is kept."""
    missing = tmp_path / "sanctions[gb].csv"
    code, _, stderr = run("ingest", str(missing), "--db", db)
    assert code == 2
    assert "sanctions[gb].csv" in stderr and len(stderr.strip().splitlines()) == 1


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Bad inputs made from the real UN file, with the place the error must name."""
    real = shared(UN).read_bytes()
    cases: dict[str, tuple[Path, str]] = {}
    p = tmp / "truncated_consolidated.xml"
    p.write_bytes(real[: len(real) // 2])
    cases["truncated"] = (p, "line ")
    p = tmp / "empty.xml"
    p.write_bytes(b"")
    cases["empty"] = (p, "empty")
    p = tmp / "utf16_consolidated.xml"
    p.write_bytes(real.decode("utf-8").encode("utf-16"))
    cases["encoding"] = (p, "line 1")
    p = tmp / "malformed_consolidated.xml"
    p.write_bytes(real.replace(b"</INDIVIDUAL>", b"</INDIVIDUA>", 1))
    cases["malformed"] = (p, "line ")
    p = tmp / "bomb.xml"
    head = (
        b'<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (f"a{i}".encode(), (b"&a;" if i == 0 else f"&a{i - 1};".encode()) * 10)
            for i in range(10)
        )
        + b"]>"
    )
    p.write_bytes(head + b"<CONSOLIDATED_LIST>&a9;</CONSOLIDATED_LIST>")
    cases["bomb"] = (p, "entit")
    p = tmp / "truncated.xml.gz"
    p.write_bytes(gzip.compress(real)[:50000])
    cases["truncated-gzip"] = (p, "compressed stream")
    p = tmp / "SDN_ENHANCED.ZIP"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("SDN_ENHANCED.XML", b"")
        zf.writestr("../evil.sh", b"#!/bin/sh\n")
    p.write_bytes(buf.getvalue())
    cases["zip-member"] = (p, "")
    csl = gzip.decompress(shared("us_csl/consolidated.csv.gz").read_bytes()).decode("utf-8")
    lines = csl.splitlines()
    p = tmp / "consolidated_wrong_columns.csv"
    p.write_text("\n".join([lines[0].replace(",name,", ",", 1), *lines[1:50]]), encoding="utf-8")
    cases["wrong-columns"] = (p, "")
    return cases


@pytest.mark.parametrize(
    "case",
    ["truncated", "empty", "encoding", "malformed", "bomb", "truncated-gzip", "zip-member", "wrong-columns"],
)
def test_bad_input_is_one_line_exit_2_and_store_unchanged(case: str, db: str, tmp_path: Path) -> None:
    path, place = _bad_files(tmp_path)[case]
    con = connect(db)
    before = fingerprint(con)
    con.close()
    code, _, stderr = run("ingest", str(path), "--db", db)
    assert code == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert path.name in lines[0]
    assert place in lines[0]
    con = connect(db)
    assert fingerprint(con) == before
    con.close()
