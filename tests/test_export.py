"""Exports in the field's formats: FtM entities that FollowTheMoney accepts, statements.csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from reckon.ingest import ingest_paths
from reckon.store import connect
from reckon.store.export import STATEMENT_HEADER, ftm_entities, write_statements
from tests.conftest import shared

FILES = [
    "uk_ofsi/ConList_2025-04-14.xlsx",
    "ofac_sdn/csv_2021-07_watchman_bench",
    "ofac_consolidated/CONS_ENHANCED_2025-01-14.ZIP",
    "un/UN_consolidated_2026-02-27.xml",
    "us_csl/consolidated.csv.gz",
    "eu_fsf/sample_fsf_xml11_2026-08-05.xml",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path_factory.mktemp("export") / "export.duckdb")
    ingest_paths(con, [shared(f) for f in FILES])
    return con


@pytest.mark.integration
def test_every_exported_entity_is_valid_followthemoney(store: duckdb.DuckDBPyConnection) -> None:
    ftm = pytest.importorskip("followthemoney")
    from followthemoney.exc import InvalidData

    schemata: dict[str, int] = {}
    for ent in ftm_entities(store):
        try:
            proxy = ftm.model.get_proxy(ent, cleaned=False)
        except InvalidData as exc:  # unknown schema or property
            pytest.fail(f"{ent['id']}: {exc}")
        schemata[proxy.schema.name] = schemata.get(proxy.schema.name, 0) + 1
        if proxy.schema.name == "Sanction":
            assert proxy.get("entity"), ent["id"]
    assert schemata["Person"] > 5000
    assert schemata["Sanction"] >= schemata["Person"]
    assert {"Company", "Organization", "Vessel", "Airplane", "CryptoWallet"} <= schemata.keys()


@pytest.mark.integration
def test_ftm_names_keep_parts(store: duckdb.DuckDBPyConnection) -> None:
    (abramovich,) = [
        e for e in ftm_entities(store, "gb_hmt_sanctions") if e["referents"] == ["gb_hmt_sanctions:14212"]
    ]
    assert abramovich["id"] == "gb-hmt-sanctions-14212"
    props = abramovich["properties"]
    assert "ABRAMOVICH" in props["lastName"]
    assert "1966-10-24" in props["birthDate"]
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in n) for n in props["name"] + props.get("alias", []))


def test_statements_csv_has_provenance_columns(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    ingest_paths(
        con, [shared("un/UN_consolidated_2025-11-20.xml"), shared("un/UN_consolidated_2026-02-27.xml")]
    )
    buf = io.StringIO()
    n = write_statements(con, buf, "un_sc_sanctions")
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert tuple(rows[0].keys()) == STATEMENT_HEADER
    assert len(rows) == n
    # A fact that was dropped in 2026 keeps its last-seen date of the version before.
    removed = [r for r in rows if r["record_id"] == "IQi.074"]
    assert removed and all(r["last_seen"] == "2025-11-20" for r in removed)
    current = [r for r in rows if r["record_id"] == "SDi.007"]
    assert current and all(r["first_seen"] == r["last_seen"] == "2026-02-27" for r in current)
