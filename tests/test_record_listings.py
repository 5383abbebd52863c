"""`record_listings`, each record as status reads it, stays equal to what
the statements say after every import and every version taken back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from reckon.ingest import ingest_paths
from reckon.store import connect
from reckon.store.listings import refresh_record_listings, split_facts
from reckon.store.versions import remove_latest_version
from tests.conftest import shared

pytestmark = pytest.mark.integration

UN = ["un/UN_consolidated_2025-11-20.xml", "un/UN_consolidated_2026-02-27.xml"]
SDN = ["ofac_sdn_history/sdn_2022-02-23.csv", "ofac_sdn_history/sdn_2022-02-26.csv"]


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("SELECT * FROM record_listings ORDER BY record").fetchall()


def _rebuilt(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    con.execute("BEGIN TRANSACTION")
    refresh_record_listings(con)
    rows = _rows(con)
    con.execute("ROLLBACK")
    return rows


def test_kept_equal_to_the_statements_through_imports_and_removals(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb", create=True)
    for f in UN + SDN:
        ingest_paths(con, [shared(f)])
        kept = _rows(con)
        assert kept and kept == _rebuilt(con), f
    # The UN version of 2026-02-27 removed a record: it keeps the programme it was listed under.
    removed = con.execute(
        "SELECT record_id, facts FROM record_listings "
        "WHERE source = 'un_sc_sanctions' AND removed_version IS NOT NULL"
    ).fetchall()
    assert removed and all(split_facts(facts)["program"] for _, facts in removed)
    # Same records, schemas and captions as `records`.
    assert (
        con.execute(
            "SELECT source, record_id, schema, coalesce(caption, ''), first_version, removed_version FROM records "
            "EXCEPT SELECT source, record_id, schema, caption, first_version, removed_version FROM record_listings"
        ).fetchall()
        == []
    )
    putin = con.execute("SELECT facts FROM record_listings WHERE record = 'us_ofac_sdn:35096'").fetchone()
    assert putin is not None and "RUSSIA-EO14024" in split_facts(putin[0])["program"]
    for source in ("us_ofac_sdn", "un_sc_sanctions"):
        remove_latest_version(con, source, user="test")
        assert _rows(con) == _rebuilt(con), source
    assert con.execute(
        "SELECT count(*) FROM record_listings WHERE record = 'us_ofac_sdn:35096'"
    ).fetchone() == (0,)  # Putin entered on 2022-02-26, taken back
