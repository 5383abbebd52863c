"""Screening answers with canonical entities, scored on all their members, and says where
each is listed: real records of the lists in a resolved store.

One store for the module: the OFAC SDN list of 2024-05-03 (whole, so that the US can be
"not listed as of" that date), Abramovich's real records on the UK (OFSI, FCDO),
Australian and Canadian (2025) lists, the EU sample (loaded as a sample: unknown), and an
entry of Ukraine's War & Sanctions portal that no list has (an allegation only).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from reckon.batch import BatchError, BatchOptions, screen_file
from reckon.match.index import Index
from reckon.screening import Query, load_index, screen, screen_store, where_listed
from reckon.store import connect
from tests.conftest import run_cli
from tests.resolve.conftest import AU, EU, FCDO, OFSI, load, resolved_store

pytestmark = pytest.mark.integration

SDN = ["sdn_2024-05-03.csv"]
CA_2025 = "sema-lmes_2025-05.xml.gz"
UA = "ua_war_sanctions.targets.simple.csv.gz"
ABRAMOVICH = {OFSI: ["14212"], FCDO: ["RUS0270"], AU: ["6754"], CA_2025: ["russia/1, Part 1/541"]}
MEMBERS = [
    "au_dfat_sanctions:6754",
    "ca_dfatd_sema_sanctions:russia/1, Part 1/541",
    "gb_fcdo_sanctions:RUS0270",
    "gb_hmt_sanctions:14212",
]
LOPOTA = "ua_war_sanctions:NK-AVFBJVqfs2mDLmQZB59Xr8"  # on the portal, on no list


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    records = [*ABRAMOVICH.items(), (UA, [LOPOTA.split(":", 1)[1]]), (EU, None)]
    yield resolved_store(tmp_path_factory.mktemp("entities") / "entities.duckdb", SDN, records)


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def index(store: Path) -> Index:
    c = duckdb.connect(str(store), read_only=True)
    try:
        return load_index(c)
    finally:
        c.close()


@pytest.mark.parametrize("name", ["Абрамович Роман", "Roman ABRAMOVICH"])
def test_abramovich_is_one_entity_with_every_record(con: duckdb.DuckDBPyConnection, name: str) -> None:
    hits = screen_store(con, Query(name))
    top = hits[0]
    assert top.entity.id is not None and top.entity.id.startswith("rk-")
    assert list(top.members) == MEMBERS
    assert top.score >= 0.9 and "ABRAMOVICH" in top.entity.caption.upper()
    assert top.name  # the list's name that matched best
    # No other hit stands for one of his records: the duplicates are gone.
    assert not any(set(h.members) & set(MEMBERS) for h in hits[1:])


def test_the_memory_index_gives_the_same_entities(con: duckdb.DuckDBPyConnection, index: Index) -> None:
    assert index.grouping is not None
    for name in ("Абрамович Роман", "Roman ABRAMOVICH", "Vladimir Putin", "ROSNEFT"):
        q = Query(name)
        stored = [(h.entity.id, h.members, h.name, round(h.score, 6)) for h in screen_store(con, q)]
        memory = [(h.entity.id, h.members, h.name, round(h.score, 6)) for h in screen(index, q)]
        assert stored == memory, name


def test_abramovich_is_listed_by_the_uk_australia_and_canada_not_the_us(
    con: duckdb.DuckDBPyConnection,
) -> None:
    (top, *_) = screen_store(con, Query("Roman ABRAMOVICH"))
    where = where_listed(con)(top.entity.id or "")
    assert where is not None
    assert where.listed_in == ("au", "ca", "gb")
    us = where.jurisdictions["us"]
    assert us["status"] == "not listed" and "not listed as of 2024-05-03" in (us["summary"] or "")
    assert where.jurisdictions["eu"]["status"] == "unknown"
    assert where.documented_by == () and not where.only_allegations


def test_a_birth_date_on_the_ofsi_twin_keeps_the_fcdo_record_from_hitting(
    con: duckdb.DuckDBPyConnection, index: Index
) -> None:
    """The FCDO summary gives no birth date; OFSI's record of the same man gives
    1966-10-24. A query born in 1950 is not him, on either list."""
    q = Query("Roman ABRAMOVICH", schema="Person", birth_date="1950")
    for hits in (screen_store(con, q), screen(index, q)):
        assert not any("gb_fcdo_sanctions:RUS0270" in h.members for h in hits)
    # Record by record, as screening answered before: the FCDO record alone is a hit.
    alone = replace(q, birth_date=None)
    per_record = Index(index.entities).search(
        {"schema": "Person", "properties": {"name": [alone.name], "birthDate": ["1950"]}}
    )
    assert any(h.entity.id == "gb_fcdo_sanctions:RUS0270" and h.score >= 0.7 for h in per_record)
    # The right birth date agrees on the entity as a whole.
    (top, *_) = screen_store(con, replace(q, birth_date="1966-10-24"))
    assert list(top.members) == MEMBERS and "birth date 1966-10-24 agrees" in top.result.explanation


def test_cli_json_carries_the_entity_and_where_it_is_listed(store: Path) -> None:
    code, stdout, stderr = run_cli("screen", "Абрамович Роман", "--json", "--db", str(store))
    assert code == 0, stderr
    assert "not been resolved" not in stderr
    hits = json.loads(stdout)
    top = hits[0]
    assert top["members"] == MEMBERS and top["id"].startswith("rk-") and top["resolved"] is True
    assert top["listed_in"] == ["au", "ca", "gb"]
    assert top["statuses"]["us"]["status"] == "not listed"
    assert top["name"] and "Cyrillic→Latin" in top["explanation"]


def test_allegations_only_and_the_dataset_options(store: Path, con: duckdb.DuckDBPyConnection) -> None:
    (caption,) = con.execute(
        "SELECT caption FROM records WHERE source || ':' || record_id = ?", [LOPOTA]
    ).fetchone() or ("",)
    code, stdout, stderr = run_cli("screen", str(caption), "--json", "--db", str(store))
    assert code == 0, stderr
    found = [h for h in json.loads(stdout) if LOPOTA in h["members"]]
    assert found and found[0]["documented_by"] == ["ua_war_sanctions"]
    assert found[0]["note"] == "documented by ua_war_sanctions, not sanctioned"
    for option in (
        ["--listed-only"],
        ["--exclude-datasets", "ua_war_sanctions"],
        ["--datasets", "us_ofac_sdn"],
    ):
        code, stdout, stderr = run_cli("screen", str(caption), *option, "--json", "--db", str(store))
        assert code == 0, stderr
        assert not any(LOPOTA in h["members"] for h in json.loads(stdout)), option
    # Abramovich is designated: kept by --listed-only, and by a list he is on.
    for option in (["--listed-only"], ["--datasets", "gb_fcdo_sanctions,au_dfat_sanctions"]):
        code, stdout, _ = run_cli("screen", "Roman ABRAMOVICH", *option, "--json", "--db", str(store))
        assert json.loads(stdout)[0]["members"] == MEMBERS, option
    code, stdout, stderr = run_cli(
        "screen", "Roman ABRAMOVICH", "--datasets", "gb_hmt,nope", "--db", str(store)
    )
    assert code == 2 and stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert "unknown dataset 'gb_hmt', 'nope'" in stderr and "gb_hmt_sanctions" in stderr


def test_an_unresolved_store_says_so_and_answers_per_record(tmp_path: Path) -> None:
    path = tmp_path / "unresolved.duckdb"
    con = connect(path)
    load(con, OFSI, ABRAMOVICH[OFSI])
    load(con, FCDO, ABRAMOVICH[FCDO])
    con.close()
    code, stdout, stderr = run_cli("screen", "Roman ABRAMOVICH", "--json", "--db", str(path))
    assert code == 0, stderr
    assert stderr.count("not been resolved") == 1
    hits = json.loads(stdout)
    assert sorted(h["id"] for h in hits) == ["gb_fcdo_sanctions:RUS0270", "gb_hmt_sanctions:14212"]
    assert all(h["members"] == [h["id"]] and h["resolved"] is False for h in hits)
    assert {h["id"]: h["listed_in"] for h in hits} == {
        "gb_fcdo_sanctions:RUS0270": ["gb"],
        "gb_hmt_sanctions:14212": ["gb"],
    }


def test_batch_gives_a_line_per_row_and_entity(
    tmp_path: Path, index: Index, con: duckdb.DuckDBPyConnection
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "id,name,birth_date\na,Roman ABRAMOVICH,\nb,Абрамович Роман,1950\nc,Nobody Atall,\n", "utf-8"
    )
    out = tmp_path / "out.csv"
    summary = screen_file(index, src, out, BatchOptions(limit=3), where=where_listed(con))
    assert summary.rows == 3 and summary.resolved
    with out.open(encoding="utf-8", newline="") as fh:
        lines = list(csv.DictReader(fh))
    a = [line for line in lines if line["id"] == "a"]
    assert a[0]["members"] == ";".join(MEMBERS) and a[0]["listed_in"] == "au;ca;gb"
    assert "us: not listed as of 2024-05-03" in a[0]["statuses"]
    assert sum(1 for line in a if set(line["members"].split(";")) & set(MEMBERS)) == 1
    assert not any(line["id"] == "b" and "RUS0270" in line["members"] for line in lines)
    jsonl = tmp_path / "out.jsonl"
    screen_file(index, src, jsonl, BatchOptions(limit=3, listed_only=True), where=where_listed(con))
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["hits"][0]["members"] == MEMBERS and rows[0]["hits"][0]["listed_in"] == ["au", "ca", "gb"]
    assert all(h["listed_in"] for r in rows for h in r["hits"])


def test_batch_refuses_to_resume_against_another_resolution(
    tmp_path: Path, index: Index, con: duckdb.DuckDBPyConnection
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\na,Roman ABRAMOVICH\n", "utf-8")
    out = tmp_path / "out.jsonl"
    screen_file(index, src, out, where=where_listed(con))
    assert index.grouping is not None
    again = Index(index.entities)
    again.grouping = replace(index.grouping, fingerprint="another resolution")
    with pytest.raises(BatchError, match="resolved again"):
        screen_file(again, src, out, where=where_listed(con))
    again.grouping = None
    with pytest.raises(BatchError, match="resolved again"):
        screen_file(again, src, out, where=where_listed(con))


def test_statuses_read_in_one_pass_are_those_asked_one_by_one(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reckon.screening

    entities = [
        str(r[0]) for r in con.execute("SELECT DISTINCT canonical_id FROM resolve_records").fetchall()
    ]
    entities.append(LOPOTA)
    one_by_one = where_listed(con)
    expected = {e: one_by_one(e) for e in entities}
    monkeypatch.setattr(reckon.screening, "ONE_BY_ONE", 1)
    in_one_pass = where_listed(con)
    assert {e: in_one_pass(e) for e in entities} == expected
