"""Screening with identifiers: on the command line, in CSV columns and in FtM entities.

Real records: OFAC's GASRET ALIEV (SDN 37071, IMO 9083330) and OFAC's non-SDN entry 17018
with INN 7707083893. IMO 9737204 is another ship's number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from reckon.batch import BatchOptions, screen_file
from reckon.screening import Query, ScreenError, load_index, parse_identifier, screen_store
from reckon.store import connect
from reckon.stored_index import refresh_index
from tests.conftest import run_cli
from tests.resolve.conftest import OFAC_CONS, load

SDN = "sdn_2024-05-03.csv.gz"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("ids") / "ids.duckdb"
    con = connect(path)
    load(con, SDN, ["37071", "35096"])
    load(con, OFAC_CONS, ["17018"])
    refresh_index(con)
    con.close()
    yield path


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


def _hits(con: duckdb.DuckDBPyConnection, q: Query) -> dict[str, tuple[float, str]]:
    return {h.entity.id or "": (h.score, h.result.explanation) for h in screen_store(con, q)}


def test_the_same_imo_decides_and_another_refuses(con: duckdb.DuckDBPyConnection) -> None:
    same = _hits(con, Query("GASRET ALIEV", schema="Vessel", identifiers=(("imo", "9083330"),)))
    assert same["us_ofac_sdn:37071"][0] >= 0.99 and "imoNumber 9083330 agrees" in same["us_ofac_sdn:37071"][1]
    other = _hits(con, Query("GASRET ALIEV", schema="Vessel", identifiers=(("imo", "9737204"),)))
    assert "us_ofac_sdn:37071" not in other  # same name, another ship
    by_name = _hits(con, Query("GASRET ALIEV", schema="Vessel"))
    assert by_name["us_ofac_sdn:37071"][0] < same["us_ofac_sdn:37071"][0]


def test_an_identifier_alone_is_a_query(con: duckdb.DuckDBPyConnection) -> None:
    # Without --schema: a vessel is no legal entity in FtM, an IMO is read as a ship's too.
    assert "us_ofac_sdn:37071" in _hits(con, Query("", identifiers=(("imoNumber", "9083330"),)))
    assert "us_ofac_cons:17018" in _hits(con, Query("", identifiers=(("inn", "7707083893"),)))
    with pytest.raises(ScreenError, match="the name is empty"):
        screen_store(con, Query(""))


def test_identifier_syntax_is_checked() -> None:
    assert parse_identifier("IMO:9083330") == ("imoNumber", "9083330")
    assert parse_identifier("passportNumber: 7204 123456") == ("passportNumber", "7204 123456")
    for bad in ("9083330", "imo:", "shoe:42"):
        with pytest.raises(ScreenError):
            parse_identifier(bad)


def test_cli_takes_identifiers(store: Path) -> None:
    code, stdout, stderr = run_cli("screen", "--id", "imo:9083330", "--json", "--db", str(store))
    assert code == 0, stderr
    assert [h["id"] for h in json.loads(stdout)] == ["us_ofac_sdn:37071"]
    code, _, stderr = run_cli("screen", "GASRET ALIEV", "--id", "shoe:42", "--db", str(store))
    assert code == 2 and "unknown identifier scheme 'shoe'" in stderr


def test_batch_reads_identifier_columns_and_ftm_identifiers(store: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    index = load_index(con)
    con.close()
    rows = tmp_path / "ships.csv"
    rows.write_text(
        "id,name,imo\nq1,GASRET ALIEV,9083330\nq2,GASRET ALIEV,9737204\nq3,,9083330\n", encoding="utf-8"
    )
    out = tmp_path / "ships.jsonl"
    options = BatchOptions(identifier_columns=(("imoNumber", "imo"),), schema="Vessel")
    screen_file(index, rows, out, options)
    got = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert [h["id"] for h in got["q1"]["hits"]] == ["us_ofac_sdn:37071"]
    assert got["q2"]["status"] == "no_hits"
    assert [h["id"] for h in got["q3"]["hits"]] == ["us_ofac_sdn:37071"]  # the IMO alone
    # A column named as the FtM property needs no mapping; FtM entities bring their own.
    named = tmp_path / "named.csv"
    named.write_text("id,name,innCode\nc1,,7707083893\n", encoding="utf-8")
    entities = tmp_path / "entities.jsonl"
    entities.write_text(
        json.dumps(
            {
                "id": "e1",
                "schema": "Vessel",
                "properties": {"name": ["GASRET ALIEV"], "imoNumber": ["9737204"]},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    screen_file(index, named, tmp_path / "named.jsonl", BatchOptions(schema="Company"))
    screen_file(index, entities, tmp_path / "entities.out.jsonl", BatchOptions())
    (c1,) = map(json.loads, (tmp_path / "named.jsonl").read_text(encoding="utf-8").splitlines())
    assert [h["id"] for h in c1["hits"]] == ["us_ofac_cons:17018"]
    (e1,) = map(json.loads, (tmp_path / "entities.out.jsonl").read_text(encoding="utf-8").splitlines())
    assert e1["status"] == "no_hits"  # its IMO is another ship's
